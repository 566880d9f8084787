'use strict';
/**
 * imin Checkout, as imin documents it
 * (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout/loading-the-checkout-via-firehose,
 * https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/imin-authenticated-checkout,
 * https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/imin-standalone-checkout):
 * - validation of the Authenticated Checkout "Request Webhook" body (`imin:CheckoutSession`);
 * - the Order a completed booking becomes (Booking Platform Order shape,
 *   https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/orders/order-by-id), which is also the
 *   body of the Success webhook;
 * - the small HTML pages (guest checkout, checkout session, confirmation, not found).
 *
 * Error bodies are OpenActive-style JSON-LD: `{ '@context': 'https://openactive.io/', '@type': <error
 * type>, name, description }`. imin's real 400 body is unknown (not documented); the types are chosen from the
 * OpenActive error model, plus `InvalidRequestError` for a body that is not an imin:CheckoutSession at all.
 */

const B = require('./bookability');

const LINK_TYPES = {
	'https://imin.co/BackToBrokerLink': 'Back to Broker',
	'https://imin.co/BackToBrokerUserProfileLink': 'Back to Broker User Profile',
};
const ORDER_ITEM_CONFIRMED = 'https://openactive.io/OrderItemConfirmed';

class CheckoutError extends Error {
	constructor(type, description, status = 400) {
		super(description);
		this.status = status;
		this.body = errorBody(type, description);
	}
}

const ERROR_NAMES = {
	InvalidRequestError: 'The request is not a valid imin:CheckoutSession',
	UnexpectedOrderTypeError: 'Unexpected order type',
	IncompleteCustomerDetailsError: 'Incomplete customer details',
	IncompleteBrokerDetailsError: 'Incomplete broker details',
	IncompleteOrderItemError: 'Incomplete order item',
	IncompleteAttendeeDetailsError: 'Incomplete attendee details',
	OpportunityIsFullError: 'Opportunity is full',
	UnableToProcessOrderItemError: 'Unable to process order item',
	UnknownOfferError: 'Unknown offer',
	NoAPITokenError: 'No API key',
	InvalidAPITokenError: 'Invalid API key',
	NotFoundError: 'Not found',
	UnknownOrderError: 'Unknown order',
	TooManyRequestsError: 'Too many requests',
	InternalApplicationError: 'Internal server error',
	TemporarilyUnavailableError: 'Temporarily unavailable',
	MethodNotAllowedError: 'Method not allowed',
};

