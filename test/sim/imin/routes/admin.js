'use strict';
/**
 * The imin simulator's control endpoints, `/__sim/*`: no auth, never recorded, for tests and the
 * sandbox only (imin has no such thing). Each row: method, path, handler(s, r) where `s` is the
 * simulator's state (../index.js) and `r` the request ({method, url, params, rawBody, body(), res,
 * write}); a handler returns `{ status, body }`, or undefined when it answers `r.res` itself. A path
 * no row serves is a 404 {error, control}. `/*?` at the end of a path: whatever follows is ignored,
 * as it always was for those endpoints. The webhook rows are in ./webhooks.js.
 */

const { createRouter } = require('../../lib/router');
const { tryJson } = require('../../lib/faults');
const { SimError, toMs } = require('../common');
const { completeBooking } = require('../bookings');
const { buildFixtures } = require('../fixtures');
const WEBHOOK_ROUTES = require('./webhooks').ROUTES;

/** What GET /__sim lists. */
const CONTROL = [
	'GET    /__sim/health | /__sim/stats | /__sim/fixtures | /__sim/expected/bookable[?at=ISO]',
	'GET    /__sim/requests[?pathPrefix=]   DELETE /__sim/requests',
	'GET|POST|DELETE /__sim/variants   body: {point: variant, ...} (./variants.js)',
	'GET|POST|DELETE /__sim/faults   body: {mode, count?, retryAfter?, delayMs?, match?: {method?, pathPrefix?, path?}} or a list (test/sim/lib/faults.js)',
	'POST   /__sim/tick {n}   -> {changes}',
	'POST   /__sim/bookings {identifier | checkoutSessionId, type?, customer?, acceptedOffer?, force?}   -> 201 order (fires Success)',
	'POST   /__sim/checkout-sessions/:id/complete {customer?, force?}   -> 201 order (fires Success)',
	'GET|POST|DELETE /__sim/webhook-delivery   body: {url?, apiKey?, targets?, repeat?, repeatDelayMs?, concurrent?, retryOnFailure?, delayMs?, timeoutMs?}',
	'GET|DELETE /__sim/webhook-deliveries[?wait=1][&event=]',
	'POST   /__sim/customer-detail-change {identifier, url?, apiKey?}',
	'POST   /__sim/seller-onboarding {sellerId, action: create|update|delete, stripeNeeded?, termsAgreed?, url?, apiKey?}',
	'GET    /__sim/feeds/:feed (stored items)   GET /__sim/orders   GET /__sim/checkout-sessions',
	'GET|POST /__sim/clock {now: ISO|ms, freeze?}',
	'POST   /__sim/reset {seed?, sessions?, series?, facilityUses?, slots?, syntheticItems?, pageSize?}',
];

const ok = (body, status = 200) => ({ status, body });

function expectedBookable(s, r) {
	const at = r.url.searchParams.get('at');
	const ms = at ? toMs(at) : s.clock();
	if (!Number.isFinite(ms))
		throw new SimError(400, 'InvalidRequestError', 'at must be an ISO date or epoch ms');
	return ok(s.model.expected(ms, s.sim.checkoutBaseUrl));
}

function tick(s, r) {
	const n = r.body().n === undefined ? 1 : Number(r.body().n);
	if (!Number.isInteger(n) || n < 0 || n > 100000)
		throw new SimError(400, 'InvalidRequestError', 'n must be an integer >= 0');
	return ok({ changes: s.sim.tick(n) });
}

function feedItems(s, r) {
	const f = s.model.feeds[r.params.feed];
	if (!f) throw new SimError(404, 'NotFoundError', 'unknown feed');
	if (f.synthetic) return ok({ synthetic: true, items: f.size });
	return ok(f.list());
}

function clock(s, r) {
	if (r.method === 'POST') {
		const b = r.body();
		if (b.now !== undefined) s.sim.setNow(b.now);
		if (b.freeze !== undefined) s.opts.freezeClock = !!b.freeze;
	}
	return ok({ now: new Date(s.clock()).toISOString(), frozen: !!s.opts.freezeClock });
}

