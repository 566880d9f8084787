import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { useSesamiSimulator } from '../../../../../helpers/setup';

type Appointment = IDataObject & {
	id: string;
	customer: IDataObject;
	events: IDataObject[];
	datetime: string;
};
const { sim, shop, run: runNode } = useSesamiSimulator();
beforeEach(() => sim.clearExchanges());

async function run(parameters: IDataObject): Promise<INodeExecutionData[]> {
	return await runNode(parameters, { continueOnFail: true });
}

describe('Get Many for Customer', () => {
	it("returns exactly the customer's upcoming appointments, for the numeric or the gid form", async () => {
		const customer = shop.customer!;
		const expected = (sim.state.appointments as Appointment[])
			.filter(
				(a) =>
					a.shopId === shop.id &&
					a.customer.externalId === customer.externalId &&
					Date.parse(a.datetime) >= Date.now(),
			)
			.map((a) => a.id)
			.sort();
		for (const customerId of [
			customer.externalId,
			`gid://shopify/Customer/${customer.externalId}`,
		]) {
			const output = await run({
				resource: 'appointment',
				operation: 'getManyForCustomer',
				customerId,
				filterType: 'UPCOMING',
				simplify: true,
				options: { includePolicy: true },
			});
			expect(output.map((item) => item.json.id).sort()).toEqual(expected);
			for (const item of output) {
				expect(item.json.shopifyCustomerId).toBe(customer.externalId);
				expect(item.json.policy).toBeDefined();
			}
		}
	});

	it('refuses something that is not a Shopify customer ID', async () => {
		const [item] = await run({
			resource: 'appointment',
			operation: 'getManyForCustomer',
			customerId: 'ada@example.com',
			filterType: 'UPCOMING',
		});
		expect(item.json.httpCode).toBe('403');
	});

	describe('from the stored links index (List From = Stored Links Index)', () => {
		afterEach(() => sim.variants.reset());
		const upcoming = (externalId: string) =>
			(sim.state.appointments as Appointment[])
				.filter(
					(a) =>
						a.shopId === shop.id &&
						a.customer.externalId === externalId &&
						Date.parse(a.datetime) >= Date.now(),
				)
				.map((a) => a.id)
				.sort();
		const listCalls = () =>
			(sim.exchanges as IDataObject[]).filter(
				(e) => e.method === 'GET' && /\/appointments$/.test(String(e.path)),
			);
		const other = () =>
			(sim.state.appointments as Appointment[]).find(
				(a) =>
					a.shopId === shop.id &&
					a.customer.externalId &&
					a.customer.externalId !== shop.customer!.externalId &&
					Date.parse(a.datetime) >= Date.now(),
			)!;
		const byIndex = (storedLinks: IDataObject[] | string, indexShopIds: string[] | string = '') =>
			run({
				resource: 'appointment',
				operation: 'getManyForCustomer',
				customerId: shop.customer!.externalId,
				filterType: 'UPCOMING',
				listFrom: 'index',
				storedLinks,
				indexShopIds,
				simplify: true,
				options: { includePolicy: true },
			});

		it("lists the indexed appointments in one call; another customer's row and a deleted ID are dropped", async () => {
			const mine = upcoming(String(shop.customer!.externalId));
			expect(mine.length).toBeGreaterThan(0);
			const rows = [
				...mine.map((appointmentId) => ({ appointmentId, shopId: shop.id })),
				// a row that wrongly says another customer's appointment is this customer's
				{ appointmentId: other().id, shopId: shop.id },
				{ appointmentId: 'ffffffffffffffffffffffff', shopId: shop.id },
			];
			const output = await byIndex(rows, [shop.id]);
			expect(output.map((item) => item.json.id).sort()).toEqual(mine);
			expect(output.every((item) => item.json.listedFrom === 'index')).toBe(true);
			expect(output.every((item) => item.json.policy)).toBe(true);
			expect(listCalls()).toHaveLength(1);
		});

		it.each(['comma-only', 'repeat-only', 'brackets-only', 'single-not-list'])(
			'holds when the server reads only one encoding of ids (%s): same list, never a foreign item',
			async (variant) => {
				sim.variants.set({ arrayQuery: variant });
				const mine = upcoming(String(shop.customer!.externalId));
				const output = await byIndex(mine.join(', '), [shop.id]);
				expect(output.map((item) => item.json.id).sort()).toEqual(mine);
				expect(output.every((item) => item.json.listedFrom === 'index')).toBe(true);
				// an ignored encoding costs one more call: repeated keys, then commas, then brackets
				const calls: Record<string, number> = { 'comma-only': 2, 'brackets-only': 3 };
				expect(mine.length).toBeGreaterThan(1);
				expect(listCalls()).toHaveLength(calls[variant] ?? 1);
			},
		);

		it("walks when the index is not complete for the shop, even with the customer's rows (rows of another shop are not this one)", async () => {
			const mine = upcoming(String(shop.customer!.externalId));
			const output = await byIndex(
				[
					...mine.map((appointmentId) => ({ appointmentId, shopId: 'another-shop' })),
					{ appointmentId: mine[0], shopId: shop.id },
				],
				['another-shop'],
			);
			expect(output.map((item) => item.json.id).sort()).toEqual(mine);
			expect(output.every((item) => item.json.listedFrom === 'walk')).toBe(true);
			expect(listCalls().every((e) => !(e.query as IDataObject).ids)).toBe(true);
		});

		it('answers an empty list without walking when the shop is indexed but the customer has no row', async () => {
			const output = await byIndex([{}], [shop.id]);
			expect(output).toEqual([]);
			expect(listCalls()).toHaveLength(0);
		});

		it('a saved workflow without List From keeps the walk and its output (no listedFrom)', async () => {
			const output = await run({
				resource: 'appointment',
				operation: 'getManyForCustomer',
				customerId: shop.customer!.externalId,
				filterType: 'UPCOMING',
				simplify: true,
			});
			expect(output.length).toBeGreaterThan(0);
			expect(output.every((item) => !('listedFrom' in item.json))).toBe(true);
		});
	});
});
