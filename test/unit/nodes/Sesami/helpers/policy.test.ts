import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { rl, useSesamiSimulator } from '../../../../helpers/setup';

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
const writes = () => (sim.exchanges as IDataObject[]).filter((e) => e.method !== 'GET');

async function newAppointment(serviceId: string, hoursAhead: number): Promise<Appointment> {
	return (await sim.createAppointment({
		serviceId,
		datetime: new Date(Date.now() + hoursAhead * 3600_000).toISOString(),
	})) as Appointment;
}

describe('Customer policy', () => {
	const attempt = (operation: string, id: string) =>
		run({
			resource: 'appointment',
			operation,
			appointmentId: rl(id),
			refundMoney: false,
			dateTime: new Date(Date.parse(stored(id).datetime) + 86400_000).toISOString(),
			additionalFields: { onlyForCustomer: ownerOf(id), enforcePolicy: true },
		});

	it('refuses to cancel inside the notice window (48 h service, 24 h ahead) with the reason', async () => {
		const appointment = await newAppointment(shop.services.notice48h, 24);
		sim.clearExchanges();
		const [item] = await attempt('cancel', appointment.id);
		expect(item.json.httpCode).toBe('403');
		expect(String(item.json.error)).toMatch(/only until 48 hours before the start/);
		expect(writes()).toHaveLength(0);
	});

	it('refuses to reschedule a service that forbids it', async () => {
		const appointment = await newAppointment(shop.services.noReschedule, 24 * 10);
		sim.clearExchanges();
		const [item] = await attempt('reschedule', appointment.id);
		expect(String(item.json.error)).toMatch(/cannot be rescheduled online/);
		expect(writes()).toHaveLength(0);
	});

	it('refuses a seventh reschedule', async () => {
		const appointment = await newAppointment(shop.services.standard, 24 * 10);
		for (let i = 0; i < 6; i++) await sim.appointmentAction(appointment.id, 'reschedule', {});
		sim.clearExchanges();
		const [item] = await attempt('reschedule', appointment.id);
		expect(String(item.json.error)).toMatch(/already rescheduled 6 times/);
		expect(writes()).toHaveLength(0);
	});

	it('allows what the policy allows, and refunds per the service setting', async () => {
		const appointment = await newAppointment(shop.services.standard, 24 * 10);
		sim.clearExchanges();
		const [item] = await run({
			resource: 'appointment',
			operation: 'cancel',
			appointmentId: rl(appointment.id),
			refundMoney: false,
			additionalFields: {
				onlyForCustomer: ownerOf(appointment.id),
				enforcePolicy: true,
				refundPerService: true,
			},
		});
		const service = (sim.state.services as IDataObject[]).find(
			(s) => s.id === shop.services.standard,
		)!;
		expect(item.json).toMatchObject({
			cancelled: true,
			refundMoney: service.refundMoneyOnCancel === true,
			appointment: { cancelled: true },
		});
		expect(writes()[0].requestBody).toMatchObject({
			refundMoney: service.refundMoneyOnCancel === true,
		});
	});

	it('Get with Include Customer Policy explains what the customer may do', async () => {
		const appointment = await newAppointment(shop.services.noCancel, 24 * 10);
		const [item] = await run({
			resource: 'appointment',
			operation: 'get',
			simplify: true,
			appointmentId: rl(appointment.id),
			options: { includePolicy: true },
		});
		expect(item.json.policy).toMatchObject({
			canCancel: false,
			canReschedule: true,
			reschedulesLeft: 6,
		});
		expect(String((item.json.policy as IDataObject).cancelReason)).toMatch(
			/cannot be cancelled online/,
		);
	});
});
