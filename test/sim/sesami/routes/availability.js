'use strict';
/**
 * Availability: GET /availabilities/:shop (https://api.sesami.co/swagger), and the free-slot search
 * the simulator's own bookings use.
 *
 * `startTime` is `YYYY-MM-DD HH:mm` in the requested timezone (the format the storefront SDK
 * documents for the same slot object, https://sesami.dev/docs/sesami-sdk/rendering-a-calendar).
 * Fully booked slots are omitted; a slot with some capacity left but less than `quantity` is
 * `unavailable`.
 */

const V = require('../validate');
const T = require('../time');
const { FLEX_MINUTES, durationOf, dayIntervals, intersect } = require('../seed');
const { badRequest, notFound, invalid, variantOf, inShop, shopTz, STATUS } = require('./common');
const { arrayParam, scalarParam, mongoParam, tzParam, dateParam } = require('./query');

function conflicts(ctx, resourceIds, from, to, exceptId) {
	return ctx.state.appointments.some(
		(a) =>
			a.status !== STATUS.CANCELLED &&
			a.id !== exceptId &&
			a.resources.some((r) => resourceIds.includes(r)) &&
			Date.parse(a.rangeStart) < to &&
			Date.parse(a.rangeEnd) > from,
	);
}

function resourceWorks(resource, startMs, minutes) {
	const p = T.partsInTz(startMs, resource.timezone);
	const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
	const s = p.hour * 60 + p.minute;
	return dayIntervals(resource.availabilities, p.weekday, date).some(
		([a, b]) => s >= a && s + minutes <= b,
	);
}

/** The query of GET /availabilities/:shop, validated (400 with every problem at once). */
function readAvailabilityQuery(ctx) {
	const q = ctx.query;
	const errs = new V.Errors();
	const serviceId = scalarParam(q, 'service', errs, 'is_mongo_id');
	if (serviceId === undefined || serviceId === '') errs.add('service', 'is_not_empty');
	else if (!V.isMongoId(serviceId)) errs.add('service', 'is_mongo_id');
	const tz = tzParam(q, 'timezone', errs, true);
	const variantId = scalarParam(q, 'variantId', errs);
	if (variantId === undefined || variantId === '') errs.add('variantId', 'is_not_empty');
	const ids = arrayParam(q, 'ids', variantOf(ctx, 'arrayQuery', 'any'));
	if (ids === undefined) errs.add('ids', 'is_array');
	else if (ids.some((x) => !V.isMongoId(x))) errs.add('ids', 'is_mongo_id');
	const locationId = mongoParam(q, 'locationId', errs);
	const quantityRaw = scalarParam(q, 'quantity', errs, 'is_number');
	let quantity = 1;
	if (quantityRaw !== undefined && quantityRaw !== '') {
		quantity = Number(quantityRaw);
		if (!Number.isInteger(quantity)) errs.add('quantity', 'is_number');
		else if (quantity < 1) errs.add('quantity', 'min', 1);
	}
	const outTz = tz || 'UTC';
	const startMs = dateParam(q, 'start', errs, outTz);
	const endMs = dateParam(q, 'end', errs, outTz);
	if (errs.any) throw badRequest(errs);
	return { serviceId, variantId, ids, locationId, quantity, outTz, startMs, endMs };
}

/** The resources that can serve this booking: the ones asked for, or the location's primary ones. */
function candidateResources(service, locationId, ids, shopResources) {
	const locs = service.locations.filter((l) => !locationId || l.locationId === locationId);
	let candidates;
	if (ids.length) {
		candidates = shopResources.filter((r) => ids.includes(r.id));
	} else {
		const set = new Set();
		for (const l of locs)
			for (const rs of l.resources)
				if (rs.isTimeBlocker || rs.isSelectable) rs.ids.forEach((i) => set.add(i));
		const primaryType = locs[0] && locs[0].resources[0] ? locs[0].resources[0].typeId : undefined;
		candidates = shopResources.filter(
			(r) => set.has(r.id) && (!primaryType || r.type === primaryType),
		);
	}
	return candidates.filter((r) => r.status);
}

/** How many more bookings the candidates can take at slotStart (group services: seats left). */
function remainingAt(ctx, { service, candidates, minutes, capacityPer }, slotStart) {
	const from = slotStart - service.bufferTimeBefore * T.MINUTE;
	const to = slotStart + (minutes + service.bufferTimeAfter) * T.MINUTE;
	let remaining = 0;
	for (const r of candidates) {
		if (!resourceWorks(r, slotStart, minutes)) continue;
		const overlapping = ctx.state.appointments.filter(
			(a) =>
				a.status !== STATUS.CANCELLED &&
				a.resources.includes(r.id) &&
				Date.parse(a.rangeStart) < to &&
				Date.parse(a.rangeEnd) > from,
		);
		if (!overlapping.length) remaining += capacityPer;
		else if (
			service.groupAppointments &&
			overlapping.every((a) => a.service === service.id && Date.parse(a.datetime) === slotStart)
		) {
			remaining += Math.max(
				0,
				capacityPer - overlapping.reduce((n, a) => n + (a.quantity || 1), 0),
			);
		}
	}
	return remaining;
}

/**
 * The slots of the days firstDate..lastDate (in outTz), by date: the shop-timezone calendar is
 * walked one day either side of the window, fully booked slots left out.
 */