function errorBody(type, description) {
	return {
		'@context': 'https://openactive.io/',
		'@type': type,
		name: ERROR_NAMES[type] || type,
		description,
	};
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonEmpty = (v) => typeof v === 'string' && v.trim() !== '';
const typeOf = (o) => (isObject(o) ? (o.type !== undefined ? o.type : o['@type']) : undefined);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** http(s) URL with a host (imin: `https://`, or `http://` outside production) */
function isHttpUrl(v) {
	if (!nonEmpty(v)) return false;
	try {
		const u = new URL(v);
		return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
	} catch {
		return false;
	}
}

/**
 * Validate a checkout-session request body (structure only; bookability is checked by the caller).
 * Throws CheckoutError; returns { customer, orderedItems: [{type, identifier, acceptedOffer, attendee?}] }.
 */
function validateCheckoutRequest(body, options = {}) {
	const fail = (type, description) => {
		throw new CheckoutError(type, description);
	};
	if (!isObject(body))
		fail(
			'InvalidRequestError',
			'The request body must be a JSON object (an imin:CheckoutSession).',
		);
	const ctx = body['@context'];
	const contexts = Array.isArray(ctx) ? ctx : [ctx];
	if (!contexts.some((c) => c === 'https://openactive.io/' || c === 'https://openactive.io')) {
		fail(
			'InvalidRequestError',
			'"@context" must be (or include) "https://openactive.io/"; imin documents ["https://openactive.io/", "https://imin.co/"].',
		);
	}
	if (typeOf(body) !== 'imin:CheckoutSession')
		fail(
			'InvalidRequestError',
			`"type" must be "imin:CheckoutSession" (got ${JSON.stringify(typeOf(body))}).`,
		);
	const order = body['imin:initialOrder'];
	if (!isObject(order))
		fail(
			'InvalidRequestError',
			'"imin:initialOrder" is required and must be an object (an OrderQuote).',
		);
	if (typeOf(order) !== 'OrderQuote')
		fail(
			'UnexpectedOrderTypeError',
			`"imin:initialOrder.type" must be "OrderQuote" (got ${JSON.stringify(typeOf(order))}).`,
		);

	// customer: an imin Customer Account ID, or a Person
	const customer = order.customer;
	let customerOut;
	if (typeof customer === 'string') {
		if (!nonEmpty(customer) || /\s/.test(customer))
			fail(
				'IncompleteCustomerDetailsError',
				'"imin:initialOrder.customer" must be an imin Customer Account ID (no spaces) or a Person object.',
			);
		if (
			options.customerAccounts &&
			options.strictCustomerAccounts &&
			!options.customerAccounts.has(customer)
		) {
			fail(
				'IncompleteCustomerDetailsError',
				`"imin:initialOrder.customer": no imin Customer Account "${customer}".`,
			);
		}
		customerOut = { accountId: customer };
	} else if (isObject(customer)) {
		const t = typeOf(customer);
		if (t !== undefined && t !== 'Person')
			fail(
				'IncompleteCustomerDetailsError',
				`"imin:initialOrder.customer.type" must be "Person" (got ${JSON.stringify(t)}).`,
			);
		const missing = ['email', 'givenName', 'familyName'].filter((k) => !nonEmpty(customer[k]));
		if (missing.length)
			fail(
				'IncompleteCustomerDetailsError',
				`"imin:initialOrder.customer" is missing ${missing.map((k) => `"${k}"`).join(', ')}.`,
			);
		if (!EMAIL.test(customer.email.trim()))
			fail(
				'IncompleteCustomerDetailsError',
				`"imin:initialOrder.customer.email" is not an email address (got ${JSON.stringify(customer.email)}).`,
			);
		if (
			customer['imin:is13OrOver'] !== undefined &&
			typeof customer['imin:is13OrOver'] !== 'boolean'
		) {
			fail(
				'IncompleteCustomerDetailsError',
				'"imin:initialOrder.customer.imin:is13OrOver" must be a boolean.',
			);
		}
		if (
			customer.identifier !== undefined &&
			!nonEmpty(customer.identifier) &&
			typeof customer.identifier !== 'number'
		) {
			fail(
				'IncompleteCustomerDetailsError',
				'"imin:initialOrder.customer.identifier" must be a non-empty string.',
			);
		}
		customerOut = { person: customer };
	} else {
		fail(
			'IncompleteCustomerDetailsError',
			'"imin:initialOrder.customer" is required: an imin Customer Account ID string, or a Person with email, givenName and familyName.',
		);
	}

	// broker
	const broker = order.broker;
	if (!isObject(broker))
		fail(
			'IncompleteBrokerDetailsError',
			'"imin:initialOrder.broker" is required: { type: "Organization", name, url }.',
		);
	if (typeOf(broker) !== 'Organization')
		fail(
			'IncompleteBrokerDetailsError',
			`"imin:initialOrder.broker.type" must be "Organization" (got ${JSON.stringify(typeOf(broker))}).`,
		);
	if (!nonEmpty(broker.name))
		fail('IncompleteBrokerDetailsError', '"imin:initialOrder.broker.name" is required.');
	if (!isHttpUrl(broker.url))
		fail(
			'IncompleteBrokerDetailsError',
			`"imin:initialOrder.broker.url" must be an http(s) URL (got ${JSON.stringify(broker.url)}).`,
		);

	// ordered items
	const items = order.orderedItem;
	if (!Array.isArray(items) || items.length === 0)
		fail(
			'IncompleteOrderItemError',
			'"imin:initialOrder.orderedItem" must be a non-empty array of OrderItems.',
		);
	const orderedItems = items.map((item, i) => {
		const at = `imin:initialOrder.orderedItem[${i}]`;
		if (!isObject(item)) fail('IncompleteOrderItemError', `"${at}" must be an OrderItem object.`);
		if (typeOf(item) !== 'OrderItem')
			fail(
				'IncompleteOrderItemError',
				`"${at}.type" must be "OrderItem" (got ${JSON.stringify(typeOf(item))}).`,
			);
		const opp = item.orderedItem;
		if (!isObject(opp))
			fail(
				'IncompleteOrderItemError',
				`"${at}.orderedItem" must be an object { type: "ScheduledSession" | "Slot", identifier }.`,
			);
		const oppType = typeOf(opp);
		if (oppType !== 'ScheduledSession' && oppType !== 'Slot')
			fail(
				'IncompleteOrderItemError',
				`"${at}.orderedItem.type" must be "ScheduledSession" or "Slot" (got ${JSON.stringify(oppType)}).`,
			);
		const identifier = opp.identifier;
		if (
			!(nonEmpty(identifier) || (typeof identifier === 'number' && Number.isFinite(identifier)))
		) {
			fail(
				'IncompleteOrderItemError',
				`"${at}.orderedItem.identifier" is required: the opportunity's data.identifier from the Firehose (not URL-encoded)${opp.id || opp['@id'] ? '; "id" is not accepted in its place' : ''}.`,
			);
		}
		const offer = item.acceptedOffer;
		if (!nonEmpty(offer))
			fail(
				'IncompleteOrderItemError',
				`"${at}.acceptedOffer" is required: the id (a string) of the chosen Offer.`,
			);
		if (item.attendee !== undefined && !nonEmpty(item.attendee))
			fail(
				'IncompleteAttendeeDetailsError',
				`"${at}.attendee" must be an imin Customer Account ID.`,
			);
		return {
			type: oppType,
			identifier: String(identifier),
			acceptedOffer: offer,
			attendee: item.attendee,
		};
	});
	if (orderedItems.length > 1) {
		// group booking (beta): customer is an account ID, one OrderItem per attendee, same opportunity and offer
		if (!customerOut.accountId)
			fail(
				'IncompleteCustomerDetailsError',
				'A group booking (more than one OrderItem) needs "imin:initialOrder.customer" to be an imin Customer Account ID.',
			);
		orderedItems.forEach((it, i) => {
			if (!it.attendee)
				fail(
					'IncompleteAttendeeDetailsError',
					`"imin:initialOrder.orderedItem[${i}].attendee" is required in a group booking (one OrderItem per attendee).`,
				);
		});
		const first = orderedItems[0];
		if (
			orderedItems.some(
				(it) =>
					it.identifier !== first.identifier ||
					it.type !== first.type ||
					it.acceptedOffer !== first.acceptedOffer,
			)
		) {
			fail(
				'InvalidRequestError',
				'All OrderItems of a group booking must have the same orderedItem and acceptedOffer (one activity per checkout).',
			);
		}
	}

	// navigation links (optional)
	const links = body['imin:navigationLinks'];
	if (links !== undefined) {
		if (!Array.isArray(links))
			fail('InvalidRequestError', '"imin:navigationLinks" must be an array of WebPage objects.');
		links.forEach((link, i) => {
			const at = `imin:navigationLinks[${i}]`;
			if (!isObject(link)) fail('InvalidRequestError', `"${at}" must be a WebPage object.`);
			if (typeOf(link) !== 'WebPage')
				fail(
					'InvalidRequestError',
					`"${at}.type" must be "WebPage" (got ${JSON.stringify(typeOf(link))}).`,
				);
			if (!Object.prototype.hasOwnProperty.call(LINK_TYPES, link['imin:linkType'])) {
				fail(
					'InvalidRequestError',
					`"${at}.imin:linkType" must be one of ${Object.keys(LINK_TYPES)
						.map((k) => `"${k}"`)
						.join(', ')} (got ${JSON.stringify(link['imin:linkType'])}).`,
				);
			}
			if (link.name !== undefined && !nonEmpty(link.name))
				fail('InvalidRequestError', `"${at}.name" must be a non-empty string.`);
			if (!isHttpUrl(link.url))
				fail(
					'InvalidRequestError',
					`"${at}.url" must be an http(s) URL (got ${JSON.stringify(link.url)}).`,
				);
		});
	}
	return { customer: customerOut, orderedItems };
}

/** The CheckoutError for an opportunity that is not bookable (evaluation from ./bookability). */
function notBookableError(identifier, evaluation) {
	const reason = evaluation ? evaluation.reason : 'unknown';
	const type =
		reason === 'occurrence-not-bookable'
			? 'OpportunityIsFullError'
			: 'UnableToProcessOrderItemError';
	return new CheckoutError(
		type,
		`The opportunity "${identifier}" is not bookable: ${B.describe(reason)}.`,
	);
}

// ---------------------------------------------------------------------------------------------
// Orders (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/orders/order-by-id)

const round2 = (n) => Math.round(n * 100) / 100;

function summariseParent(kind, parent) {
	if (!parent) return undefined;
	const organizer = parent.organizer || parent.provider;
	const strip = (o) =>
		o ? JSON.parse(JSON.stringify(o).replace(/"@(type|id)":/g, '"$1":')) : undefined;
	if (kind === 'Slot') {
		return {
			type: 'FacilityUse',
			identifier: parent.identifier,
			name: parent.name,
			location: strip(parent.location),
			provider: strip(organizer),
		};
	}
	return {
		type: 'SessionSeries',
		identifier: parent.identifier,
		name: parent.name,
		location: strip(parent.location),
		duration: parent.duration,
		superEvent: { type: 'EventSeries', name: parent.name, organizer: strip(organizer) },
	};
}

/**
 * Build the Order of a completed booking.
 * @param {object} p
 * @param {string} p.bookBaseUrl  `${url}/api/v2/`
 * @param {string} p.uuid
 * @param {string} p.confirmationNumber
 * @param {string} p.orderDate  ISO
 * @param {{type: 'Person', email: string, givenName: string, familyName: string, identifier?: string}} p.customer
 * @param {{name: string, url: string}} p.broker
 * @param {Array<{kind: string, data: object, parent: object|undefined, offer: object, attendee?: string}>} p.lines
 * @param {number} p.firstOrderItemNumber
 */
function buildOrder(p) {
	const orderId = `${p.bookBaseUrl}orders/${p.uuid}`;
	const first = p.lines[0];
	const sellerSource = first.parent && (first.parent.organizer || first.parent.provider);
	const seller = {
		type: 'Organization',
		id: sellerSource ? B.idOf(sellerSource) : undefined,
		name: sellerSource ? sellerSource.name : undefined,
		url: sellerSource ? sellerSource.url : undefined,
		termsOfService: [
			{
				type: 'PrivacyPolicy',
				name: 'Privacy Policy',
				url: `${sellerSource && sellerSource.url ? sellerSource.url : 'https://seller.example/'}privacy`,
			},
			{
				type: 'TermsOfUse',
				name: 'Terms of Use',
				url: `${sellerSource && sellerSource.url ? sellerSource.url : 'https://seller.example/'}terms`,
			},
		],
	};
	let total = 0;
	let currency = 'GBP';
	const orderedItem = p.lines.map((line, i) => {
		const n = p.firstOrderItemNumber + i;
		const d = line.data;
		const searchPath =
			line.kind === 'Slot' ? 'facilities-api/v2/slots' : 'events-api/v2/scheduled-sessions';
		const opportunity = {
			type: line.kind,
			id: `https://search.imin.co/${searchPath}/${encodeURIComponent(d.identifier)}`,
			identifier: d.identifier,
			startDate: d.startDate,
			endDate: d.endDate,
		};
		if (line.kind === 'Slot') {
			opportunity.duration = d.duration;
			opportunity.facilityUse = summariseParent('Slot', line.parent);
		} else {
			opportunity.eventStatus = d.eventStatus;
			opportunity.superEvent = {
				...summariseParent('ScheduledSession', line.parent),
				maximumAttendeeCapacity: d.maximumAttendeeCapacity,
				remainingAttendeeCapacity: d.remainingAttendeeCapacity,
			};
		}
		const o = line.offer;
		const price = typeof o.price === 'number' ? o.price : 0;
		total += price;
		currency = o.priceCurrency || currency;
		const acceptedOffer = {
			type: 'Offer',
			id: B.idOf(o),
			name: o.name || (line.role === 'publicJunior' ? 'Junior' : 'Adult'),
			price,
			priceCurrency: o.priceCurrency || 'GBP',
		};
		if (o.validFromBeforeStartDate)
			acceptedOffer.validFromBeforeStartDate = o.validFromBeforeStartDate;
		acceptedOffer.latestCancellationBeforeStartDate = 'P1D';
		const out = {
			type: 'OrderItem',
			id: `${orderId}/order-items/${n}`,
			identifier: String(n),
			orderItemStatus: ORDER_ITEM_CONFIRMED,
			orderedItem: opportunity,
			acceptedOffer,
		};
		if (line.attendee) out.attendee = line.attendee;
		return out;
	});
	const order = {
		'@context': ['https://openactive.io/', 'https://openactive.io/ns-beta'],
		type: 'Order',
		id: orderId,
		identifier: p.uuid,
		orderDate: p.orderDate,
		confirmationNumber: p.confirmationNumber,
		customer: p.customer,
		broker: { type: 'Organization', name: p.broker.name, url: p.broker.url },
		seller,
		orderedItem,
		totalPaymentDue: { type: 'PriceSpecification', price: round2(total), priceCurrency: currency },
		'imin:receipt': [
			{
				type: 'Invoice',
				url: `${p.bookBaseUrl}receipts/${p.receiptNumber}`,
				dateCreated: p.orderDate,
			},
		],
	};
	return order;
}

// ---------------------------------------------------------------------------------------------
// HTML

const esc = (s) =>
	String(s === undefined || s === null ? '' : s).replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);

