'use strict';
/**
 * Webhook delivery shared by the simulators (imin webhooks: ../imin/webhooks.js; Sesami Flows:
 * ../sesami/flows.js): the POST itself, the attempts of one delivery (re-sent after
 * `retry.delayMs` while the answer is not 2xx or the connection fails), the wait before a delivery,
 * the copies of one delivery (one after the other, or all at once), the delivery records, the count
 * of pending deliveries behind `idle()`, and `close()`.
 *
 * What is delivered, to which target, with which headers, and the settings that decide it, stay in
 * each simulator. A job (one copy of one delivery):
 *   id          the delivery record's id (one per copy)
 *   url         where it is POSTed
 *   text        the request body (UTF-8)
 *   headers     the request headers (content-length is added)
 *   body        what the record shows as `body`
 *   fields      the simulator's own record fields, placed between `id` and `headers`
 *   copy        0 for the original, 1.. for the extra copies
 *   problems?   strings recorded on each attempt's record (when not empty)
 *   retry       null, or {attempts, delayMs}
 *   timeoutMs   per request
 *   delayMs     wait before the first attempt
 *   gapMs?      (sequential copies) wait after the previous copy was answered
 *
 * A record: {id, ...fields, headers (secrets '***'), body, status (0: no answer), attempt, copy,
 * at, durationMs, error?, responseBody?, problems?}.
 */

const http = require('node:http');
const https = require('node:https');

/** Headers with the values of those whose name matches `secretHeader` replaced by '***'. */
function redactHeaders(headers, secretHeader) {
	const out = {};
	for (const [k, v] of Object.entries(headers)) out[k] = secretHeader.test(k) ? '***' : v;
	return out;
}

/**
 * The `retryOnFailure` setting: `true` (3 attempts, `defaultDelayMs` apart) or
 * `{attempts?, delayMs?}` -> {attempts, delayMs}. Throws on values out of range.
 */
function retrySetting(r, defaultDelayMs) {
	const attempts = r === true ? 3 : Number(r.attempts === undefined ? 3 : r.attempts);
	const delayMs = r === true || r.delayMs === undefined ? defaultDelayMs : Number(r.delayMs);
	if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20)
		throw new Error('retryOnFailure.attempts must be an integer between 1 and 20');
	if (!Number.isFinite(delayMs) || delayMs < 0)
		throw new Error('retryOnFailure.delayMs must be >= 0');
	return { attempts, delayMs };
}

/**
 * One delivery queue per simulator.
 * @param {{ maxRecords: number, secretHeader: RegExp, invalidUrl: string }} options
 *   maxRecords    the most delivery records kept (the oldest go first)
 *   secretHeader  header names whose values the records show as '***'
 *   invalidUrl    the start of the record's error when a job's URL does not parse
 */
