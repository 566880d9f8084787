'use strict';
/**
 * imin Checkout: the guest checkout pages of the Firehose's opportunities
 * (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout/loading-the-checkout-via-firehose)
 * and Authenticated Checkout sessions
 * (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/imin-authenticated-checkout).
 *
 *   GET  /v1/scheduled-sessions/:encodedIdentifier  guest checkout page (HTML), 404 HTML when unknown
 *        or not bookable. POST .../:enc/book (form: givenName, familyName, email) completes a booking
 *        like a browser would.
 *   GET  /v1/slots/:encodedIdentifier   the same for Slots (the Slot URL is not documented)
 *   POST /api/checkout-sessions[/]      imin:CheckoutSession -> 201 + Location + potentialAction;
 *        X-API-KEY optional (if sent it must be valid). GET /checkout-sessions/:id (the Location) -> JSON.
 *   GET  /opendata/:checkoutSessionId   checkout page of a session (POST completes it)
 */

const B = require('../bookability');
const C = require('../checkout');
const { SimError, json, html, randomCode, BASE62, requireKey, originOf } = require('../common');
const { completeBooking, checkBookable, chooseOffer, personFor } = require('../bookings');

/**
 * The guest checkout page of one opportunity (GET), and the booking its form sends (POST .../book).
 * The identifier is ONE path segment, percent-decoded exactly once.
 */
function guestRoute(s, { method, rawPath, rawBody }, type, prefix) {
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
		return html(404, C.notFoundPage('The identifier in the URL is not correctly percent-encoded.'));
	}
	const opp = s.model.findOpportunity(type, identifier);
	if (!opp)
		return html(
			404,
			C.notFoundPage(`No ${type} with identifier ${identifier} is in the Firehose.`),
		);
	const ev = B.evaluate(opp.data, opp.parent, s.clock());
	if (!ev.bookable)
		return html(404, C.notFoundPage(`${identifier} is not bookable: ${B.describe(ev.reason)}.`));
	const offer = chooseOffer(s, opp);
	if (book) {
		const form = Object.fromEntries(new URLSearchParams(rawBody || ''));
		try {
			const order = completeBooking(s, {
				identifier,
				type,
				customer: { email: form.email, givenName: form.givenName, familyName: form.familyName },
			});
			return html(201, C.confirmationPage({ brokerName: s.opts.brokerName, order }));
		} catch (e) {
			if (e && e.body) return html(e.status || 400, C.notFoundPage(e.body.description));
			throw e;
		}
	}
	return html(
		200,
		C.guestPage({
			brokerName: s.opts.brokerName,
			kind: opp.kind,
			data: opp.data,
			parent: opp.parent,
			offer: offer.offer,
			formAction: `${prefix}${rest}/book`,
		}),
	);
}

/** POST /api/checkout-sessions: an imin:CheckoutSession -> 201 + Location + potentialAction. */
function createCheckoutSession(s, { req, headers, rawBody }) {
	requireKey(s, headers, true);
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
		customerAccounts: s.customers,
		strictCustomerAccounts: s.opts.strictCustomerAccounts,
	});
	const resolved = v.orderedItems.map((it) => {
		const opp = s.model.findOpportunity(it.type, it.identifier);
		checkBookable(s, opp, it.identifier, false);
		chooseOffer(s, opp, it.acceptedOffer);
		return it;
	});
	let id;
	do id = randomCode(s.runtimeRng, 14, BASE62);
	while (s.checkoutSessions.has(id));
	const origin = originOf(s, req);
	const response = JSON.parse(JSON.stringify(body));
	response.potentialAction = [
		{ type: 'OrderAction', name: 'Checkout', target: `${origin}/opendata/${id}` },
	];
	const session = {
		id,
		createdAt: new Date(s.clock()).toISOString(),
		status: 'open',
		request: body,
		response,
		items: resolved,
		customerAccountId: v.customer.accountId,
		customerPerson: v.customer.person
			? personFor(s, v.customer.person)
			: v.customer.accountId && s.customers.has(v.customer.accountId)
				? { ...s.customers.get(v.customer.accountId) }
				: undefined,
	};
	s.checkoutSessions.set(id, session);
	return json(201, response, { location: `/checkout-sessions/${id}` });
}

function sessionLines(s, session) {
	return session.items.map((it) => {
		const opp = s.model.findOpportunity(it.type, it.identifier);
		if (!opp)
			return {
				kind: it.type,
				data: { identifier: it.identifier, startDate: '' },
				parent: undefined,
				offer: undefined,
			};
		const offers = s.model.offersFor(opp.kind, opp.data, opp.parent);
		return {
			kind: opp.kind,
			data: opp.data,
			parent: opp.parent,
			offer: offers.get(it.acceptedOffer) && offers.get(it.acceptedOffer).offer,
		};
	});
}

/** GET /checkout-sessions/:id (the Location of a created session) -> the session with its status. */
function getCheckoutSession(s, { headers, params }) {
	requireKey(s, headers, true);
	const session = s.checkoutSessions.get(decodeURIComponent(params.id));
	if (!session) throw new SimError(404, 'NotFoundError', 'No such checkout session.');
	return json(200, { ...session.response, 'imin:checkoutSessionStatus': session.status });
}

/** /opendata/:id: the checkout page of a session (GET), completed by its form (POST). */
function sessionPage(s, { method, params }) {
	const session = s.checkoutSessions.get(decodeURIComponent(params.id));
	if (!session) return html(404, C.notFoundPage('No such checkout session.'));
	if (method === 'POST') {
		try {
			const order = completeBooking(s, { checkoutSessionId: session.id });
			return html(201, C.confirmationPage({ brokerName: s.opts.brokerName, order }));
		} catch (e) {
			if (e && e.body) return html(e.status || 400, C.notFoundPage(e.body.description));
			throw e;
		}
	}
	if (method !== 'GET') return html(405, C.notFoundPage('Method not allowed.'));
	return html(
		200,
		C.sessionPage({
			brokerName: s.opts.brokerName,
			session,
			lines: sessionLines(s, session),
			formAction: `/opendata/${session.id}`,
		}),
	);
}

const guestPage = (type, prefix) => (s, r) => guestRoute(s, r, type, prefix);

function notAllowed() {
	throw new SimError(405, 'MethodNotAllowedError', 'Create a checkout session with POST.');
}

const ROUTES = [
	{
		method: '*',
		path: '/v1/scheduled-sessions/*rest',
		handler: guestPage('ScheduledSession', '/v1/scheduled-sessions/'),
	},
	{ method: '*', path: '/v1/slots/*rest', handler: guestPage('Slot', '/v1/slots/') },
	{ method: 'POST', path: '/api/checkout-sessions/?', handler: createCheckoutSession },
	{ method: '*', path: '/api/checkout-sessions/?', handler: notAllowed },
	{ method: 'GET', path: '/checkout-sessions/:id', handler: getCheckoutSession },
	{ method: 'GET', path: '/api/checkout-sessions/:id', handler: getCheckoutSession },
	{ method: '*', path: '/opendata/:id', handler: sessionPage },
];

module.exports = { ROUTES };
