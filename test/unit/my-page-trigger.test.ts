/**
 * Sesami My Page Trigger (App Proxy): what a storefront request gets back, through the node's
 * webhook() with a request as n8n hands it over. 400 for a repeated shop / timestamp / signature,
 * 403 for another shop, 401 for a bad signature or a timestamp outside the window, whose upper
 * bound holds whatever the node's setting says.
 */
import type { IDataObject } from 'n8n-workflow';

import { SesamiMyPageTrigger } from '../../nodes/Sesami/SesamiMyPageTrigger/SesamiMyPageTrigger.node';
import { webhookContext } from '../helpers/n8n-context';
import { proxyPairs, signAppProxyQuery } from '../helpers/shopify';

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
