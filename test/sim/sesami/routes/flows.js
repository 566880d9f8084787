'use strict';
/**
 * Flows: /:shop/flows[/:id] (https://api.sesami.co/swagger; what a Flow is:
 * https://sesami.dev/docs/sesami-flows/flows). The Flow limit is the shop's plan's, or the `maxFlows`
 * variant's (../variants.js).
 */

const V = require('../validate');
const R = require('../render');
const { maxFlowsOf } = require('./shops');
const {
	badRequest,
	invalid,
	inShop,
	findById,
	requireIdAndErrors,
	bodyOrEmpty,
} = require('./common');
const { scalarParam, pageParams, cmpKeys, paginate, lc } = require('./query');

const UNIT_MINUTES = {
	IMMEDIATELY: 0,
	MINUTES_BEFORE: -1,
	HOURS_BEFORE: -60,
	DAYS_BEFORE: -1440,
	MINUTES_AFTER: 1,
	HOURS_AFTER: 60,
	DAYS_AFTER: 1440,
};

function whenOf(w) {
	// `offset` is undocumented (https://sesami.dev/docs/sesami-flows/flows names amount and unit only);
	// the simulator derives it, in minutes, from amount + unit
	return {
		offset: w.unit === 'IMMEDIATELY' ? 0 : w.amount * UNIT_MINUTES[w.unit],
		amount: w.amount,
		unit: w.unit,
	};
}

function checkTarget(action, target, errs) {
	if (action === 'WEBHOOK' && typeof target === 'string' && target !== '' && !V.isHttpUrl(target))
		errs.add('target', 'is_url');
}

function listFlows(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.flows, ctx.shop.id);
	if (term) items = items.filter((f) => [f.name, f.target].some((x) => lc(x).includes(lc(term))));
	const key = (f) => [f.createdAt, f.id];
	items = items.slice().sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.flow) };
}

function getFlow(ctx) {
	const f = findById(ctx, ctx.state.flows, ctx.params.id, 'flow');
	return { status: 200, body: R.flow(f) };
}

/** 201 with no body: the OpenAPI document returns neither the flow nor its id (https://api.sesami.co/swagger). */
function createFlow(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_FLOW);
	checkTarget(body.action, body.target, errs);
	if (errs.any) throw badRequest(errs);
	const count = inShop(ctx.state.flows, ctx.shop.id).length;
	if (count >= maxFlowsOf(ctx)) throw invalid('flow', 'max', maxFlowsOf(ctx));
	const now = ctx.sim.nowIso();
	ctx.state.flows.push({
		_createdViaApi: true,
		id: ctx.sim.newId(),
		status: body.status,
		name: body.name,
		trigger: body.trigger,
		action: body.action,
		target: body.target,
		when: whenOf(body.when),
		template: { headers: body.template.headers, body: body.template.body },
		createdAt: now,
		updatedAt: now,
		shopId: ctx.shop.id,
	});
	return { status: 201 };
}

function updateFlow(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_FLOW);
	const f = requireIdAndErrors(ctx, ctx.state.flows, ctx.params.id, 'flow', errs);
	const e2 = new V.Errors();
	checkTarget(body.action || f.action, body.target || f.target, e2);
	if (e2.any) throw badRequest(e2);
	for (const k of ['status', 'name', 'trigger', 'action', 'target'])
		if (body[k] !== undefined) f[k] = body[k];
	if (body.when) f.when = whenOf(body.when);
	if (body.template) f.template = { headers: body.template.headers, body: body.template.body };
	f.updatedAt = ctx.sim.nowIso();
	return { status: 200, body: R.flow(f) };
}

/** 201 with no body, as the document declares. */
function deleteFlow(ctx) {
	const f = findById(ctx, ctx.state.flows, ctx.params.id, 'flow');
	ctx.state.flows.splice(ctx.state.flows.indexOf(f), 1);
	return { status: 201 };
}

const ROUTES = [
	{ method: 'GET', path: '/:shop/flows', shopParam: 'shop', handler: listFlows },
	{ method: 'POST', path: '/:shop/flows', shopParam: 'shop', handler: createFlow },
	{ method: 'GET', path: '/:shop/flows/:id', shopParam: 'shop', handler: getFlow },
	{ method: 'PATCH', path: '/:shop/flows/:id', shopParam: 'shop', handler: updateFlow },
	{ method: 'DELETE', path: '/:shop/flows/:id', shopParam: 'shop', handler: deleteFlow },
];

module.exports = { ROUTES };
