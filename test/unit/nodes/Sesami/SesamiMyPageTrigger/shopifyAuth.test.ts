import fc from 'fast-check';

import {
	APP_PROXY_MAX_SKEW_SECONDS,
	appProxyWindowSeconds,
	verifyAppProxy,
	verifySessionToken,
} from '../../../../../nodes/Sesami/SesamiMyPageTrigger/shopifyAuth';
import {
	mintSessionToken,
	proxyPairs,
	shopifyOracle,
	signAppProxyQuery,
	tokenClaims,
} from '../../../../helpers/shopify';

const SHOP = 'bloom-and-brow.myshopify.com';
const OTHER_SHOP = 'someone-else.myshopify.com';
const CLIENT_ID = 'client-id-of-the-app';
const SECRET = ['app', 'client', 'secret', 'for', 'tests'].join('-');
const CUSTOMER = '7001234567890';
const oracle = shopifyOracle(CLIENT_ID, SECRET);

describe('App Proxy signature', () => {
	it("accepts Shopify's documented example and refuses its anonymous variant", () => {
		const query =
			'extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb';
		const now = 1317327555000;
		expect(verifyAppProxy(query, 'hush', ['shop-name.myshopify.com'], { now })).toMatchObject({
			ok: true,
			value: {
				shop: 'shop-name.myshopify.com',
				customerId: '1',
				pathPrefix: '/apps/awesome_reviews',
				params: { extra: '1,2' },
			},
		});
		const anonymous = query
			.replace('logged_in_customer_id=1', 'logged_in_customer_id=')
			.replace(
				/signature=[0-9a-f]+/,
				'signature=e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb',
			);
		expect(verifyAppProxy(anonymous, 'hush', ['shop-name.myshopify.com'], { now })).toEqual({
			ok: false,
			status: 401,
			reason: 'no logged-in customer',
		});
	});

	it("the tests' signer agrees with @shopify/shopify-api, and the verifier accepts what it signs", async () => {
		const query = signAppProxyQuery(
			proxyPairs({ shop: SHOP, customerId: CUSTOMER, extra: [['op', 'list']] }),
			SECRET,
		);
		await expect(oracle.validateProxy(query)).resolves.toBe(true);
		expect(verifyAppProxy(query, SECRET, [SHOP])).toMatchObject({
			ok: true,
			value: { customerId: CUSTOMER, shop: SHOP },
		});
	});

	// The timestamp is taken when the case builds its query (not when the cases are collected).
	const nowSeconds = () => Math.floor(Date.now() / 1000);
	// Status (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies: Shopify sends each parameter once): a repeated shop / timestamp / signature is a malformed
	// request (400; Shopify sends each once), another shop 403, anything not proven 401.
	it.each([
		[
			'no signature',
			() =>
				signAppProxyQuery(proxyPairs({ shop: SHOP, customerId: CUSTOMER }), SECRET).replace(
					/&signature=[0-9a-f]+/,
					'',
				),
			401,
			/signature/,
		],
		[
			'wrong secret',
			() => signAppProxyQuery(proxyPairs({ shop: SHOP, customerId: CUSTOMER }), 'not-the-secret'),
			401,
			/does not match/,
		],
		[
			'tampered customer',
			() =>
				signAppProxyQuery(proxyPairs({ shop: SHOP, customerId: CUSTOMER }), SECRET).replace(
					CUSTOMER,
					'7009999999999',
				),
			401,
			/does not match/,
		],
		[
			'added parameter',
			() =>
				`${signAppProxyQuery(proxyPairs({ shop: SHOP, customerId: CUSTOMER }), SECRET)}&admin=1`,
			401,
			/does not match/,
		],
		[
			'stale timestamp (91 s)',
			() =>
				signAppProxyQuery(
					proxyPairs({ shop: SHOP, customerId: CUSTOMER, timestamp: nowSeconds() - 91 }),
					SECRET,
				),
			401,
			/stale/,
		],
		[
			'future timestamp (95 s)',
			() =>
				signAppProxyQuery(
					proxyPairs({ shop: SHOP, customerId: CUSTOMER, timestamp: nowSeconds() + 95 }),
					SECRET,
				),
			401,
			/future/,
		],
		[
			'blank customer',
			() => signAppProxyQuery(proxyPairs({ shop: SHOP, customerId: '' }), SECRET),
			401,
			/no logged-in customer/,
		],
		[
			'another shop',
			() => signAppProxyQuery(proxyPairs({ shop: OTHER_SHOP, customerId: CUSTOMER }), SECRET),
			403,
			/another shop/,
		],
		[
			'another shop, badly signed',
			() =>
				signAppProxyQuery(proxyPairs({ shop: OTHER_SHOP, customerId: CUSTOMER }), 'not-the-secret'),
			401,
			/does not match/,
		],
		[
			'repeated shop',
			() =>
				signAppProxyQuery(
					[['shop', OTHER_SHOP], ...proxyPairs({ shop: SHOP, customerId: CUSTOMER })],
					SECRET,
				),
			400,
			/repeated shop/,
		],
		[
			'repeated timestamp',
			() =>
				signAppProxyQuery(
					[
						['timestamp', String(nowSeconds())],
						...proxyPairs({ shop: SHOP, customerId: CUSTOMER }),
					],
					SECRET,
				),
			400,
			/repeated timestamp/,
		],
		[
			'repeated signature',
			() =>
				`${signAppProxyQuery(proxyPairs({ shop: SHOP, customerId: CUSTOMER }), SECRET)}&signature=${'0'.repeat(64)}`,
			400,
			/repeated signature/,
		],
	])('refuses %s', (_name, build, status, reason) => {
		const result = verifyAppProxy(build(), SECRET, [SHOP]);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.reason).toMatch(reason);
			expect(result.status).toBe(status);
		}
	});

	it('the timestamp window has an upper bound: a configured window above 300 s is used as 300 s', () => {
		expect(appProxyWindowSeconds(90)).toBe(90);
		expect(appProxyWindowSeconds(86_400)).toBe(APP_PROXY_MAX_SKEW_SECONDS);
		expect(appProxyWindowSeconds(undefined)).toBe(90);
		const signedAgo = (seconds: number) =>
			signAppProxyQuery(
				proxyPairs({ shop: SHOP, customerId: CUSTOMER, timestamp: nowSeconds() - seconds }),
				SECRET,
			);
		expect(verifyAppProxy(signedAgo(200), SECRET, [SHOP], { maxSkewSeconds: 86_400 }).ok).toBe(
			true,
		);
		expect(
			verifyAppProxy(signedAgo(400), SECRET, [SHOP], { maxSkewSeconds: 86_400 }),
		).toMatchObject({ ok: false, status: 401, reason: 'stale timestamp' });
		// ahead of the clock: never more than 90 s, whatever the window
		const ahead = signAppProxyQuery(
			proxyPairs({ shop: SHOP, customerId: CUSTOMER, timestamp: nowSeconds() + 150 }),
			SECRET,
		);
		expect(verifyAppProxy(ahead, SECRET, [SHOP], { maxSkewSeconds: 300 })).toMatchObject({
			ok: false,
			status: 401,
			reason: /future/,
		});
	});
});

