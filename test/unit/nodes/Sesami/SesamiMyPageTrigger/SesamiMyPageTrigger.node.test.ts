/**
 * Sesami My Page Trigger (App Proxy): what a storefront request gets back, through the node's
 * webhook() with a request as n8n hands it over. 400 for a repeated shop / timestamp / signature,
 * 403 for another shop, 401 for a bad signature or a timestamp outside the window, whose upper
 * bound holds whatever the node's setting says.
 */
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { SesamiMyPageTrigger } from '../../../../../nodes/Sesami/SesamiMyPageTrigger/SesamiMyPageTrigger.node';
import { parseLikeN8nV2, webhookContext } from '../../../../helpers/n8n-context';
import {
	mintSessionToken,
	proxyPairs,
	signAppProxyQuery,
	tokenClaims,
} from '../../../../helpers/shopify';
import { readAction } from '../../../../../nodes/Sesami/SesamiMyPageTrigger/actions';
import { MAX_BODY_BYTES } from '../../../../../nodes/shared/webhook/rawBody';

const SHOP = 'bloom-and-brow.myshopify.com';
const SECRET = ['my', 'page', 'client', 'secret', 'for', 'tests'].join('-');
const CUSTOMER = '7001234567890';
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function call(query: string, settings: IDataObject = {}) {
	const context = webhookContext({
		parameters: { verification: 'appProxy', settings },
		nodeName: 'My Page Trigger',
		credentials: {
			shopifyAppApi: { shopDomains: SHOP, clientId: 'client-id', clientSecret: SECRET },
		},
		method: 'GET',
		url: `/webhook/abc/my-page?${query}`,
		query: Object.fromEntries(new URLSearchParams(query)),
	});
	const result = await new SesamiMyPageTrigger().webhook.call(context);
	const response = context.response as { statusCode?: number; body?: IDataObject };
	return {
		status: response.statusCode,
		body: response.body,
		started: result.workflowData !== undefined,
	};
}

const signed = (over: { shop?: string; timestamp?: number; secret?: string } = {}) =>
	signAppProxyQuery(
		proxyPairs({
			shop: over.shop ?? SHOP,
			customerId: CUSTOMER,
			timestamp: over.timestamp,
			extra: [['op', 'list']],
		}),
		over.secret ?? SECRET,
	);

describe('My Page Trigger: what a verified request gives the workflow', () => {
	/** One request through webhook(); the emitted item and the response headers. */
	async function started(options: {
		verification: 'appProxy' | 'sessionToken';
		query: string;
		headers?: Record<string, string>;
	}) {
		const context = webhookContext({
			parameters: { verification: options.verification, settings: {} },
			nodeName: 'My Page Trigger',
			credentials: {
				shopifyAppApi: { shopDomains: SHOP, clientId: 'client-id', clientSecret: SECRET },
			},
			method: 'GET',
			url: `/webhook/abc/my-page?${options.query}`,
			query: Object.fromEntries(new URLSearchParams(options.query)),
			headers: options.headers,
		});
		const result = await new SesamiMyPageTrigger().webhook.call(context);
		const items = result.workflowData?.[0] ?? [];
		return { items, headers: context.response.headers ?? {}, status: context.response.statusCode };
	}

	it('App Proxy: the shop, the verified customer, the action and the path prefix', async () => {
		const { items, headers } = await started({ verification: 'appProxy', query: signed() });
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			verification: 'appProxy',
			shop: SHOP,
			customerId: CUSTOMER,
			customerGid: `gid://shopify/Customer/${CUSTOMER}`,
			action: 'list',
			pathPrefix: '/apps/bookings',
		});
		expect(Date.parse(String(items[0].json.receivedAt))).not.toBeNaN();
		// App Proxy requests come from Shopify's servers, not the browser: no CORS headers
		expect(headers['access-control-allow-origin']).toBeUndefined();
	});

	it('session token: the customer from the token, no path prefix, and CORS headers', async () => {
		// Customer account UI extensions call the backend from the browser with a session token
		// (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/configuration#network-access)
		const token = await mintSessionToken(
			tokenClaims({ shop: SHOP, clientId: 'client-id', customerId: CUSTOMER }),
			SECRET,
		);
		const { items, headers } = await started({
			verification: 'sessionToken',
			query: 'op=list',
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			verification: 'sessionToken',
			shop: SHOP,
			customerId: CUSTOMER,
			customerGid: `gid://shopify/Customer/${CUSTOMER}`,
			action: 'list',
			pathPrefix: null,
		});
		expect(headers).toMatchObject({
			'access-control-allow-origin': '*',
			'access-control-allow-headers': 'Authorization, Content-Type',
			'access-control-allow-methods': 'GET, POST, OPTIONS',
		});
	});

	it('session token refused: 401 with a reason, and still the CORS headers (the browser reads it)', async () => {
		const { items, headers, status } = await started({
			verification: 'sessionToken',
			query: 'op=list',
			headers: { Authorization: 'Bearer not-a-token' },
		});
		expect(items).toHaveLength(0);
		expect(status).toBe(401);
		expect(headers['access-control-allow-origin']).toBe('*');
	});
});

