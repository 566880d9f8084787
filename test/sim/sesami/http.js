'use strict';
/**
 * The Sesami simulator's HTTP plumbing: /__sim/* goes to the control endpoints
 * (./routes/admin.js); /api/v1/* is authenticated as Sesami's personal access tokens are
 * (https://sesami.dev/docs/sesami-api/personal-access-token, https://sesami.dev/docs/sesami-api/make-a-request)
 * or, for an app's offline token, as ./appTokens.js says,
 * matched against the route table (./routes/index.js), recorded (../lib/faults.js) and answered,
 * unless an injected fault answers first. `c` is the simulator's internals (./index.js).
 */

const http = require('node:http');
const { ApiError, matchRoute, err } = require('./routes');
const { handleControl } = require('./routes/admin');
const { applyFault, redactHeaders, parseQuery, tryJson } = require('../lib/faults');
const { authenticateAppToken } = require('./appTokens');

const API_PREFIX = '/api/v1';
const WRITE_METHODS = ['POST', 'PATCH', 'PUT', 'DELETE'];

function authenticate(c, method, headers) {
	const unauthorized = () => new ApiError(401, err('user', 'unauthorized'));
	const apiKey = headers['x-api-key'];
	const installation = typeof apiKey === 'string' ? c.appTokens.get(apiKey) : undefined;
	if (installation) return authenticateAppToken(c, installation, method, headers);
	const key = typeof apiKey === 'string' ? c.keys().get(apiKey) : undefined;
	if (!key) throw unauthorized();
	const clientId = headers['x-client-id'];
	if (clientId === undefined || clientId === '') {
		if (c.options.strictClientId) throw unauthorized();
	} else if (clientId !== key.clientId) {
		throw unauthorized();
	}
	const shopHeader = headers['x-shop-id'];
	if (shopHeader !== undefined && shopHeader !== '' && shopHeader !== key.shopId)
		throw unauthorized();
	return key;
}

/** Handle one API request (path relative to /api/v1). Returns { status, body?, headers? }. */
function handleApi(c, method, path, query, headers, rawBody) {
	const match = matchRoute(method, path);
	if (!match || !match.route) throw new ApiError(404, err('ROOT', 'not_found'));
	const auth = authenticate(c, method, headers);
	const { route, params } = match;
	if (route.shopParam && params[route.shopParam] !== auth.shopId) {
		throw new ApiError(403, err('shop', 'forbidden'));
	}
	if (auth.readOnly && WRITE_METHODS.includes(method)) {
		throw new ApiError(403, err('user', 'valid_permissions', `Shop:${auth.shopId}:Write`));
	}
	let body;
	if (WRITE_METHODS.includes(method) && rawBody !== undefined && rawBody.trim() !== '') {
		try {
			body = JSON.parse(rawBody);
		} catch {
			throw new ApiError(400, err('ROOT', 'is_json'));
		}
	}
	const state = c.state();
	const shop = state.shops.find((s) => s.id === auth.shopId);
	if (!shop) throw new ApiError(404, err('shop', 'not_found'));
	return route.handler({
		sim: c.internal,
		state,
		shop,
		auth,
		method,
		params,
		query,
		body,
		headers,
	});
}

/** The simulator's HTTP server (not listening yet) and the set of its open sockets. */
function createSimServer(c) {
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rawBody = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
			const url = new URL(req.url, 'http://sim.local');
			if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
				handleControl(c, req, res, url, rawBody);
				return;
			}
			const method = req.method.toUpperCase();
			const isApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
			const path = isApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
			const query = parseQuery(url.search);
			const headers = {};
			for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
			const exchange = c.recorder.start({
				method,
				path,
				rawPath: req.url,
				query,
				headers: redactHeaders(headers),
				requestBody: tryJson(rawBody),
				responseBody: undefined,
				responseHeaders: {},
			});
			if (rawBody !== undefined && exchange.requestBody === undefined)
				exchange.rawRequestBody = rawBody;
			const finish = (status, body, headers) => {
				const responseHeaders = c.send(res, status, body, headers);
				c.recorder.finish(exchange, {
					status,
					responseBody: body === undefined ? undefined : JSON.parse(JSON.stringify(body)),
					responseHeaders,
				});
			};
			if (!isApi) return finish(404, err('ROOT', 'not_found'));
			const run = () => {
				let result;
				try {
					result = handleApi(c, method, path, query, headers, rawBody);
				} catch (e) {
					if (e instanceof ApiError) return finish(e.status, e.body, e.headers);
					exchange.error = String((e && e.stack) || e);
					return finish(500, err('ROOT', 'internal_server_error'));
				}
				if (result.gatewayError) exchange.fault = 'gateway-502';
				return finish(result.status, result.body, result.headers);
			};
			const fault = c.faults.take(method, path, API_PREFIX + path);
			if (!fault) return run();
			exchange.fault = fault.mode;
			applyFault(fault, {
				run,
				socket: req.socket,
				onDrop: () => c.recorder.finish(exchange, { status: 0 }),
				answer: (status, faultHeaders) =>
					finish(
						status,
						err('ROOT', status === 429 ? 'rate_limit' : 'internal_server_error'),
						faultHeaders,
					),
			});
			return undefined;
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.keepAliveTimeout = 5000;
	return { server, sockets };
}

module.exports = { createSimServer, API_PREFIX };