describe('customer account session token', () => {
	it('accepts a token jose signs like Shopify, as @shopify/shopify-api does', async () => {
		const token = await mintSessionToken(
			tokenClaims({ shop: SHOP, clientId: CLIENT_ID, customerId: CUSTOMER }),
			SECRET,
		);
		await expect(oracle.decodeToken(token)).resolves.toMatchObject({
			sub: `gid://shopify/Customer/${CUSTOMER}`,
		});
		expect(verifySessionToken(token, SECRET, CLIENT_ID, [SHOP])).toMatchObject({
			ok: true,
			value: {
				shop: SHOP,
				customerId: CUSTOMER,
				customerGid: `gid://shopify/Customer/${CUSTOMER}`,
			},
		});
	});

	it('accepts dest with or without scheme, in any case, and a 10 s leeway', async () => {
		const t = Math.floor(Date.now() / 1000);
		for (const dest of [SHOP, `https://${SHOP.toUpperCase()}/`, `https://${SHOP}`]) {
			const token = await mintSessionToken(
				tokenClaims({ shop: SHOP, clientId: CLIENT_ID, customerId: CUSTOMER, dest, exp: t - 5 }),
				SECRET,
			);
			expect(verifySessionToken(token, SECRET, CLIENT_ID, [SHOP]).ok).toBe(true);
		}
	});

	// Times are taken when each case runs (a busy machine may start it seconds after collection),
	// well beyond the 10 s leeway.
	it.each([
		['another audience', () => ({ aud: 'another-app' }), /another app/],
		['another shop', () => ({ dest: `https://${OTHER_SHOP}` }), /another shop/], // 403
		['expired', (now: number) => ({ exp: now - 30 }), /expired/],
		['not valid yet', (now: number) => ({ nbf: now + 30 }), /not valid yet/],
		['no customer (sub)', () => ({ sub: undefined }), /no logged-in customer/],
		['a staff user, not a customer', () => ({ sub: '42' }), /no logged-in customer/],
	])('refuses a token for %s', async (_name, override, reason) => {
		const now = Math.floor(Date.now() / 1000);
		const token = await mintSessionToken(
			{
				...tokenClaims({ shop: SHOP, clientId: CLIENT_ID, customerId: CUSTOMER }),
				...override(now),
			},
			SECRET,
		);
		const result = verifySessionToken(token, SECRET, CLIENT_ID, [SHOP]);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.reason).toMatch(reason);
			expect(result.status).toBe(/another shop/.test(String(reason)) ? 403 : 401);
		}
	});

	it('refuses alg none, another algorithm, a wrong secret and garbage', async () => {
		const claims = tokenClaims({ shop: SHOP, clientId: CLIENT_ID, customerId: CUSTOMER });
		const cases: Array<[string, RegExp]> = [
			[await mintSessionToken(claims, SECRET, { alg: 'none' }), /algorithm none/],
			[await mintSessionToken(claims, SECRET, { alg: 'HS512' }), /algorithm HS512/],
			[await mintSessionToken(claims, 'another-secret-entirely'), /does not match/],
			['not.a.token!', /malformed/],
			['', /malformed/],
		];
		for (const [token, reason] of cases) {
			const result = verifySessionToken(token, SECRET, CLIENT_ID, [SHOP]);
			expect([token.slice(0, 20), result.ok]).toEqual([token.slice(0, 20), false]);
			if (!result.ok) expect(result.reason).toMatch(reason);
		}
	});
});

