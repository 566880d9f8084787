'use strict';
/**
 * The route table of the imin simulator's API, one module per API area: the Firehose (./firehose.js),
 * Checkout (./checkout.js), the Booking Platform's orders and customer accounts (./orders.js).
 * Control endpoints (/__sim/*): ./admin.js and ./webhooks.js.
 *
 * Each row: method (one, a list, or '*'), path, handler(s, r) -> {status, body | text, headers,
 * type} (../common.js json / html), or throws a SimError. `s` is the simulator's state, `r` the
 * request ({req, method, rawUrl, rawPath, query, headers, rawBody, params}). Paths are matched as
 * sent (not decoded; handlers decode what they read), the first row whose path and method match
 * wins (../../lib/router.js); a route's own 405 is a `'*'` row after its other rows, and a path no
 * row serves is a 404 NotFoundError.
 */

const { createRouter } = require('../../lib/router');

const API_ROUTES = [
	...require('./firehose').ROUTES,
	...require('./checkout').ROUTES,
	...require('./orders').ROUTES,
];

const router = createRouter(API_ROUTES);

module.exports = { API_ROUTES, router };
