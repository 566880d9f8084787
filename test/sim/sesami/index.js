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
 * Sesami Apps' offline tokens (./appTokens.js): registered with POST /__sim/app-tokens
 * {token, shopId, clientId}; x-shop-id and x-client-id must be the installation's (else 401); reads
 * only, a write is refused as the `appTokenWrite` variant says (403 / 401 / 404).
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

const { buildState, DEFAULT_SEED, DEFAULT_APPOINTMENTS } = require('./seed');
const { ApiError, err, createAppointment, appointmentAction } = require('./routes');
const { createSimServer, API_PREFIX } = require('./http');
const { sesamiHandle } = require('./handle');
const { Rng } = require('../lib/prng');
const { createFaultSwitch, createRecorder } = require('../lib/faults');
const { createAppTokens } = require('./appTokens');
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

const FAULT_MODES = ['429', '500', 'slow', 'drop'];

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
	const appTokens = createAppTokens();
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

	/** The simulator's internals, `c` in ./http.js, ./handle.js and the control endpoints (./routes/admin.js). */
	const c = {
		options: opts,
		internal,
		keys: () => keysByValue,
		appTokens,
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
			appTokens.clear();
			return built.fixtures;
		},
	};

	const { server, sockets } = createSimServer(c);
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
	return sesamiHandle(c, { url, port: addr.port, server, sockets });
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
