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
 * Control endpoints (no auth, never recorded): see CONTROL below, and sim.* in the returned object.
 *
 * Decisions where imin.md is silent or marks things [UNK] (kept consistent everywhere):
 * - Firehose: 401 bodies are OpenActive-style errors (NoAPITokenError / InvalidAPITokenError);
 *   `/firehose/standard/<feed>` serves the same data as `/firehose/<feed>`; item ids are
 *   `<publisher>-<Kind>-<n>` and data `@id`s `https://firehose.imin.co/firehose/<feed>/<item id>`
 *   (option idBase); `modified` is an integer (epoch ms scale), ties are ordered by id; a bad
 *   cursor (afterTimestamp not an integer, afterId without afterTimestamp) is a 400.
 * - Bookability: ./bookability.js (§4.1; a missing validFromBeforeStartDate means no lower bound, as
 *   in §4.3). The data never makes §4.3's "extra guards" matter (cancelled or full => flag false).
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
 * - Slots: guest page at /v1/slots/:enc ([INF] in the contract); checkout sessions accept Slots.
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

const http = require('node:http');
const { IminModel, iso } = require('./model');
const { Rng } = require('../lib/prng');
const {
	createFaultSwitch,
	applyFault,
	createRecorder,
	redactHeaders,
	parseQuery,
	tryJson,
} = require('../lib/faults');
const B = require('./bookability');
const D = require('./data');
const C = require('./checkout');
const { createWebhookDispatcher } = require('./webhooks');
const { createVariantSwitch } = require('../lib/variants');
const { IMIN_VARIANTS } = require('./variants');

const FAULT_MODES = ['429', '500', '503', 'slow', 'drop'];
/** the error bodies of injected faults, by status */
const FAULT_ERRORS = {
	429: ['TooManyRequestsError', 'Rate limit exceeded.'],
	500: ['InternalApplicationError', 'Internal server error.'],
	503: ['TemporarilyUnavailableError', 'Service temporarily unavailable.'],
};
const LICENSE = 'https://creativecommons.org/licenses/by/4.0/';
const FEED_RE =
	/^\/firehose\/(standard\/)?(session-series|scheduled-sessions|facility-uses|slots)\/?$/;
const DEFAULT_API_KEY = 'imin-test-key';

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

class SimError extends Error {
	constructor(status, type, description) {
		super(description);
		this.status = status;
		this.body = C.errorBody(type, description);
	}
}

