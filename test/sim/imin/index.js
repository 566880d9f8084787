'use strict';
/**
 * imin simulator: Firehose (RPDE), Checkout (guest pages, checkout sessions), Booking Platform
 * (orders) and the webhooks imin sends to a broker (Success, Customer Detail Change, Seller
 * Onboarding).
 *
 * Written from imin's public docs only (https://docs.imin.co/ : Firehose, Checkout, Booking Platform,
 * webhooks) and the OpenActive RPDE specification (https://openactive.io/realtime-paged-data-exchange/);
 * plain Node >= 20, built-ins only; imports nothing from nodes/ or credentials/.
 *
 *   const { startIminSimulator } = require('./test/sim/imin');
 *   const sim = await startIminSimulator({ port: 0, seed: 7, apiKey: 'imin-test-key', sessions: 400, pageSize: 50,
 *     webhook: { url: 'http://127.0.0.1:5678/webhook/...', apiKey: 'key-imin-sends-to-us' }, syntheticItems: 0 });
 *   sim.url; sim.firehoseBaseUrl (`${url}/firehose/`); sim.checkoutBaseUrl (`${url}`); sim.bookBaseUrl (`${url}/api/v2/`)
 *
 * Routes: ./routes/ (one module per API area; the table is ./routes/index.js; /__sim/* in
 * ./routes/admin.js and ./routes/webhooks.js). State and behaviour: ./bookings.js (customers,
 * orders, bookings), ./notifications.js (webhook bodies), ./fixtures.js, ./http.js (plumbing).
 *
 * API (everything but the guest / checkout pages needs `X-API-KEY`, any header case):
 *   GET  /firehose/{session-series|scheduled-sessions|facility-uses|slots}[?afterTimestamp=&afterId=]
 *   GET  /firehose/standard/<same feeds>           (same data; `next` stays under /standard/)
 *        RPDE pages {next, items, license}; the last page has items [] and next = the request URL.
 *        Cache-Control: public, max-age=3600 (pages with items) / public, max-age=8 (last page).
 *   GET  /v1/scheduled-sessions/:encodedIdentifier  guest checkout page (HTML), 404 HTML when unknown or
 *        not bookable; the path segment is percent-decoded exactly once. POST .../:enc/book (form:
 *        givenName, familyName, email) completes a booking like a browser would.
 *   GET  /v1/slots/:encodedIdentifier           the same for Slots (the Slot URL is [UNK] in the contract)
 *   POST /api/checkout-sessions[/]              imin:CheckoutSession -> 201 + Location + potentialAction;
 *        X-API-KEY optional (if sent it must be valid). GET /checkout-sessions/:id (the Location) -> JSON.
 *   GET  /opendata/:checkoutSessionId           checkout page of a session (POST completes it)
 *   GET  /api/v2/orders/:id   GET /api/v2/orders?customerIdentifier=&page=   GET /api/v2/customer-accounts/:id
 *
 * Control endpoints (no auth, never recorded): see CONTROL in ./routes/admin.js, and sim.* in the
 * returned object.
 *
 * Decisions where imin's public docs are silent (kept consistent everywhere):
 * - Firehose: 401 bodies are OpenActive-style errors (NoAPITokenError / InvalidAPITokenError);
 *   `/firehose/standard/<feed>` serves the same data as `/firehose/<feed>`; item ids are
 *   `<publisher>-<Kind>-<n>` and data `@id`s `https://firehose.imin.co/firehose/<feed>/<item id>`
 *   (option idBase); `modified` is an integer (epoch ms scale), ties are ordered by id; a bad
 *   cursor (afterTimestamp not an integer, afterId without afterTimestamp) is a 400.
 * - Bookability: ./bookability.js (the rules of
 *   https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout/loading-the-checkout-via-firehose;
 *   a missing validFromBeforeStartDate means no lower bound). The data never makes further guards
 *   matter (cancelled or full => flag false).
 * - Checkout sessions: X-API-KEY is optional (unknown whether imin requires it); `type`/`@type` are
 *   both accepted (JSON-LD aliases); `@context` must include https://openactive.io/; `broker` is
 *   required; `identifier` is required (an `id` in its place is refused); a Customer Account ID is any
 *   non-blank string without spaces (strictCustomerAccounts: only the simulator's accounts); the
 *   accepted offer must be an offer of the opportunity's parent (aggregate offers or `offers[]`) or, for
 *   a Slot, of the Slot; errors are 400 JSON-LD `{@context, @type, name, description}`: structure ->
 *   InvalidRequestError / UnexpectedOrderTypeError / Incomplete{Customer,Broker,OrderItem,Attendee}DetailsError,
 *   not bookable -> OpportunityIsFullError (occurrence flag false) or UnableToProcessOrderItemError
 *   (every other reason, and an unknown identifier), description "... is not bookable: <reason>.",
 *   offer not of this opportunity -> UnknownOfferError. Session ids are 14 base62 characters.
 * - Slots: guest page at /v1/slots/:enc (inferred: imin documents the ScheduledSession one only);
 *   checkout sessions accept Slots.
 * - Success webhook: POST, `content-type: application/json`, `X-Api-Key: <webhook apiKey>`, body = the
 *   Order exactly as GET /api/v2/orders/:id returns it (ids on this simulator's bookBaseUrl; the
 *   opportunity's `id` is the Search API style URL of the contract's Order example); no signature;
 *   one attempt unless retryOnFailure; duplicates only when `repeat` asks for them. The variant
 *   `successShape` (./variants.js) plays other bodies: not-order, no-ordered-item, wrapped.
 * - Customer Detail Change: the documented body; the variant `customerDetailChange=twice-different`
 *   sends two for one customer, each with its own `dateModified` (the second 300 ms after the first).
 * - Orders: confirmationNumber is 8 characters [A-Z2-9]; order history pages hold 10 orders, newest
 *   first; orders belong to `customer.identifier` (the Customer Account ID, or the Person's identifier).
 * - A completed booking lowers remainingAttendeeCapacity / remainingUses by one (0 turns the flag
 *   false): a feed update at the end of the feed (bookingsUpdateFeed: false to switch off).
 */

