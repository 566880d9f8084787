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
});