const toMs = (v) =>
	typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Date.parse(v);

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
	const opts = {
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
		...options,
	};
	opts.pageSize = Number(opts.pageSize);
	if (!Number.isInteger(opts.pageSize) || opts.pageSize < 1)
		throw new Error('pageSize must be a positive integer');
	let startedAt = Date.now();
	let anchor = opts.now === undefined ? startedAt : toMs(opts.now);
	if (!Number.isFinite(anchor)) throw new Error(`now is not a date: ${opts.now}`);
	const clock = () => (opts.freezeClock ? anchor : anchor + (Date.now() - startedAt));

	const webhooks = createWebhookDispatcher(opts.webhook || {});
	const recorder = createRecorder({
		max: opts.maxRecordedRequests,
		enabled: () => opts.recordRequests,
	});
	const requests = recorder.list;
	const faults = createFaultSwitch({ modes: FAULT_MODES });
	const variants = createVariantSwitch(IMIN_VARIANTS, options.variants);
	/** @type {import('./model').IminModel} */
	let model;
	/** @type {Rng} */
	let runtimeRng;
	let customers; // Map identifier -> Person
	let checkoutSessions; // Map id -> session
	let orders; // Map uuid -> order
	let orderItemCounter;
	let receiptCounter;
	let sim; // set after listen
	let selfFirehoseBase; // `${url}/firehose/`, known after listen

	const modelOptions = () => ({
		seed: opts.seed,
		sessions: opts.sessions,
		series: opts.series,
		facilityUses: opts.facilityUses,
		slots: opts.slots,
		syntheticItems: opts.syntheticItems,
		edgeMarginMs: opts.edgeMarginMs,
		idBase: opts.idBase === 'self' ? selfFirehoseBase : opts.idBase,
		now: clock,
	});
	const validKeys = () => new Set([opts.apiKey, ...(opts.apiKeys || [])].filter(Boolean));

	function randomCode(rng, n, alphabet) {
		let s = '';
		for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
		return s;
	}
	const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

	function buildCustomers() {
		const rng = new Rng(opts.seed, 'customers');
		const map = new Map();
		for (let i = 0; i < 3; i++) {
			const identifier = randomCode(rng, 8, BASE62);
			const givenName = rng.pick(D.GIVEN_NAMES);
			const familyName = rng.pick(D.FAMILY_NAMES);
			map.set(identifier, {
				type: 'Person',
				identifier,
				email:
					`${givenName}.${familyName}`
						.toLowerCase()
						.normalize('NFD')
						.replace(/[^a-z.]/g, '') + `+${identifier.toLowerCase()}@example.com`,
				givenName,
				familyName,
				telephone: `07700 9${rng.digits(5, '0')}`,
			});
		}
		return map;
	}

	function guestPerson(rng) {
		const givenName = rng.pick(D.GIVEN_NAMES);
		const familyName = rng.pick(D.FAMILY_NAMES);
		return {
			type: 'Person',
			email: `guest.${randomCode(rng, 6, 'abcdefghijklmnopqrstuvwxyz0123456789')}@example.com`,
			givenName,
			familyName,
		};
	}

	function seedOrders() {
		// order history for the first two customer accounts: past sessions, orderDate before their start
		const rng = new Rng(opts.seed, 'order-history');
		const accounts = [...customers.values()];
		const feed = model.feeds['scheduled-sessions'];
		const past = feed.synthetic
			? []
			: feed.updated().filter((e) => Date.parse(e.data.startDate) < clock());
		const pool = past.length ? past : feed.synthetic ? [] : feed.updated();
		const plan = [
			[accounts[0], 12],
			[accounts[1], 1],
		];
		for (const [person, count] of plan) {
			for (let i = 0; i < count && pool.length; i++) {
				const entry = rng.pick(pool);
				const parent = model.resolveParent('ScheduledSession', entry.data);
				const offers = [...model.offersFor('ScheduledSession', entry.data, parent).values()];
				const offer = offers.length
					? offers[0].offer
					: { '@id': `${entry.data.identifier}#/offers/0`, price: 5, priceCurrency: 'GBP' };
				const orderDate = iso(
					Date.parse(entry.data.startDate) - rng.int(1, 20) * 86400000 - rng.int(0, 86399) * 1000,
				);
				createOrder({
					lines: [
						{
							kind: 'ScheduledSession',
							data: entry.data,
							parent,
							offer,
							role: offers.length ? offers[0].role : 'offer',
						},
					],
					customer: { ...person },
					orderDate,
					rng,
				});
			}
		}
	}

	function seed(overrides = {}) {
		for (const k of [
			'seed',
			'sessions',
			'series',
			'facilityUses',
			'slots',
			'syntheticItems',
			'pageSize',
		]) {
			if (overrides[k] !== undefined) opts[k] = Number(overrides[k]);
		}
		model = new IminModel(modelOptions());
		runtimeRng = new Rng(opts.seed, 'runtime');
		customers = buildCustomers();
		checkoutSessions = new Map();
		orders = new Map();
		orderItemCounter = 1000 + new Rng(opts.seed, 'order-items').int(0, 8000);
		receiptCounter = 1;
		if (sim) seedOrders();
	}

	// -------------------------------------------------------------------------------------------
	// orders and bookings

	function createOrder({ lines, customer, orderDate, rng }) {
		const r = rng || runtimeRng;
		const uuid = r.uuid();
		const order = C.buildOrder({
			bookBaseUrl: sim.bookBaseUrl,
			uuid,
			confirmationNumber: randomCode(r, 8, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'),
			orderDate: orderDate || new Date(clock()).toISOString(),
			customer,
			broker: { name: opts.brokerName, url: opts.brokerUrl },
			lines,
			firstOrderItemNumber: orderItemCounter,
			receiptNumber: receiptCounter,
		});
		orderItemCounter += lines.length;
		receiptCounter += 1;
		orders.set(uuid, order);
		return order;
	}

	function personFor(customer, fallbackRng) {
		if (customer === undefined || customer === null) return guestPerson(fallbackRng);
		if (typeof customer === 'string') {
			const p = customers.get(customer);
			if (!p)
				throw new SimError(
					400,
					'IncompleteCustomerDetailsError',
					`No imin Customer Account "${customer}".`,
				);
			return { ...p };
		}
		if (typeof customer === 'object') {
			const missing = ['email', 'givenName', 'familyName'].filter(
				(k) => typeof customer[k] !== 'string' || customer[k].trim() === '',
			);
			if (missing.length)
				throw new SimError(
					400,
					'IncompleteCustomerDetailsError',
					`customer is missing ${missing.join(', ')}`,
				);
			const out = { type: 'Person' };
			if (customer.identifier !== undefined) out.identifier = customer.identifier;
			out.email = customer.email;
			out.givenName = customer.givenName;
			out.familyName = customer.familyName;
			if (customer.telephone) out.telephone = customer.telephone;
			return out;
		}
		throw new SimError(
			400,
			'IncompleteCustomerDetailsError',
			'customer must be a Customer Account ID or a Person',
		);
	}

	function checkBookable(opp, identifier, force) {
		if (!opp) throw C.notBookableError(identifier, null);
		const ev = B.evaluate(opp.data, opp.parent, clock());
		if (!ev.bookable && !force) throw C.notBookableError(identifier, ev);
		return ev;
	}

	function chooseOffer(opp, acceptedOffer) {
		const offers = model.offersFor(opp.kind, opp.data, opp.parent);
		if (acceptedOffer !== undefined) {
			const o = offers.get(acceptedOffer);
			if (!o)
				throw new C.CheckoutError(
					'UnknownOfferError',
					`The offer "${acceptedOffer}" is not an offer of "${opp.data.identifier}" (use the id of imin:aggregateOffer.publicAdult / publicJunior or of one of the parent's offers).`,
				);
			return o;
		}
		const adult = model.adultOf(opp.parent);
		if (adult && offers.has(B.idOf(adult))) return offers.get(B.idOf(adult));
		const first = offers.values().next().value;
		return (
			first || {
				id: `${opp.data.identifier}#/offers/0`,
				role: 'offer',
				offer: { '@id': `${opp.data.identifier}#/offers/0`, price: 0, priceCurrency: 'GBP' },
			}
		);
	}

	function finishBooking(lines, person) {
		const order = createOrder({ lines, customer: person });
		if (opts.bookingsUpdateFeed) {
			for (const l of lines) model.recordBooking(l.kind, l.itemId);
		}
		webhooks.send('success', successBody(order));
		return order;
	}

	/**
	 * The Success webhook's body for an order, as the `successShape` variant plays it (./variants.js):
	 * imin documents that the webhook is sent, not its payload
	 * (https://docs.imin.co/platform-products/firehose-and-checkout/loading-the-checkout-via-firehose).
	 */
	function successBody(order) {
		const copy = JSON.parse(JSON.stringify(order));
		switch (variants.get('successShape')) {
			case 'not-order':
				// a notification that names the order (its Booking Platform URL) and carries none of it
				return {
					'@context': 'https://openactive.io/',
					'@type': 'OrderNotification',
					order: { '@id': copy.id },
				};
			case 'no-ordered-item':
				delete copy.orderedItem;
				return copy;
			case 'wrapped':
				return { event: 'checkout.success', data: copy };
			default:
				return copy;
		}
	}

	/**
	 * Complete a booking (as if the booker paid on imin's Checkout) and fire the Success webhook.
	 * @param {{identifier?: string, type?: 'ScheduledSession'|'Slot', checkoutSessionId?: string,
	 *   customer?: string | {email: string, givenName: string, familyName: string, identifier?: string},
	 *   acceptedOffer?: string, force?: boolean}} input
	 */
	function completeBooking(input = {}) {
		if (input.checkoutSessionId !== undefined) {
			const session = checkoutSessions.get(String(input.checkoutSessionId));
			if (!session)
				throw new SimError(
					404,
					'NotFoundError',
					`No checkout session "${input.checkoutSessionId}".`,
				);
			if (session.status === 'completed')
				throw new SimError(
					409,
					'OrderAlreadyExistsError',
					`Checkout session "${session.id}" is already completed (order ${session.orderIdentifier}).`,
				);
			const lines = session.items.map((it) => {
				const opp = model.findOpportunity(it.type, it.identifier);
				checkBookable(opp, it.identifier, input.force);
				const offer = chooseOffer(opp, it.acceptedOffer);
				return {
					kind: opp.kind,
					itemId: opp.entry.id,
					data: opp.data,
					parent: opp.parent,
					offer: offer.offer,
					role: offer.role,
					attendee: it.attendee,
				};
			});
			const person =
				input.customer !== undefined
					? personFor(input.customer, runtimeRng)
					: session.customerPerson
						? { ...session.customerPerson }
						: personFor(session.customerAccountId, runtimeRng);
			if (session.customerAccountId && person.identifier === undefined)
				person.identifier = session.customerAccountId;
			const order = finishBooking(lines, person);
			session.status = 'completed';
			session.orderIdentifier = order.identifier;
			return JSON.parse(JSON.stringify(order));
		}
		if (input.identifier === undefined || input.identifier === null || input.identifier === '') {
			throw new SimError(
				400,
				'InvalidRequestError',
				'identifier (the opportunity data.identifier) or checkoutSessionId is required',
			);
		}
		const identifier = String(input.identifier);
		const opp = input.type
			? model.findOpportunity(input.type, identifier)
			: model.findOpportunity('ScheduledSession', identifier) ||
				model.findOpportunity('Slot', identifier);
		checkBookable(opp, identifier, input.force);
		const offer = chooseOffer(opp, input.acceptedOffer);
		const person = personFor(input.customer, runtimeRng);
		const order = finishBooking(
			[
				{
					kind: opp.kind,
					itemId: opp.entry.id,
					data: opp.data,
					parent: opp.parent,
					offer: offer.offer,
					role: offer.role,
				},
			],
			person,
		);
		return JSON.parse(JSON.stringify(order));
	}

	function fireCustomerDetailChange(input = {}) {
		const identifier =
			input.identifier === undefined ? [...customers.keys()][0] : String(input.identifier);
		if (!identifier) throw new SimError(400, 'InvalidRequestError', 'identifier is required');
		const body = {
			'@context': 'https://openactive.io/',
			'@type': 'CustomerAccount',
			'@id': `${sim.bookBaseUrl}customer-accounts/${identifier}`,
			identifier,
		};
		const target = { url: input.url, apiKey: input.apiKey };
		if (variants.get('customerDetailChange') === 'twice-different') {
			// Two real changes of one customer (one webhook "may cover" several, and several may follow one
			// another: https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks):
			// same @id and identifier, different content (when each change happened); the second is sent
			// after the first.
			const at = clock();
			const bodies = [0, 1].map((i) => ({
				...body,
				dateModified: new Date(at + i * 1000).toISOString(),
			}));
			const scheduled =
				webhooks.send('customer-detail-change', bodies[0], target) +
				webhooks.send('customer-detail-change', bodies[1], target, { delayMs: 300 });
			return { body: bodies[0], bodies, scheduled };
		}
		const scheduled = webhooks.send('customer-detail-change', body, target);
		return { body, bodies: [body], scheduled };
	}

	function fireSellerOnboarding(input = {}) {
		const action = String(input.action || 'create').toLowerCase();
		const types = { create: 'CreateAction', update: 'UpdateAction', delete: 'DeleteAction' };
		if (!types[action])
			throw new SimError(400, 'InvalidRequestError', 'action must be create, update or delete');
		const sellerId =
			input.sellerId === undefined ? D.PUBLISHERS[0].sellerId : String(input.sellerId);
		const body = {
			context: ['https://schema.org', 'https://imin.co'],
			type: types[action],
			agent: { type: 'Organization', id: sellerId },
		};
		if (action === 'delete') body.object = { type: 'imin:SellerOnboard' };
		else
			body.result = {
				type: 'imin:SellerOnboard',
				'imin:stripeNeeded': input.stripeNeeded === undefined ? false : !!input.stripeNeeded,
				'imin:termsAgreed': input.termsAgreed === undefined ? true : !!input.termsAgreed,
			};
		const scheduled = webhooks.send('seller-onboarding', body, {
			url: input.url,
			apiKey: input.apiKey,
		});
		return { body, scheduled };
	}

	// -------------------------------------------------------------------------------------------
	// fixtures

	/**
	 * One sample opportunity with its parent and its bookability now. The shape is the same for every
	 * sample (null where it does not apply, e.g. a deleted item has no identifier); null when the
	 * simulator was started too small to have this sample.
	 */
	function sampleOf(kind, itemId) {
		if (!itemId) return null;
		const feedName = kind === 'Slot' ? 'slots' : 'scheduled-sessions';
		const feed = model.feeds[feedName];
		const entry = feed.synthetic ? undefined : feed.get(itemId);
		if (!entry) return null;
		const data = entry.data;
		const parent = data ? model.resolveParent(kind, data) : undefined;
		const ev = data
			? B.evaluate(data, parent, clock())
			: { bookable: false, reason: 'deleted', reasons: ['deleted'], windowOpensAt: null };
		const ref = data ? (kind === 'Slot' ? data.facilityUse : data.superEvent) : undefined;
		const adult = model.adultOf(parent);
		const junior =
			parent && parent['imin:aggregateOffer']
				? parent['imin:aggregateOffer'].publicJunior
				: undefined;
		const offerRef =
			B.idOf(adult) ||
			B.idOf(junior) ||
			(parent && Array.isArray(parent.offers) && parent.offers[0]
				? B.idOf(parent.offers[0])
				: undefined);
		const identifier = data ? String(data.identifier) : null;
		return {
			/** the RPDE item id */
			id: entry.id,
			/** the data `@id` (or `id`) */
			dataId: data ? String(B.idOf(data)) : null,
			type: kind,
			state: entry.state,
			modified: entry.modified,
			identifier,
			encodedIdentifier: identifier === null ? null : encodeURIComponent(identifier),
			guestUrl:
				identifier === null
					? null
					: `${sim.checkoutBaseUrl}/v1/${kind === 'Slot' ? 'slots' : 'scheduled-sessions'}/${encodeURIComponent(identifier)}`,
			startDate: data ? String(data.startDate) : null,
			parentId: ref === undefined ? null : String(typeof ref === 'string' ? ref : B.idOf(ref)),
			parentEmbedded: !!ref && typeof ref === 'object',
			/** publicAdult id, else publicJunior id, else the parent's first offer */
			acceptedOffer: offerRef === undefined ? null : String(offerRef),
			bookable: ev.bookable,
			/** first failing rule (bookability.js REASONS), null when bookable */
			reason: ev.reason,
			reasons: ev.reasons,
			windowOpensAt: ev.windowOpensAt,
			item: JSON.parse(JSON.stringify(entry)),
			parent: parent ? JSON.parse(JSON.stringify(parent)) : null,
		};
	}

	function samples(kind, designated) {
		const s = (name) => sampleOf(kind, designated[name]);
		/** @type {Record<string, ReturnType<typeof sampleOf>>} */
		const byPublisher = {};
		for (const p of D.PUBLISHERS) byPublisher[p.key] = s(`bookable:${p.key}`);
		return {
			bookable: s('bookable:fusion-lifestyle'),
			byPublisher,
			notBookable: {
				'occurrence-not-bookable': s('occurrenceNotBookable'),
				'parent-not-bookable': s('parentNotBookable'),
				'children-only': s('childrenOnly'),
				'window-not-open': s('windowNotOpen'),
				'already-started': s('alreadyStarted'),
				'parent-missing': s('parentMissing'),
			},
			variants: {
				underscoreFlag: s('underscoreFlag'),
				underscoreParentFlag: s('underscoreParentFlag'),
				plainSpelling: s('plainSpelling'),
				plainParent: s('plainParent'),
				embeddedParent: s('embeddedParent'),
				noWindow: s('noWindow'),
				twelveHourWindow: s('twelveHourWindow'),
				cancelled: s('cancelled'),
				parentDeleted: s('parentDeleted'),
				bookableAggregate: s('bookableAggregate'),
			},
			specialCharacters: {
				colonAndSlash: byPublisher['acme-leisure'],
				queryString: byPublisher['riverside-trust'],
				spaceAndHash: byPublisher['parkside-clubs'],
				percent: byPublisher['northgate-sports'],
				unicodeAndPlus: byPublisher.cafesports,
			},
			deleted: s('deleted'),
			unknownIdentifier:
				kind === 'Slot'
					? 'https://opendata.fusion-lifestyle.com/OpenActive/api/slots/0000000'
					: 'https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/0000000',
		};
	}

	function feedInfo() {
		/** @type {Record<string, {kind: string, url: string, standardUrl: string, items: number, updated: number, deleted: number, synthetic?: boolean, lastModified: number}>} */
		const out = {};
		for (const name of D.FEED_NAMES) {
			const f = model.feeds[name];
			out[name] = {
				kind: f.kind,
				url: `${sim.firehoseBaseUrl}${name}`,
				standardUrl: `${sim.firehoseBaseUrl}standard/${name}`,
				...f.counts(),
				lastModified: f.maxModified(),
			};
		}
		return out;
	}

	function buildFixtures() {
		const nowMs = clock();
		const accounts = [...customers.values()].map((p) => ({
			...p,
			id: `${sim.bookBaseUrl}customer-accounts/${p.identifier}`,
			orders: [...orders.values()].filter((o) => o.customer.identifier === p.identifier).length,
		}));
		const orderList = [...orders.values()];
		const historyOrder = orderList.find(
			(o) => accounts[0] && o.customer.identifier === accounts[0].identifier,
		);
		const webhookTarget = webhooks.targetFor('success');
		return {
			seed: opts.seed,
			now: new Date(nowMs).toISOString(),
			apiKey: opts.apiKey,
			invalidApiKey: `${opts.apiKey}-wrong`,
			apiKeyHeader: 'X-API-KEY',
			broker: { name: opts.brokerName, url: opts.brokerUrl },
			webhook: {
				url: webhookTarget.url || null,
				apiKey: webhookTarget.apiKey || null,
				header: 'X-Api-Key',
			},
			url: sim.url,
			firehoseBaseUrl: sim.firehoseBaseUrl,
			standardFirehoseBaseUrl: `${sim.firehoseBaseUrl}standard/`,
			checkoutBaseUrl: sim.checkoutBaseUrl,
			checkoutSessionsUrl: `${sim.checkoutBaseUrl}/api/checkout-sessions/`,
			bookBaseUrl: sim.bookBaseUrl,
			pageSize: opts.pageSize,
			syntheticItems: opts.syntheticItems,
			idBase: model.idBase,
			feeds: feedInfo(),
			scheduledSessions: samples('ScheduledSession', model.designated.sessions),
			slots: samples('Slot', model.designated.slots),
			series: { ...model.designated.series },
			facilityUses: { ...model.designated.facilityUses },
			ghostSeriesId: model.ghostSeriesId,
			sellers: D.PUBLISHERS.map((p) => ({ id: p.sellerId, name: p.name, url: p.url })),
			customerAccounts: accounts,
			orders: {
				customerIdentifier: accounts[0] ? accounts[0].identifier : null,
				count: historyOrder
					? orderList.filter((o) => o.customer.identifier === accounts[0].identifier).length
					: 0,
				sampleOrderId: historyOrder ? historyOrder.identifier : null,
				sampleOrderUrl: historyOrder ? historyOrder.id : null,
				pageSize: opts.orderHistoryPageSize,
			},
			expected: model.expected(nowMs, sim.checkoutBaseUrl),
		};
	}

	// -------------------------------------------------------------------------------------------
	// HTTP

	function requireKey(headers, optional) {
		const key = headers['x-api-key'];
		if (key === undefined || key === '') {
			if (optional) return;
			throw new SimError(
				401,
				'NoAPITokenError',
				'An API key is required: send it in the X-API-KEY header.',
			);
		}
		if (Array.isArray(key) || !validKeys().has(key))
			throw new SimError(401, 'InvalidAPITokenError', 'The API key in X-API-KEY is not valid.');
	}

	function originOf(req) {
		if (opts.publicUrl) return String(opts.publicUrl).replace(/\/+$/, '');
		return req.headers.host ? `http://${req.headers.host}` : sim.url;
	}

	const json = (status, body, headers = {}) => ({ status, body, headers, type: 'json' });
	const html = (status, text, headers = {}) => ({ status, text, headers, type: 'html' });

	function firehose(req, m, query, rawUrl) {
		const feed = model.feeds[m[2]];
		const origin = originOf(req);
		let afterTimestamp;
		let afterId;
		if (query.afterTimestamp !== undefined) {
			if (Array.isArray(query.afterTimestamp) || !/^\d+$/.test(query.afterTimestamp)) {
				throw new SimError(
					400,
					'InvalidRequestError',
					'afterTimestamp must be an integer (take the next URL as given).',
				);
			}
			afterTimestamp = Number(query.afterTimestamp);
		}
		if (query.afterId !== undefined) {
			if (Array.isArray(query.afterId))
				throw new SimError(400, 'InvalidRequestError', 'afterId is given more than once.');
			if (afterTimestamp === undefined)
				throw new SimError(
					400,
					'InvalidRequestError',
					'afterId needs afterTimestamp (take the next URL as given).',
				);
			afterId = query.afterId;
		}
		const items = feed.page(afterTimestamp, afterId, opts.pageSize);
		const pathname = rawUrl.split('?')[0];
		let next;
		if (items.length === 0) {
			next = `${origin}${rawUrl}`;
		} else {
			const last = items[items.length - 1];
			next = `${origin}${pathname}?afterTimestamp=${last.modified}&afterId=${encodeURIComponent(last.id)}`;
		}
		return json(
			200,
			{ next, items, license: LICENSE },
			{ 'cache-control': items.length ? 'public, max-age=3600' : 'public, max-age=8' },
		);
	}

	function guestRoute(req, method, rawPath, type, prefix, rawBody) {
		let rest = rawPath.slice(prefix.length);
		const book = method === 'POST' && rest.endsWith('/book');
		if (book) rest = rest.slice(0, -'/book'.length);
		if (method !== 'GET' && !book)
			return html(405, C.notFoundPage('Method not allowed.'), { allow: 'GET' });
		if (rest === '' || rest.includes('/'))
			return html(
				404,
				C.notFoundPage(
					'No such checkout page (the identifier must be URI-encoded as ONE path segment).',
				),
			);
		let identifier;
		try {
			identifier = decodeURIComponent(rest);
		} catch {
			return html(
				404,
				C.notFoundPage('The identifier in the URL is not correctly percent-encoded.'),
			);
		}
		const opp = model.findOpportunity(type, identifier);
		if (!opp)
			return html(
				404,
				C.notFoundPage(`No ${type} with identifier ${identifier} is in the Firehose.`),
			);
		const ev = B.evaluate(opp.data, opp.parent, clock());
		if (!ev.bookable)
			return html(404, C.notFoundPage(`${identifier} is not bookable: ${B.describe(ev.reason)}.`));
		const offer = chooseOffer(opp);
		if (book) {
			const form = Object.fromEntries(new URLSearchParams(rawBody || ''));
			try {
				const order = completeBooking({
					identifier,
					type,
					customer: { email: form.email, givenName: form.givenName, familyName: form.familyName },
				});
				return html(201, C.confirmationPage({ brokerName: opts.brokerName, order }));
			} catch (e) {
				if (e && e.body) return html(e.status || 400, C.notFoundPage(e.body.description));
				throw e;
			}
		}
		return html(
			200,
			C.guestPage({
				brokerName: opts.brokerName,
				kind: opp.kind,
				data: opp.data,
				parent: opp.parent,
				offer: offer.offer,
				formAction: `${prefix}${rest}/book`,
			}),
		);
	}

	function createCheckoutSession(req, headers, rawBody) {
		requireKey(headers, true);
		let body;
		try {
			body = rawBody === undefined || rawBody.trim() === '' ? undefined : JSON.parse(rawBody);
		} catch (e) {
			throw new C.CheckoutError(
				'InvalidRequestError',
				`The request body is not valid JSON: ${e.message}`,
			);
		}
		const v = C.validateCheckoutRequest(body, {
			customerAccounts: customers,
			strictCustomerAccounts: opts.strictCustomerAccounts,
		});
		const resolved = v.orderedItems.map((it) => {
			const opp = model.findOpportunity(it.type, it.identifier);
			checkBookable(opp, it.identifier, false);
			chooseOffer(opp, it.acceptedOffer);
			return it;
		});
		let id;
		do id = randomCode(runtimeRng, 14, BASE62);
		while (checkoutSessions.has(id));
		const origin = originOf(req);
		const response = JSON.parse(JSON.stringify(body));
		response.potentialAction = [
			{ type: 'OrderAction', name: 'Checkout', target: `${origin}/opendata/${id}` },
		];
		const session = {
			id,
			createdAt: new Date(clock()).toISOString(),
			status: 'open',
			request: body,
			response,
			items: resolved,
			customerAccountId: v.customer.accountId,
			customerPerson: v.customer.person
				? personFor(v.customer.person)
				: v.customer.accountId && customers.has(v.customer.accountId)
					? { ...customers.get(v.customer.accountId) }
					: undefined,
		};
		checkoutSessions.set(id, session);
		return json(201, response, { location: `/checkout-sessions/${id}` });
	}

	function sessionLines(session) {
		return session.items.map((it) => {
			const opp = model.findOpportunity(it.type, it.identifier);
			if (!opp)
				return {
					kind: it.type,
					data: { identifier: it.identifier, startDate: '' },
					parent: undefined,
					offer: undefined,
				};
			const offers = model.offersFor(opp.kind, opp.data, opp.parent);
			return {
				kind: opp.kind,
				data: opp.data,
				parent: opp.parent,
				offer: offers.get(it.acceptedOffer) && offers.get(it.acceptedOffer).offer,
			};
		});
	}

	function ordersCollection(req, query) {
		const customerIdentifier = query.customerIdentifier;
		if (typeof customerIdentifier !== 'string' || customerIdentifier === '')
			throw new SimError(400, 'InvalidRequestError', 'customerIdentifier is required.');
		const pageText = query.page === undefined ? '1' : query.page;
		if (typeof pageText !== 'string' || !/^[1-9]\d*$/.test(pageText))
			throw new SimError(400, 'InvalidRequestError', 'page must be a positive integer.');
		const page = Number(pageText);
		const size = opts.orderHistoryPageSize;
		const all = [...orders.values()]
			.filter((o) => o.customer.identifier === customerIdentifier)
			.sort((a, b) => (a.orderDate < b.orderDate ? 1 : a.orderDate > b.orderDate ? -1 : 0));
		const totalPages = Math.max(1, Math.ceil(all.length / size));
		const base = `${sim.bookBaseUrl}orders?customerIdentifier=${encodeURIComponent(customerIdentifier)}&page=`;
		const view = {
			type: 'PartialCollectionView',
			id: `${base}${page}`,
			first: `${base}1`,
			last: `${base}${totalPages}`,
			urlTemplate: `${base}{page}`,
			'imin:currentPage': page,
			'imin:itemsPerPage': size,
			'imin:totalPages': totalPages,
		};
		if (page < totalPages) view.next = `${base}${page + 1}`;
		if (page > 1) view.previous = `${base}${Math.min(page - 1, totalPages)}`;
		return json(200, {
			'@context': ['https://openactive.io/', 'https://openactive.io/ns-beta'],
			type: 'imin:RestrictedCollection',
			'imin:totalItems': all.length,
			view,
			'imin:item': all.slice((page - 1) * size, page * size),
		});
	}

	/** One API request -> {status, body|text, headers, type}. */
	function handleApi(req, method, rawUrl, rawPath, query, headers, rawBody) {
		const m = FEED_RE.exec(rawPath);
		if (m) {
			if (method !== 'GET' && method !== 'HEAD')
				throw new SimError(405, 'MethodNotAllowedError', 'Firehose feeds are read with GET.');
			requireKey(headers, false);
			return firehose(req, m, query, rawUrl);
		}
		if (rawPath.startsWith('/v1/scheduled-sessions/'))
			return guestRoute(
				req,
				method,
				rawPath,
				'ScheduledSession',
				'/v1/scheduled-sessions/',
				rawBody,
			);
		if (rawPath.startsWith('/v1/slots/'))
			return guestRoute(req, method, rawPath, 'Slot', '/v1/slots/', rawBody);
		if (rawPath === '/api/checkout-sessions' || rawPath === '/api/checkout-sessions/') {
			if (method !== 'POST')
				throw new SimError(405, 'MethodNotAllowedError', 'Create a checkout session with POST.');
			return createCheckoutSession(req, headers, rawBody);
		}
		let mm = /^\/(?:api\/)?checkout-sessions\/([^/]+)$/.exec(rawPath);
		if (mm && method === 'GET') {
			requireKey(headers, true);
			const s = checkoutSessions.get(decodeURIComponent(mm[1]));
			if (!s) throw new SimError(404, 'NotFoundError', 'No such checkout session.');
			return json(200, { ...s.response, 'imin:checkoutSessionStatus': s.status });
		}
		mm = /^\/opendata\/([^/]+)$/.exec(rawPath);
		if (mm) {
			const s = checkoutSessions.get(decodeURIComponent(mm[1]));
			if (!s) return html(404, C.notFoundPage('No such checkout session.'));
			if (method === 'POST') {
				try {
					const order = completeBooking({ checkoutSessionId: s.id });
					return html(201, C.confirmationPage({ brokerName: opts.brokerName, order }));
				} catch (e) {
					if (e && e.body) return html(e.status || 400, C.notFoundPage(e.body.description));
					throw e;
				}
			}
			if (method !== 'GET') return html(405, C.notFoundPage('Method not allowed.'));
			return html(
				200,
				C.sessionPage({
					brokerName: opts.brokerName,
					session: s,
					lines: sessionLines(s),
					formAction: `/opendata/${s.id}`,
				}),
			);
		}
		if (rawPath === '/api/v2/orders' || rawPath === '/api/v2/orders/') {
			if (method !== 'GET') throw new SimError(405, 'MethodNotAllowedError', 'GET only.');
			requireKey(headers, false);
			return ordersCollection(req, query);
		}
		mm = /^\/api\/v2\/orders\/([^/]+)$/.exec(rawPath);
		if (mm) {
			if (method !== 'GET')
				throw new SimError(
					405,
					'MethodNotAllowedError',
					'GET only (cancellation is not simulated).',
				);
			requireKey(headers, false);
			const order = orders.get(decodeURIComponent(mm[1]));
			if (!order)
				throw new SimError(404, 'UnknownOrderError', `No order "${decodeURIComponent(mm[1])}".`);
			return json(200, order);
		}
		mm = /^\/api\/v2\/customer-accounts\/([^/]+)$/.exec(rawPath);
		if (mm) {
			if (method !== 'GET') throw new SimError(405, 'MethodNotAllowedError', 'GET only.');
			requireKey(headers, false);
			const identifier = decodeURIComponent(mm[1]);
			const p = customers.get(identifier);
			if (!p) throw new SimError(404, 'NotFoundError', `No customer account "${identifier}".`);
			const customer = {
				'@type': 'Person',
				email: p.email,
				givenName: p.givenName,
				familyName: p.familyName,
				telephone: p.telephone,
			};
			return json(200, {
				'@context': 'https://openactive.io/',
				'@type': 'CustomerAccount',
				'@id': `${sim.bookBaseUrl}customer-accounts/${identifier}`,
				identifier,
				customer,
			});
		}
		throw new SimError(404, 'NotFoundError', `No route for ${method} ${rawPath}.`);
	}

	function serialise(result) {
		if (result.type === 'html')
			return { text: result.text, contentType: 'text/html; charset=utf-8' };
		if (result.body === undefined) return { text: '', contentType: undefined };
		return { text: JSON.stringify(result.body), contentType: 'application/json; charset=utf-8' };
	}

	/**
	 * What a request record keeps of the answer. RPDE pages are kept as a summary (they can be
	 * fetched again; keeping them whole would make a long walk hold the whole feed), other bodies
	 * whole up to recordBodyLimit characters.
	 */
	function recordedBody(result, text) {
		if (result.type === 'html')
			return text.length > opts.recordBodyLimit ? `${text.slice(0, opts.recordBodyLimit)}…` : text;
		const b = result.body;
		const isPage =
			b && typeof b === 'object' && Array.isArray(b.items) && typeof b.next === 'string';
		if (!isPage && text.length <= opts.recordBodyLimit)
			return b === undefined ? undefined : JSON.parse(text);
		const summary = { '@sim:summary': true, bytes: Buffer.byteLength(text) };
		if (isPage) {
			const first = b.items[0];
			const last = b.items[b.items.length - 1];
			Object.assign(summary, {
				next: b.next,
				license: b.license,
				itemCount: b.items.length,
				firstItem: first ? { id: first.id, modified: first.modified } : null,
				lastItem: last ? { id: last.id, modified: last.modified } : null,
			});
		}
		return summary;
	}

	const sockets = new Set();

	function write(res, status, headers, text) {
		const h = { ...headers };
		h['content-length'] = Buffer.byteLength(text || '');
		res.writeHead(status, h);
		res.end(text || '');
	}

	// control (no auth, not recorded)
	function control(req, res, url, rawBody) {
		const parts = url.pathname.split('/').filter(Boolean);
		const method = req.method;
		const reply = (status, body) =>
			write(
				res,
				status,
				{ 'content-type': 'application/json; charset=utf-8' },
				JSON.stringify(body),
			);
		const bodyOf = () => {
			if (rawBody === undefined || rawBody.trim() === '') return {};
			const b = tryJson(rawBody);
			if (b === undefined)
				throw new SimError(400, 'InvalidRequestError', 'control body is not JSON');
			return b;
		};
		try {
			const p1 = parts[1];
			if (p1 === 'health' && method === 'GET') return reply(200, { ok: true });
			if (p1 === 'stats' && method === 'GET') return reply(200, sim.stats());
			if ((p1 === 'fixtures' || p1 === undefined) && method === 'GET')
				return reply(200, p1 ? buildFixtures() : { control: CONTROL });
			if (p1 === 'expected' && parts[2] === 'bookable' && method === 'GET') {
				const at = url.searchParams.get('at');
				const ms = at ? toMs(at) : clock();
				if (!Number.isFinite(ms))
					throw new SimError(400, 'InvalidRequestError', 'at must be an ISO date or epoch ms');
				return reply(200, model.expected(ms, sim.checkoutBaseUrl));
			}
			if (p1 === 'requests' && parts.length === 2) {
				if (method === 'GET') {
					const prefix = url.searchParams.get('pathPrefix');
					return reply(200, prefix ? requests.filter((r) => r.path.startsWith(prefix)) : requests);
				}
				if (method === 'DELETE') return reply(200, { cleared: sim.clearRequests() });
			}
			if (p1 === 'faults' && parts.length === 2) {
				const answer = faults.control(method, rawBody);
				if (answer) return reply(answer.status, answer.body);
			}
			if (p1 === 'variants' && parts.length === 2) {
				const answer = variants.control(method, rawBody);
				return reply(answer.status, answer.body);
			}
			if (p1 === 'tick' && method === 'POST') {
				const n = bodyOf().n === undefined ? 1 : Number(bodyOf().n);
				if (!Number.isInteger(n) || n < 0 || n > 100000)
					throw new SimError(400, 'InvalidRequestError', 'n must be an integer >= 0');
				return reply(200, { changes: sim.tick(n) });
			}
			if (p1 === 'bookings' && parts.length === 2 && method === 'POST')
				return reply(201, completeBooking(bodyOf()));
			if (
				p1 === 'checkout-sessions' &&
				parts.length === 4 &&
				parts[3] === 'complete' &&
				method === 'POST'
			) {
				return reply(
					201,
					completeBooking({ ...bodyOf(), checkoutSessionId: decodeURIComponent(parts[2]) }),
				);
			}
			if (p1 === 'checkout-sessions' && parts.length === 2 && method === 'GET')
				return reply(200, [...checkoutSessions.values()]);
			if (p1 === 'orders' && parts.length === 2 && method === 'GET')
				return reply(200, [...orders.values()]);
			if (p1 === 'feeds' && parts.length === 3 && method === 'GET') {
				const f = model.feeds[parts[2]];
				if (!f) throw new SimError(404, 'NotFoundError', 'unknown feed');
				if (f.synthetic) return reply(200, { synthetic: true, items: f.size });
				return reply(200, f.list());
			}
			if (p1 === 'webhook-delivery' && parts.length === 2) {
				if (method === 'POST') return reply(200, { settings: sim.setWebhookDelivery(bodyOf()) });
				if (method === 'DELETE') return reply(200, { settings: webhooks.resetBehaviour() });
				if (method === 'GET')
					return reply(200, {
						settings: webhooks.settings,
						pending: webhooks.pending,
						problems: webhooks.problems,
					});
			}
			if (p1 === 'webhook-deliveries' && parts.length === 2) {
				const filter = () => {
					const ev = url.searchParams.get('event');
					return ev ? webhooks.deliveries.filter((d) => d.event === ev) : webhooks.deliveries;
				};
				if (method === 'GET') {
					const wait = url.searchParams.get('wait');
					if (wait && wait !== '0' && wait !== 'false') {
						webhooks.idle(10000).then((idle) => {
							if (!res.writableEnded)
								write(
									res,
									200,
									{ 'content-type': 'application/json; charset=utf-8', 'x-sim-idle': String(idle) },
									JSON.stringify(filter()),
								);
						});
						return undefined;
					}
					return reply(200, filter());
				}
				if (method === 'DELETE') return reply(200, { cleared: webhooks.clearDeliveries() });
			}
			if (p1 === 'customer-detail-change' && method === 'POST')
				return reply(202, fireCustomerDetailChange(bodyOf()));
			if (p1 === 'seller-onboarding' && method === 'POST')
				return reply(202, fireSellerOnboarding(bodyOf()));
			if (p1 === 'clock') {
				if (method === 'POST') {
					const b = bodyOf();
					if (b.now !== undefined) sim.setNow(b.now);
					if (b.freeze !== undefined) opts.freezeClock = !!b.freeze;
				}
				if (method === 'POST' || method === 'GET')
					return reply(200, { now: new Date(clock()).toISOString(), frozen: !!opts.freezeClock });
			}
			if (p1 === 'reset' && method === 'POST') {
				sim.reset(bodyOf());
				return reply(200, { ok: true });
			}
			return reply(404, {
				error: `unknown control endpoint ${method} ${url.pathname}`,
				control: CONTROL,
			});
		} catch (e) {
			if (e && e.body && e.status) return reply(e.status, e.body);
			return reply(400, { error: String((e && e.message) || e) });
		}
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rawBody = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
			const rawUrl = req.url || '/';
			const rawPath = rawUrl.split('?')[0];
			const url = new URL(rawUrl, 'http://sim.local');
			if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
				control(req, res, url, rawBody);
				return;
			}
			const method = String(req.method).toUpperCase();
			const query = parseQuery(url.search);
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
			const bodyJson = tryJson(rawBody);
			const record = recorder.start({
				method,
				path: rawPath,
				url: rawUrl,
				query,
				headers: redactHeaders(headers, ['x-api-key', 'authorization', 'cookie']),
				body: bodyJson !== undefined ? bodyJson : rawBody,
				responseBody: undefined,
				responseHeaders: {},
			});
			const finish = (result) => {
				const { text, contentType } = serialise(result);
				const h = { ...result.headers };
				if (contentType) h['content-type'] = contentType;
				recorder.finish(record, {
					status: result.status,
					responseHeaders: h,
					responseBody: recordedBody(result, text),
				});
				write(res, result.status, h, method === 'HEAD' ? '' : text);
			};
			const run = () => {
				let result;
				try {
					result = handleApi(req, method, rawUrl, rawPath, query, headers, rawBody);
				} catch (e) {
					if (e && e.body && e.status) result = json(e.status, e.body);
					else {
						record.error = String((e && e.stack) || e);
						result = json(
							500,
							C.errorBody('InternalApplicationError', 'The simulator failed on this request.'),
						);
					}
				}
				finish(result);
			};
			const fault = faults.take(method, rawPath);
			if (!fault) return run();
			record.fault = fault.mode;
			applyFault(fault, {
				run,
				socket: req.socket,
				onDrop: () => recorder.finish(record),
				answer: (status, faultHeaders) =>
					finish(json(status, C.errorBody(...FAULT_ERRORS[status]), faultHeaders)),
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
	const url = opts.publicUrl
		? String(opts.publicUrl).replace(/\/+$/, '')
		: `http://${hostForUrl}:${addr.port}`;
	selfFirehoseBase = `${url}/firehose/`;
	try {
		seed();
	} catch (e) {
		server.close();
		throw e;
	}

	sim = {
		url,
		port: addr.port,
		firehoseBaseUrl: `${url}/firehose/`,
		checkoutBaseUrl: url,
		bookBaseUrl: `${url}/api/v2/`,
		/** computed on access: samples and the bookable truth at the simulator's clock now */
		get fixtures() {
			return buildFixtures();
		},
		/** the bookable truth at `at` (Date, ISO or epoch ms; default the simulator's clock) */
		expectedBookable(at) {
			const ms = at === undefined ? clock() : at instanceof Date ? at.getTime() : toMs(at);
			return model.expected(ms, url);
		},
		/** recorded API requests: {method, path, url, query, headers (X-API-KEY '***'), body, status, responseBody, responseHeaders, at, durationMs, fault?} */
		requests,
		/** the unverified contract points played (../lib/variants.js): variants.set({point: variant}), .reset(), .all() */
		variants,
		clearRequests() {
			return recorder.clear();
		},
		/** {mode:'429'|'500'|'503'|'slow'|'drop', count?=1 (-1 forever), retryAfter?=1, delayMs?=1000, match?:{method?, pathPrefix?, path?}} or a list; null clears (test/sim/lib/faults.js) */
		setFaults(spec) {
			return faults.set(spec);
		},
		clearFaults() {
			faults.clear();
		},
		get faults() {
			return faults.list;
		},
		/** n changes at the end of the feeds (updates, deletes, additions); returns them */
		tick(n = 1) {
			return model.tick(n);
		},
		completeBooking,
		/** every delivery attempt: {id, event, url, headers (key '***'), body, status, attempt, copy, at, durationMs, error?, responseBody?} */
		webhookDeliveries: webhooks.deliveries,
		webhookProblems: webhooks.problems,
		clearWebhookDeliveries() {
			return webhooks.clearDeliveries();
		},
		/** {url?, apiKey?, targets?, repeat?, repeatDelayMs?, concurrent?, retryOnFailure?: {attempts, delayMs}, delayMs?, timeoutMs?} */
		setWebhookDelivery(spec) {
			return webhooks.configure(spec || {});
		},
		get webhookDelivery() {
			return webhooks.settings;
		},
		fireCustomerDetailChange,
		fireSellerOnboarding,
		/**
		 * the stored items of a feed, in feed order (synthetic feeds: undefined)
		 * @param {string} name
		 * @returns {import('./model').FeedEntry[] | undefined}
		 */
		feedItems(name) {
			const f = model.feeds[name];
			if (!f) throw new Error(`unknown feed ${name}`);
			return f.synthetic ? undefined : f.list();
		},
		get orders() {
			return [...orders.values()];
		},
		get checkoutSessions() {
			return [...checkoutSessions.values()];
		},
		/** the simulator's clock (epoch ms) */
		now: () => clock(),
		/** move the clock (epoch ms, ISO or Date); it keeps running from there unless frozen */
		setNow(value) {
			const ms = value instanceof Date ? value.getTime() : toMs(value);
			if (!Number.isFinite(ms)) throw new Error(`not a date: ${value}`);
			anchor = ms;
			startedAt = Date.now();
			return ms;
		},
		stats() {
			return {
				...model.stats(),
				requestsRecorded: requests.length,
				orders: orders.size,
				checkoutSessions: checkoutSessions.size,
				webhookDeliveries: webhooks.deliveries.length,
				pendingWebhooks: webhooks.pending,
			};
		},
		/** re-generate (optionally another seed / sizes); faults, orders and checkout sessions go; requests, deliveries and webhook settings stay */
		reset(overrides) {
			seed(overrides || {});
			faults.clear();
		},
		idle(timeoutMs) {
			return webhooks.idle(timeoutMs);
		},
		close() {
			webhooks.close();
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			});
		},
	};
	seedOrders();
	return sim;
}

module.exports = { startIminSimulator, DEFAULT_API_KEY, CONTROL };