function slotsByDate(ctx, { service, variant, candidates, quantity, outTz, firstDate, lastDate }) {
	const now = ctx.sim.now();
	const minutes = durationOf(variant);
	const step = FLEX_MINUTES[service.flexStartInterval] || minutes;
	const stz = shopTz(ctx);
	const todayShop = T.dateInTz(now, stz);
	const earliest = now + (service.bufferFromNow || 0) * T.MINUTE;
	const latest = now + (service.bookingUntilDays || 365) * T.DAY;
	const capacityPer = service.groupAppointments ? service.groupAppointmentSlots || 1 : 1;
	const days = new Map();
	for (let d = firstDate; d <= lastDate; d = T.addDaysToDate(d, 1)) days.set(d, []);
	const offer = { service, candidates, minutes, capacityPer };
	for (
		let d = T.addDaysToDate(firstDate, -1);
		d <= T.addDaysToDate(lastDate, 1);
		d = T.addDaysToDate(d, 1)
	) {
		if (service.disableSameDayBooking && d === todayShop) continue;
		const [y, mo, da] = d.split('-').map(Number);
		for (const [s, e] of dayIntervals(service.availabilities, T.weekdayOfDate(d), d)) {
			for (let m = s; m + minutes <= e; m += step) {
				const slotStart = T.wallToUtc(y, mo, da, Math.floor(m / 60), m % 60, stz);
				const outDate = T.dateInTz(slotStart, outTz);
				if (!days.has(outDate) || slotStart < earliest || slotStart > latest) continue;
				const remaining = remainingAt(ctx, offer, slotStart);
				if (remaining <= 0) continue; // fully booked: the slot disappears
				days.get(outDate).push({
					status: remaining >= quantity ? 'available' : 'unavailable',
					remainingSlots: remaining,
					startTime: `${outDate} ${T.timeInTz(slotStart, outTz)}`,
					duration: minutes,
					_ms: slotStart,
				});
			}
		}
	}
	return days;
}

function getAvailability(ctx) {
	const q = readAvailabilityQuery(ctx);
	const { ids, locationId, outTz } = q;
	const service = ctx.state.services.find((s) => s.id === q.serviceId && s.shopId === ctx.shop.id);
	if (!service) throw notFound('service');
	const variant = service.variants.find(
		(v) => v.id === q.variantId || v.externalId === q.variantId,
	);
	if (!variant) throw notFound('variant');
	if (locationId && !service.locationIds.includes(locationId))
		throw invalid('locationId', 'invalid_id');
	const shopResources = inShop(ctx.state.resources, ctx.shop.id);
	if (ids.some((id) => !shopResources.some((r) => r.id === id))) throw invalid('ids', 'invalid_id');

	const now = ctx.sim.now();
	const firstDate = T.dateInTz(q.startMs === undefined ? now : q.startMs, outTz);
	const lastDate =
		q.endMs === undefined ? T.addDaysToDate(firstDate, 6) : T.dateInTz(q.endMs, outTz);
	if (lastDate < firstDate) throw invalid('end', 'valid_interval');
	const span = Math.round(
		(Date.parse(`${lastDate}T00:00:00Z`) - Date.parse(`${firstDate}T00:00:00Z`)) / T.DAY,
	);
	if (span > 62) throw invalid('end', 'valid_interval', 'at most 62 days');

	const candidates = candidateResources(service, locationId, ids, shopResources);
	const days = slotsByDate(ctx, {
		service,
		variant,
		candidates,
		quantity: q.quantity,
		outTz,
		firstDate,
		lastDate,
	});
	const body = [...days.entries()].map(([date, slots]) => ({
		date,
		slots: slots.sort((a, b) => a._ms - b._ms).map(({ _ms, ...s }) => s),
	}));
	return { status: 200, body };
}

/**
 * The first start >= fromMs where one of the location's primary resources and the service both
 * work and nothing (non-cancelled, buffers included) overlaps. Returns { startMs, resourceId } or
 * undefined within `days` days.
 */
function nextFreeSlot(
	ctx,
	{ service, variant, location, fromMs, exceptId, resourceIds, days = 60 },
) {
	const tz = shopTz(ctx);
	const minutes = durationOf(variant);
	const step = FLEX_MINUTES[service.flexStartInterval] || 30;
	const candidates = (
		resourceIds || (location && location.resources[0] ? location.resources[0].ids : [])
	)
		.map((id) => ctx.state.resources.find((r) => r.id === id))
		.filter((r) => r && r.status);
	const firstDate = T.dateInTz(fromMs, tz);
	for (let d = 0; d < days; d++) {
		const date = T.addDaysToDate(firstDate, d);
		const wd = T.weekdayOfDate(date);
		const [y, mo, da] = date.split('-').map(Number);
		const serviceIvs = dayIntervals(service.availabilities, wd, date);
		const starts = [];
		for (const r of candidates) {
			for (const [s, e] of intersect(serviceIvs, dayIntervals(r.availabilities, wd, date))) {
				for (let m = s; m + minutes <= e; m += step) starts.push([m, r.id]);
			}
		}
		starts.sort((a, b) => a[0] - b[0]);
		for (const [m, resourceId] of starts) {
			const startMs = T.wallToUtc(y, mo, da, Math.floor(m / 60), m % 60, tz);
			if (startMs < fromMs) continue;
			const from = startMs - service.bufferTimeBefore * T.MINUTE;
			const to = startMs + (minutes + service.bufferTimeAfter) * T.MINUTE;
			if (!conflicts(ctx, [resourceId], from, to, exceptId)) return { startMs, resourceId };
		}
	}
	return undefined;
}

const ROUTES = [
	{ method: 'GET', path: '/availabilities/:shop', shopParam: 'shop', handler: getAvailability },
];

module.exports = { ROUTES, conflicts, nextFreeSlot };
