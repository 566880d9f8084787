'use strict';
/**
 * Webhooks imin sends to the broker (imin.md §2.6, §2.8, §2.9):
 *   'success'                 the Order, after a completed booking (payload shape: the Booking Platform Order)
 *   'customer-detail-change'  { '@context', '@type': 'CustomerAccount', '@id', identifier }
 *   'seller-onboarding'       { context, type: Create|Update|DeleteAction, agent, result | object }
 * Each is a POST with `content-type: application/json` and the pre-arranged key in `X-Api-Key`
 * (documented for Customer Management; assumed for the others, §2.6). Deliveries are asynchronous;
 * `idle()` resolves when none is pending.
 *
 * Settings (setWebhookDelivery / POST /__sim/webhook-delivery):
 *   url, apiKey                 default target (kept when a later call omits them)
 *   targets: { success?, 'customer-detail-change'?, 'seller-onboarding'?: {url?, apiKey?} }  per event
 *   repeat: n                   n EXTRA copies of every delivery (duplicates, as a retrying sender makes)
 *   repeatDelayMs               pause between copies (default 0); concurrent: true sends them at once
 *   retryOnFailure: {attempts, delayMs}  up to `attempts` requests per copy while the answer is not 2xx
 *   delayMs                     wait before the first attempt
 *   timeoutMs                   per request (default 10000)
 * Behaviour fields not given go back to their defaults; url / apiKey / targets are merged.
 */

const http = require('node:http');
const https = require('node:https');

const EVENTS = ['success', 'customer-detail-change', 'seller-onboarding'];
const MAX_RECORDS = 5000;
const BEHAVIOUR_DEFAULTS = { repeat: 0, repeatDelayMs: 0, concurrent: false, retryOnFailure: null, delayMs: 0, timeoutMs: 10000 };

function redactHeaders(headers) {
	const out = {};
	for (const [k, v] of Object.entries(headers)) out[k] = /key|secret|token|auth/i.test(k) ? '***' : v;
	return out;
}

