'use strict';
/**
 * Locations: /:shop/locations[/:id] (https://api.sesami.co/swagger). The document's
 * UpdateLocationRequest is an empty schema; the simulator applies CreateLocationRequest's fields.
 */

const V = require('../validate');
const R = require('../render');
const {
	badRequest,
	inShop,
	findById,
	requireIdAndErrors,
	bodyOrEmpty,
	shopTz,
} = require('./common');
const { scalarParam, boolParam, pageParams, cmpKeys, paginate, lc, byName } = require('./query');

function listLocations(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	const status = boolParam(ctx.query, 'status', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.locations, ctx.shop.id);
	if (term)
		items = items.filter((l) =>
			[l.name, l.email, l.businessAddress.city].some((f) => lc(f).includes(lc(term))),
		);
	if (status !== undefined) items = items.filter((l) => l.status === status);
	const key = byName('name');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.location) };
}

function getLocation(ctx) {
	const l = findById(ctx, ctx.state.locations, ctx.params.id, 'location');
	return { status: 200, body: R.location(l) };
}

function applyLocation(ctx, l, body) {
	for (const k of ['name', 'timezone', 'status', 'email', 'description', 'phone', 'isDefault']) {
		if (body[k] !== undefined) l[k] = body[k];
	}
	if (typeof body.image === 'string') l.image = { id: ctx.sim.newId(), path: body.image };
	if (body.businessAddress) {
		const a = { ...l.businessAddress };
		for (const [k, v] of Object.entries(body.businessAddress))
			if (k in V.schemas.CREATE_LOCATION.businessAddress.fields) a[k] = v;
		l.businessAddress = a;
	}
	if (body.isDefault === true) {
		for (const o of inShop(ctx.state.locations, ctx.shop.id)) if (o !== l) o.isDefault = false;
	}
}

function createLocation(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_LOCATION);
	if (errs.any) throw badRequest(errs);
	const l = {
		id: ctx.sim.newId(),
		name: body.name,
		email: '',
		phone: '',
		description: '',
		image: {},
		businessAddress: {
			country: '',
			address: '',
			address2: '',
			zipCode: '',
			city: '',
			state: '',
			suite: '',
		},
		timezone: shopTz(ctx),
		status: true,
		shopId: ctx.shop.id,
		isDefault: false,
	};
	applyLocation(ctx, l, body);
	ctx.state.locations.push(l);
	return { status: 201 };
}

function updateLocation(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_LOCATION);
	const l = requireIdAndErrors(ctx, ctx.state.locations, ctx.params.id, 'location', errs);
	applyLocation(ctx, l, body);
	return { status: 200, body: R.location(l) };
}

function deleteLocation(ctx) {
	const l = findById(ctx, ctx.state.locations, ctx.params.id, 'location');
	ctx.state.locations.splice(ctx.state.locations.indexOf(l), 1);
	return { status: 200, body: R.location(l) };
}

const ROUTES = [
	{ method: 'GET', path: '/:shop/locations', shopParam: 'shop', handler: listLocations },
	{ method: 'POST', path: '/:shop/locations', shopParam: 'shop', handler: createLocation },
	{ method: 'GET', path: '/:shop/locations/:id', shopParam: 'shop', handler: getLocation },
	{ method: 'PATCH', path: '/:shop/locations/:id', shopParam: 'shop', handler: updateLocation },
	{ method: 'DELETE', path: '/:shop/locations/:id', shopParam: 'shop', handler: deleteLocation },
];

module.exports = { ROUTES };
