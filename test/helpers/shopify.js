'use strict';
/**
 * Shopify's side of the My Page tests, independent of the package's verifier:
 * - signAppProxyQuery: signs a query as Shopify's App Proxy does (the documented algorithm,
 *   https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies),
 *   checked against @shopify/shopify-api's validateHmac in the tests;
 * - mintSessionToken: a customer-account session token signed with jose (what Shopify's
 *   libraries use), checked against @shopify/shopify-api's decodeSessionToken.
 */
const crypto = require('crypto');
const jose = require('jose');
require('@shopify/shopify-api/adapters/node');
const { shopifyApi, ApiVersion } = require('@shopify/shopify-api');

function encode(value) {
	return encodeURIComponent(value).replace(/%20/g, '+');
}

/** @param {Array<[string, string]>} pairs in the order Shopify appends them */
function signAppProxyQuery(pairs, secret) {
	const grouped = new Map();
	for (const [key, value] of pairs) grouped.set(key, [...(grouped.get(key) || []), value]);
	const message = [...grouped.entries()]
		.map(([key, values]) => `${key}=${values.join(',')}`)
		.sort()
		.join('');
	const signature = crypto.createHmac('sha256', secret).update(message).digest('hex');
	return [...pairs, ['signature', signature]]
		.map(([k, v]) => `${encode(k)}=${encode(v)}`)
		.join('&');
}

/**
 * @param {{ shop: string, customerId: string, timestamp?: number, pathPrefix?: string, extra?: Array<[string, string]> }} options
 * @returns {Array<[string, string]>}
 */
function proxyPairs({
	shop,
	customerId,
	timestamp = Math.floor(Date.now() / 1000),
	pathPrefix = '/apps/bookings',
	extra = [],
}) {
	return [
		...extra,
		['shop', shop],
		['logged_in_customer_id', customerId],
		['path_prefix', pathPrefix],
		['timestamp', String(timestamp)],
	];
}

/**
 * @param {Record<string, unknown>} claims
 * @param {string} secret
 * @param {{ alg?: string }} [options]
 * @returns {Promise<string>}
 */
async function mintSessionToken(claims, secret, { alg = 'HS256' } = {}) {
	if (alg === 'none') {
		const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
		return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
	}
	return await new jose.SignJWT(claims)
		.setProtectedHeader({ alg, typ: 'JWT' })
		.sign(Buffer.from(secret));
}

/**
 * @param {{ shop: string, clientId: string, customerId?: string, now?: number, [claim: string]: unknown }} options
 * @returns {Record<string, unknown>}
 */
function tokenClaims({ shop, clientId, customerId, now = Math.floor(Date.now() / 1000), ...rest }) {
	return {
		iss: `https://${shop}/admin`,
		dest: `https://${shop}`,
		aud: clientId,
		...(customerId ? { sub: `gid://shopify/Customer/${customerId}` } : {}),
		exp: now + 300,
		nbf: now - 1,
		iat: now - 1,
		jti: crypto.randomUUID(),
		...rest,
	};
}

/** @shopify/shopify-api as an oracle. */
function shopifyOracle(clientId, secret) {
	const api = shopifyApi({
		apiKey: clientId,
		apiSecretKey: secret,
		hostName: 'backend.example.com',
		apiVersion: ApiVersion.October25,
		isEmbeddedApp: false,
		logger: { level: 0 },
	});
	return {
		async validateProxy(query, nowMs) {
			const real = Date.now;
			if (nowMs) Date.now = () => nowMs;
			try {
				return await api.utils.validateHmac(new URLSearchParams(query), { signator: 'appProxy' });
			} finally {
				Date.now = real;
			}
		},
		async decodeToken(token) {
			return await api.session.decodeSessionToken(token);
		},
	};
}

module.exports = { signAppProxyQuery, proxyPairs, mintSessionToken, tokenClaims, shopifyOracle };
