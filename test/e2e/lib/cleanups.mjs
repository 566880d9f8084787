// What a runner (test/run-all.mjs, test/queue/run.mjs) undoes at exit: stopping n8n, workers,
// simulators and services, removing temp folders. Each step is an async function, run in reverse
// order of registration; a step that throws is reported and the others still run.

/**
 * @param {(error: Error) => void} report  called with the error of a step that failed
 * @returns {{ push: (fn: () => unknown) => void, run: () => Promise<void> }}
 *   push  register a step; run  run (and forget) every step registered so far, newest first
 */
export function createCleanups(report) {
	const steps = [];
	return {
		push(fn) {
			steps.push(fn);
		},
		async run() {
			while (steps.length) {
				const fn = steps.pop();
				try {
					await fn();
				} catch (error) {
					report(error);
				}
			}
		},
	};
}
