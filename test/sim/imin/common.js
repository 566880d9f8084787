'use strict';
/**
 * What the imin simulator's modules share: its error (a JSON-LD error body with a status), the two
 * kinds of answer a route returns, random codes, and the API key check. `s` everywhere is the
 * simulator's state (see startIminSimulator in ./index.js): options, clock, model, orders, ...
 *
 * imin's authentication: an `X-API-KEY` header (https://docs.imin.co/using-the-platform/authentication);
 * the 401 bodies are OpenActive-style errors (NoAPITokenError / InvalidAPITokenError,
 * https://openactive.io/open-booking-api/EditorsDraft/#error-model).
 */

const C = require('./checkout');

/**
 * The simulator's state (`s`), created by createState in ./index.js and (re)filled by its seed().
 * @typedef {object} SimState
 * @property {Record<string, any>} opts
 * @property {() => number} clock
 * @property {number} anchor
 * @property {number} startedAt
 * @property {import('./model').IminModel} model
 * @property {import('../lib/prng').Rng} runtimeRng
 * @property {Map<any, any>} customers  identifier -> Person
 * @property {Map<any, any>} checkoutSessions  id -> session
 * @property {Map<string, ReturnType<typeof import('./checkout').buildOrder>>} orders  uuid -> order
 * @property {number} orderItemCounter
 * @property {number} receiptCounter
 * @property {ReturnType<typeof import('./webhooks').createWebhookDispatcher>} webhooks
 * @property {ReturnType<typeof import('../lib/faults').createRecorder>} recorder
 * @property {any[]} requests
 * @property {ReturnType<typeof import('../lib/faults').createFaultSwitch>} faults
 * @property {ReturnType<typeof import('../lib/variants').createVariantSwitch>} variants
 * @property {() => Set<string>} validKeys
 * @property {any} sim  the handle startIminSimulator returns, once listening
 * @property {string | undefined} selfFirehoseBase
 */

class SimError extends Error {
	constructor(status, type, description) {
		super(description);
		this.status = status;
		this.body = C.errorBody(type, description);
	}
}

/** epoch ms from a number, a string of digits or an ISO date */
const toMs = (v) =>
	typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Date.parse(v);

/** A route's JSON answer. */
const json = (status, body, headers = {}) => ({ status, body, headers, type: 'json' });
/** A route's HTML answer (the guest and checkout pages). */
const html = (status, text, headers = {}) => ({ status, text, headers, type: 'html' });

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomCode(rng, n, alphabet) {
	let s = '';
	for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
	return s;
}

function requireKey(s, headers, optional) {
	const key = headers['x-api-key'];
	if (key === undefined || key === '') {
		if (optional) return;
		throw new SimError(
			401,
			'NoAPITokenError',
			'An API key is required: send it in the X-API-KEY header.',
		);
	}
	if (Array.isArray(key) || !s.validKeys().has(key))
		throw new SimError(401, 'InvalidAPITokenError', 'The API key in X-API-KEY is not valid.');
}

function originOf(s, req) {
	if (s.opts.publicUrl) return String(s.opts.publicUrl).replace(/\/+$/, '');
	return req.headers.host ? `http://${req.headers.host}` : s.sim.url;
}

module.exports = { SimError, toMs, json, html, BASE62, randomCode, requireKey, originOf };