describe('property-based (fast-check)', () => {
	/**
	 * Property-based tests (fast-check) of every parser that reads outside input: Sesami Flow bodies,
	 * imin webhook payloads and RPDE pages, Shopify App Proxy queries and session tokens, My Page
	 * actions. Thousands of generated cases: none may throw, valid input must be read exactly, and
	 * anything changed in signed input must be refused.
	 */

	const RUNS = 2000;
	const SHOP = 'fuzz-shop.myshopify.com';
	const SECRET = ['fuzz', 'client', 'secret', 'value'].join('-');

	describe('Shopify App Proxy queries and session tokens', () => {
		const value = fc.string({ maxLength: 20 });
		const extraKeys = fc.uniqueArray(fc.stringMatching(/^x[a-z_]{1,8}$/), { maxLength: 3 });

		it('any query Shopify signs is accepted, with the customer it names', () => {
			fc.assert(
				fc.property(
					fc.stringMatching(/^[1-9]\d{0,15}$/),
					extraKeys,
					fc.array(value, { minLength: 3, maxLength: 3 }),
					(customerId, keys, values) => {
						const extra = keys.map((key, i) => [key, values[i]] as [string, string]);
						const query = signAppProxyQuery(proxyPairs({ shop: SHOP, customerId, extra }), SECRET);
						const result = verifyAppProxy(query, SECRET, [SHOP]);
						expect(result).toMatchObject({ ok: true, value: { customerId, shop: SHOP } });
					},
				),
				{ numRuns: 1000 },
			);
		});

		it('changing any signed value is refused', () => {
			fc.assert(
				fc.property(
					fc.stringMatching(/^[1-9]\d{0,15}$/),
					fc.constantFrom('shop', 'logged_in_customer_id', 'path_prefix', 'timestamp'),
					fc.stringMatching(/^[a-z0-9]{1,6}$/),
					(customerId, field, suffix) => {
						const pairs = proxyPairs({ shop: SHOP, customerId });
						const query = signAppProxyQuery(pairs, SECRET);
						const tampered = query.replace(
							new RegExp(`(^|&)${field}=([^&]*)`),
							(_m, lead, v) => `${lead}${field}=${v}${suffix}`,
						);
						expect(verifyAppProxy(tampered, SECRET, [SHOP]).ok).toBe(false);
					},
				),
				{ numRuns: 1000 },
			);
		});

		it('arbitrary query strings and tokens never throw and are refused', () => {
			fc.assert(
				fc.property(fc.string({ maxLength: 300 }), (text) => {
					expect(verifyAppProxy(text, SECRET, [SHOP]).ok).toBe(false);
					expect(verifySessionToken(text, SECRET, 'client', [SHOP]).ok).toBe(false);
				}),
				{ numRuns: RUNS },
			);
		});

		it('a signed token is accepted exactly when its claims are valid', async () => {
			await fc.assert(
				fc.asyncProperty(
					// away from the 10 s leeway's edge, where a clock tick would decide
					fc.integer({ min: -400, max: 400 }).filter((offset) => offset < -11 || offset > -9),
					fc.boolean(),
					fc.boolean(),
					fc.option(fc.stringMatching(/^[1-9]\d{0,12}$/), { nil: undefined }),
					async (expOffset, rightAudience, rightShop, customerId) => {
						const now = Math.floor(Date.now() / 1000);
						const claims = tokenClaims({
							shop: rightShop ? SHOP : 'other.myshopify.com',
							clientId: rightAudience ? 'client' : 'other',
							customerId,
							exp: now + expOffset,
						});
						const result = verifySessionToken(
							await mintSessionToken(claims, SECRET),
							SECRET,
							'client',
							[SHOP],
						);
						expect(result.ok).toBe(
							expOffset > -9 && rightAudience && rightShop && customerId !== undefined,
						);
					},
				),
				{ numRuns: 500 },
			);
		});
	});
});
