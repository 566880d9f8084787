'use strict';
/**
 * Reservations: GET /:shop/reservations[/:id] (https://api.sesami.co/swagger), filtered like
 * appointments.
 */

const V = require('../validate');
const R = require('../render');
const { readListFilters, applyTimeFilters, matchesSearch } = require('./appointments');
const { badRequest, inShop, findById, shopTz } = require('./common');
const { paginate } = require('./query');

function listReservations(ctx) {
	const errs = new V.Errors();
	const f = readListFilters(ctx, errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.reservations, ctx.shop.id);
	if (f.ids && f.ids.length) items = items.filter((r) => f.ids.includes(r.id));
	if (f.resources && f.resources.length)
		items = items.filter((r) => r.resources.some((x) => f.resources.includes(x)));
	if (f.teamMember)
		items = items.filter(
			(r) => r.teamMember === f.teamMember || r.resources.includes(f.teamMember),
		);
	if (f.locationId) {
		items = items.filter((r) => {
			const svc = ctx.state.services.find((s) => s.id === r.service);
			return svc && svc.locationIds.includes(f.locationId);
		});
	}
	if (f.searchTerm) items = items.filter((r) => matchesSearch(f.searchTerm, r.customer, ''));
	const {
		items: sorted,
		dir,
		key,
	} = applyTimeFilters(ctx, items, f, (r) => Date.parse(r.dateTime));
	return {
		status: 200,
		body: paginate(sorted, f.page, key, dir, (r) => R.reservation(r, f.tz, ctx.state.services)),
	};
}

/** Sesami's OpenAPI document declares this body under 201 (https://api.sesami.co/swagger); we answer with that status. */
function getReservation(ctx) {
	const r = findById(ctx, ctx.state.reservations, ctx.params.id, 'reservation');
	return { status: 201, body: R.reservation(r, shopTz(ctx), ctx.state.services) };
}

const ROUTES = [
	{ method: 'GET', path: '/:shop/reservations', shopParam: 'shop', handler: listReservations },
	{ method: 'GET', path: '/:shop/reservations/:id', shopParam: 'shop', handler: getReservation },
];

module.exports = { ROUTES };