function normalizeBehaviour(spec) {
	const s = { ...BEHAVIOUR_DEFAULTS };
	const num = (name, min, max) => {
		if (spec[name] === undefined || spec[name] === null) return;
		const v = Number(spec[name]);
		if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name} must be a number between ${min} and ${max}`);
		s[name] = v;
	};
	num('repeat', 0, 20);
	num('repeatDelayMs', 0, 600000);
	num('delayMs', 0, 600000);
	num('timeoutMs', 1, 600000);
	s.repeat = Math.floor(s.repeat);
	if (spec.concurrent !== undefined) s.concurrent = !!spec.concurrent;
	const r = spec.retryOnFailure;
	if (r) {
		const attempts = r === true ? 3 : Number(r.attempts === undefined ? 3 : r.attempts);
		const delayMs = r === true ? 500 : Number(r.delayMs === undefined ? 500 : r.delayMs);
		if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) throw new Error('retryOnFailure.attempts must be an integer between 1 and 20');
		if (!Number.isFinite(delayMs) || delayMs < 0) throw new Error('retryOnFailure.delayMs must be >= 0');
		s.retryOnFailure = { attempts, delayMs };
	}
	return s;
}

function createWebhookDispatcher(initial = {}) {
	let target = { url: initial.url || null, apiKey: initial.apiKey || null };
	let targets = {};
	let behaviour = { ...BEHAVIOUR_DEFAULTS };
	const deliveries = [];
	const problems = [];
	const timers = new Set();
	const requests = new Set();
	let pending = 0;
	let waiters = [];
	let closed = false;
	let seq = 0;

	function mergeTargets(spec) {
		if (spec.url !== undefined) target.url = spec.url || null;
		if (spec.apiKey !== undefined) target.apiKey = spec.apiKey || null;
		if (spec.targets && typeof spec.targets === 'object') {
			for (const [event, t] of Object.entries(spec.targets)) {
				if (!EVENTS.includes(event)) throw new Error(`unknown webhook event ${event} (use ${EVENTS.join(', ')})`);
				targets[event] = { ...(targets[event] || {}), ...(t || {}) };
			}
		}
	}
	mergeTargets(initial);

	function settings() {
		return { url: target.url, apiKey: target.apiKey ? '***' : null, targets: JSON.parse(JSON.stringify(targets, (k, v) => (k === 'apiKey' && v ? '***' : v))), ...behaviour, retryOnFailure: behaviour.retryOnFailure && { ...behaviour.retryOnFailure } };
	}

	function later(ms, fn) {
		const t = setTimeout(() => {
			timers.delete(t);
			fn();
		}, ms);
		timers.add(t);
	}
	const sleep = (ms) => new Promise((resolve) => (ms > 0 ? later(ms, resolve) : setImmediate(resolve)));

	function settle() {
		if (pending > 0) return;
		const w = waiters;
		waiters = [];
		for (const resolve of w) resolve(true);
	}

	function post(job) {
		return new Promise((resolve) => {
			let url;
			try {
				url = new URL(job.url);
			} catch (e) {
				resolve({ status: 0, error: `invalid webhook URL: ${e.message}` });
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
				req = lib.request(url, { method: 'POST', agent: false, headers: { ...job.headers, 'content-length': payload.length }, timeout: job.timeoutMs });
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
				res.on('end', () => finish({ status: res.statusCode, responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2048) }));
				res.on('error', (e) => finish({ status: res.statusCode, error: String(e.message || e) }));
			});
			req.on('timeout', () => req.destroy(new Error(`no answer within ${job.timeoutMs} ms`)));
			req.on('error', (e) => finish({ status: 0, error: String(e.message || e) }));
			req.end(payload);
		});
	}

	async function deliver(job) {
		const max = job.retry ? job.retry.attempts : 1;
		for (let attempt = 1; attempt <= max && !closed; attempt++) {
			const at = new Date();
			const r = await post(job);
			const record = {
				id: job.id,
				event: job.event,
				url: job.url,
				headers: redactHeaders(job.headers),
				body: job.body,
				status: r.status,
				attempt,
				copy: job.copy,
				at: at.toISOString(),
				durationMs: Date.now() - at.getTime(),
			};
			if (r.error) record.error = r.error;
			if (r.responseBody) record.responseBody = r.responseBody;
			deliveries.push(record);
			if (deliveries.length > MAX_RECORDS) deliveries.splice(0, deliveries.length - MAX_RECORDS);
			if ((r.status >= 200 && r.status < 300) || attempt === max || closed) return;
			await sleep(job.retry.delayMs);
		}
	}

	async function run(job) {
		try {
			if (job.delayMs > 0) await sleep(job.delayMs);
			if (!closed) await deliver(job);
		} finally {
			pending = Math.max(0, pending - 1);
			settle();
		}
	}

	/**
	 * Send one webhook (all its copies). Returns how many copies were scheduled (0 when no URL is
	 * configured for the event: that is recorded in `problems`).
	 * @param {string} event
	 * @param {object} body
	 * @param {{url?: string, apiKey?: string}} [override]
	 */
	function send(event, body, override = {}) {
		if (closed) return 0;
		const t = { ...target, ...(targets[event] || {}), ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) };
		if (!t.url) {
			problems.push({ event, problem: 'no webhook URL configured; not sent', at: new Date().toISOString() });
			if (problems.length > MAX_RECORDS) problems.shift();
			return 0;
		}
		const headers = { 'content-type': 'application/json', 'user-agent': 'imin-webhooks (simulator)' };
		if (t.apiKey) headers['X-Api-Key'] = t.apiKey;
		const text = JSON.stringify(body);
		const s = behaviour;
		const jobs = [];
		for (let copy = 0; copy <= s.repeat; copy++) {
			seq += 1;
			jobs.push({ id: seq, event, url: t.url, headers, text, body, copy, retry: s.retryOnFailure, timeoutMs: s.timeoutMs, delayMs: copy === 0 ? s.delayMs : s.repeatDelayMs });
		}
		pending += jobs.length;
		setImmediate(async () => {
			if (s.concurrent) {
				await Promise.all(jobs.map((j) => run({ ...j, delayMs: s.delayMs })));
				return;
			}
			for (const j of jobs) await run(j);
		});
		return jobs.length;
	}

	return {
		EVENTS,
		send,
		deliveries,
		problems,
		get pending() {
			return pending;
		},
		get settings() {
			return settings();
		},
		/** apiKey of an event's target (unredacted; for the simulator's own use) */
		targetFor(event) {
			return { ...target, ...(targets[event] || {}) };
		},
		configure(spec = {}) {
			const b = normalizeBehaviour(spec);
			mergeTargets(spec);
			behaviour = b;
			return settings();
		},
		/** default behaviour; url / apiKey / targets are kept */
		resetBehaviour() {
			behaviour = { ...BEHAVIOUR_DEFAULTS };
			return settings();
		},
		clearDeliveries() {
			const n = deliveries.length;
			deliveries.length = 0;
			problems.length = 0;
			return n;
		},
		idle(timeoutMs) {
			if (pending === 0) return Promise.resolve(true);
			return new Promise((resolve) => {
				let timer;
				const done = () => {
					if (timer) {
						clearTimeout(timer);
						timers.delete(timer);
					}
					resolve(true);
				};
				waiters.push(done);
				if (timeoutMs !== undefined) {
					timer = setTimeout(() => {
						timers.delete(timer);
						waiters = waiters.filter((w) => w !== done);
						resolve(false);
					}, timeoutMs);
					timers.add(timer);
				}
			});
		},
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

module.exports = { createWebhookDispatcher, EVENTS, BEHAVIOUR_DEFAULTS, redactHeaders };
