'use strict';
/**
 * Sesami Admin API contract simulator.
 *
 * Written from Sesami's own OpenAPI 3.0 document (https://api.sesami.co/swagger; the copy in
 * test/contract/sesami-openapi.json) and Sesami's public docs (https://sesami.dev/docs/sesami-api/intro,
 * https://sesami.dev/docs/sesami-flows/flows) only. Plain Node >= 20, built-ins only; imports
 * nothing from nodes/ or credentials/.
 *
 *   const { startSesamiSimulator, FIXTURES } = require('./test/sim/sesami');
 *   const sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1', appointments: 260, seed: 42 });
 *   sim.baseUrl  // http://127.0.0.1:PORT/api/v1
 *
 * Routes: ./routes/ (one module per API area; the table is ./routes/index.js).
 *
 * Auth (https://sesami.dev/docs/sesami-api/personal-access-token,
 * https://sesami.dev/docs/sesami-api/make-a-request): `x-api-key`, `x-client-id`, `x-shop-id`.
 *   401 [{property:'user', constraints:[{name:'unauthorized'}]}]  unknown/missing key, wrong client id
 *       (a missing one too unless strictClientId:false), or an x-shop-id that is not the key's shop
 *   403 [{property:'shop', constraints:[{name:'forbidden'}]}]     key valid, {shop} path segment is another shop
 *   403 [{property:'user', constraints:[{name:'valid_permissions', payload:'Shop:<id>:Write'}]}]
 *       read-only key on POST/PATCH/PUT/DELETE
 *
 * Control endpoints (./routes/admin.js; never recorded, no auth): GET/DELETE /__sim/exchanges, GET/POST/DELETE /__sim/faults
 *        (fault switch and exchange record: ../lib/faults.js),
 * GET/POST/DELETE /__sim/variants (unverified contract points: ./variants.js, ../lib/variants.js),
 * GET /__sim/fixtures, GET /__sim/state/appointments/:id, GET /__sim/state/:collection[?shopId=],
 * POST /__sim/reset (optional body {seed, appointments}), GET /__sim/health.
 *
 * Flows (./flows.js, https://sesami.dev/docs/sesami-flows/flows): appointment changes fire the shop's active IMMEDIATELY WEBHOOK
 * Flows whose trigger matches; the rendered body is POSTed to the Flow's target (local targets only
 * unless allowExternalTargets). Deliveries are asynchronous; `await sim.idle()` waits for them.
 *   POST /__sim/appointments  {shopId?, serviceId?, variantId?, locationId?, resourceId?, customer?,
 *        datetime?, instant?, lineItemProperties?}  -> 201 the new appointment (shop timezone);
 *        fires APPOINTMENT_CREATED
 *   POST /__sim/appointments/:id/{reschedule|cancel|check-in|no-show|start}  (optional body as the
 *        API's: reschedule {dateTime?...} defaults to the next free slot a day or more later, cancel
 *        {refundMoney?=false, content?}) -> 200 the appointment; fires the matching trigger
 *   POST /__sim/flow-delivery  {duplicate?, duplicateRate?, duplicateDelayMs?, duplicateConcurrent?,
 *        reorder?, reorderRate?, holdMs?, delayMs?, retryOnFailure?: {attempts, delayMs}, timeoutMs?}
 *        (replaces the settings; see normalizeSettings in flows.js)
 *   GET /__sim/flow-delivery  {settings, pending, held, problems}
 *   DELETE /__sim/flow-delivery  default settings (held deliveries are sent at once)
 *   POST /__sim/flow-delivery/flush  send held deliveries now, newest first -> {flushed}
 *   GET /__sim/deliveries[?wait=1][&appointmentId=&flowId=&trigger=&target=]  (wait: until nothing
 *        is pending, at most 10 s)   DELETE /__sim/deliveries
 */

const http = require('node:http');
const { buildState, DEFAULT_SEED, DEFAULT_APPOINTMENTS } = require('./seed');
const { ApiError, matchRoute, err, createAppointment, appointmentAction } = require('./routes');
const { handleControl } = require('./routes/admin');
const { Rng } = require('../lib/prng');
const {
	createFaultSwitch,
	applyFault,
	createRecorder,
	redactHeaders,
	parseQuery,
	tryJson,
} = require('../lib/faults');
const R = require('./render');
const {
	createFlowDispatcher,
	FLOW_TRIGGERS,
	TEMPLATE_VARIABLES,
	renderTemplate,
	templateVariables,
	formatDate,
} = require('./flows');
const { createVariantSwitch } = require('../lib/variants');
const { SESAMI_VARIANTS } = require('./variants');