const { IminModel } = require('./model');
const { Rng } = require('../lib/prng');
const { createFaultSwitch, createRecorder } = require('../lib/faults');
const { createWebhookDispatcher } = require('./webhooks');
const { createVariantSwitch } = require('../lib/variants');
const { IMIN_VARIANTS } = require('./variants');
const { toMs } = require('./common');
const { buildCustomers, seedOrders, completeBooking } = require('./bookings');
const { fireCustomerDetailChange, fireSellerOnboarding } = require('./notifications');
const { buildFixtures } = require('./fixtures');
const { createSimServer } = require('./http');
const { CONTROL } = require('./routes/admin');

const FAULT_MODES = ['429', '500', '503', 'slow', 'drop'];
const DEFAULT_API_KEY = 'imin-test-key';

const DEFAULTS = {
	port: 0,
	host: '127.0.0.1',
	seed: 7,
	apiKey: DEFAULT_API_KEY,
	apiKeys: [],
	pageSize: 50,
	syntheticItems: 0,
	brokerName: 'Acme Sports Finder',
	brokerUrl: 'https://www.acmesportsfinder.example/',
	freezeClock: false,
	strictCustomerAccounts: false,
	bookingsUpdateFeed: true,
	orderHistoryPageSize: 10,
	recordRequests: true,
	maxRecordedRequests: 5000,
	recordBodyLimit: 16384,
};

/**
 * The simulator's state, `s` in every module: options, clock, switches, and the data (re)built by
 * seed(): model (feeds), runtimeRng, customers (Map identifier -> Person), checkoutSessions (Map id
 * -> session), orders (Map uuid -> order), the order item / receipt counters; `sim` once listening.
 */
function createState(options) {
	const opts = { ...DEFAULTS, ...options };
	opts.pageSize = Number(opts.pageSize);
	if (!Number.isInteger(opts.pageSize) || opts.pageSize < 1)
		throw new Error('pageSize must be a positive integer');
	const startedAt = Date.now();
	const anchor = opts.now === undefined ? startedAt : toMs(opts.now);
	if (!Number.isFinite(anchor)) throw new Error(`now is not a date: ${opts.now}`);
	const recorder = createRecorder({
		max: opts.maxRecordedRequests,
		enabled: () => opts.recordRequests,
	});
	/** @type {import('./common').SimState} */
	const s = {
		opts,
		startedAt,
		anchor,
		clock: () => (opts.freezeClock ? s.anchor : s.anchor + (Date.now() - s.startedAt)),
		webhooks: createWebhookDispatcher(opts.webhook || {}),
		recorder,
		requests: recorder.list,
		faults: createFaultSwitch({ modes: FAULT_MODES }),
		variants: createVariantSwitch(IMIN_VARIANTS, options.variants),
		validKeys: () => new Set([opts.apiKey, ...(opts.apiKeys || [])].filter(Boolean)),
		sim: undefined,
		selfFirehoseBase: undefined, // `${url}/firehose/`, known after listen
	};
	return s;
}

