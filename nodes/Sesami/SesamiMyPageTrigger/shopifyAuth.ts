import { createHmac } from 'crypto';

import { safeEqual } from '../../shared/webhook/safeEqual';
import { customerGid, customerIdOfGid } from '../helpers/constants';
import { verifyHs256 } from '../helpers/hs256';

/**
 * Verifying that a My Page request comes from a logged-in Shopify customer: the App Proxy signature
 * of a theme page's request, or the session token of a customer-account UI extension.
 */

/**
 * A refusal carries the HTTP status to answer: 400 a malformed request (a repeated `shop`,
 * `timestamp` or `signature`), 401 not proven (missing or wrong signature / token, a timestamp
 * outside the window, no logged-in customer), 403 proven but for another shop.
 */
type VerifyResult<T> =
	| { ok: true; value: T }
	| { ok: false; reason: string; status: 400 | 401 | 403 };

/**
 * App Proxy timestamp window. Shopify signs a `timestamp` but documents no window
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies); its
 * own library refuses requests more than 90 s away
 * (https://github.com/Shopify/shopify-app-js/blob/main/packages/apps/shopify-api/lib/utils/hmac-validator.ts).
 * A configured window is clamped to at most 5 minutes (a longer one only helps replays of a URL
 * leaked into logs), and a timestamp is never accepted more than 90 s ahead of the clock.
 */
export const APP_PROXY_MAX_SKEW_SECONDS = 300;
const APP_PROXY_MAX_FUTURE_SECONDS = 90;

/** The window actually used for a configured one: 1..300 s (default 90). */
export function appProxyWindowSeconds(configured: unknown): number {
	const value = Number(configured);
	if (!Number.isFinite(value) || value <= 0) return 90;
	return Math.min(Math.max(1, Math.floor(value)), APP_PROXY_MAX_SKEW_SECONDS);
}

const refuse = (status: 400 | 401 | 403, reason: string) => ({
	ok: false as const,
	status,
	reason,
});

/** "https://Shop.myshopify.com/admin" -> "shop.myshopify.com". */
function normaliseShopDomain(value: string): string {
	return String(value ?? '')
		.trim()
		.toLowerCase()
		.replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
		.split(/[/?#]/)[0]
		.replace(/\.$/, '');
}

export function shopDomains(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,]+/)
		.map(normaliseShopDomain)
		.filter((domain) => domain.length > 0);
}

function decodeFormComponent(text: string): string {
	return decodeURIComponent(text.replace(/\+/g, ' '));
}

interface AppProxyIdentity {
	shop: string;
	customerId: string;
	timestamp: number;
	pathPrefix: string | null;
	/** Every query parameter Shopify forwarded, signature excluded (repeats joined with ","). */
	params: Record<string, string>;
}

/**
 * Shopify App Proxy signature
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies, and
 * https://shopify.dev/docs/apps/build/online-store/display-dynamic-data): from the RAW query
 * string, drop `signature`, join repeated keys' values with ",", sort the `key=value` strings by
 * code unit, concatenate with no separator, HMAC-SHA256 with the app's client secret, lowercase
 * hex. Refuses a repeated `shop` / `timestamp` / `signature` (400: Shopify sends each once, so a
 * repeat was added by someone else), a missing or wrong signature (401), a timestamp outside the
 * window (401; see appProxyWindowSeconds), a request for a shop that is not configured (403) and a
 * request without a logged-in customer (401).
 */
export function verifyAppProxy(
	rawQuery: string,
	secret: string,
	allowedShops: string[],
	options: { now?: number; maxSkewSeconds?: number } = {},
): VerifyResult<AppProxyIdentity> {
	if (!secret) return refuse(401, 'no client secret configured');
	const grouped = new Map<string, string[]>();
	for (const part of String(rawQuery ?? '')
		.replace(/^\?/, '')
		.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		let key: string;
		let value: string;
		try {
			key = decodeFormComponent(eq === -1 ? part : part.slice(0, eq));
			value = eq === -1 ? '' : decodeFormComponent(part.slice(eq + 1));
		} catch {
			return refuse(400, 'malformed query string');
		}
		grouped.set(key, [...(grouped.get(key) ?? []), value]);
	}
	for (const single of ['signature', 'shop', 'timestamp']) {
		if ((grouped.get(single)?.length ?? 0) > 1) return refuse(400, `repeated ${single} parameter`);
	}
	const signature = grouped.get('signature')?.[0] ?? '';
	if (!/^[0-9a-f]{64}$/.test(signature)) return refuse(401, 'missing or malformed signature');
	const params: Record<string, string> = {};
	const message = [...grouped.entries()]
		.filter(([key]) => key !== 'signature')
		.map(([key, values]) => {
			params[key] = values.join(',');
			return `${key}=${values.join(',')}`;
		})
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
		.join('');
	const expected = createHmac('sha256', secret).update(message, 'utf8').digest('hex');
	if (!safeEqual(signature, expected)) return refuse(401, 'signature does not match');
	const timestamp = Number(params.timestamp);
	if (!/^\d+$/.test(params.timestamp ?? '')) return refuse(401, 'missing or malformed timestamp');
	const now = (options.now ?? Date.now()) / 1000;
	const window = appProxyWindowSeconds(options.maxSkewSeconds ?? 90);
	if (now - timestamp > window) return refuse(401, 'stale timestamp');
	if (timestamp - now > Math.min(window, APP_PROXY_MAX_FUTURE_SECONDS))
		return refuse(401, 'timestamp too far in the future');
	const shop = normaliseShopDomain(params.shop ?? '');
	if (!shop || !allowedShops.includes(shop)) return refuse(403, 'request for another shop');
	const customerId = params.logged_in_customer_id ?? '';
	if (!/^\d+$/.test(customerId)) return refuse(401, 'no logged-in customer');
	return {
		ok: true,
		value: { shop, customerId, timestamp, pathPrefix: params.path_prefix ?? null, params },
	};
}

interface SessionTokenIdentity {
	shop: string;
	customerId: string;
	customerGid: string;
	claims: Record<string, unknown>;
}

/**
 * A Shopify customer-account UI extension session token
 * (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/session-token-api):
 * a JWT signed HS256 with the app's client secret. Checks the signature, `alg`, `aud` (client id),
 * `dest` (shop, normalised), `exp` / `nbf` / `iat` with a leeway, and that `sub` is a Customer GID.
 */
export function verifySessionToken(
	token: string,
	secret: string,
	clientId: string,
	allowedShops: string[],
	options: { now?: number; leewaySeconds?: number } = {},
): VerifyResult<SessionTokenIdentity> {
	if (!secret || !clientId) return refuse(401, 'no client id or secret configured');
	const verified = verifyHs256(token, secret, options);
	if (!verified.ok) return refuse(401, verified.reason);
	const claims = verified.claims;
	const audiences = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? '')];
	if (!audiences.includes(clientId)) return refuse(401, 'token for another app');
	const shop = normaliseShopDomain(String(claims.dest ?? ''));
	if (!shop || !allowedShops.includes(shop)) return refuse(403, 'token for another shop');
	const customerId = customerIdOfGid(String(claims.sub ?? ''));
	if (!customerId) return refuse(401, 'no logged-in customer in the token');
	return {
		ok: true,
		value: {
			shop,
			customerId,
			customerGid: customerGid(customerId),
			claims,
		},
	};
}
