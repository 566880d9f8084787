'use strict';
/**
 * Sesami Apps' offline tokens, as the simulator accepts them. An app installed on a shop gets one
 * token per shop (`POST /api/v1/oauth/access-token` -> `{token, clientId, expireAt: "NEVER"}`,
 * https://sesami.dev/docs/sesami-apps/ ; the official backend
 * https://github.com/sesamiapp/sesami-apps-boilerplate server/src/sesami/installation/Sesami.service.ts),
 * and calls the Admin API with `x-api-key` = that token, `x-shop-id` = the shop and `x-client-id` =
 * the app's client ID. App scopes are `Shop:Read` only: apps "can read and query data but not
 * create, change or delete it" (devportal docs/5-sesami-apps/3-how-it-works/4-permissions.md).
 *
 * The install itself is not played here (a host simulator or a test registers what an install
 * would have produced):
 *   POST   /__sim/app-tokens          {token, shopId, clientId} -> 201 {shopId, clientId}
 *   GET    /__sim/app-tokens          -> [{shopId, clientId}] (tokens not listed)
 *   DELETE /__sim/app-tokens          -> {revoked: n}   every token (an uninstall of every app)
 *   DELETE /__sim/app-tokens/:token   -> {revoked: 1}   one token (an uninstall), 404 when unknown
 * Tokens survive neither a restart nor POST /__sim/reset.
 *
 * How Sesami refuses a write made with an app token is not documented: the `appTokenWrite`
 * variant (./variants.js) plays 403 (missing permission, as a read-only personal token gets),
 * 401 or 404.
 */

const { ApiError, err } = require('./routes/common');

function createAppTokens() {
	/** @type {Map<string, {shopId: string, clientId: string}>} */
	const tokens = new Map();

	function register(c, body) {
		const spec = body || {};
		const text = (value) => (typeof value === 'string' ? value.trim() : '');
		const token = text(spec.token);
		const shopId = text(spec.shopId);
		const clientId = text(spec.clientId);
		if (!token) throw new ApiError(400, err('token', 'is_not_empty'));
		if (!clientId) throw new ApiError(400, err('clientId', 'is_not_empty'));
		if (!c.state().shops.some((shop) => shop.id === shopId))
			throw new ApiError(404, err('shop', 'not_found'));
		tokens.set(token, { shopId, clientId });
		return { shopId, clientId };
	}

	return {
		register,
		get: (token) => tokens.get(token),
		list: () => [...tokens.values()].map((t) => ({ ...t })),
		revoke(token) {
			if (!tokens.delete(token)) throw new ApiError(404, err('token', 'not_found'));
			return { revoked: 1 };
		},
		clear() {
			const revoked = tokens.size;
			tokens.clear();
			return { revoked };
		},
	};
}

/**
 * An app token's request (x-api-key is a registered app token): the shop and client headers are
 * required and must be the installation's; writes are refused as the `appTokenWrite` variant says.
 * Returns the auth record the routes use ({shopId, clientId, readOnly, app}).
 */
function authenticateAppToken(c, installation, method, headers) {
	const unauthorized = () => new ApiError(401, err('user', 'unauthorized'));
	if (headers['x-client-id'] !== installation.clientId) throw unauthorized();
	if (headers['x-shop-id'] !== installation.shopId) throw unauthorized();
	if (!['GET', 'HEAD'].includes(method)) {
		const refusal = c.variants.get('appTokenWrite');
		if (refusal === '401') throw unauthorized();
		if (refusal === '404') throw new ApiError(404, err('ROOT', 'not_found'));
		throw new ApiError(403, err('user', 'valid_permissions', `Shop:${installation.shopId}:Write`));
	}
	return { ...installation, readOnly: true, app: true };
}

module.exports = { createAppTokens, authenticateAppToken };