/** (Re)build the data: feeds, customers, orders (the order history once the simulator listens). */
function seed(s, overrides = {}) {
	for (const k of [
		'seed',
		'sessions',
		'series',
		'facilityUses',
		'slots',
		'syntheticItems',
		'pageSize',
	]) {
		if (overrides[k] !== undefined) s.opts[k] = Number(overrides[k]);
	}
	const o = s.opts;
	s.model = new IminModel({
		seed: o.seed,
		sessions: o.sessions,
		series: o.series,
		facilityUses: o.facilityUses,
		slots: o.slots,
		syntheticItems: o.syntheticItems,
		edgeMarginMs: o.edgeMarginMs,
		idBase: o.idBase === 'self' ? s.selfFirehoseBase : o.idBase,
		now: s.clock,
	});
	s.runtimeRng = new Rng(o.seed, 'runtime');
	s.customers = buildCustomers(s);
	s.checkoutSessions = new Map();
	s.orders = new Map();
	s.orderItemCounter = 1000 + new Rng(o.seed, 'order-items').int(0, 8000);
	s.receiptCounter = 1;
	if (s.sim) seedOrders(s);
}

/**
 * Start an imin simulator.
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string} [options.host='127.0.0.1']
 * @param {number} [options.seed=7]
 * @param {string} [options.apiKey='imin-test-key']  the X-API-KEY imin issued to the broker
 * @param {string[]} [options.apiKeys]  further accepted keys
 * @param {number} [options.sessions=400]  scheduled sessions (plus 2 deleted)
 * @param {number} [options.series=60]  session series (plus 2 deleted)
 * @param {number} [options.facilityUses=20]
 * @param {number} [options.slots=150]
 * @param {number} [options.pageSize=50]  RPDE items per page
 * @param {number} [options.syntheticItems=0]  > 0: scheduled-sessions serves this many items computed from their index
 * @param {{url?: string, apiKey?: string, targets?: object}} [options.webhook]  where imin's webhooks go, and the key it sends
 * @param {string} [options.brokerName='Acme Sports Finder']
 * @param {string} [options.brokerUrl='https://www.acmesportsfinder.example/']
 * @param {number|string} [options.now]  the clock's start (epoch ms or ISO); default Date.now()
 * @param {boolean} [options.freezeClock=false]  the clock stays at `now`
 * @param {number} [options.edgeMarginMs=7200000]  no generated start / window opening this close to the clock
 * @param {string} [options.idBase='https://firehose.imin.co/firehose/']  prefix of the items' `@id`s ('self': this simulator's firehoseBaseUrl)
 * @param {string} [options.publicUrl]  origin used in `next` / targets (default: from the Host header)
 * @param {boolean} [options.strictCustomerAccounts=false]  reject Customer Account IDs the simulator does not know
 * @param {boolean} [options.bookingsUpdateFeed=true]  a booking lowers capacity (a feed update; 0 -> flag false)
 * @param {number} [options.orderHistoryPageSize=10]
 * @param {boolean} [options.recordRequests=true]  keep sim.requests
 * @param {number} [options.maxRecordedRequests=5000]  the oldest go first
 * @param {Record<string,string>|string} [options.variants]  unverified contract points played (./variants.js)
 * @param {number} [options.recordBodyLimit=16384]  larger response bodies (and every RPDE page) are recorded as a summary
 */
async function startIminSimulator(options = {}) {
	const s = createState(options);
	const opts = s.opts;
	const { server, sockets } = createSimServer(s);
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
	const url = opts.publicUrl
		? String(opts.publicUrl).replace(/\/+$/, '')
		: `http://${hostForUrl}:${addr.port}`;
	s.selfFirehoseBase = `${url}/firehose/`;
	try {
		seed(s);
	} catch (e) {
		server.close();
		throw e;
	}
	const sim = simHandle(s, { url, port: addr.port, server, sockets });
	s.sim = sim;
	seedOrders(s);
	return sim;
}

