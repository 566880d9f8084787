'use strict';
/**
 * Services: GET /:shop/services, GET|PATCH|DELETE /:shop/services/:id
 * (https://api.sesami.co/swagger). Service writes use other names than reads
 * (`locationResources[].blocksDuringAppointment` is read back as `locations[].resources[].isTimeBlocker`).
 */

const V = require('../validate');
const R = require('../render');
const { badRequest, inShop, findById, requireIdAndErrors, bodyOrEmpty } = require('./common');
const { scalarParam, boolParam, pageParams, cmpKeys, paginate, lc, byName } = require('./query');

function listServices(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	const status = boolParam(ctx.query, 'status', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.services, ctx.shop.id);
	if (term)
		items = items.filter((s) =>
			[s.title, s.urlKey, s.externalId].some((f) => lc(f).includes(lc(term))),
		);
	if (status !== undefined) items = items.filter((s) => s.status === status);
	const key = byName('title');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.service) };
}

function getService(ctx) {
	const s = findById(ctx, ctx.state.services, ctx.params.id, 'service');
	return { status: 200, body: R.service(s) };
}

function updateService(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_SERVICE);
	const s = requireIdAndErrors(ctx, ctx.state.services, ctx.params.id, 'service', errs);
	const simple = [
		'displayTeamOnStorefront',
		'bookingUntilDays',
		'teamMembers',
		'eventDescription',
		'instantBooking',
		'disableSameDayBooking',
		'roundStartInterval',
		'bufferFromNow',
		'storefrontStartDate',
		'bufferTimeBefore',
		'bufferTimeAfter',
		'customerCanCancel',
		'customerCanReschedule',
		'refundMoneyOnCancel',
		'customerCanManageBefore',
		'groupAppointments',
		'groupAppointmentSlots',
		'flexStartInterval',
		'createOrder',
	];
	for (const k of simple) if (body[k] !== undefined) s[k] = R.clone(body[k]);
	if (body.location) s.location = { id: s.location.id, content: body.location.content || '' };
	if (body.availabilities) s.availabilities = toAvailabilities(ctx, body.availabilities);
	if (body.variants) {
		s.variants = body.variants.map((v) => {
			const label = `${v.duration} minutes`;
			return {
				id: ctx.sim.newId(),
				externalId: v.externalId || '',
				title: v.title,
				price: v.price,
				options: [{ id: ctx.sim.newId(), name: 'Duration', value: label }],
			};
		});
	}
	if (body.locationResources) {
		s.locations = body.locationResources.map((l) => ({
			locationId: l.locationId,
			resources: l.resources.map((r) => ({
				typeId: r.typeId,
				isSelectable: r.isSelectable,
				isTimeBlocker: r.blocksDuringAppointment,
				ids: r.ids.slice(),
				hideAnyAvailable: !!r.hideAnyAvailable,
			})),
		}));
		s.locationIds = s.locations.map((l) => l.locationId);
	}
	s.availabilitiesSavedAt = body.availabilities ? ctx.sim.nowIso() : s.availabilitiesSavedAt;
	return { status: 200, body: R.service(s) };
}

function deleteService(ctx) {
	const s = findById(ctx, ctx.state.services, ctx.params.id, 'service');
	ctx.state.services.splice(ctx.state.services.indexOf(s), 1);
	return { status: 200, body: { message: 'Service deleted successfully' } };
}

function toAvailabilities(ctx, list) {
	return list.map((a) => {
		const out = { id: ctx.sim.newId(), type: a.type };
		if (a.weekday !== undefined) out.weekday = a.weekday;
		if (a.date !== undefined) out.date = a.date;
		out.intervals = a.intervals.map((iv) => ({ id: ctx.sim.newId(), from: iv.from, to: iv.to }));
		return out;
	});
}

const ROUTES = [
	{ method: 'GET', path: '/:shop/services', shopParam: 'shop', handler: listServices },
	{ method: 'GET', path: '/:shop/services/:id', shopParam: 'shop', handler: getService },
	{ method: 'PATCH', path: '/:shop/services/:id', shopParam: 'shop', handler: updateService },
	{ method: 'DELETE', path: '/:shop/services/:id', shopParam: 'shop', handler: deleteService },
];

module.exports = { ROUTES, toAvailabilities };
