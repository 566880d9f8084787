'use strict';
/**
 * Customers, orders and bookings of the imin simulator: the Customer Accounts, the order history
 * seeded for them, and completing a booking (as if the booker paid on imin's Checkout), which
 * creates an Order (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/orders/order-by-id)
 * and fires the Success webhook (./notifications.js). `s` is the simulator's state (./index.js).
 */

const { iso } = require('./model');
const { Rng } = require('../lib/prng');
const B = require('./bookability');
const D = require('./data');
const C = require('./checkout');
const { SimError, randomCode, BASE62 } = require('./common');
const { successBody } = require('./notifications');

function buildCustomers(s) {
	const rng = new Rng(s.opts.seed, 'customers');
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

function seedOrders(s) {
	// order history for the first two customer accounts: past sessions, orderDate before their start
	const rng = new Rng(s.opts.seed, 'order-history');
	const accounts = [...s.customers.values()];
	const feed = s.model.feeds['scheduled-sessions'];
	const past = feed.synthetic
		? []
		: feed.updated().filter((e) => Date.parse(e.data.startDate) < s.clock());
	const pool = past.length ? past : feed.synthetic ? [] : feed.updated();
	const plan = [
		[accounts[0], 12],
		[accounts[1], 1],
	];
	for (const [person, count] of plan) {
		for (let i = 0; i < count && pool.length; i++) {
			const entry = rng.pick(pool);
			const parent = s.model.resolveParent('ScheduledSession', entry.data);
			const offers = [...s.model.offersFor('ScheduledSession', entry.data, parent).values()];
			const offer = offers.length
				? offers[0].offer
				: { '@id': `${entry.data.identifier}#/offers/0`, price: 5, priceCurrency: 'GBP' };
			const orderDate = iso(
				Date.parse(entry.data.startDate) - rng.int(1, 20) * 86400000 - rng.int(0, 86399) * 1000,
			);
			createOrder(s, {
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

function createOrder(s, { lines, customer, orderDate, rng }) {
	const r = rng || s.runtimeRng;
	const uuid = r.uuid();
	const order = C.buildOrder({
		bookBaseUrl: s.sim.bookBaseUrl,
		uuid,
		confirmationNumber: randomCode(r, 8, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'),
		orderDate: orderDate || new Date(s.clock()).toISOString(),
		customer,
		broker: { name: s.opts.brokerName, url: s.opts.brokerUrl },
		lines,
		firstOrderItemNumber: s.orderItemCounter,
		receiptNumber: s.receiptCounter,
	});
	s.orderItemCounter += lines.length;
	s.receiptCounter += 1;
	s.orders.set(uuid, order);
	return order;
}

function personFor(s, customer, fallbackRng) {
	if (customer === undefined || customer === null) return guestPerson(fallbackRng);
	if (typeof customer === 'string') {
		const p = s.customers.get(customer);
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

function checkBookable(s, opp, identifier, force) {
	if (!opp) throw C.notBookableError(identifier, null);
	const ev = B.evaluate(opp.data, opp.parent, s.clock());
	if (!ev.bookable && !force) throw C.notBookableError(identifier, ev);
	return ev;
}

function chooseOffer(s, opp, acceptedOffer) {
	const offers = s.model.offersFor(opp.kind, opp.data, opp.parent);
	if (acceptedOffer !== undefined) {
		const o = offers.get(acceptedOffer);
		if (!o)
			throw new C.CheckoutError(
				'UnknownOfferError',
				`The offer "${acceptedOffer}" is not an offer of "${opp.data.identifier}" (use the id of imin:aggregateOffer.publicAdult / publicJunior or of one of the parent's offers).`,
			);
		return o;
	}
	const adult = s.model.adultOf(opp.parent);
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

function finishBooking(s, lines, person) {
	const order = createOrder(s, { lines, customer: person });
	if (s.opts.bookingsUpdateFeed) {
		for (const l of lines) s.model.recordBooking(l.kind, l.itemId);
	}
	s.webhooks.send('success', successBody(s, order));
	return order;
}

/**
 * Complete a booking (as if the booker paid on imin's Checkout) and fire the Success webhook.
 * @param {{identifier?: string, type?: 'ScheduledSession'|'Slot', checkoutSessionId?: string,
 *   customer?: string | {email: string, givenName: string, familyName: string, identifier?: string},
 *   acceptedOffer?: string, force?: boolean}} input
 */
function completeBooking(s, input = {}) {
	if (input.checkoutSessionId !== undefined) {
		const session = s.checkoutSessions.get(String(input.checkoutSessionId));
		if (!session)
			throw new SimError(404, 'NotFoundError', `No checkout session "${input.checkoutSessionId}".`);
		if (session.status === 'completed')
			throw new SimError(
				409,
				'OrderAlreadyExistsError',
				`Checkout session "${session.id}" is already completed (order ${session.orderIdentifier}).`,
			);
		const lines = session.items.map((it) => {
			const opp = s.model.findOpportunity(it.type, it.identifier);
			checkBookable(s, opp, it.identifier, input.force);
			const offer = chooseOffer(s, opp, it.acceptedOffer);
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
				? personFor(s, input.customer, s.runtimeRng)
				: session.customerPerson
					? { ...session.customerPerson }
					: personFor(s, session.customerAccountId, s.runtimeRng);
		if (session.customerAccountId && person.identifier === undefined)
			person.identifier = session.customerAccountId;
		const order = finishBooking(s, lines, person);
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
		? s.model.findOpportunity(input.type, identifier)
		: s.model.findOpportunity('ScheduledSession', identifier) ||
			s.model.findOpportunity('Slot', identifier);
	checkBookable(s, opp, identifier, input.force);
	const offer = chooseOffer(s, opp, input.acceptedOffer);
	const person = personFor(s, input.customer, s.runtimeRng);
	const order = finishBooking(
		s,
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

module.exports = {
	buildCustomers,
	seedOrders,
	createOrder,
	personFor,
	checkBookable,
	chooseOffer,
	completeBooking,
};
