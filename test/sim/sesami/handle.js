'use strict';
/**
 * The handle startSesamiSimulator returns (`sim`): URLs, fixtures and state, the exchange record,
 * the switches (faults, variants, Flow delivery), appointments created and changed as Shopify and
 * the merchant would, Flow deliveries. `c` is the simulator's internals (./index.js).
 */

const { renderTemplate, templateVariables } = require('./flows');
const { API_PREFIX } = require('./http');

/**
 * @typedef {object} SesamiInternals
 * @property {ReturnType<typeof import('../lib/faults').createRecorder>} recorder
 * @property {ReturnType<typeof import('../lib/faults').createRecorder>['list']} exchanges
 * @property {ReturnType<typeof import('../lib/faults').createFaultSwitch>} faults
 * @property {ReturnType<typeof import('../lib/variants').createVariantSwitch>} variants
 * @property {ReturnType<typeof import('./flows').createFlowDispatcher>} flows
 * @property {{ now: () => number, emitAppointmentEvent: Function }} internal
 * @property {() => void} syncOtherToolFlows
 * @property {(input: any) => ReturnType<typeof import('./render').appointment>} createAndFire
 * @property {(id: string, action: string, body?: any) => ReturnType<typeof import('./render').appointment>} actOn
 * @property {ReturnType<typeof import('./appTokens').createAppTokens>} appTokens
 * @property {() => any} state  the internal records (seed.js buildState().state)
 * @property {() => any} fixtures
 * @property {(overrides: any) => any} reset
 */

/** @param {SesamiInternals} c */
function sesamiHandle(c, { url, port, server, sockets }) {
	return {
		url,
		baseUrl: url + API_PREFIX,
		port,
		get fixtures() {
			return c.fixtures();
		},
		get state() {
			return c.state();
		},
		exchanges: c.exchanges,
		/** the unverified contract points played (../lib/variants.js): variants.set({point: variant}), .reset(), .all(), .get(point) */
		variants: {
			get: c.variants.get,
			all: c.variants.all,
			set(spec) {
				const all = c.variants.set(spec);
				c.syncOtherToolFlows();
				return all;
			},
			reset() {
				const all = c.variants.reset();
				c.syncOtherToolFlows();
				return all;
			},
		},
		/** Sesami Apps' offline tokens (./appTokens.js): register({token, shopId, clientId}), revoke(token), list(), clear() */
		appTokens: {
			register: (spec) => c.appTokens.register(c, spec),
			revoke: (token) => c.appTokens.revoke(token),
			list: () => c.appTokens.list(),
			clear: () => c.appTokens.clear(),
		},
		clearExchanges() {
			c.recorder.clear();
		},
		/** spec: {mode:'429'|'500'|'slow'|'drop', count?=1 (-1 forever), retryAfter?, delayMs?, match?:{method?, pathPrefix?, path?}} or an array, or null to clear (test/sim/lib/faults.js) */
		setFaults(spec) {
			return c.faults.set(spec);
		},
		clearFaults() {
			c.faults.clear();
		},
		get faults() {
			return c.faults.list;
		},
		/** re-seed (optionally with another seed / appointment count); faults are cleared, exchanges kept */
		reset(overrides) {
			return c.reset(overrides || {});
		},
		/** the simulator's clock (epoch ms) */
		now: () => c.internal.now(),
		/**
		 * (shopId, appointment, trigger) => fires the shop's matching Flows. Replaceable (a test may
		 * wrap it); the default is the Flow dispatcher's emit.
		 */
		set emitAppointmentEvent(fn) {
			c.internal.emitAppointmentEvent = fn;
		},
		get emitAppointmentEvent() {
			return c.internal.emitAppointmentEvent;
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
			return c.createAndFire(input || {});
		},
		/**
		 * Change an appointment like the control endpoint does and fire the matching trigger.
		 * @param {string} id
		 * @param {'reschedule'|'cancel'|'check-in'|'no-show'|'start'} action
		 * @param {Record<string, unknown>} [body]
		 */
		appointmentAction(id, action, body) {
			return c.actOn(id, action, body);
		},
		/** every delivery attempt: {id, flowId, flowName, trigger, appointmentId, target, headers (secrets '***'), body, status, attempt, copy, at, durationMs, error?, responseBody?, problems?} */
		deliveries: c.flows.deliveries,
		clearDeliveries() {
			return c.flows.clearDeliveries();
		},
		/** Flows that could not be delivered as written (unparsable headers, template errors, external targets) */
		flowProblems: c.flows.problems,
		/** resolves (true) once no delivery is pending; false when timeoutMs passed first */
		idle(timeoutMs) {
			return c.flows.idle(timeoutMs);
		},
		/** replace the delivery settings: {duplicate, duplicateRate, duplicateDelayMs, duplicateConcurrent, reorder, reorderRate, holdMs, delayMs, retryOnFailure: {attempts, delayMs}, timeoutMs} */
		setFlowDelivery(spec) {
			return c.flows.configure(spec || {});
		},
		resetFlowDelivery() {
			return c.flows.reset();
		},
		get flowDelivery() {
			return c.flows.settings;
		},
		/** send held (reorder) deliveries now, newest first; returns how many */
		flushFlowDeliveries() {
			return c.flows.flush();
		},
		/** render a template with an appointment's variables, exactly as a Flow delivery would */
		renderFlowTemplate(template, appointmentId, trigger = 'APPOINTMENT_CREATED') {
			const a = c.state().appointments.find((x) => x.id === appointmentId);
			if (!a) throw new Error(`unknown appointment ${appointmentId}`);
			const shop = c.state().shops.find((s) => s.id === a.shopId);
			return renderTemplate(template, templateVariables(c.state(), a, trigger), {
				shopTimezone: shop.settings.timezone,
			});
		},
		close() {
			c.flows.close();
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			});
		},
	};
}

module.exports = { sesamiHandle };
