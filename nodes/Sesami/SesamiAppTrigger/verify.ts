import { createHmac } from 'crypto';

import { safeEqual } from '../../shared/webhook/safeEqual';
import { unauthorized } from '../../shared/webhook/refusal';
import { verifyHs256 } from '../helpers/hs256';

/**
 * The checks of what Sesami signs for an app, written from Sesami's official backend
 * https://github.com/sesamiapp/sesami-apps-boilerplate (server/src/sesami/authentication/
 * Hmac.validation.ts, helper.ts, Passport.strategy.ts; installation/Installation.service.ts) without
 * its weaknesses: HMACs are compared in constant time, every signed timestamp must be fresh, and
 * the checks never switch off. A failed check throws the 401 refusal (shared/webhook/refusal.ts).
 */

/** Query parameters as n8n hands them over: each one must be a single string. */
export type SignedParams = Record<string, string>;

/**
 * Sesami's HMAC (Hmac.validation.ts `validateHmac`): the object's top-level keys sorted,
 * `JSON.stringify`, HMAC-SHA256 keyed with the client secret, hex.
 */
export function sesamiHmac(object: Record<string, unknown>, secret: string): string {
	const sorted: Record<string, unknown> = {};
	for (const key of Object.keys(object).sort()) sorted[key] = object[key];
	return createHmac('sha256', secret).update(JSON.stringify(sorted), 'utf8').digest('hex');
}

/** Whether `hmac` matches one of the messages (each compared in constant time, all computed). */
export function hmacMatchesAny(hmac: string, candidates: string[]): boolean {
	let match = false;
	for (const candidate of candidates) if (safeEqual(hmac.toLowerCase(), candidate)) match = true;
	return match;
}

/**
 * The query parameters of a request as single strings; a repeated or nested parameter is refused
 * (Sesami sends each once).
 */
export function singleParams(query: unknown): SignedParams {
	const params: SignedParams = {};
	for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
		if (typeof value !== 'string') throw unauthorized(`repeated or malformed parameter ${key}`);
		params[key] = value;
	}
	return params;
}

/** A copy of `params` without `keys`. */
export function withoutKeys(params: SignedParams, keys: string[]): SignedParams {
	return Object.fromEntries(Object.entries(params).filter(([key]) => !keys.includes(key)));
}

/** Refuses the request unless every one of `names` is present and not empty. */
export function requireParams(params: SignedParams, names: readonly string[]): void {
	const missing = names.filter((name) => !params[name]);
	if (missing.length) throw unauthorized(`missing parameter(s): ${missing.join(', ')}`);
}

/**
 * Checks `hmac` over `signed` (hmac itself left out). Values are the query's strings, as the
 * boilerplate signs them; an older Sesami doc converts `timestamp` to a number first, so that
 * variant is accepted too (sesami.md §7.5: unsettled).
 */
export function verifyParamsHmac(signed: SignedParams, hmac: string, secret: string): void {
	if (!/^[0-9a-fA-F]{64}$/.test(hmac ?? '')) throw unauthorized('missing or malformed hmac');
	const rest = withoutKeys(signed, ['hmac']);
	const candidates = [sesamiHmac(rest, secret)];
	if (/^\d+$/.test(rest.timestamp ?? ''))
		candidates.push(sesamiHmac({ ...rest, timestamp: Number(rest.timestamp) }, secret));
	if (!hmacMatchesAny(hmac, candidates)) throw unauthorized('hmac does not match');
}

/**
 * A signed `timestamp` (seconds or milliseconds since 1970) within `windowSeconds` of the clock,
 * either way: the boilerplate checks none, so a signed URL would be replayable for ever.
 */
export function verifyTimestamp(value: string, windowSeconds: number, now = Date.now()): number {
	if (!/^\d{9,14}$/.test(value ?? '')) throw unauthorized('missing or malformed timestamp');
	const number = Number(value);
	const millis = number > 1e11 ? number : number * 1000;
	if (Math.abs(now - millis) > windowSeconds * 1000) throw unauthorized('stale timestamp');
	return millis;
}

/** The staff user a valid Sesami Admin token names (app-message src/types/token.type.ts). */
export interface AppUser {
	userId: string | null;
	email: string | null;
	clientId: string;
	shopId: string | null;
	expiresAt: string;
}

/**
 * A token the Admin hands to the app (the load's `token`, app-message `getToken()`): HS256 signed
 * with the client secret (passport-jwt with `secretOrKey = client secret` in Passport.strategy.ts;
 * only HS256 accepted here), not expired, its `clientId` this app's, and its `shopId`, when it has
 * one, the shop of the request.
 */
export function verifyAppToken(
	token: string,
	secret: string,
	clientId: string,
	shopId?: string,
	now = Date.now(),
): AppUser {
	if (!token) throw unauthorized('missing token');
	const verified = verifyHs256(token, secret, { now, leewaySeconds: 10 });
	if (!verified.ok) throw unauthorized(verified.reason);
	const claims = verified.claims;
	if (String(claims.clientId ?? '') !== clientId) throw unauthorized('token for another client');
	const claimedShop = claims.shopId === undefined ? null : String(claims.shopId);
	if (shopId !== undefined && claimedShop !== null && claimedShop !== shopId)
		throw unauthorized('token for another shop');
	const text = (value: unknown) => (value === undefined || value === null ? null : String(value));
	return {
		userId: text(claims.userId),
		email: text(claims.email),
		clientId,
		shopId: claimedShop,
		expiresAt: new Date(Number(claims.exp) * 1000).toISOString(),
	};
}
