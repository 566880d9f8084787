'use strict';
/**
 * How Sesami signs what it sends to an app, written out from Sesami's public code only (never from
 * the package): the Admin simulator uses these, and e2e security tests use them to make every bad
 * case on purpose.
 *
 * Sources (read 2026-12):
 * - HMAC: https://github.com/sesamiapp/sesami-apps-boilerplate/blob/e51026e/server/src/sesami/authentication/Hmac.validation.ts
 *   message = JSON.stringify(top-level keys sorted), key = the client secret, HMAC-SHA256, hex.
 * - Load parameters: .../server/src/sesami/authentication/helper.ts (all eight of appId, locale,
 *   messageId, shopId, target, timestamp, token, hmac are required; `hmac` covers every other query
 *   parameter, `token` included).
 * - Token: .../server/src/sesami/authentication/Passport.strategy.ts (passport-jwt, secretOrKey = the
 *   client secret, reads the `clientId` and `shopId` claims) and
 *   https://github.com/sesamiapp/app-message/blob/07fd9b4/src/types/token.type.ts
 *   ({userId, clientId, email, exp, iat}); exp in seconds (src/helpers/is-token-expired.ts).
 * - Install URL `?shopId&timestamp&hmac` (HMAC over {shopId, timestamp}) and the OAuth callback
 *   `?shopId&code&timestamp&hmac` (HMAC over {code, shopId, timestamp}):
 *   .../server/src/sesami/installation/Installation.service.ts
 * - Uninstall webhook `{event, data, hmac}`, HMAC over `data`:
 *   .../server/src/sesami/api/webhook/Webhook.handler.ts
 *
 * Points the sources leave open are variants (./variants.js): whether `timestamp` is signed as the
 * query string's text or as a number, whether it counts seconds or milliseconds, whether the token
 * carries `shopId`, whether the appointment ID is also a signed query parameter.
 *
 * Plain Node (node:crypto); imports nothing from nodes/ or credentials/.
 */
const crypto = require('node:crypto');

const TARGETS = ['ADMIN_APP_LOADER', 'ADMIN_APPOINTMENT_DETAILS'];
/** The order the eight load parameters are listed in (helper.ts); the query keeps it. */
const LOAD_PARAMS = ['appId', 'locale', 'messageId', 'shopId', 'target', 'timestamp', 'token'];

const DEFAULT_SIGNING = {
	hmacTimestamp: 'string',
	timestampUnit: 'milliseconds',
	tokenShopId: 'present',
	appointmentIdParam: 'init-only',
};

function sortKeys(obj) {
	return Object.keys(obj || {})
		.sort()
		.reduce((out, key) => {
			out[key] = obj[key];
			return out;
		}, {});
}

/** The text Sesami signs: JSON.stringify of the object with its top-level keys sorted. */
const hmacMessage = (obj) => JSON.stringify(sortKeys(obj));

/** hex HMAC-SHA256 of hmacMessage(obj), keyed with the client secret */
const hmacOf = (obj, secret) =>
	crypto.createHmac('sha256', String(secret)).update(hmacMessage(obj)).digest('hex');

const b64url = (value) =>
	Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * A JWT written out by hand: HS256 (or `alg: none`, empty signature, for the security tests).
 * @param {object} claims
 * @param {string} secret
 * @param {{alg?: 'HS256'|'none', header?: object}} [options]
 */
function signJwt(claims, secret, { alg = 'HS256', header } = {}) {
	const head = b64url({ alg, typ: 'JWT', ...(header || {}) });
	const body = b64url(claims);
	if (alg === 'none') return `${head}.${body}.`;
	const sig = crypto.createHmac('sha256', String(secret)).update(`${head}.${body}`).digest();
	return `${head}.${body}.${sig.toString('base64url')}`;
}

/** Epoch time in the unit of the variant. */
const timestampIn = (unit, ms) => (unit === 'seconds' ? Math.floor(ms / 1000) : Math.floor(ms));

/** The value that goes into the HMAC message for `timestamp` (the query always carries text). */
const signedTimestamp = (value, hmacTimestamp) =>
	hmacTimestamp === 'number' ? Number(value) : String(value);

/** claims with `overrides` merged; an override of `undefined` removes the claim */
function mergeClaims(claims, overrides) {
	const out = { ...claims, ...(overrides || {}) };
	for (const [k, v] of Object.entries(overrides || {})) if (v === undefined) delete out[k];
	return out;
}

/**
 * The staff user's token the Admin puts in the load URL and answers TOKEN requests with.
 * @param {{clientId: string, clientSecret: string}} app
 * @param {{shopId: string, user?: {userId: string, email: string}, now?: number, ttlSeconds?: number,
 *   tokenShopId?: 'present'|'absent', overrides?: object, secret?: string, alg?: 'HS256'|'none', header?: object}} options
 */
function appToken(app, options = {}) {
	const nowMs = options.now ?? Date.now();
	const iat = Math.floor(nowMs / 1000);
	const user = options.user || { userId: 'staff-1', email: 'staff@example.com' };
	let claims = {
		userId: user.userId,
		clientId: app.clientId,
		email: user.email,
		iat,
		exp: iat + (options.ttlSeconds ?? 3600),
	};
	if ((options.tokenShopId || DEFAULT_SIGNING.tokenShopId) === 'present')
		claims.shopId = options.shopId;
	claims = mergeClaims(claims, options.overrides);
	const token = signJwt(claims, options.secret ?? app.clientSecret, {
		alg: options.alg,
		header: options.header,
	});
	return { token, claims };
}

