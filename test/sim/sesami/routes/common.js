'use strict';
/**
 * What every route of the Sesami Admin API simulator shares: the error body Sesami documents
 * (https://sesami.dev/docs/sesami-api/errors: a JSON array of `{property, constraints: [{name,
 * payload?}]}`), lookups inside the caller's shop, and the appointment status strings.
 */

const V = require('../validate');
const R = require('../render');

class ApiError extends Error {
	constructor(status, body, headers) {
		super(`HTTP ${status}`);
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

const err = (property, name, payload) => [
	{ property, constraints: [payload === undefined ? { name } : { name, payload }] },
];
const badRequest = (errs) => new ApiError(400, errs.list || errs);
const notFound = (property) => new ApiError(404, err(property, 'not_found'));
const invalid = (property, name, payload) => new ApiError(400, err(property, name, payload));

/** The chosen variant of an unverified contract point (`any` when the simulator has no switch). */
function variantOf(ctx, point, fallback) {
	return ctx.sim && ctx.sim.variants ? ctx.sim.variants.get(point) : fallback;
}

function inShop(list, shopId) {
	return list.filter((x) => x.shopId === shopId);
}

function findById(ctx, list, id, property, idProp = 'id') {
	if (!V.isMongoId(id)) throw invalid(idProp, 'is_mongo_id');
	const found = list.find((x) => x.id === id && x.shopId === ctx.shop.id);
	if (!found) throw notFound(property);
	return found;
}

function requireIdAndErrors(ctx, list, id, property, errs) {
	if (!V.isMongoId(id)) errs.add('id', 'is_mongo_id');
	if (errs.any) throw badRequest(errs);
	const found = list.find((x) => x.id === id && x.shopId === ctx.shop.id);
	if (!found) throw notFound(property);
	return found;
}

function bodyOrEmpty(ctx) {
	return ctx.body === undefined ? {} : ctx.body;
}

function shopTz(ctx) {
	return ctx.shop.settings.timezone;
}

/** An appointment as the API answers it: in `tz`, or naive in the shop's zone (variant `times`). */
function renderAppointment(ctx, a, tz) {
	return R.appointment(a, tz, {
		times: variantOf(ctx, 'times', 'iso-offset'),
		shopTimezone: shopTz(ctx),
	});
}

const STATUS = {
	BOOKED: 'BOOKED',
	RESCHEDULED: 'RESCHEDULED',
	CANCELLED: 'CANCELLED',
	CHECKED_IN: 'CHECKED_IN',
	NO_SHOW: 'NO_SHOW',
};

module.exports = {
	ApiError,
	err,
	badRequest,
	notFound,
	invalid,
	variantOf,
	inShop,
	findById,
	requireIdAndErrors,
	bodyOrEmpty,
	shopTz,
	renderAppointment,
	STATUS,
};
