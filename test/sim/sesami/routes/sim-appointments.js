'use strict';
/**
 * Simulator-only appointments: created, and changed, by the test control endpoints
 * (POST /__sim/appointments, POST /__sim/appointments/:id/<action>). The Admin API has no create:
 * bookings come from Shopify checkout or instant booking
 * (https://help.sesami.co/apps-integrations/shopify/orders,
 * https://sesami.dev/docs/sesami-sdk/booking-and-reservation); these play that side.
 */

const V = require('../validate');
const T = require('../time');
const R = require('../render');
const { durationOf, publicCustomer } = require('../seed');
const { conflicts, nextFreeSlot } = require('./availability');
const {
	appointmentForChange,
	assertNotCancelled,
	cancelAppointment,
	rescheduleAppointment,
	eventAction,
	startAppointment,
} = require('./appointments');
const { ApiError, err, notFound, invalid, inShop, shopTz, STATUS } = require('./common');
const {} = require('./query');

const ZERO_DECIMALS = ['JPY', 'KRW'];
const GUEST_FIRST_NAMES = [
	'Jordan',
	'Camille',
	'Noor',
	'Mateus',
	'Ingrid',
	'Kofi',
	'Leilani',
	'Tomasz',
];
const GUEST_LAST_NAMES = [
	'Rivera',
	'Lefèvre',
	'Haddad',
	'Costa',
	'Lindqvist',
	'Mensah',
	'Kahale',
	'Nowak',
];

