#!/usr/bin/env node
// Inclusive CPU time of named functions in V8 CPU profiles (the .cpuprofile files that
// BENCH_CPU_PROF=<dir> makes n8n write): `node bench/cpuprofile-summary.mjs <dir or files> [name...]`.
// A sample counts once for every distinct function name on its stack. Without names: the functions
// docs/benchmarks.md discusses (n8n's expression isolates, the credential read, the version-1 body
// option, the triggers' webhook()). Prints one line per name: seconds and share of all samples.
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const targets = args.filter((a) => fs.existsSync(a));
const names = args.filter((a) => !fs.existsSync(a));
const wanted = names.length
	? names
	: [
			'acquireIsolate',
			'createBridge',
			'releaseIsolate',
			'applyDefaultsAndOverwrites',
			'getCredentials',
			'parseRequestBody',
			'checkWithCredential',
			'receiveDelivery',
			'receiveMyPageRequest',
			'executeWebhook',
			'runWorkflow',
		];
const files = targets.flatMap((t) =>
	fs.statSync(t).isDirectory()
		? fs
				.readdirSync(t)
				.filter((f) => f.endsWith('.cpuprofile'))
				.map((f) => path.join(t, f))
		: [t],
);
const totals = Object.assign(Object.create(null), Object.fromEntries(wanted.map((n) => [n, 0])));
let all = 0;
for (const file of files) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	profile.samples.forEach((id, i) => {
		const dt = (profile.timeDeltas[i] ?? 0) / 1e6;
		all += dt;
		const seen = new Set();
		for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
			const name = byId.get(cur)?.callFrame.functionName;
			if (name && name in totals && !seen.has(name)) {
				seen.add(name);
				totals[name] += dt;
			}
		}
	});
}
console.log(`${files.length} profile(s), ${all.toFixed(1)} s of samples`);
for (const [name, s] of Object.entries(totals))
	console.log(
		`${name.padEnd(28)} ${s.toFixed(1).padStart(7)} s  ${((100 * s) / all).toFixed(1)} %`,
	);