describe('My Page Trigger: version 1 (saved workflows) and version 2 (new nodes)', () => {
	/** One signed request to the given version; version 2 gets the request as n8n hands it over. */
	async function requestTo(version: number, method: 'GET' | 'POST', body?: string) {
		const query = signed();
		const context = webhookContext({
			typeVersion: version,
			parameters: { verification: 'appProxy', settings: {} },
			nodeName: 'My Page Trigger',
			credentials: {
				shopifyAppApi: { shopDomains: SHOP, clientId: 'client-id', clientSecret: SECRET },
			},
			method,
			url: `/webhook/abc/my-page?${query}`,
			query: Object.fromEntries(new URLSearchParams(query)),
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body,
		});
		if (version > 1) {
			const parsed = await parseLikeN8nV2(context);
			if (parsed.status) return { n8nStatus: parsed.status };
		}
		const result = await new SesamiMyPageTrigger().webhook.call(context);
		const item = result.workflowData?.[0][0].json;
		return {
			status: context.response.statusCode,
			reason: (context.response.body as IDataObject | undefined)?.reason,
			item: item && { ...item, receivedAt: undefined },
		};
	}

	it('new nodes are version 2; the hidden raw-body option belongs to version 1 only', () => {
		const { description } = new SesamiMyPageTrigger();
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		expect(description.properties.find((p) => p.name === 'options')).toMatchObject({
			type: 'hidden',
			default: { binaryData: true },
			displayOptions: { show: { '@version': [1] } },
		});
	});

	it('both versions give the workflow the same item for a GET list and a POST cancel', async () => {
		const list1 = await requestTo(1, 'GET');
		const list2 = await requestTo(2, 'GET');
		expect(list2.item).toMatchObject({ action: 'list', customerId: CUSTOMER });
		expect(list2).toEqual(list1);
		const cancel = JSON.stringify({ op: 'cancel', appointmentId: 'a'.repeat(24) });
		const cancel1 = await requestTo(1, 'POST', cancel);
		const cancel2 = await requestTo(2, 'POST', cancel);
		expect(cancel2.item).toMatchObject({ action: 'cancel', customerId: CUSTOMER });
		expect(cancel2).toEqual(cancel1);
	});

	it("what differs: a POST body that is not JSON gets the trigger's 400 in version 1, n8n's 422 in version 2", async () => {
		const v1 = await requestTo(1, 'POST', '{"op": "cancel"');
		expect(v1.status).toBe(400);
		expect(String(v1.reason)).toMatch(/not JSON/);
		expect(await requestTo(2, 'POST', '{"op": "cancel"')).toEqual({ n8nStatus: 422 });
	});
});

describe('My Page Trigger (App Proxy) answers', () => {
	it('a good request starts the workflow with the verified customer', async () => {
		const answer = await call(signed());
		expect(answer.started).toBe(true);
	});

	it.each([
		[
			'a repeated shop',
			() => `shop=someone-else.myshopify.com&${signed()}`,
			400,
			'invalid request',
			/repeated shop/,
		],
		[
			'a repeated timestamp',
			() => `${signed()}&timestamp=${nowSeconds()}`,
			400,
			'invalid request',
			/repeated timestamp/,
		],
		[
			'a repeated signature',
			() => `${signed()}&signature=${'0'.repeat(64)}`,
			400,
			'invalid request',
			/repeated signature/,
		],
		[
			'another shop, correctly signed',
			() => signed({ shop: 'someone-else.myshopify.com' }),
			403,
			'forbidden',
			/another shop/,
		],
		[
			'a bad signature',
			() => signed({ secret: 'not-the-secret-at-all' }),
			401,
			'unauthorized',
			/signature/,
		],
		[
			'a timestamp 10 minutes old',
			() => signed({ timestamp: nowSeconds() - 600 }),
			401,
			'unauthorized',
			/stale/,
		],
		[
			'a timestamp 2 minutes ahead',
			() => signed({ timestamp: nowSeconds() + 120 }),
			401,
			'unauthorized',
			/future/,
		],
	])('%s: its status and reason, no execution', async (_name, query, status, error, reason) => {
		const answer = await call(query());
		expect(answer.status).toBe(status);
		expect(answer.body?.error).toBe(error);
		expect(String(answer.body?.reason)).toMatch(reason);
		expect(answer.started).toBe(false);
	});

	it('a window set above 300 s is used as 300 s', async () => {
		expect(
			(await call(signed({ timestamp: nowSeconds() - 200 }), { maxSkewSeconds: 86_400 })).started,
		).toBe(true);
		const old = await call(signed({ timestamp: nowSeconds() - 400 }), { maxSkewSeconds: 86_400 });
		expect([old.status, old.started]).toEqual([401, false]);
	});
});

