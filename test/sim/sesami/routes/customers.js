'use strict';
/**
 * Customers: POST /:shopId/customers, GET|PATCH|DELETE /:shopId/customers/:customerId. The
 * OpenAPI document's template is broken (`/{shopId}/customers/:/customerId`,
 * https://api.sesami.co/swagger); the simulator serves the path it evidently means.
 */

const V = require('../validate');
const R = require('../render');
const { badRequest, findById, bodyOrEmpty, shopTz } = require('./common');
const {} = require('./query');

function createCustomer(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CUSTOMER);
	if (errs.any) throw badRequest(errs);
	const c = {
		id: ctx.sim.newId(),
		externalId: body.externalId || '',
		firstName: body.firstName || '',
		lastName: body.lastName || '',
		name: [body.firstName, body.lastName].filter(Boolean).join(' '),
		email: body.email || '',
		phone: body.phone || '',
		billingPhone: '',
		image:
			typeof body.image === 'string' && body.image ? { id: ctx.sim.newId(), path: body.image } : {},
		externalSource: body.externalSource || '',
		description: body.description || '',
		shopId: ctx.shop.id,
		_timezone: shopTz(ctx),
	};
	ctx.state.customers.push(c);
	return { status: 201 };
}

function getCustomer(ctx) {
	const c = findById(ctx, ctx.state.customers, ctx.params.customerId, 'customer', 'customerId');
	return { status: 200, body: R.customer(c) };
}

function updateCustomer(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CUSTOMER);
	if (!V.isMongoId(ctx.params.customerId)) errs.add('customerId', 'is_mongo_id');
	if (errs.any) throw badRequest(errs);
	const c = findById(ctx, ctx.state.customers, ctx.params.customerId, 'customer', 'customerId');
	for (const k of [
		'externalId',
		'firstName',
		'lastName',
		'email',
		'phone',
		'externalSource',
		'description',
	]) {
		if (body[k] !== undefined) c[k] = body[k];
	}
	if (typeof body.image === 'string')
		c.image = body.image ? { id: ctx.sim.newId(), path: body.image } : {};
	if (body.firstName !== undefined || body.lastName !== undefined)
		c.name = [c.firstName, c.lastName].filter(Boolean).join(' ');
	return { status: 200, body: R.customer(c) };
}

function deleteCustomer(ctx) {
	const c = findById(ctx, ctx.state.customers, ctx.params.customerId, 'customer', 'customerId');
	ctx.state.customers.splice(ctx.state.customers.indexOf(c), 1);
	return { status: 200 };
}

const ROUTES = [
	{ method: 'POST', path: '/:shopId/customers', shopParam: 'shopId', handler: createCustomer },
	{
		method: 'GET',
		path: '/:shopId/customers/:customerId',
		shopParam: 'shopId',
		handler: getCustomer,
	},
	{
		method: 'PATCH',
		path: '/:shopId/customers/:customerId',
		shopParam: 'shopId',
		handler: updateCustomer,
	},
	{
		method: 'DELETE',
		path: '/:shopId/customers/:customerId',
		shopParam: 'shopId',
		handler: deleteCustomer,
	},
];

module.exports = { ROUTES };
