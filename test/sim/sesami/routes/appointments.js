'use strict';
/**
 * Appointments: list, read, cancel, reschedule, check-in, no-show, resend confirmation, report
 * (https://api.sesami.co/swagger); the changes fire the shop's Flows
 * (https://sesami.dev/docs/sesami-flows/flows).
 *
 * Decisions where the documents are silent (kept consistent everywhere):
 * - Appointment `status` strings: BOOKED, RESCHEDULED, CANCELLED, CHECKED_IN, NO_SHOW; `events[]`
 *   remains the source of truth.
 * - filterType: ALL (datetime ascending, optional start/end bounds), UPCOMING (datetime >= now,
 *   ascending), PAST (datetime < now, descending), RANGE (start <= datetime < end, ascending;
 *   start and end required). Cancelled appointments are included in every filter.
 */

const V = require('../validate');
const T = require('../time');
const R = require('../render');
const { conflicts } = require('./availability');
const {
	ApiError,
	err,
	badRequest,
	invalid,
	variantOf,
	inShop,
	requireIdAndErrors,
	bodyOrEmpty,
	shopTz,
	renderAppointment,
	STATUS,
} = require('./common');
const {
	scalarParam,
	mongoParam,
	tzParam,
	dateParam,
	idsParam,
	pageParams,
	cmpKeys,
	paginate,
	lc,
} = require('./query');

function readListFilters(ctx, errs) {
	const q = ctx.query;
	const page = pageParams(q, errs);
	const arrayMode = variantOf(ctx, 'arrayQuery', 'any');
	const ids = idsParam(q, 'ids', errs, arrayMode);
	const resources = idsParam(q, 'resources', errs, arrayMode);
	const searchTerm = scalarParam(q, 'searchTerm', errs);
	const teamMember = scalarParam(q, 'teamMember', errs);
	const locationId = mongoParam(q, 'locationId', errs);
	const timezone = tzParam(q, 'timezone', errs, false);
	const tz = timezone || shopTz(ctx);
	let filterType = scalarParam(q, 'filterType', errs, 'is_enum');
	if (filterType === undefined || filterType === '') filterType = 'ALL';
	else if (!V.FILTER_TYPES.includes(filterType)) {
		errs.add('filterType', 'is_enum', V.FILTER_TYPES.join(','));
	}
	const start = dateParam(q, 'start', errs, tz);
	const end = dateParam(q, 'end', errs, tz);
	if (filterType === 'RANGE') {
		if (q.start === undefined || q.start === '') errs.add('start', 'is_not_empty');
		if (q.end === undefined || q.end === '') errs.add('end', 'is_not_empty');
	}
	if (start !== undefined && end !== undefined && start > end) errs.add('end', 'valid_interval');
	return { page, ids, resources, searchTerm, teamMember, locationId, tz, filterType, start, end };
}

/** filter + order by time; returns { items, dir } */
function applyTimeFilters(ctx, items, f, timeOf) {
	const now = ctx.sim.now();
	let dir = 1;
	let out = items;
	if (f.filterType === 'UPCOMING') out = out.filter((x) => timeOf(x) >= now);
	if (f.filterType === 'PAST') {
		out = out.filter((x) => timeOf(x) < now);
		dir = -1;
	}
	if (f.start !== undefined) out = out.filter((x) => timeOf(x) >= f.start);
	if (f.end !== undefined) out = out.filter((x) => timeOf(x) < f.end);
	const key = (x) => [timeOf(x), x.id];
	out = out.slice().sort((a, b) => cmpKeys(key(a), key(b), dir));
	return { items: out, dir, key };
}