describe('malformed input', () => {
	// Fixes found by the malformed-request e2e suite (test/e2e/malformed-requests.test.mjs): every
	// trigger answers a body or field it cannot use with 4xx and a reason and starts nothing, never
	// throws (n8n would answer 500 and record a failed execution), and never spends minutes of CPU.

	type Answer = {
		result: IWebhookResponseData;
		response: { statusCode?: number; body?: IDataObject };
	};

	const SHOP = 'bloom-and-brow.myshopify.com';
	const APP_SECRET = ['app', 'client', 'secret', 'for', 'tests'].join('-');

	describe('My Page: valid signature, unusable action', () => {
		it('readAction refuses lists and objects where one text value belongs', () => {
			expect(readAction({}, { op: ['cancel'], appointmentId: 'a'.repeat(24) }, 'POST')).toEqual({
				ok: false,
				reason: 'op must be a single text value',
			});
			expect(readAction({}, { op: 'cancel', appointmentId: ['a'.repeat(24)] }, 'POST')).toEqual({
				ok: false,
				reason: 'appointmentId must be a single text value',
			});
			expect(readAction({ op: ['list', 'cancel'] }, {}, 'GET')).toMatchObject({
				ok: false,
				reason: /op must be/,
			});
			expect(
				readAction(
					{ timezone: { $gt: '' } },
					{ op: 'slots', appointmentId: 'a'.repeat(24) },
					'POST',
				),
			).toMatchObject({ ok: false, reason: /timezone/ });
			expect(readAction({}, { op: 'cancel', appointmentId: 'a'.repeat(24) }, 'POST')).toMatchObject(
				{
					ok: true,
					action: 'cancel',
				},
			);
			const slots = (start: string) =>
				readAction({}, { op: 'slots', appointmentId: 'a'.repeat(24), start }, 'POST');
			for (const start of ['2026-13-45', '2026-02-30', '2026-00-10', '2026-04-31T10:00'])
				expect(slots(start)).toMatchObject({ ok: false, reason: /start must be a date/ });
			for (const start of ['2028-02-29', '2026-12-31', '2026-04-30T10:00:00Z'])
				expect(slots(start)).toMatchObject({ ok: true });
			expect(
				readAction(
					{},
					{ op: 'reschedule', appointmentId: 'a'.repeat(24), dateTime: '2026-02-30T10:00:00Z' },
					'POST',
				),
			).toMatchObject({ ok: false, reason: /dateTime/ });
		});

		it('a signed POST whose body is not UTF-8, too large or unreadable gets 4xx and starts nothing', async () => {
			const query = signAppProxyQuery(
				proxyPairs({ shop: SHOP, customerId: '7001234567890', extra: [['op', 'cancel']] }),
				APP_SECRET,
			);
			const call = async (extra: IDataObject) => {
				const context = webhookContext({
					parameters: { verification: 'appProxy', settings: {} },
					credentials: {
						shopifyAppApi: {
							shopDomains: SHOP,
							clientId: 'client-id-of-the-app',
							clientSecret: APP_SECRET,
						},
					},
					method: 'POST',
					url: `/webhook/x/my-page?${query}`,
					...extra,
				});
				const result = await new SesamiMyPageTrigger().webhook.call(context);
				return { result, response: context.response as Answer['response'] };
			};
			const ok = await call({
				body: JSON.stringify({ op: 'cancel', appointmentId: 'a'.repeat(24) }),
			});
			expect(ok.result.workflowData?.[0][0].json).toMatchObject({
				action: 'cancel',
				customerId: '7001234567890',
			});
			for (const [extra, status] of [
				[{ body: Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]) }, 400],
				[{ headers: { 'content-length': String(MAX_BODY_BYTES + 1) } }, 413],
				[
					{
						readRawBodyError: Object.assign(new Error('incorrect header check'), {
							code: 'Z_DATA_ERROR',
						}),
					},
					400,
				],
				[{ body: JSON.stringify({ op: 'cancel', appointmentId: ['a'.repeat(24)] }) }, 400],
			] as Array<[IDataObject, number]>) {
				const answer = await call(extra);
				expect(answer.response.statusCode).toBe(status);
				expect(typeof answer.response.body?.reason).toBe('string');
				expect(answer.result.workflowData).toBeUndefined();
			}
		});
	});
});