function asciiSlug(s) {
	return String(s || '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]/g, '')
		.toLowerCase();
}
function customerFor(ctx, input, instant) {
	const rng = ctx.sim.rng;
	const shopCustomers = ctx.state.customers.filter(
		(c) => c.shopId === ctx.shop.id && c.externalSource === 'SHOPIFY',
	);
	if ((input === undefined || input === null) && !instant) {
		if (!shopCustomers.length) throw invalid('customer', 'is_not_empty');
		return shopCustomers[rng.int(0, shopCustomers.length - 1)];
	}
	if (input === undefined || input === null) {
		// instant bookings come with a new, Sesami-only customer
		input = { firstName: rng.pick(GUEST_FIRST_NAMES), lastName: rng.pick(GUEST_LAST_NAMES) };
	}
	if (typeof input !== 'object' || Array.isArray(input)) throw invalid('customer', 'is_object');
	if (input.id !== undefined) {
		const found = ctx.state.customers.find((c) => c.id === input.id && c.shopId === ctx.shop.id);
		if (!found) throw notFound('customer');
		return found;
	}
	for (const k of ['firstName', 'lastName', 'name', 'email', 'phone', 'externalId', 'timezone']) {
		if (input[k] !== undefined && typeof input[k] !== 'string')
			throw invalid(`customer.${k}`, 'is_string');
	}
	if (input.timezone !== undefined && input.timezone !== '' && !T.isValidTimeZone(input.timezone))
		throw invalid('customer.timezone', 'is_time_zone');
	let { firstName, lastName } = input;
	if (firstName === undefined && lastName === undefined && input.name !== undefined) {
		const parts = input.name.trim().split(/\s+/);
		firstName = parts.shift() || '';
		lastName = parts.join(' ');
	}
	firstName = firstName === undefined ? 'Alex' : firstName;
	lastName = lastName === undefined ? 'Morgan' : lastName;
	const name =
		input.name !== undefined ? input.name : [firstName, lastName].filter(Boolean).join(' ');
	const email =
		input.email !== undefined
			? input.email
			: `${asciiSlug(firstName) || 'guest'}.${asciiSlug(lastName) || rng.int(100, 999)}${rng.int(10, 99)}@example.com`;
	const c = {
		id: ctx.sim.newId(),
		externalId:
			input.externalId !== undefined ? input.externalId : instant ? '' : rng.digits(13, '7'),
		firstName,
		lastName,
		name,
		email,
		phone: input.phone !== undefined ? input.phone : `+4477${rng.digits(8)}`,
		billingPhone: '',
		image: {},
		externalSource: instant ? 'SESAMI' : 'SHOPIFY',
		description: instant ? 'Instant booking' : '',
		shopId: ctx.shop.id,
		_timezone: input.timezone ? input.timezone : shopTz(ctx),
	};
	ctx.state.customers.push(c);
	return c;
}

/** The service, variant and location a new appointment is for (defaults: the shop's first ones). */
function chooseOffering(ctx, input) {
	const services = inShop(ctx.state.services, ctx.shop.id);
	let service;
	if (input.serviceId !== undefined) {
		service = services.find((s) => s.id === input.serviceId);
		if (!service) throw notFound('service');
	} else if (input.instant) {
		service = services.find((s) => s.instantBooking) || services[services.length - 1];
	} else {
		service = services.find((s) => !s.instantBooking && s.status) || services[0];
	}
	if (!service) throw notFound('service');
	const instant = input.instant !== undefined ? !!input.instant : !!service.instantBooking;
	const variant =
		input.variantId !== undefined
			? service.variants.find((v) => v.id === input.variantId || v.externalId === input.variantId)
			: service.variants[0];
	if (!variant) throw notFound('variant');
	const location =
		input.locationId !== undefined
			? service.locations.find((l) => l.locationId === input.locationId)
			: service.locations[0];
	if (!location) throw invalid('locationId', 'invalid_id');
	return { service, instant, variant, location };
}

/**
 * The start and the resource of a new appointment: `datetime` (the first free primary resource
 * then), or the first free slot a day or more ahead.
 */
function chooseStart(ctx, input, { service, variant, location, minutes, now }) {
	let startMs;
	let resourceId = input.resourceId;
	if (
		resourceId !== undefined &&
		!inShop(ctx.state.resources, ctx.shop.id).some((r) => r.id === resourceId)
	)
		throw invalid('resourceId', 'invalid_id');
	if (input.datetime !== undefined) {
		startMs =
			typeof input.datetime === 'string'
				? T.parseDateTimeLenient(input.datetime, shopTz(ctx))
				: undefined;
		if (startMs === undefined) throw invalid('datetime', 'is_date', 'ISO 8601 date-time');
		if (!resourceId) {
			const ids = location.resources[0] ? location.resources[0].ids : [];
			const from = startMs - service.bufferTimeBefore * T.MINUTE;
			const to = startMs + (minutes + service.bufferTimeAfter) * T.MINUTE;
			resourceId = ids.find((id) => !conflicts(ctx, [id], from, to)) || ids[0];
		}
	} else {
		const slot = nextFreeSlot(ctx, {
			service,
			variant,
			location,
			fromMs: now + T.DAY,
			resourceIds: resourceId ? [resourceId] : undefined,
		});
		if (!slot) throw invalid('datetime', 'valid_interval', 'no free slot in the next 60 days');
		startMs = slot.startMs;
		resourceId = slot.resourceId;
	}
	if (!resourceId) throw invalid('resourceId', 'is_not_empty');
	return { startMs, resourceId };
}

/** The line item properties: as given, or the Date / Time / Timezone a checkout records. */
function lineItemProperties(ctx, input, startMs, customerTz) {
	const question = ctx.shop.settings.lineItemPropertiesToCapture[3];
	let props;
	if (input.lineItemProperties !== undefined) {
		if (
			!Array.isArray(input.lineItemProperties) ||
			input.lineItemProperties.some((p) => !p || typeof p.name !== 'string')
		) {
			throw invalid('lineItemProperties', 'is_array', '[{name, value}]');
		}
		props = input.lineItemProperties.map((p) => ({
			id: ctx.sim.newId(),
			name: p.name,
			value: p.value === undefined || p.value === null ? '' : String(p.value),
		}));
	} else {
		props = [
			{ id: ctx.sim.newId(), name: 'Date', value: T.dateInTz(startMs, customerTz) },
			{ id: ctx.sim.newId(), name: 'Time', value: T.timeInTz(startMs, customerTz) },
			{ id: ctx.sim.newId(), name: 'Timezone', value: customerTz },
		];
		if (question) props.push({ id: ctx.sim.newId(), name: question, value: 'First visit' });
	}
	return props;
}

/**
 * Create a new appointment as a Shopify checkout (or an instant booking) would, in ctx.shop.
 * input: { serviceId?, variantId?, locationId?, resourceId?, customer?: {id} | {firstName?,
 * lastName?, name?, email?, phone?, externalId?, timezone?}, datetime?, instant?,
 * lineItemProperties?: [{name, value}] }. Returns the internal record (Flows are not fired here).
 */
function createAppointment(ctx, input = {}) {
	if (!input || typeof input !== 'object' || Array.isArray(input))
		throw invalid('ROOT', 'is_object');
	const { service, instant, variant, location } = chooseOffering(ctx, input);
	const minutes = durationOf(variant);
	const now = ctx.sim.now();
	const { startMs, resourceId } = chooseStart(ctx, input, {
		service,
		variant,
		location,
		minutes,
		now,
	});

	const customer = customerFor(ctx, input.customer, instant);
	const customerTz =
		(input.customer && input.customer.timezone) || customer._timezone || shopTz(ctx);
	const rng = ctx.sim.rng;
	const id = ctx.sim.newId();
	const token = rng.hex(32);
	const nowIso = new Date(now).toISOString();
	const shopAppointments = inShop(ctx.state.appointments, ctx.shop.id);
	const lastOrder = shopAppointments.reduce(
		(n, a) => Math.max(n, Number(String(a.orderName).replace(/^#/, '')) || 0),
		1000,
	);
	const props = lineItemProperties(ctx, input, startMs, customerTz);
	const price = ZERO_DECIMALS.includes(ctx.shop.currency)
		? Math.round(variant.price)
		: Math.round(variant.price * 100) / 100;
	const a = {
		id,
		shopId: ctx.shop.id,
		orderId: instant ? '' : rng.digits(13, '5'),
		orderName: instant ? '' : `#${lastOrder + 1}`,
		lineItemId: instant ? '' : rng.digits(14, '1'),
		customer: publicCustomer(customer),
		customerTimezone: customerTz,
		// created appointments carry a second query parameter, so the `&` escaping quirk shows in Flows
		customerManagementLink: `https://app.sesami.co/manage/${id}?token=${token}&shop=${ctx.shop.domain}`,
		price,
		datetime: new Date(startMs).toISOString(),
		rangeStart: new Date(startMs - service.bufferTimeBefore * T.MINUTE).toISOString(),
		rangeEnd: new Date(startMs + (minutes + service.bufferTimeAfter) * T.MINUTE).toISOString(),
		variantTitle: variant.title,
		externalVariantId: variant.externalId,
		duration: minutes,
		currency: ctx.shop.currency,
		status: STATUS.BOOKED,
		gateway: instant ? '' : 'shopify_payments',
		bufferTimeBefore: service.bufferTimeBefore,
		bufferTimeAfter: service.bufferTimeAfter,
		service: service.id,
		teamMember: resourceId,
		slotId: ctx.sim.newId(),
		instantBookingId: instant ? ctx.sim.newId() : '',
		quantity: 1,
		locale: ctx.shop.settings.locale,
		lineItemProperties: props,
		events: [
			{
				id: ctx.sim.newId(),
				type: 'CREATED',
				content: instant ? 'Instant booking' : 'Booked through Shopify checkout',
				initiatedBy: 'CUSTOMER',
				dateTime: nowIso,
			},
			{
				id: ctx.sim.newId(),
				type: 'CONFIRMATIONEMAILSENT',
				content: '',
				initiatedBy: 'SYSTEM',
				dateTime: nowIso,
			},
		],
		createdAt: nowIso,
		updatedAt: nowIso,
		sessionId: rng.uuid(),
		resources: [resourceId],
		locationId: location.locationId,
		_dayOffset: Math.round((startMs - now) / T.DAY),
		_instant: instant,
		_created: true,
	};
	ctx.state.appointments.push(a);
	return a;
}

/** The control actions of POST /__sim/appointments/:id/<action> (they fire Flows like the API does). */
const CONTROL_ACTIONS = {
	cancel: (ctx) => {
		if (ctx.body.refundMoney === undefined) ctx.body.refundMoney = false;
		return cancelAppointment(ctx);
	},
	reschedule: (ctx) => {
		const b = ctx.body;
		if (
			b.dateTime === undefined &&
			b.resourceIds === undefined &&
			b.locationId === undefined &&
			b.teamMemberId === undefined
		) {
			const a = appointmentForChange(ctx, new V.Errors());
			assertNotCancelled(a, 'rescheduled');
			const service = ctx.state.services.find((s) => s.id === a.service);
			const variant =
				service &&
				(service.variants.find((v) => v.title === a.variantTitle) || service.variants[0]);
			const slot =
				service && variant
					? nextFreeSlot(ctx, {
							service,
							variant,
							fromMs: Date.parse(a.datetime) + T.DAY,
							exceptId: a.id,
							resourceIds: a.resources.slice(0, 1),
						})
					: undefined;
			b.dateTime = new Date(slot ? slot.startMs : Date.parse(a.datetime) + T.DAY).toISOString();
		}
		return rescheduleAppointment(ctx);
	},
	'check-in': eventAction(
		'CUSTOMER_CHECKIN',
		STATUS.CHECKED_IN,
		'CUSTOMER_CHECKED_IN',
		'checked in',
	),
	'no-show': eventAction('NO_SHOW', STATUS.NO_SHOW, 'NO_SHOW', 'marked as no-show'),
	start: startAppointment,
};

/**
 * Run a control action on appointment `id` (any shop). Returns the appointment as the API renders
 * it in the shop timezone; throws ApiError like the API routes.
 */
function appointmentAction(baseCtx, id, action, body) {
	const handler = CONTROL_ACTIONS[action];
	if (!handler)
		throw new ApiError(404, err('action', 'not_found', Object.keys(CONTROL_ACTIONS).join(',')));
	const a = baseCtx.state.appointments.find((x) => x.id === id);
	if (!a) throw notFound('appointment');
	const shop = baseCtx.state.shops.find((s) => s.id === a.shopId);
	const b = body === undefined || body === null ? {} : body;
	if (typeof b !== 'object' || Array.isArray(b)) throw invalid('ROOT', 'is_object');
	const ctx = { ...baseCtx, shop, params: { id }, query: {}, body: { ...b }, control: true };
	handler(ctx);
	return R.appointment(a, shopTz(ctx));
}

module.exports = { createAppointment, appointmentAction, CONTROL_ACTIONS };
