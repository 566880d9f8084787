import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { rl, useSesamiSimulator } from '../../../../../helpers/setup';

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

const stored = (id: string) => (sim.state.appointments as Appointment[]).find((a) => a.id === id)!;
const ownerOf = (id: string) => String(stored(id).customer.externalId);
const someoneElse = (id: string) =>
	String(
		(sim.state.appointments as Appointment[]).find(
			(a) => a.customer.externalId && a.customer.externalId !== ownerOf(id),
		)!.customer.externalId,
	);
const writes = () => (sim.exchanges as IDataObject[]).filter((e) => e.method !== 'GET');

describe('Only for Customer (ownership)', () => {
	it('Get: the owner gets the appointment, another customer a 403', async () => {
		const id = shop.appointments.upcoming;
		const [mine] = await run({
			resource: 'appointment',
			operation: 'get',
			appointmentId: rl(id),
			options: { onlyForCustomer: `gid://shopify/Customer/${ownerOf(id)}` },
		});
		expect(mine.json.id).toBe(id);
		const [theirs] = await run({
			resource: 'appointment',
			operation: 'get',
			appointmentId: rl(id),
			options: { onlyForCustomer: someoneElse(id) },
		});
		expect(theirs.json).toMatchObject({
			httpCode: '403',
			error: 'This appointment does not belong to this customer',
		});
	});

	it.each(['cancel', 'reschedule'])(
		'%s for another customer: 403 and nothing changes in Sesami',
		async (operation) => {
			const id = shop.appointments.upcoming2;
			const before = JSON.stringify(stored(id));
			const [item] = await run({
				resource: 'appointment',
				operation,
				appointmentId: rl(id),
				refundMoney: false,
				dateTime: new Date(Date.now() + 30 * 86400_000).toISOString(),
				additionalFields: { onlyForCustomer: someoneElse(id) },
			});
			expect(item.json.httpCode).toBe('403');
			expect(writes()).toHaveLength(0);
			expect(JSON.stringify(stored(id))).toBe(before);
		},
	);
});