/**
 * The handle startIminSimulator returns (`sim`): URLs, fixtures, the request record, the switches
 * (faults, variants, webhook delivery), bookings, the clock.
 * @param {import('./common').SimState} s
 */
function simHandle(s, { url, port, server, sockets }) {
	return {
		url,
		port,
		firehoseBaseUrl: `${url}/firehose/`,
		checkoutBaseUrl: url,
		bookBaseUrl: `${url}/api/v2/`,
		/** computed on access: samples and the bookable truth at the simulator's clock now */
		get fixtures() {
			return buildFixtures(s);
		},
		/** the bookable truth at `at` (Date, ISO or epoch ms; default the simulator's clock) */
		expectedBookable(at) {
			const ms = at === undefined ? s.clock() : at instanceof Date ? at.getTime() : toMs(at);
			return s.model.expected(ms, url);
		},
		/** recorded API requests: {method, path, url, query, headers (X-API-KEY '***'), body, status, responseBody, responseHeaders, at, durationMs, fault?} */
		requests: s.requests,
		/** the unverified contract points played (../lib/variants.js): variants.set({point: variant}), .reset(), .all() */
		variants: s.variants,
		clearRequests() {
			return s.recorder.clear();
		},
		/** {mode:'429'|'500'|'503'|'slow'|'drop', count?=1 (-1 forever), retryAfter?=1, delayMs?=1000, match?:{method?, pathPrefix?, path?}} or a list; null clears (test/sim/lib/faults.js) */
		setFaults(spec) {
			return s.faults.set(spec);
		},
		clearFaults() {
			s.faults.clear();
		},
		get faults() {
			return s.faults.list;
		},
		/** n changes at the end of the feeds (updates, deletes, additions); returns them */
		tick(n = 1) {
			return s.model.tick(n);
		},
		completeBooking: (input) => completeBooking(s, input),
		/** every delivery attempt: {id, event, url, headers (key '***'), body, status, attempt, copy, at, durationMs, error?, responseBody?} */
		webhookDeliveries: s.webhooks.deliveries,
		webhookProblems: s.webhooks.problems,
		clearWebhookDeliveries() {
			return s.webhooks.clearDeliveries();
		},
		/** {url?, apiKey?, targets?, repeat?, repeatDelayMs?, concurrent?, retryOnFailure?: {attempts, delayMs}, delayMs?, timeoutMs?} */
		setWebhookDelivery(spec) {
			return s.webhooks.configure(spec || {});
		},
		get webhookDelivery() {
			return s.webhooks.settings;
		},
		fireCustomerDetailChange: (input) => fireCustomerDetailChange(s, input),
		fireSellerOnboarding: (input) => fireSellerOnboarding(s, input),
		/**
		 * the stored items of a feed, in feed order (synthetic feeds: undefined)
		 * @param {string} name
		 * @returns {import('./model').FeedEntry[] | undefined}
		 */
		feedItems(name) {
			const f = s.model.feeds[name];
			if (!f) throw new Error(`unknown feed ${name}`);
			return f.synthetic ? undefined : f.list();
		},
		get orders() {
			return [...s.orders.values()];
		},
		get checkoutSessions() {
			return [...s.checkoutSessions.values()];
		},
		/** the simulator's clock (epoch ms) */
		now: () => s.clock(),
		/** move the clock (epoch ms, ISO or Date); it keeps running from there unless frozen */
		setNow(value) {
			const ms = value instanceof Date ? value.getTime() : toMs(value);
			if (!Number.isFinite(ms)) throw new Error(`not a date: ${value}`);
			s.anchor = ms;
			s.startedAt = Date.now();
			return ms;
		},
		stats() {
			return {
				...s.model.stats(),
				requestsRecorded: s.requests.length,
				orders: s.orders.size,
				checkoutSessions: s.checkoutSessions.size,
				webhookDeliveries: s.webhooks.deliveries.length,
				pendingWebhooks: s.webhooks.pending,
			};
		},
		/** re-generate (optionally another seed / sizes); faults, orders and checkout sessions go; requests, deliveries and webhook settings stay */
		reset(overrides) {
			seed(s, overrides || {});
			s.faults.clear();
		},
		idle(timeoutMs) {
			return s.webhooks.idle(timeoutMs);
		},
		close() {
			s.webhooks.close();
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			});
		},
	};
}

module.exports = { startIminSimulator, DEFAULT_API_KEY, CONTROL };
