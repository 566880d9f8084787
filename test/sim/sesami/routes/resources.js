'use strict';
/**
 * Resources (team members, rooms, ...) and resource types: /:shop/resources[/:id],
 * /:shop/resource-types[/:id] (https://api.sesami.co/swagger).
 */

const V = require('../validate');
const R = require('../render');
const { toAvailabilities } = require('./services');
const {
	badRequest,
	invalid,
	variantOf,
	inShop,
	findById,
	requireIdAndErrors,
	bodyOrEmpty,
	shopTz,
} = require('./common');
const {
	scalarParam,
	mongoParam,
	tzParam,
	idsParam,
	pageParams,
	cmpKeys,
	paginate,
	lc,
	byName,
} = require('./query');

function listResources(ctx) {
	const errs = new V.Errors();
	const q = ctx.query;
	const page = pageParams(q, errs);
	const term = scalarParam(q, 'searchTerm', errs);
	const typeId = mongoParam(q, 'typeId', errs);
	const locationId = mongoParam(q, 'locationId', errs);
	tzParam(q, 'timezone', errs, false);
	const ids = idsParam(q, 'ids', errs, variantOf(ctx, 'arrayQuery', 'any'));
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.resources, ctx.shop.id);
	if (term)
		items = items.filter((r) =>
			[r.name, r.email, r.description].some((f) => lc(f).includes(lc(term))),
		);
	if (typeId) items = items.filter((r) => r.type === typeId);
	if (locationId) items = items.filter((r) => (r._locationIds || []).includes(locationId));
	if (ids && ids.length) items = items.filter((r) => ids.includes(r.id));
	const key = byName('name');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.resource) };
}

function getResource(ctx) {
	const errs = new V.Errors();
	tzParam(ctx.query, 'timezone', errs, true);
	const r = requireIdAndErrors(ctx, ctx.state.resources, ctx.params.id, 'resource', errs);
	return { status: 200, body: R.resource(r) };
}

function applyResource(ctx, r, body) {
	for (const k of [
		'name',
		'email',
		'status',
		'timezone',
		'description',
		'eventDescription',
		'mobile',
		'notificationEmailStatus',
	]) {
		if (body[k] !== undefined) r[k] = body[k];
	}
	if (typeof body.image === 'string') r.image = { id: ctx.sim.newId(), path: body.image };
	if (body.availabilities) r.availabilities = toAvailabilities(ctx, body.availabilities);
	if (body.availabilitiesRange) {
		r.availabilitiesRange = {
			availableFrom: {
				type: body.availabilitiesRange.availableFrom.type,
				value: body.availabilitiesRange.availableFrom.value ?? null,
			},
			availableTo: {
				type: body.availabilitiesRange.availableTo.type,
				value: body.availabilitiesRange.availableTo.value ?? null,
			},
		};
	}
}

function updateResource(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_RESOURCE);
	const r = requireIdAndErrors(ctx, ctx.state.resources, ctx.params.id, 'resource', errs);
	applyResource(ctx, r, body);
	return { status: 200, body: R.resource(r) };
}

function createResource(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_RESOURCE);
	if (errs.any) throw badRequest(errs);
	const type = ctx.state.resourceTypes.find(
		(t) => t.id === body.typeId && t.shopId === ctx.shop.id,
	);
	if (!type) throw invalid('typeId', 'invalid_id');
	const r = {
		id: ctx.sim.newId(),
		name: body.name,
		type: type.id,
		email: '',
		status: true,
		image: {},
		shopId: ctx.shop.id,
		description: '',
		eventDescription: '',
		mobile: '',
		notificationEmailStatus: false,
		timezone: shopTz(ctx),
		availabilities: [],
		availabilitiesRange: {
			availableFrom: { type: 'NOW', value: null },
			availableTo: { type: 'INDEFINITELY', value: null },
		},
		metaFields: {},
		_locationIds: [],
	};
	applyResource(ctx, r, body);
	ctx.state.resources.push(r);
	return { status: 201 };
}

function deleteResource(ctx) {
	const r = findById(ctx, ctx.state.resources, ctx.params.id, 'resource');
	ctx.state.resources.splice(ctx.state.resources.indexOf(r), 1);
	return { status: 200, body: { message: 'Resource deleted successfully' } };
}

function listResourceTypes(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.resourceTypes, ctx.shop.id);
	if (term) items = items.filter((t) => lc(t.name).includes(lc(term)));
	const key = byName('name');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.resourceType) };
}

function getResourceType(ctx) {
	const t = findById(ctx, ctx.state.resourceTypes, ctx.params.id, 'resource-type');
	return { status: 200, body: R.resourceType(t) };
}

function createResourceType(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_RESOURCE_TYPE);
	if (errs.any) throw badRequest(errs);
	ctx.state.resourceTypes.push({ id: ctx.sim.newId(), name: body.name, shopId: ctx.shop.id });
	return { status: 201 };
}

const ROUTES = [
	{ method: 'GET', path: '/:shop/resources', shopParam: 'shop', handler: listResources },
	{ method: 'POST', path: '/:shop/resources', shopParam: 'shop', handler: createResource },
	{ method: 'GET', path: '/:shop/resources/:id', shopParam: 'shop', handler: getResource },
	{ method: 'PATCH', path: '/:shop/resources/:id', shopParam: 'shop', handler: updateResource },
	{ method: 'DELETE', path: '/:shop/resources/:id', shopParam: 'shop', handler: deleteResource },

	{ method: 'GET', path: '/:shop/resource-types', shopParam: 'shop', handler: listResourceTypes },
	{ method: 'POST', path: '/:shop/resource-types', shopParam: 'shop', handler: createResourceType },
	{ method: 'GET', path: '/:shop/resource-types/:id', shopParam: 'shop', handler: getResourceType },
];

module.exports = { ROUTES };