function matchesSearch(term, customer, orderName) {
	if (!term) return true;
	const t = lc(term).trim();
	const hay = [
		customer && customer.name,
		customer && customer.firstName,
		customer && customer.lastName,
		customer && customer.email,
		orderName,
		orderName ? String(orderName).replace(/^#/, '') : '',
	];
	return hay.some((h) => h && lc(h).includes(t));
}

function listAppointments(ctx) {
	const errs = new V.Errors();
	const f = readListFilters(ctx, errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.appointments, ctx.shop.id);
	if (f.ids && f.ids.length) items = items.filter((a) => f.ids.includes(a.id));
	if (f.resources && f.resources.length)
		items = items.filter((a) => a.resources.some((r) => f.resources.includes(r)));
	if (f.teamMember)
		items = items.filter(
			(a) => a.teamMember === f.teamMember || a.resources.includes(f.teamMember),
		);
	if (f.locationId) items = items.filter((a) => a.locationId === f.locationId);
	if (f.searchTerm)
		items = items.filter((a) => matchesSearch(f.searchTerm, a.customer, a.orderName));
	const {
		items: sorted,
		dir,
		key,
	} = applyTimeFilters(ctx, items, f, (a) => Date.parse(a.datetime));
	const services = ctx.state.services;
	const render = (a) => {
		const out = renderAppointment(ctx, a, f.tz);
		const svc = services.find((s) => s.id === a.service);
		if (svc) out.serviceObject = R.service(svc);
		return out;
	};
	return { status: 200, body: paginate(sorted, f.page, key, dir, render) };
}

function getAppointment(ctx) {
	const errs = new V.Errors();
	const tz = tzParam(ctx.query, 'timezone', errs, true);
	const a = requireIdAndErrors(ctx, ctx.state.appointments, ctx.params.id, 'appointment', errs);
	return { status: 200, body: renderAppointment(ctx, a, tz) };
}

function appointmentForChange(ctx, errs) {
	const a = requireIdAndErrors(ctx, ctx.state.appointments, ctx.params.id, 'appointment', errs);
	return a;
}

function assertNotCancelled(a, what) {
	if (a.status === STATUS.CANCELLED) {
		throw new ApiError(
			400,
			err('appointment', 'invalid_input', `Cancelled appointments cannot be ${what}`),
		);
	}
}

function addEvent(ctx, a, type, content, atMs) {
	const e = {
		id: ctx.sim.newId(),
		type,
		content: content === undefined ? '' : content,
		initiatedBy: 'API',
		dateTime: new Date(atMs === undefined ? ctx.sim.now() : atMs).toISOString(),
	};
	a.events.push(e);
	a.updatedAt = ctx.sim.nowIso();
	return e;
}

/**
 * Variant `writeGatewayError` = apply-then-502: the first API cancel / reschedule of each
 * appointment is carried out, then answered 502 (a gateway that lost Sesami's answer). The
 * exchange is marked `fault: 'gateway-502'` (the status is a gateway's, not the API's). Control
 * endpoints (ctx.control) are never affected.
 */
function gatewayErrorAfterWrite(ctx, a, action) {
	if (ctx.control || variantOf(ctx, 'writeGatewayError', 'off') !== 'apply-then-502')
		return undefined;
	a._gatewayErrors = a._gatewayErrors || {};
	if (a._gatewayErrors[action]) return undefined;
	a._gatewayErrors[action] = true;
	return { status: 502, body: err('ROOT', 'bad_gateway'), gatewayError: true };
}

function cancelAppointment(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CANCEL);
	const a = appointmentForChange(ctx, errs);
	if (a.status === STATUS.CANCELLED) {
		// variant repeatCancel = noop-200: a second cancel is answered 200 and changes nothing
		if (!ctx.control && variantOf(ctx, 'repeatCancel', 'error-400') === 'noop-200') {
			return { status: 200, body: { message: 'Appointment is already cancelled' } };
		}
		throw new ApiError(
			400,
			err('appointment', 'invalid_input', 'Appointment is already cancelled'),
		);
	}
	a.status = STATUS.CANCELLED;
	a._refundMoney = body.refundMoney;
	addEvent(ctx, a, 'CANCELLED', body.content);
	ctx.sim.emitAppointmentEvent(a.shopId, a, 'APPOINTMENT_CANCELLED');
	return (
		gatewayErrorAfterWrite(ctx, a, 'cancel') || {
			status: 200,
			body: { message: 'Appointment cancelled successfully' },
		}
	);
}

function rescheduleAppointment(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.RESCHEDULE);
	const a = appointmentForChange(ctx, errs);
	assertNotCancelled(a, 'rescheduled');
	if (
		body.dateTime === undefined &&
		body.resourceIds === undefined &&
		body.locationId === undefined &&
		body.teamMemberId === undefined
	) {
		throw invalid('dateTime', 'is_not_empty');
	}
	const shopResources = inShop(ctx.state.resources, ctx.shop.id);
	const e2 = new V.Errors();
	if (body.resourceIds && body.resourceIds.some((id) => !shopResources.some((r) => r.id === id)))
		e2.add('resourceIds', 'invalid_id');
	if (body.teamMemberId && !shopResources.some((r) => r.id === body.teamMemberId))
		e2.add('teamMemberId', 'invalid_id');
	if (
		body.locationId &&
		!inShop(ctx.state.locations, ctx.shop.id).some((l) => l.id === body.locationId)
	)
		e2.add('locationId', 'invalid_id');
	if (e2.any) throw badRequest(e2);
	const tz = body.timezone || shopTz(ctx);
	const oldStart = Date.parse(a.datetime);
	const newStart =
		body.dateTime === undefined ? oldStart : T.parseDateTimeLenient(body.dateTime, tz);
	const newResources =
		body.resourceIds && body.resourceIds.length
			? body.resourceIds.slice()
			: body.teamMemberId
				? [body.teamMemberId]
				: a.resources.slice();
	if (ctx.sim.options.rescheduleRequiresAvailability) {
		const busy = conflicts(
			ctx,
			newResources,
			newStart - a.bufferTimeBefore * T.MINUTE,
			newStart + (a.duration + a.bufferTimeAfter) * T.MINUTE,
			a.id,
		);
		if (busy) throw invalid('dateTime', 'valid_interval');
	}
	a.datetime = new Date(newStart).toISOString();
	a.rangeStart = new Date(newStart - a.bufferTimeBefore * T.MINUTE).toISOString();
	a.rangeEnd = new Date(newStart + (a.duration + a.bufferTimeAfter) * T.MINUTE).toISOString();
	a.resources = newResources;
	a.teamMember = body.teamMemberId || newResources[0] || a.teamMember;
	if (body.locationId) a.locationId = body.locationId;
	a.status = STATUS.RESCHEDULED;
	const stz = shopTz(ctx);
	const content =
		body.content !== undefined
			? body.content
			: `Rescheduled from ${T.formatInTz(oldStart, stz)} to ${T.formatInTz(newStart, stz)}`;
	addEvent(ctx, a, 'RESCHEDULED', content);
	ctx.sim.emitAppointmentEvent(a.shopId, a, 'APPOINTMENT_RESCHEDULED');
	return (
		gatewayErrorAfterWrite(ctx, a, 'reschedule') || {
			status: 200,
			body: { message: 'Appointment rescheduled successfully' },
		}
	);
}