const ADMIN_ROUTES = [
	{ method: 'GET', path: '/__sim', handler: () => ok({ control: CONTROL }) },
	{ method: 'GET', path: '/__sim/health/*?', handler: () => ok({ ok: true }) },
	{ method: 'GET', path: '/__sim/stats/*?', handler: (s) => ok(s.sim.stats()) },
	{ method: 'GET', path: '/__sim/fixtures/*?', handler: (s) => ok(buildFixtures(s)) },
	{ method: 'GET', path: '/__sim/expected/bookable/*?', handler: expectedBookable },

	// the API request record, the fault switch (../../lib/faults.js), the variant switch (../variants.js)
	{
		method: 'GET',
		path: '/__sim/requests',
		handler: (s, r) => {
			const prefix = r.url.searchParams.get('pathPrefix');
			return ok(prefix ? s.requests.filter((x) => x.path.startsWith(prefix)) : s.requests);
		},
	},
	{
		method: 'DELETE',
		path: '/__sim/requests',
		handler: (s) => ok({ cleared: s.sim.clearRequests() }),
	},
	{
		method: '*',
		path: '/__sim/faults',
		handler: (s, r) => s.faults.control(r.method, r.rawBody) || unknown(r),
	},
	{
		method: '*',
		path: '/__sim/variants',
		handler: (s, r) => s.variants.control(r.method, r.rawBody),
	},

	// feed changes, bookings, stored records
	{ method: 'POST', path: '/__sim/tick/*?', handler: tick },
	{
		method: 'POST',
		path: '/__sim/bookings',
		handler: (s, r) => ok(completeBooking(s, r.body()), 201),
	},
	{
		method: 'POST',
		path: '/__sim/checkout-sessions/:id/complete',
		handler: (s, r) =>
			ok(
				completeBooking(s, { ...r.body(), checkoutSessionId: decodeURIComponent(r.params.id) }),
				201,
			),
	},
	{
		method: 'GET',
		path: '/__sim/checkout-sessions',
		handler: (s) => ok([...s.checkoutSessions.values()]),
	},
	{ method: 'GET', path: '/__sim/orders', handler: (s) => ok([...s.orders.values()]) },
	{ method: 'GET', path: '/__sim/feeds/:feed', handler: feedItems },

	...WEBHOOK_ROUTES,

	// the clock, reset
	{ method: ['POST', 'GET'], path: '/__sim/clock/*?', handler: clock },
	{
		method: 'POST',
		path: '/__sim/reset/*?',
		handler: (s, r) => {
			s.sim.reset(r.body());
			return ok({ ok: true });
		},
	},
];

function unknown(r) {
	return ok(
		{ error: `unknown control endpoint ${r.method} ${r.url.pathname}`, control: CONTROL },
		404,
	);
}

// Segments as sent (handlers decode ids themselves); empty ones ignored.
const router = createRouter(ADMIN_ROUTES, { loose: true });

/**
 * Answer one control request.
 * @param {object} s  the simulator's state
 * @param {(res: object, status: number, headers: object, text: string) => void} write
 */
function handleControl(s, write, req, res, url, rawBody) {
	const method = req.method;
	const reply = (status, body) =>
		write(res, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
	const body = () => {
		if (rawBody === undefined || rawBody.trim() === '') return {};
		const b = tryJson(rawBody);
		if (b === undefined) throw new SimError(400, 'InvalidRequestError', 'control body is not JSON');
		return b;
	};
	const r = {
		method,
		url,
		params: {},
		rawBody,
		body,
		res,
		write: (...args) => write(res, ...args),
	};
	try {
		const match = router.match(method, url.pathname);
		const answer =
			match && match.route ? match.route.handler(s, { ...r, params: match.params }) : unknown(r);
		if (answer) reply(answer.status, answer.body);
		return undefined;
	} catch (e) {
		if (e && e.body && e.status) return reply(e.status, e.body);
		return reply(400, { error: String((e && e.message) || e) });
	}
}

module.exports = { ADMIN_ROUTES, CONTROL, handleControl };
