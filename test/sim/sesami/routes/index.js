'use strict';
/**
 * The route table of the Sesami Admin API simulator (paths relative to /api/v1), one module per API
 * area, written from Sesami's OpenAPI document (https://api.sesami.co/swagger; archived copy:
 * https://github.com/sesamiapp/sesami-apps-boilerplate/blob/9d20de427ed60eb6dd19e080c265e8128c003ebe/tmp_swagger_init.js,
 * kept unchanged in test/contract/sesami-openapi.json) and the public docs
 * (https://sesami.dev/docs/sesami-api/intro, https://sesami.dev/docs/sesami-flows/flows).
 *
 * Each row: method, path, `shopParam` (the path param holding the shop id, checked against the
 * key's shop; null when there is none) and the handler. A handler gets a context
 * ({sim, state, shop, auth, method, params, query, body, headers}) and returns
 * `{ status, body?, headers? }` or throws an `ApiError` whose body is the documented error array
 * (https://sesami.dev/docs/sesami-api/errors).
 *
 * Literal prefixes (/shops, /availabilities) come before the /:shop/... patterns: the first row
 * whose path and method match wins (../../lib/router.js). A path no row serves with this method is
 * a 404 (the simulator answers no 405).
 */

const { createRouter } = require('../../lib/router');
const { ApiError, err, STATUS } = require('./common');
const { encodeCursor, decodeCursor } = require('./query');
const { nextFreeSlot } = require('./availability');
const { createAppointment, appointmentAction, CONTROL_ACTIONS } = require('./sim-appointments');

const ROUTES = [
	...require('./shops').ROUTES,
	...require('./availability').ROUTES,
	...require('./services').ROUTES,
	...require('./flows').ROUTES,
	...require('./appointments').ROUTES,
	...require('./reservations').ROUTES,
	...require('./resources').ROUTES,
	...require('./locations').ROUTES,
	...require('./customers').ROUTES,
];

// Segments are percent-decoded before they are compared, and empty ones ignored ('/a//b/' is '/a/b').
const router = createRouter(ROUTES, { loose: true, decode: true });

/** Match `path` (without /api/v1): { route, params } | { allowed } | undefined */
function matchRoute(method, path) {
	return router.match(method, path);
}

module.exports = {
	ApiError,
	matchRoute,
	ROUTES,
	err,
	STATUS,
	encodeCursor,
	decodeCursor,
	createAppointment,
	appointmentAction,
	nextFreeSlot,
	CONTROL_ACTIONS,
};