function createDeliveryQueue({ maxRecords, secretHeader, invalidUrl }) {
	/** every attempt of every delivery, in completion order */
	const deliveries = [];
	const timers = new Set();
	const requests = new Set();
	let pending = 0;
	let waiters = [];
	let closed = false;

	/** A timer that close() cancels. */
	function later(ms, fn) {
		const t = setTimeout(() => {
			timers.delete(t);
			fn();
		}, ms);
		timers.add(t);
		return t;
	}
	function cancel(t) {
		clearTimeout(t);
		timers.delete(t);
	}
	const sleep = (ms) =>
		new Promise((resolve) => (ms > 0 ? later(ms, resolve) : setImmediate(resolve)));

	function settle() {
		if (pending > 0) return;
		const w = waiters;
		waiters = [];
		for (const resolve of w) resolve();
	}

	/** One HTTP request; resolves { status, responseBody, error? } (status 0 when no answer came). */
	function post(job) {
		return new Promise((resolve) => {
			let url;
			try {
				url = new URL(job.url);
			} catch (e) {
				resolve({ status: 0, error: `${invalidUrl}: ${e.message}` });
				return;
			}
			const payload = Buffer.from(job.text, 'utf8');
			const lib = url.protocol === 'https:' ? https : http;
			let done = false;
			let req;
			const finish = (r) => {
				if (done) return;
				done = true;
				requests.delete(req);
				resolve(r);
			};
			try {
				req = lib.request(url, {
					method: 'POST',
					agent: false,
					headers: { ...job.headers, 'content-length': payload.length },
					timeout: job.timeoutMs,
				});
			} catch (e) {
				resolve({ status: 0, error: String(e.message || e) });
				return;
			}
			requests.add(req);
			req.on('response', (res) => {
				const chunks = [];
				let size = 0;
				res.on('data', (c) => {
					size += c.length;
					if (size <= 4096) chunks.push(c);
				});
				res.on('end', () =>
					finish({
						status: res.statusCode,
						responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2048),
					}),
				);
				res.on('error', (e) => finish({ status: res.statusCode, error: String(e.message || e) }));
			});
			req.on('timeout', () => req.destroy(new Error(`no answer within ${job.timeoutMs} ms`)));
			req.on('error', (e) => finish({ status: 0, error: String(e.message || e) }));
			req.end(payload);
		});
	}

	/** All attempts of one job, each recorded. */
	async function deliver(job) {
		const max = job.retry ? job.retry.attempts : 1;
		for (let attempt = 1; attempt <= max && !closed; attempt++) {
			const at = new Date();
			const r = await post(job);
			const record = {
				id: job.id,
				...job.fields,
				headers: redactHeaders(job.headers, secretHeader),
				body: job.body,
				status: r.status,
				attempt,
				copy: job.copy,
				at: at.toISOString(),
				durationMs: Date.now() - at.getTime(),
			};
			if (r.error) record.error = r.error;
			if (r.responseBody) record.responseBody = r.responseBody;
			if (job.problems && job.problems.length) record.problems = job.problems.slice();
			deliveries.push(record);
			if (deliveries.length > maxRecords) deliveries.splice(0, deliveries.length - maxRecords);
			if ((r.status >= 200 && r.status < 300) || attempt === max || closed) return;
			await sleep(job.retry.delayMs);
		}
	}

	/** Wait job.delayMs, then send the job; it is no longer pending afterwards (see expect). */
	async function run(job) {
		try {
			if (job.delayMs > 0) await sleep(job.delayMs);
			if (!closed) await deliver(job);
		} finally {
			pending = Math.max(0, pending - 1);
			settle();
		}
	}

	/** Run the copies of one delivery: all at once, or one after the other (each gapMs after the previous was answered). */
	async function runCopies(jobs, concurrent) {
		if (concurrent) {
			await Promise.all(jobs.map((j) => run(j)));
			return;
		}
		for (let i = 0; i < jobs.length; i++) {
			if (i > 0 && jobs[i].gapMs > 0 && !closed) await sleep(jobs[i].gapMs);
			await run(jobs[i]);
		}
	}

	return {
		deliveries,
		later,
		cancel,
		run,
		/** n jobs are on their way (scheduled or held): idle() waits until run() has taken each. */
		expect(n) {
			pending += n;
		},
		/** Send the copies of one delivery on the next turn of the event loop (see runCopies). */
		schedule(jobs, concurrent) {
			pending += jobs.length;
			setImmediate(() => runCopies(jobs, concurrent));
		},
		get pending() {
			return pending;
		},
		get closed() {
			return closed;
		},
		clearDeliveries() {
			const n = deliveries.length;
			deliveries.length = 0;
			return n;
		},
		/** resolves true once no delivery is pending; false when timeoutMs passed first */
		idle(timeoutMs) {
			if (pending === 0) return Promise.resolve(true);
			return new Promise((resolve) => {
				let t;
				const done = () => {
					if (t) cancel(t);
					resolve(true);
				};
				waiters.push(done);
				if (timeoutMs !== undefined) {
					t = later(timeoutMs, () => {
						waiters = waiters.filter((w) => w !== done);
						resolve(false);
					});
				}
			});
		},
		/** stop: cancel every timer, abort the requests in flight, nothing pending any more */
		close() {
			closed = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			for (const r of requests) r.destroy(new Error('simulator closed'));
			requests.clear();
			pending = 0;
			settle();
		},
	};
}

module.exports = { createDeliveryQueue, redactHeaders, retrySetting };
