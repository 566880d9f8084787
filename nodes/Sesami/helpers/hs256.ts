import { createHmac } from 'crypto';

import { safeEqual } from '../../shared/webhook/safeEqual';

/**
 * Verifying a JSON Web Token signed HS256 with an app's client secret (RFC 7519, RFC 7515): the
 * Shopify session token of the My Page Trigger and the Sesami Admin token of the Sesami App Trigger.
 * Only `alg: HS256` is accepted (never `none`, never another algorithm chosen by the sender); `exp`
 * is required; `nbf` and `iat` may not lie in the future. The leeway is capped at 60 s. What a
 * token must claim beyond that (audience, client, shop) is checked by its caller.
 */

export type Hs256Result =
	| { ok: true; claims: Record<string, unknown> }
	| { ok: false; reason: string };

function base64UrlJson(part: string): Record<string, unknown> | undefined {
	try {
		const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

export function verifyHs256(
	token: string,
	secret: string,
	options: { now?: number; leewaySeconds?: number } = {},
): Hs256Result {
	const refuse = (reason: string) => ({ ok: false as const, reason });
	const parts = String(token ?? '').split('.');
	if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)))
		return refuse('malformed token');
	const header = base64UrlJson(parts[0]);
	const claims = base64UrlJson(parts[1]);
	if (!header || !claims) return refuse('malformed token');
	if (header.alg !== 'HS256') return refuse(`algorithm ${String(header.alg)} is not accepted`);
	const expected = createHmac('sha256', secret)
		.update(`${parts[0]}.${parts[1]}`)
		.digest('base64url');
	if (!safeEqual(parts[2], expected)) return refuse('signature does not match');
	const now = (options.now ?? Date.now()) / 1000;
	const leeway = Math.min(options.leewaySeconds ?? 10, 60);
	const numeric = (name: string) =>
		typeof claims[name] === 'number' ? (claims[name] as number) : undefined;
	const exp = numeric('exp');
	if (exp === undefined || exp < now - leeway) return refuse('expired token');
	const nbf = numeric('nbf');
	if (nbf !== undefined && nbf > now + leeway) return refuse('token not valid yet');
	const iat = numeric('iat');
	if (iat !== undefined && iat > now + leeway) return refuse('token issued in the future');
	return { ok: true, claims };
}