function eventAction(type, status, trigger, what) {
	return (ctx) => {
		const body = bodyOrEmpty(ctx);
		const errs = V.validateBody(body, V.schemas.APPOINTMENT_EVENT);
		const a = appointmentForChange(ctx, errs);
		assertNotCancelled(a, what);
		const at =
			body.dateTime === undefined ? undefined : T.parseDateTimeLenient(body.dateTime, shopTz(ctx));
		addEvent(ctx, a, type, body.content, at);
		a.status = status;
		ctx.sim.emitAppointmentEvent(a.shopId, a, trigger);
		return { status: 200, body: renderAppointment(ctx, a, shopTz(ctx)) };
	};
}

function resendConfirmation(ctx) {
	const a = appointmentForChange(ctx, new V.Errors());
	assertNotCancelled(a, 'confirmed again');
	addEvent(ctx, a, 'CONFIRMATIONEMAILSENT', '');
	return { status: 200, body: renderAppointment(ctx, a, shopTz(ctx)) };
}

function generateReport(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.REPORT);
	if (body.filterType === 'RANGE') {
		if (body.start === undefined) errs.add('start', 'is_not_empty');
		if (body.end === undefined) errs.add('end', 'is_not_empty');
	}
	if (errs.any) throw badRequest(errs);
	return { status: 200, body: { email: ctx.shop.email } };
}

function startAppointment(ctx) {
	const a = appointmentForChange(ctx, new V.Errors());
	assertNotCancelled(a, 'started');
	a._startedAt = ctx.sim.nowIso();
	ctx.sim.emitAppointmentEvent(a.shopId, a, 'APPOINTMENT_STARTED');
	return { status: 200, body: R.appointment(a, shopTz(ctx)) };
}

const ROUTES = [
	{ method: 'GET', path: '/:shop/appointments', shopParam: 'shop', handler: listAppointments },
	{
		method: 'POST',
		path: '/:shop/appointments/report',
		shopParam: 'shop',
		handler: generateReport,
	},
	{ method: 'GET', path: '/:shop/appointments/:id', shopParam: 'shop', handler: getAppointment },
	{
		method: 'POST',
		path: '/:shop/appointments/:id/cancel',
		shopParam: 'shop',
		handler: cancelAppointment,
	},
	{
		method: 'POST',
		path: '/:shop/appointments/:id/reschedule',
		shopParam: 'shop',
		handler: rescheduleAppointment,
	},
	{
		method: 'POST',
		path: '/:shop/appointments/:id/check-in',
		shopParam: 'shop',
		handler: eventAction(
			'CUSTOMER_CHECKIN',
			STATUS.CHECKED_IN,
			'CUSTOMER_CHECKED_IN',
			'checked in',
		),
	},
	{
		method: 'POST',
		path: '/:shop/appointments/:id/no-show',
		shopParam: 'shop',
		handler: eventAction('NO_SHOW', STATUS.NO_SHOW, 'NO_SHOW', 'marked as no-show'),
	},
	{
		method: 'POST',
		path: '/:shop/appointments/:id/resend-appointment-confirmation',
		shopParam: 'shop',
		handler: resendConfirmation,
	},
];

module.exports = {
	ROUTES,
	readListFilters,
	applyTimeFilters,
	matchesSearch,
	appointmentForChange,
	assertNotCancelled,
	cancelAppointment,
	rescheduleAppointment,
	eventAction,
	startAppointment,
};
