'use strict';
/**
 * Shops and their configuration: GET /shops, GET /shops/:shop/configs, GET|PATCH /shops/:id
 * (https://api.sesami.co/swagger). A personal access token is bound to one shop, so the list holds
 * the key's shop only (https://sesami.dev/docs/sesami-api/personal-access-token).
 */

const V = require('../validate');
const R = require('../render');
const { badRequest, notFound, bodyOrEmpty } = require('./common');
const { scalarParam, pageParams, cmpKeys, paginate, lc, byName } = require('./query');

function listShops(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	if (errs.any) throw badRequest(errs);
	// a PAT is bound to one shop: the list holds the key's shop only
	let items = ctx.state.shops.filter((s) => s.id === ctx.auth.shopId);
	if (term)
		items = items.filter((s) => [s.name, s.domain, s.email].some((f) => lc(f).includes(lc(term))));
	items.sort((a, b) => cmpKeys(byName('name')(a), byName('name')(b), 1));
	return { status: 200, body: paginate(items, page, byName('name'), 1, R.shop) };
}

/** The shop's Flow limit: its plan's, or the one the `maxFlows` variant plays (./variants.js). */
function maxFlowsOf(ctx) {
	const v = ctx.sim.variants ? ctx.sim.variants.get('maxFlows') : 'plan';
	return v === 'plan' ? ctx.shop.maxFlows : Number(v);
}

function getShop(ctx) {
	return { status: 200, body: { ...R.shop(ctx.shop), maxFlows: maxFlowsOf(ctx) } };
}

function updateShop(ctx) {
	const errs = V.validateBody(bodyOrEmpty(ctx), V.schemas.UPDATE_SHOP);
	if (errs.any) throw badRequest(errs);
	const b = bodyOrEmpty(ctx);
	if (b.settings) {
		for (const [k, v] of Object.entries(b.settings)) {
			if (k in V.schemas.UPDATE_SHOP.settings.fields) ctx.shop.settings[k] = R.clone(v);
		}
	}
	if (typeof b.image === 'string') ctx.shop.image = { id: ctx.sim.newId(), path: b.image };
	ctx.shop.updatedAt = ctx.sim.nowIso();
	return { status: 200, body: R.shop(ctx.shop) };
}

function getShopConfig(ctx) {
	const config = ctx.state.configs.find((c) => c.shopId === ctx.shop.id);
	if (!config) throw notFound('config');
	return { status: 200, body: R.shopConfig(config, ctx.shop) };
}

/** [method, path, the path param holding the shop id] -> handler */
const ROUTES = [
	{ method: 'GET', path: '/shops', shopParam: null, handler: listShops },
	{ method: 'GET', path: '/shops/:shop/configs', shopParam: 'shop', handler: getShopConfig },
	{ method: 'GET', path: '/shops/:id', shopParam: 'id', handler: getShop },
	{ method: 'PATCH', path: '/shops/:id', shopParam: 'id', handler: updateShop },
];

module.exports = { ROUTES, maxFlowsOf };
