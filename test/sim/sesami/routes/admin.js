'use strict';
/**
 * The Sesami simulator's control endpoints, `/__sim/*`: no auth, never recorded, for tests and the
 * sandbox only (Sesami has no such thing). Each row: method, path, handler(c, r) where `c` is the
 * simulator's internals (see startSesamiSimulator) and `r` the request ({method, url, params,
 * rawBody, body(), res}); a handler returns `{ status, body }`, or undefined when it answers `r.res`
 * itself (a `wait`ed delivery list). A path no row serves is a 404 [{property: 'ROOT', not_found}].
 * `/*?` at the end of a path: whatever follows is ignored, as it always was for those endpoints.
 */

const { createRouter } = require('../../lib/router');
const { tryJson } = require('../../lib/faults');
const { ApiError, err } = require('./common');

/** Collections GET /__sim/state/:collection serves (the simulator's internal records). */
const COLLECTIONS = [
	'shops',
	'services',
	'resources',
	'resourceTypes',
	'locations',
	'appointments',
	'reservations',
	'flows',
	'customers',
];

const ok = (body, status = 200) => ({ status, body });

function deliveryList(c, r) {
	const wait = r.url.searchParams.get('wait');
	if (wait && wait !== '0' && wait !== 'false') {
		c.flows.idle(10000).then((idle) => {
			if (!r.res.writableEnded)
				c.send(r.res, 200, c.filterDeliveries(r.url.searchParams), { 'x-sim-idle': String(idle) });
		});
		return undefined;
	}
	return ok(c.filterDeliveries(r.url.searchParams));
}

function stateList(c, r) {
	const coll = r.params.collection;
	if (!COLLECTIONS.includes(coll)) return ok(err('collection', 'not_found'), 404);
	const list = c.state()[coll];
	const shopId = r.url.searchParams.get('shopId');
	return ok(shopId ? list.filter((x) => x.shopId === shopId || x.id === shopId) : list);
}

function stateItem(c, r) {
	const coll = r.params.collection;
	if (!COLLECTIONS.includes(coll)) return ok(err('collection', 'not_found'), 404);
	const item = c.state()[coll].find((x) => x.id === decodeURIComponent(r.params.id));
	return item
		? ok(item)
		: ok(err(coll === 'appointments' ? 'appointment' : coll, 'not_found'), 404);
}

const ADMIN_ROUTES = [
	// appointments created and changed as Shopify checkout / the merchant would (fire Flows)
	{
		method: 'POST',
		path: '/__sim/appointments',
		handler: (c, r) => ok(c.createAndFire(r.body()), 201),
	},
	{
		method: 'POST',
		path: '/__sim/appointments/:id/:action',
		handler: (c, r) => ok(c.actOn(decodeURIComponent(r.params.id), r.params.action, r.body())),
	},

	// Flow deliveries: settings, held deliveries, what was sent
	{
		method: 'POST',
		path: '/__sim/flow-delivery',
		handler: (c, r) => ok({ settings: c.flows.configure(r.body() || {}) }),
	},
	{
		method: 'DELETE',
		path: '/__sim/flow-delivery',
		handler: (c) => ok({ settings: c.flows.reset() }),
	},
	{
		method: 'GET',
		path: '/__sim/flow-delivery',
		handler: (c) =>
			ok({
				settings: c.flows.settings,
				pending: c.flows.pending,
				held: c.flows.held,
				problems: c.flows.problems,
			}),
	},
	{
		method: 'POST',
		path: '/__sim/flow-delivery/flush',
		handler: (c) => ok({ flushed: c.flows.flush() }),
	},
	{ method: 'GET', path: '/__sim/deliveries', handler: deliveryList },
	{
		method: 'DELETE',
		path: '/__sim/deliveries',
		handler: (c) => ok({ cleared: c.flows.clearDeliveries() }),
	},

	// the API exchange record, the fault switch (../../lib/faults.js), the variant switch (../variants.js)
	{ method: 'GET', path: '/__sim/exchanges', handler: (c) => ok(c.exchanges) },
	{
		method: 'DELETE',
		path: '/__sim/exchanges',
		handler: (c) => ok({ cleared: c.recorder.clear() }),
	},
	{
		method: '*',
		path: '/__sim/faults',
		handler: (c, r) => c.faults.control(r.method, r.rawBody) || ok(err('ROOT', 'not_found'), 404),
	},
	{
		method: '*',
		path: '/__sim/variants',
		handler: (c, r) => {
			const answer = c.variants.control(r.method, r.rawBody);
			c.syncOtherToolFlows();
			return answer;
		},
	},

	// Sesami Apps' offline tokens (../appTokens.js): what an install would have produced
	{
		method: 'POST',
		path: '/__sim/app-tokens',
		handler: (c, r) => ok(c.appTokens.register(c, r.body()), 201),
	},
	{ method: 'GET', path: '/__sim/app-tokens', handler: (c) => ok(c.appTokens.list()) },
	{ method: 'DELETE', path: '/__sim/app-tokens', handler: (c) => ok(c.appTokens.clear()) },
	{
		method: 'DELETE',
		path: '/__sim/app-tokens/:token',
		handler: (c, r) => ok(c.appTokens.revoke(decodeURIComponent(r.params.token))),
	},

	// data: fixtures, internal records, health, reset
	{ method: 'GET', path: '/__sim/fixtures/*?', handler: (c) => ok(c.fixtures()) },
	{ method: 'GET', path: '/__sim/health/*?', handler: () => ok({ ok: true }) },
	{
		method: 'POST',
		path: '/__sim/reset/*?',
		handler: (c, r) => ok({ ok: true, fixtures: c.reset(tryJson(r.rawBody) || {}) }),
	},
	{ method: 'GET', path: '/__sim/state/:collection', handler: stateList },
	{ method: 'GET', path: '/__sim/state/:collection/:id/*?', handler: stateItem },
];

// Segments as sent (handlers decode ids themselves: a malformed one is a 400); empty ones ignored.
const router = createRouter(ADMIN_ROUTES, { loose: true });

/**
 * Answer one control request.
 * @param {object} c  the simulator's internals
 */
function handleControl(c, req, res, url, rawBody) {
	const method = req.method;
	const json = (status, body) => c.send(res, status, body);
	const body = () => {
		if (rawBody === undefined || rawBody.trim() === '') return undefined;
		try {
			return JSON.parse(rawBody);
		} catch {
			throw new ApiError(400, err('ROOT', 'is_json'));
		}
	};
	try {
		const match = router.match(method, url.pathname);
		if (!match || !match.route) return json(404, err('ROOT', 'not_found'));
		const answer = match.route.handler(c, {
			method,
			url,
			params: match.params,
			rawBody,
			body,
			res,
		});
		if (answer) json(answer.status, answer.body);
		return undefined;
	} catch (e) {
		if (e instanceof ApiError) return json(e.status, e.body);
		return json(400, err('ROOT', 'invalid_input', String(e.message || e)));
	}
}

module.exports = { ADMIN_ROUTES, COLLECTIONS, handleControl };
