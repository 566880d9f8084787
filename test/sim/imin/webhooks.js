'use strict';
/**
 * Webhooks imin sends to the broker (Success:
 * https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout/loading-the-checkout-via-firehose,
 * Customer Detail Change:
 * https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks,
 * Seller Onboarding: https://docs.imin.co/imin-and-booking-systems/seller-onboarding/api):
 *   'success'                 the Order, after a completed booking (payload shape: the Booking Platform Order)
 *   'customer-detail-change'  { '@context', '@type': 'CustomerAccount', '@id', identifier }
 *   'seller-onboarding'       { context, type: Create|Update|DeleteAction, agent, result | object }
 * Each is a POST with `content-type: application/json` and the pre-arranged key in `X-Api-Key`
 * (documented for Customer Management; assumed for the others, whose payloads imin does not
 * publish). Deliveries are asynchronous;
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
 * The sending itself (attempts, copies, records, idle / close) is ../lib/delivery.js, shared with
 * the Sesami simulator's Flows.
 */

const { createDeliveryQueue, redactHeaders: redact, retrySetting } = require('../lib/delivery');

const EVENTS = ['success', 'customer-detail-change', 'seller-onboarding'];
const MAX_RECORDS = 5000;
const BEHAVIOUR_DEFAULTS = {
	repeat: 0,
	repeatDelayMs: 0,
	concurrent: false,
	retryOnFailure: null,
	delayMs: 0,
	timeoutMs: 10000,
};
/** Header names whose values are replaced by '***' in the delivery records. */
const SECRET_HEADER = /key|secret|token|auth/i;

const redactHeaders = (headers) => redact(headers, SECRET_HEADER);

function normalizeBehaviour(spec) {
	const s = { ...BEHAVIOUR_DEFAULTS };
	const num = (name, min, max) => {
		if (spec[name] === undefined || spec[name] === null) return;
		const v = Number(spec[name]);
		if (!Number.isFinite(v) || v < min || v > max)
			throw new Error(`${name} must be a number between ${min} and ${max}`);
		s[name] = v;
	};
	num('repeat', 0, 20);
	num('repeatDelayMs', 0, 600000);
	num('delayMs', 0, 600000);
	num('timeoutMs', 1, 600000);
	s.repeat = Math.floor(s.repeat);
	if (spec.concurrent !== undefined) s.concurrent = !!spec.concurrent;
	if (spec.retryOnFailure) s.retryOnFailure = retrySetting(spec.retryOnFailure, 500);
	return s;
}

function createWebhookDispatcher(initial = {}) {
	let target = { url: initial.url || null, apiKey: initial.apiKey || null };
	let targets = {};
	let behaviour = { ...BEHAVIOUR_DEFAULTS };
	const queue = createDeliveryQueue({
		maxRecords: MAX_RECORDS,
		secretHeader: SECRET_HEADER,
		invalidUrl: 'invalid webhook URL',
	});
	const problems = [];
	let seq = 0;

	function mergeTargets(spec) {
		if (spec.url !== undefined) target.url = spec.url || null;
		if (spec.apiKey !== undefined) target.apiKey = spec.apiKey || null;
		if (spec.targets && typeof spec.targets === 'object') {
			for (const [event, t] of Object.entries(spec.targets)) {
				if (!EVENTS.includes(event))
					throw new Error(`unknown webhook event ${event} (use ${EVENTS.join(', ')})`);
				targets[event] = { ...(targets[event] || {}), ...(t || {}) };
			}
		}
	}
	mergeTargets(initial);

	function settings() {
		return {
			url: target.url,
			apiKey: target.apiKey ? '***' : null,
			targets: JSON.parse(JSON.stringify(targets, (k, v) => (k === 'apiKey' && v ? '***' : v))),
			...behaviour,
			retryOnFailure: behaviour.retryOnFailure && { ...behaviour.retryOnFailure },
		};
	}

	/**
	 * Send one webhook (all its copies). Returns how many copies were scheduled (0 when no URL is
	 * configured for the event: that is recorded in `problems`).
	 * @param {string} event
	 * @param {object} body
	 * @param {{url?: string, apiKey?: string}} [override]
	 * @param {{delayMs?: number}} [extra]  delayMs: added to the wait before each copy (to order two sends)
	 */
	function send(event, body, override = {}, extra = {}) {
		if (queue.closed) return 0;
		const t = {
			...target,
			...(targets[event] || {}),
			...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)),
		};
		if (!t.url) {
			problems.push({
				event,
				problem: 'no webhook URL configured; not sent',
				at: new Date().toISOString(),
			});
			if (problems.length > MAX_RECORDS) problems.shift();
			return 0;
		}
		const headers = {
			'content-type': 'application/json',
			'user-agent': 'imin-webhooks (simulator)',
		};
		if (t.apiKey) headers['X-Api-Key'] = t.apiKey;
		const text = JSON.stringify(body);
		const s = behaviour;
		const jobs = [];
		for (let copy = 0; copy <= s.repeat; copy++) {
			seq += 1;
			// One after the other: the first after delayMs, each further copy repeatDelayMs after the
			// previous one was answered. Concurrent: all at once, after delayMs.
			const delayMs =
				(copy === 0 || s.concurrent ? s.delayMs : s.repeatDelayMs) +
				(Number(extra.delayMs) > 0 ? Number(extra.delayMs) : 0);
			jobs.push({
				id: seq,
				fields: { event, url: t.url },
				url: t.url,
				headers,
				text,
				body,
				copy,
				retry: s.retryOnFailure,
				timeoutMs: s.timeoutMs,
				delayMs,
			});
		}
		queue.schedule(jobs, s.concurrent);
		return jobs.length;
	}

	return {
		EVENTS,
		send,
		deliveries: queue.deliveries,
		problems,
		get pending() {
			return queue.pending;
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
			problems.length = 0;
			return queue.clearDeliveries();
		},
		idle: queue.idle,
		close: queue.close,
	};
}

module.exports = { createWebhookDispatcher, EVENTS, BEHAVIOUR_DEFAULTS, redactHeaders };
