/**
 * The Sesami node's Authentication (nodes/Sesami/transport/auth.ts) against the Sesami simulator
 * over HTTP: App Installation reads each item's own shop with that shop's offline token, checks the
 * shop ID and token per item (errors with the item index, Continue On Fail keeps the item), explains
 * a refused app token, never sends a write and never shows the token.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { Sesami } from '../../../../../nodes/Sesami/Sesami.node';
import { sesamiApiRequest } from '../../../../../nodes/Sesami/transport';
import {
	APP_CLIENT_ID,
	installApp,
	rl,
	sesamiNodeContext,
	useSesamiSimulator,
} from '../../../../helpers/setup';
import type { RunOptions, SesamiShop } from '../../../../helpers/setup';

const { sim } = useSesamiSimulator({ appointments: 60 });

let shops: SesamiShop[];
let tokens: string[];
beforeAll(() => {
	shops = sim.fixtures.shops;
	tokens = shops.slice(0, 2).map((shop) => installApp(sim, shop));
});
beforeEach(() => sim.clearExchanges());

const asApp = (shopId: string, token: string, extra: IDataObject = {}): IDataObject => ({
	authentication: 'appInstallation',
	appShopId: shopId,
	appAccessToken: token,
	...extra,
});

async function run(parameters: IDataObject[], options: RunOptions = {}) {
	const context = sesamiNodeContext(sim, parameters, {
		items: parameters.map(() => ({ json: {} })),
		...options,
	});
	const [output] = (await new Sesami().execute.call(context)) as INodeExecutionData[][];
	return { output, requests: context.requests };
}

const exchanges = () => sim.exchanges as Array<IDataObject & { headers: IDataObject }>;

describe('App Installation: reads, one shop per item', () => {
	it("two shops in one run: each item gets its own shop's data, with its own token", async () => {
		const services = { resource: 'service', operation: 'getAll', returnAll: true };
		const { output, requests } = await run([
			asApp(shops[0].id, tokens[0], services),
			asApp(shops[1].id, tokens[1], services),
		]);
		for (const [index, shop] of shops.slice(0, 2).entries()) {
			const ids = output
				.filter((item) => (item.pairedItem as { item: number }).item === index)
				.map((item) => String(item.json.id))
				.sort();
			expect(ids).toEqual([...shop.serviceIds].sort());
		}
		expect(requests.map((r) => r.headers?.['x-api-key'])).toEqual(tokens);
		expect(
			exchanges().map((e) => [e.path, e.headers['x-shop-id'], e.headers['x-client-id']]),
		).toEqual([
			[`/${shops[0].id}/services`, shops[0].id, APP_CLIENT_ID],
			[`/${shops[1].id}/services`, shops[1].id, APP_CLIENT_ID],
		]);
	});

	it('Shop Get answers the shop of each item', async () => {
		const { output } = await run([
			asApp(shops[1].id, tokens[1], { resource: 'shop', operation: 'get' }),
			asApp(shops[0].id, tokens[0], { resource: 'shop', operation: 'get' }),
		]);
		expect(output.map((item) => item.json.id)).toEqual([shops[1].id, shops[0].id]);
	});

	it('sends the Default Timezone (UTC unless set) when an operation sets none', async () => {
		const get = {
			resource: 'appointment',
			operation: 'get',
			appointmentId: rl(shops[0].appointments.upcoming),
		};
		await run([
			asApp(shops[0].id, tokens[0], get),
			asApp(shops[0].id, tokens[0], { ...get, appTimezone: 'Asia/Tokyo' }),
		]);
		expect(exchanges().map((e) => (e.query as IDataObject).timezone)).toEqual([
			'UTC',
			'Asia/Tokyo',
		]);
	});
});

describe('App Installation: naive appointment times, each shop in its own zone', () => {
	afterEach(() => sim.variants.reset());

	it("reads each item's naive times in its shop's zone (one shop lookup per shop)", async () => {
		sim.variants.set({ times: 'naive-minutes' });
		const get = (index: number) =>
			asApp(shops[index].id, tokens[index], {
				resource: 'appointment',
				operation: 'get',
				simplify: true,
				appointmentId: rl(shops[index].appointments.upcoming),
			});
		const { output } = await run([get(0), get(1), get(0)]);
		expect(output.map((item) => item.json.naiveTimesZone)).toEqual([
			shops[0].timezone,
			shops[1].timezone,
			shops[0].timezone,
		]);
		expect(output.map((item) => item.json.naiveTimesZoneSource)).toEqual(['shop', 'shop', 'shop']);
		const lookups = exchanges().filter((e) => String(e.path).startsWith('/shops/'));
		expect(lookups.map((e) => e.path)).toEqual([`/shops/${shops[0].id}`, `/shops/${shops[1].id}`]);
	});
});

describe('App Installation: bad input per item', () => {
	const shopGet = { resource: 'shop', operation: 'get' };

	it('a bad shop ID and an empty token fail their own items with Continue On Fail', async () => {
		const { output } = await run(
			[
				asApp(shops[0].id, tokens[0], shopGet),
				asApp('not-a-shop', tokens[0], shopGet),
				asApp(shops[1].id, '  ', shopGet),
				asApp('', tokens[1], shopGet),
			],
			{ continueOnFail: true },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(output[0].json.id).toBe(shops[0].id);
		expect(output[1].json.error).toBe(
			'The Shop ID of the app installation is not a Sesami shop ID (10 characters)',
		);
		expect(output[2].json.error).toBe('The Access Token of the app installation is empty');
		expect(output[3].json.error).toBe('The Shop ID of the app installation is empty');
		expect(exchanges()).toHaveLength(1);
	});

	it('without Continue On Fail the run stops with the item index', async () => {
		const error = await run([
			asApp(shops[0].id, tokens[0], shopGet),
			asApp(shops[0].id, '', shopGet),
		]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe(
			'The Access Token of the app installation is empty',
		);
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
	});

	it("a shop ID that is another shop's token is not repeated in the error", async () => {
		const { output } = await run([asApp(tokens[0], tokens[0], shopGet)], { continueOnFail: true });
		expect(String(output[0].json.error)).toMatch(/not a Sesami shop ID/);
		expect(JSON.stringify(output)).not.toContain(tokens[0]);
	});
});

describe('App Installation: refusals', () => {
	it("a token used for another shop: Sesami's 401 is explained, the token not shown", async () => {
		const { output } = await run(
			[asApp(shops[1].id, tokens[0], { resource: 'shop', operation: 'getConfig' })],
			{ continueOnFail: true },
		);
		expect(output[0].json.error).toBe(
			`Sesami refused the app installation's token for shop ${shops[1].id} (401)`,
		);
		expect(String(output[0].json.errorDescription)).toMatch(/same installation/);
		expect(JSON.stringify(output)).not.toContain(tokens[0]);
	});

	it('an uninstalled shop (token revoked): the same explanation', async () => {
		const shop = shops[2];
		const token = installApp(sim, shop);
		sim.appTokens.revoke(token);
		const { output } = await run([asApp(shop.id, token, { resource: 'shop', operation: 'get' })], {
			continueOnFail: true,
		});
		expect(output[0].json.error).toBe(
			`Sesami refused the app installation's token for shop ${shop.id} (401)`,
		);
	});

	it('the transport sends no write with an app token, whatever the caller', async () => {
		const context = sesamiNodeContext(sim, asApp(shops[0].id, tokens[0]));
		for (const method of ['POST', 'PATCH', 'DELETE'] as const) {
			const error = await sesamiApiRequest
				.call(context, method, '/{shop}/customers', { body: {}, itemIndex: 0 })
				.catch((e: unknown) => e);
			expect((error as Error).message).toBe(
				`${method} /{shop}/customers needs a Sesami personal access token with write permission: app installation tokens are read-only`,
			);
		}
		expect(context.requests).toEqual([]);
		expect(exchanges()).toEqual([]);
	});
});

describe('Personal Access Token', () => {
	it('a saved workflow without the Authentication parameter uses the Sesami API credential', async () => {
		const { output, requests } = await run([{ resource: 'shop', operation: 'get' }]);
		expect(output[0].json.id).toBe(shops[0].id);
		expect(requests[0].headers).toMatchObject({
			'x-api-key': shops[0].apiKey,
			'x-shop-id': shops[0].id,
			'x-client-id': shops[0].clientId,
		});
	});

	it('the App Installation fields are ignored with Personal Access Token', async () => {
		const { output } = await run([
			{
				...asApp(shops[1].id, tokens[1]),
				authentication: 'personalAccessToken',
				...{ resource: 'shop', operation: 'get' },
			},
		]);
		expect(output[0].json.id).toBe(shops[0].id);
	});
});