const API_PREFIX = '/api/v1';
const FAULT_MODES = ['429', '500', 'slow', 'drop'];
const WRITE_METHODS = ['POST', 'PATCH', 'PUT', 'DELETE'];

/**
 * Start a simulator.
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string} [options.host='127.0.0.1']
 * @param {number} [options.appointments=260]  appointments of shop 0 (shops 1 and 2 get 40 each)
 * @param {number} [options.otherAppointments=40]
 * @param {number} [options.seed=42]
 * @param {boolean} [options.strictClientId=true]  a missing x-client-id is a 401
 * @param {boolean} [options.rescheduleRequiresAvailability=false]  400 valid_interval when the new slot is taken
 * @param {number} [options.now]  epoch ms the seed data is placed around (the clock then runs from there)
 * @param {boolean} [options.allowExternalTargets=false]  let Flows POST to non-local hosts
 * @param {boolean} [options.freezeClock=false]  the clock stays at `now` (reproducible fixtures)
 * @param {Record<string,string>|string} [options.variants]  unverified contract points played (./variants.js)
 */
async function startSesamiSimulator(options = {}) {
	const opts = {
		port: 0,
		host: '127.0.0.1',
		appointments: DEFAULT_APPOINTMENTS,
		seed: DEFAULT_SEED,
		strictClientId: true,
		rescheduleRequiresAvailability: false,
		allowExternalTargets: false,
		...options,
	};
	const startedAt = Date.now();
	const anchor = opts.now === undefined ? startedAt : Number(opts.now);

	let built;
	/** @type {Map<string, { shopId: string, clientId: string, readOnly: boolean }>} */
	let keysByValue;
	const recorder = createRecorder();
	const exchanges = recorder.list;
	const faults = createFaultSwitch({ modes: FAULT_MODES });
	const variants = createVariantSwitch(SESAMI_VARIANTS, opts.variants);
	const idRng = new Rng(opts.seed, 'runtime-ids');
	let idCounter = 0;
	/** draws of the appointments created through the control endpoint (reset with the seed) */
	let createRng = new Rng(opts.seed, 'created-appointments');
	const flows = createFlowDispatcher({
		getState: () => built.state,
		allowExternalTargets: opts.allowExternalTargets,
		seed: opts.seed,
		variants,
	});

	const internal = {
		options: opts,
		variants,
		now: () => (opts.freezeClock ? anchor : anchor + (Date.now() - startedAt)),
		nowIso: () => new Date(internal.now()).toISOString(),
		newId: () => {
			idCounter += 1;
			const ts = Math.floor(internal.now() / 1000) + idCounter;
			return ts.toString(16).padStart(8, '0').slice(-8) + idRng.hex(16);
		},
		get rng() {
			return createRng;
		},
		/** fires the shop's matching Flows; replaceable through sim.emitAppointmentEvent */
		emitAppointmentEvent: (shopId, appointment, trigger) =>
			flows.emit(shopId, appointment, trigger),
	};

	function seed(overrides = {}) {
		if (overrides.seed !== undefined) opts.seed = Number(overrides.seed);
		if (overrides.appointments !== undefined) opts.appointments = Number(overrides.appointments);
		if (overrides.otherAppointments !== undefined)
			opts.otherAppointments = Number(overrides.otherAppointments);
		built = buildState({
			seed: opts.seed,
			appointments: opts.appointments,
			otherAppointments: opts.otherAppointments,
			now: internal.now(),
		});
		createRng = new Rng(opts.seed, 'created-appointments');
		keysByValue = new Map();
		for (const k of built.keys) {
			keysByValue.set(k.apiKey, { shopId: k.shopId, clientId: k.clientId, readOnly: false });
			keysByValue.set(k.readOnlyApiKey, {
				shopId: k.shopId,
				clientId: k.readOnlyClientId,
				readOnly: true,
			});
		}
	}
	seed();

	/**
	 * The `otherFlows` variant: N Flows of other tools (a Klaviyo-style webhook per slot) in every
	 * shop, on top of the seeded ones, using Flow slots as a merchant's other automations do.
	 */
	function syncOtherToolFlows() {
		const n = Number(variants.get('otherFlows'));
		const state = built.state;
		state.flows = state.flows.filter((f) => !f._otherTool);
		for (const shop of state.shops) {
			for (let i = 0; i < n; i++) {
				state.flows.push({
					_otherTool: true,
					id: internal.newId(),
					status: true,
					name: `Klaviyo metric ${i + 1} (another tool)`,
					trigger: FLOW_TRIGGERS[i % FLOW_TRIGGERS.length],
					action: 'WEBHOOK',
					target: `https://a.klaviyo.com/client/events/?company_id=${shop.id.slice(0, 6)}${i}`,
					when: { offset: 0, amount: 0, unit: 'IMMEDIATELY' },
					template: { headers: '{"revision":"2024-10-15"}', body: '{"name": "{{CustomerName}}"}' },
					createdAt: internal.nowIso(),
					updatedAt: internal.nowIso(),
					shopId: shop.id,
				});
			}
		}
	}
	syncOtherToolFlows();

	function authenticate(headers) {
		const unauthorized = () => new ApiError(401, err('user', 'unauthorized'));
		const apiKey = headers['x-api-key'];
		const key = typeof apiKey === 'string' ? keysByValue.get(apiKey) : undefined;
		if (!key) throw unauthorized();
		const clientId = headers['x-client-id'];
		if (clientId === undefined || clientId === '') {
			if (opts.strictClientId) throw unauthorized();
		} else if (clientId !== key.clientId) {
			throw unauthorized();
		}
		const shopHeader = headers['x-shop-id'];
		if (shopHeader !== undefined && shopHeader !== '' && shopHeader !== key.shopId)
			throw unauthorized();
		return key;
	}

	/** Handle one API request (path relative to /api/v1). Returns { status, body?, headers? }. */
	function handleApi(method, path, query, headers, rawBody) {
		const match = matchRoute(method, path);
		if (!match || !match.route) throw new ApiError(404, err('ROOT', 'not_found'));
		const auth = authenticate(headers);
		const { route, params } = match;
		if (route.shopParam && params[route.shopParam] !== auth.shopId) {
			throw new ApiError(403, err('shop', 'forbidden'));
		}
		if (auth.readOnly && WRITE_METHODS.includes(method)) {
			throw new ApiError(403, err('user', 'valid_permissions', `Shop:${auth.shopId}:Write`));
		}
		let body;
		if (WRITE_METHODS.includes(method) && rawBody !== undefined && rawBody.trim() !== '') {
			try {
				body = JSON.parse(rawBody);
			} catch {
				throw new ApiError(400, err('ROOT', 'is_json'));
			}
		}
		const state = built.state;
		const shop = state.shops.find((s) => s.id === auth.shopId);
		if (!shop) throw new ApiError(404, err('shop', 'not_found'));
		return route.handler({
			sim: internal,
			state,
			shop,
			auth,
			method,
			params,
			query,
			body,
			headers,
		});
	}

	const sockets = new Set();

	function send(res, status, body, headers = {}) {
		const h = { 'x-request-id': idRng.uuid(), ...headers };
		let text;
		if (body !== undefined) {
			text = JSON.stringify(body);
			h['content-type'] = 'application/json; charset=utf-8';
			h['content-length'] = Buffer.byteLength(text);
		} else {
			h['content-length'] = 0;
		}
		res.writeHead(status, h);
		res.end(text);
		return h;
	}

	/** Create an appointment (control endpoint / sim.createAppointment); fires APPOINTMENT_CREATED. */
	function createAndFire(input) {
		const body = input || {};
		if (typeof body !== 'object' || Array.isArray(body))
			throw new ApiError(400, err('ROOT', 'is_object'));
		const shops = built.state.shops;
		const shop = body.shopId === undefined ? shops[0] : shops.find((s) => s.id === body.shopId);
		if (!shop) throw new ApiError(404, err('shop', 'not_found'));
		const ctx = { sim: internal, state: built.state, shop };
		const a = createAppointment(ctx, body);
		internal.emitAppointmentEvent(a.shopId, a, 'APPOINTMENT_CREATED');
		return R.appointment(a, shop.settings.timezone);
	}

	function actOn(id, action, body) {
		return appointmentAction({ sim: internal, state: built.state }, id, action, body);
	}

	function filterDeliveries(params) {
		let list = flows.deliveries;
		for (const key of ['appointmentId', 'flowId', 'trigger', 'target']) {
			const v = params.get(key);
			if (v) list = list.filter((d) => d[key] === v);
		}
		return list;
	}

	/** What the control endpoints (./routes/admin.js) work with. */
	const controlInternals = {
		flows,
		recorder,
		exchanges,
		faults,
		variants,
		send,
		createAndFire,
		actOn,
		filterDeliveries,
		syncOtherToolFlows,
		state: () => built.state,
		fixtures: () => built.fixtures,
		reset(overrides) {
			seed(overrides);
			syncOtherToolFlows();
			faults.clear();
			return built.fixtures;
		},
	};

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rawBody = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
			const url = new URL(req.url, 'http://sim.local');
			if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
				handleControl(controlInternals, req, res, url, rawBody);
				return;
			}
			const method = req.method.toUpperCase();
			const isApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
			const path = isApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
			const query = parseQuery(url.search);
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
			const exchange = recorder.start({
				method,
				path,
				rawPath: req.url,
				query,
				headers: redactHeaders(headers),
				requestBody: tryJson(rawBody),
				responseBody: undefined,
				responseHeaders: {},
			});
			if (rawBody !== undefined && exchange.requestBody === undefined)
				exchange.rawRequestBody = rawBody;
			const finish = (status, body, headers) => {
				const responseHeaders = send(res, status, body, headers);
				recorder.finish(exchange, {
					status,
					responseBody: body === undefined ? undefined : JSON.parse(JSON.stringify(body)),
					responseHeaders,
				});
			};
			if (!isApi) return finish(404, err('ROOT', 'not_found'));
			const run = () => {
				let result;
				try {
					result = handleApi(method, path, query, headers, rawBody);
				} catch (e) {
					if (e instanceof ApiError) return finish(e.status, e.body, e.headers);
					exchange.error = String((e && e.stack) || e);
					return finish(500, err('ROOT', 'internal_server_error'));
				}
				if (result.gatewayError) exchange.fault = 'gateway-502';
				return finish(result.status, result.body, result.headers);
			};
			const fault = faults.take(method, path, API_PREFIX + path);
			if (!fault) return run();
			exchange.fault = fault.mode;
			applyFault(fault, {
				run,
				socket: req.socket,
				onDrop: () => recorder.finish(exchange, { status: 0 }),
				answer: (status, faultHeaders) =>
					finish(
						status,
						err('ROOT', status === 429 ? 'rate_limit' : 'internal_server_error'),
						faultHeaders,
					),
			});
			return undefined;
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	server.keepAliveTimeout = 5000;

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const addr = server.address();
	const hostForUrl =
		addr.family === 'IPv6' || addr.family === 6 ? `[${addr.address}]` : addr.address;
	const url = `http://${hostForUrl}:${addr.port}`;

	const sim = {
		url,
		baseUrl: url + API_PREFIX,
		port: addr.port,
		get fixtures() {
			return built.fixtures;
		},
		get state() {
			return built.state;
		},
		exchanges,
		/** the unverified contract points played (../lib/variants.js): variants.set({point: variant}), .reset(), .all(), .get(point) */
		variants: {
			get: variants.get,
			all: variants.all,
			set(spec) {
				const all = variants.set(spec);
				syncOtherToolFlows();
				return all;
			},
			reset() {
				const all = variants.reset();
				syncOtherToolFlows();
				return all;
			},
		},
		clearExchanges() {
			recorder.clear();
		},
		/** spec: {mode:'429'|'500'|'slow'|'drop', count?=1 (-1 forever), retryAfter?, delayMs?, match?:{method?, pathPrefix?, path?}} or an array, or null to clear (test/sim/lib/faults.js) */
		setFaults(spec) {
			return faults.set(spec);
		},
		clearFaults() {
			faults.clear();
		},
		get faults() {
			return faults.list;
		},
		/** re-seed (optionally with another seed / appointment count); faults are cleared, exchanges kept */
		reset(overrides) {
			seed(overrides || {});
			syncOtherToolFlows();
			faults.clear();
			return built.fixtures;
		},
		/** the simulator's clock (epoch ms) */
		now: () => internal.now(),
		/**
		 * (shopId, appointment, trigger) => fires the shop's matching Flows. Replaceable (a test may
		 * wrap it); the default is the Flow dispatcher's emit.
		 */
		set emitAppointmentEvent(fn) {
			internal.emitAppointmentEvent = fn;
		},
		get emitAppointmentEvent() {
			return internal.emitAppointmentEvent;
		},
		/**
		 * Create a new BOOKED appointment (default: shop 0, its first non-instant service, a seeded
		 * Shopify customer, the first free slot a day or more ahead) and fire APPOINTMENT_CREATED.
		 * Returns the appointment as the API renders it in the shop timezone.
		 * @param {{shopId?: string, serviceId?: string, variantId?: string, locationId?: string, resourceId?: string,
		 *   customer?: {id?: string, firstName?: string, lastName?: string, name?: string, email?: string, phone?: string, externalId?: string, timezone?: string},
		 *   datetime?: string, instant?: boolean, lineItemProperties?: Array<{name: string, value: string}>}} [input]
		 */
		createAppointment(input) {
			return createAndFire(input || {});
		},
		/**
		 * Change an appointment like the control endpoint does and fire the matching trigger.
		 * @param {string} id
		 * @param {'reschedule'|'cancel'|'check-in'|'no-show'|'start'} action
		 * @param {Record<string, unknown>} [body]
		 */
		appointmentAction(id, action, body) {
			return actOn(id, action, body);
		},
		/** every delivery attempt: {id, flowId, flowName, trigger, appointmentId, target, headers (secrets '***'), body, status, attempt, copy, at, durationMs, error?, responseBody?, problems?} */
		deliveries: flows.deliveries,
		clearDeliveries() {
			return flows.clearDeliveries();
		},
		/** Flows that could not be delivered as written (unparsable headers, template errors, external targets) */
		flowProblems: flows.problems,
		/** resolves (true) once no delivery is pending; false when timeoutMs passed first */
		idle(timeoutMs) {
			return flows.idle(timeoutMs);
		},
		/** replace the delivery settings: {duplicate, duplicateRate, duplicateDelayMs, duplicateConcurrent, reorder, reorderRate, holdMs, delayMs, retryOnFailure: {attempts, delayMs}, timeoutMs} */
		setFlowDelivery(spec) {
			return flows.configure(spec || {});
		},
		resetFlowDelivery() {
			return flows.reset();
		},
		get flowDelivery() {
			return flows.settings;
		},
		/** send held (reorder) deliveries now, newest first; returns how many */
		flushFlowDeliveries() {
			return flows.flush();
		},
		/** render a template with an appointment's variables, exactly as a Flow delivery would */
		renderFlowTemplate(template, appointmentId, trigger = 'APPOINTMENT_CREATED') {
			const a = built.state.appointments.find((x) => x.id === appointmentId);
			if (!a) throw new Error(`unknown appointment ${appointmentId}`);
			const shop = built.state.shops.find((s) => s.id === a.shopId);
			return renderTemplate(template, templateVariables(built.state, a, trigger), {
				shopTimezone: shop.settings.timezone,
			});
		},
		close() {
			flows.close();
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			});
		},
	};
	return sim;
}

/** Fixtures of the default simulator (seed 42, 260 appointments); ids are stable for a given seed. */
const FIXTURES = buildState({ seed: DEFAULT_SEED, appointments: DEFAULT_APPOINTMENTS }).fixtures;

/** Fixtures for another seed / appointment count, without starting a server. */
function fixturesFor(options = {}) {
	return buildState({
		seed: options.seed,
		appointments: options.appointments,
		otherAppointments: options.otherAppointments,
		now: options.now,
	}).fixtures;
}

module.exports = {
	startSesamiSimulator,
	FIXTURES,
	fixturesFor,
	API_PREFIX,
	FLOW_TRIGGERS,
	TEMPLATE_VARIABLES,
	renderTemplate,
	templateVariables,
	formatDate,
};