function page(title, body) {
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${esc(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
${body}
</body>
</html>
`;
}

function priceText(offer) {
	if (!offer) return '';
	return offer.price === 0 ? 'Free' : `£${Number(offer.price).toFixed(2)}`;
}

/** Guest checkout page for one opportunity. */
function guestPage({ brokerName, kind, data, parent, offer, formAction }) {
	const name = parent ? parent.name : kind;
	const place = parent && parent.location ? parent.location.name : '';
	return page(
		`${name} – ${brokerName} Checkout`,
		`<main data-imin-checkout="guest" data-opportunity-type="${esc(kind)}" data-identifier="${esc(data.identifier)}">
<h1>${esc(name)}</h1>
<p class="when"><time datetime="${esc(data.startDate)}">${esc(data.startDate)}</time>${place ? ` at ${esc(place)}` : ''}</p>
<p class="price">${esc(priceText(offer))}</p>
<form method="post" action="${esc(formAction)}">
<label>First name <input name="givenName" required></label>
<label>Last name <input name="familyName" required></label>
<label>Email <input name="email" type="email" required></label>
<button type="submit">Book now</button>
</form>
<p class="broker">Checkout for ${esc(brokerName)}, powered by imin.</p>
</main>`,
	);
}

/** Checkout page of an authenticated checkout session (`potentialAction[].target`). */
function sessionPage({ brokerName, session, lines, formAction }) {
	const customer = session.customerPerson;
	const rows = lines
		.map(
			(l) =>
				`<li data-identifier="${esc(l.data.identifier)}">${esc(l.parent ? l.parent.name : l.kind)} — <time datetime="${esc(l.data.startDate)}">${esc(l.data.startDate)}</time> — ${esc(priceText(l.offer))}</li>`,
		)
		.join('\n');
	const back = (session.request['imin:navigationLinks'] || [])
		.map(
			(l) =>
				`<a href="${esc(l.url)}" data-link-type="${esc(l['imin:linkType'])}">${esc(l.name || LINK_TYPES[l['imin:linkType']])}</a>`,
		)
		.join(' ');
	return page(
		`${brokerName} Checkout`,
		`<main data-imin-checkout="session" data-checkout-session="${esc(session.id)}" data-status="${esc(session.status)}">
<h1>Complete your booking</h1>
<p class="customer">${customer ? `Booking as ${esc(customer.givenName)} ${esc(customer.familyName)} (${esc(customer.email)})` : `Booking for customer account ${esc(session.customerAccountId)}`}</p>
<ul>
${rows}
</ul>
${session.status === 'completed' ? `<p class="done">This checkout is complete (order ${esc(session.orderIdentifier)}).</p>` : `<form method="post" action="${esc(formAction)}"><button type="submit">Pay and book</button></form>`}
<nav>${back}</nav>
</main>`,
	);
}

function confirmationPage({ brokerName, order }) {
	return page(
		`Booking confirmed – ${brokerName}`,
		`<main data-imin-checkout="confirmation" data-order="${esc(order.identifier)}">
<h1>Booking confirmed</h1>
<p>Confirmation number <strong class="confirmation-number">${esc(order.confirmationNumber)}</strong></p>
<p>A confirmation email has been sent to ${esc(order.customer.email)}.</p>
</main>`,
	);
}

function notFoundPage(message) {
	return page(
		'Not found',
		`<main data-imin-checkout="not-found"><h1>Not found</h1><p>${esc(message)}</p></main>`,
	);
}

module.exports = {
	LINK_TYPES,
	ORDER_ITEM_CONFIRMED,
	CheckoutError,
	errorBody,
	isHttpUrl,
	validateCheckoutRequest,
	notBookableError,
	buildOrder,
	guestPage,
	sessionPage,
	confirmationPage,
	notFoundPage,
};