function withQuery(base, params) {
	const url = new URL(base);
	for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
	return url.toString();
}

/**
 * A signed load URL, as the Admin builds it for the app's iframe.
 * @param {{appId: string, clientId: string, clientSecret: string, appUrl: string, extensionUrls?: object}} app
 * @param {object} o
 * @param {'ADMIN_APP_LOADER'|'ADMIN_APPOINTMENT_DETAILS'} [o.target='ADMIN_APP_LOADER']
 * @param {string} o.shopId
 * @param {string} [o.appointmentId]     (ADMIN_APPOINTMENT_DETAILS; a query parameter only under
 *                                        appointmentIdParam=signed-query, else sent in INIT)
 * @param {string} [o.locale='en']
 * @param {{userId: string, email: string}} [o.user]
 * @param {string} [o.messageId]         default a fresh random ID
 * @param {number|string} [o.timestamp]  default now in the variant's unit
 * @param {number} [o.now]               the clock (epoch ms)
 * @param {object} [o.variants]          {hmacTimestamp, timestampUnit, tokenShopId, appointmentIdParam}
 * @param {string} [o.token]             use this token as it is
 * @param {object} [o.tokenOverrides]    claims merged into the token (undefined removes one)
 * @param {string} [o.tokenSecret]       sign the token with another secret
 * @param {'HS256'|'none'} [o.tokenAlg]
 * @param {number} [o.tokenTtlSeconds=3600]
 * @param {object} [o.extraParams]       more query parameters, signed like the others
 * @param {string} [o.hmacSecret]        sign the HMAC with another secret
 * @param {object} [o.hmacOver]          sign this object instead of the parameters
 * @param {string} [o.hmacOverride]      put this text in `hmac`
 * @param {object} [o.tamper]            parameters changed after signing
 * @param {string[]} [o.omit]            parameters left out after signing
 * @returns {{url: string, params: Record<string, string>, hmac: string, token: string, claims: object|null, message: string}}
 */
function signedLoadUrl(app, o = {}) {
	const v = { ...DEFAULT_SIGNING, ...(o.variants || {}) };
	const nowMs = o.now ?? Date.now();
	const target = o.target || 'ADMIN_APP_LOADER';
	let token = o.token;
	let claims = null;
	if (token === undefined) {
		({ token, claims } = appToken(app, {
			shopId: o.shopId,
			user: o.user,
			now: nowMs,
			ttlSeconds: o.tokenTtlSeconds,
			tokenShopId: v.tokenShopId,
			overrides: o.tokenOverrides,
			secret: o.tokenSecret,
			alg: o.tokenAlg,
		}));
	}
	const timestamp = String(o.timestamp ?? timestampIn(v.timestampUnit, nowMs));
	const params = {
		appId: app.appId,
		locale: o.locale || 'en',
		messageId: o.messageId || crypto.randomUUID(),
		shopId: o.shopId,
		target,
		timestamp,
		token,
	};
	if (
		target === 'ADMIN_APPOINTMENT_DETAILS' &&
		o.appointmentId &&
		v.appointmentIdParam === 'signed-query'
	)
		params.appointmentId = String(o.appointmentId);
	Object.assign(params, o.extraParams || {});
	const signed = o.hmacOver || {
		...params,
		timestamp: signedTimestamp(timestamp, v.hmacTimestamp),
	};
	const message = hmacMessage(signed);
	const hmac = o.hmacOverride ?? hmacOf(signed, o.hmacSecret ?? app.clientSecret);
	const sent = { ...params, ...(o.tamper || {}), hmac };
	for (const name of o.omit || []) delete sent[name];
	const base = (app.extensionUrls && app.extensionUrls[target]) || app.appUrl;
	return { url: withQuery(base, sent), params: sent, hmac, token, claims, message };
}

/**
 * A signed `?shopId&timestamp&hmac` (install start) or `?shopId&code&timestamp&hmac` (OAuth callback).
 * @param {{clientSecret: string}} app
 * @param {{shopId: string, code?: string, timestamp?: number|string, now?: number, variants?: object, secret?: string}} o
 */
function signedQuery(app, o) {
	const v = { ...DEFAULT_SIGNING, ...(o.variants || {}) };
	const timestamp = String(o.timestamp ?? timestampIn(v.timestampUnit, o.now ?? Date.now()));
	const params = { shopId: o.shopId, timestamp };
	if (o.code !== undefined) params.code = o.code;
	const signed = { ...params, timestamp: signedTimestamp(timestamp, v.hmacTimestamp) };
	return { ...params, hmac: hmacOf(signed, o.secret ?? app.clientSecret) };
}

/** The uninstall webhook's body object: {event, data, hmac}, HMAC over `data`. */
function signedWebhook(app, data, { event = 'uninstall_app', secret } = {}) {
	return { event, data, hmac: hmacOf(data, secret ?? app.clientSecret) };
}

module.exports = {
	TARGETS,
	LOAD_PARAMS,
	DEFAULT_SIGNING,
	sortKeys,
	hmacMessage,
	hmacOf,
	signJwt,
	appToken,
	timestampIn,
	signedTimestamp,
	signedLoadUrl,
	signedQuery,
	signedWebhook,
	withQuery,
};
