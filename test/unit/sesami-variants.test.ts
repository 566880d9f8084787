/**
 * The Sesami node under each variant of the Admin API points no public source settles (the
 * simulator's switches, test/sim/sesami/variants.js): naive appointment times, a gateway error
 * after a cancel / reschedule was carried out, a repeated cancel answered 200, and a single
 * `ids` value not read as a list. Against the simulator over real HTTP.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { readAppointmentTimes } from '../../nodes/Sesami/helpers/appointmentTimes';
import { rl, useSesamiSimulator } from '../helpers/setup';

type Appointment = IDataObject & {
	id: string;
	customer: IDataObject;
	events: IDataObject[];
	datetime: string;
	status: string;
};
const { sim, shop, run: runNode } = useSesamiSimulator();
const TIMES = ['iso-offset', 'naive-minutes', 'naive-seconds'];

beforeEach(() => sim.clearExchanges());
afterEach(() => {
	sim.variants.reset();
	sim.clearFaults();
});

async function run(
	parameters: IDataObject,
	credentialTimezone = shop.timezone,
): Promise<INodeExecutionData[]> {
	return await runNode(parameters, {
		continueOnFail: true,
		credentials: { timezone: credentialTimezone },
	});
}

const stored = (id: string) => (sim.state.appointments as Appointment[]).find((a) => a.id === id)!;
const exchanges = (method: string, pathEnd: string) =>
	(sim.exchanges as IDataObject[]).filter(
		(e) => e.method === method && String(e.path).endsWith(pathEnd),
	);
const eventsOf = (id: string, type: string) =>
	stored(id).events.filter((e) => e.type === type).length;
const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

/** A new appointment `daysAhead` days from now, on a whole quarter hour (as Sesami slots are). */
async function newAppointment(daysAhead: number): Promise<Appointment> {
	const start = Math.floor((Date.now() + daysAhead * 86400_000) / 900_000) * 900_000;
	return (await sim.createAppointment({
		serviceId: shop.services.standard,
		datetime: new Date(start).toISOString(),
	})) as Appointment;
}

describe('times: naive datetimes are read in the shop time zone; every output has ISO with offset and UTC', () => {
	it.each(TIMES)(
		'%s: Get gives the same start / end / startUtc / endUtc, in the requested zone',
		async (times) => {
			sim.variants.set({ times });
			const id = shop.appointments.upcoming;
			const truth = stored(id);
			const [simple] = await run({
				resource: 'appointment',
				operation: 'get',
				simplify: true,
				appointmentId: rl(id),
				timezone: 'America/New_York',
			});
			expect(simple.json.startUtc).toBe(new Date(Date.parse(truth.datetime)).toISOString());
			expect(simple.json.endUtc).toBe(
				new Date(Date.parse(truth.datetime) + Number(truth.duration) * 60_000).toISOString(),
			);
			expect(simple.json.start).toMatch(ISO_OFFSET);
			expect(simple.json.end).toMatch(ISO_OFFSET);
			expect(String(simple.json.start)).toMatch(/-0[45]:00$/); // New York, as asked
			expect(Date.parse(String(simple.json.start))).toBe(Date.parse(truth.datetime));
			if (times === 'iso-offset') expect(simple.json.naiveTimesZone).toBeUndefined();
			else
				expect(simple.json).toMatchObject({
					naiveTimesZone: shop.timezone,
					naiveTimesZoneSource: 'shop',
				});

			const [raw] = await run({
				resource: 'appointment',
				operation: 'get',
				simplify: false,
				appointmentId: rl(id),
				timezone: 'America/New_York',
			});
			expect(raw.json.startUtc).toBe(simple.json.startUtc);
			// the API's own fields are kept as Sesami sent them
			if (times === 'naive-minutes')
				expect(raw.json.datetime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
			if (times === 'naive-seconds')
				expect(raw.json.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
		},
	);

	it('reads the shop zone once per execution, and only when a time is naive', async () => {
		await run({
			resource: 'appointment',
			operation: 'getAll',
			returnAll: false,
			limit: 150,
			simplify: true,
			filters: { filterType: 'UPCOMING' },
		});
		expect(exchanges('GET', `/shops/${shop.id}`)).toHaveLength(0);
		sim.variants.set({ times: 'naive-minutes' });
		const output = await run({
			resource: 'appointment',
			operation: 'getAll',
			returnAll: false,
			limit: 150,
			simplify: true,
			filters: { filterType: 'UPCOMING' },
		});
		expect(output.length).toBeGreaterThan(100);
		expect(exchanges('GET', `/shops/${shop.id}`)).toHaveLength(1);
		for (const item of output) {
			const truth = stored(String(item.json.id));
			expect([item.json.id, item.json.startUtc]).toEqual([
				truth.id,
				new Date(Date.parse(truth.datetime)).toISOString(),
			]);
		}
	});

	it("falls back to the credential's Default Timezone when the shop cannot be read, and says so", async () => {
		sim.variants.set({ times: 'naive-seconds' });
		sim.setFaults({ mode: '500', count: -1, match: { method: 'GET', path: `/shops/${shop.id}` } });
		const [item] = await run(
			{
				resource: 'appointment',
				operation: 'get',
				simplify: true,
				appointmentId: rl(shop.appointments.upcoming),
			},
			'Asia/Tokyo',
		);
		expect(item.json).toMatchObject({
			naiveTimesZone: 'Asia/Tokyo',
			naiveTimesZoneSource: 'credential default',
		});
		expect(String(item.json.start)).toMatch(/\+09:00$/);
	});

	it('the customer policy and Get Many for Customer agree under every variant', async () => {
		const customer = shop.customer!;
		const answers: string[] = [];
		for (const times of TIMES) {
			sim.variants.set({ times });
			const output = await run({
				resource: 'appointment',
				operation: 'getManyForCustomer',
				customerId: customer.externalId,
				filterType: 'UPCOMING',
				simplify: true,
				options: { includePolicy: true },
			});
			expect(output.length).toBeGreaterThan(0);
			answers.push(
				JSON.stringify(
					output.map((item) => [
						item.json.id,
						item.json.startUtc,
						item.json.endUtc,
						item.json.start,
						(item.json.policy as IDataObject).manageUntil,
						(item.json.policy as IDataObject).canCancel,
					]),
				),
			);
		}
		expect(answers[1]).toBe(answers[0]);
		expect(answers[2]).toBe(answers[0]);
	});

	it('readAppointmentTimes (the helper the trigger reuses) reads naive values in the given zone', () => {
		const times = readAppointmentTimes(
			{ datetime: '2026-07-01 10:00', duration: 45 },
			{ naiveZone: 'Europe/London', displayTimezone: 'UTC' },
		);
		expect(times).toEqual({
			start: '2026-07-01T09:00:00+00:00',
			end: '2026-07-01T09:45:00+00:00',
			startUtc: '2026-07-01T09:00:00.000Z',
			endUtc: '2026-07-01T09:45:00.000Z',
			naiveTimesZone: 'Europe/London',
			naiveTimesZoneSource: 'shop',
		});
	});
});

describe('retried writes are safe (writeGatewayError apply-then-502, repeatCancel)', () => {
	it.each(['error-400', 'noop-200'])(
		'cancel answered 502 after it was carried out, retry answered %s: cancelled once, recovered',
		async (repeatCancel) => {
			sim.variants.set({ writeGatewayError: 'apply-then-502', repeatCancel });
			const a = await newAppointment(9);
			sim.clearExchanges();
			const [item] = await run({
				resource: 'appointment',
				operation: 'cancel',
				appointmentId: rl(a.id),
				refundMoney: false,
			});
			expect(item.json).toMatchObject({
				cancelled: true,
				recoveredAfter: '502',
				appointment: { id: a.id, cancelled: true },
			});
			expect(item.json.error).toBeUndefined();
			expect(eventsOf(a.id, 'CANCELLED')).toBe(1);
			expect(exchanges('POST', `${a.id}/cancel`).map((e) => e.status)).toEqual([
				502,
				repeatCancel === 'noop-200' ? 200 : 400,
			]);
		},
	);

	it('a 429 before the cancel is not a lost answer: cancelled, nothing marked as recovered', async () => {
		const a = await newAppointment(9);
		sim.setFaults({
			mode: '429',
			count: 1,
			retryAfter: 1,
			match: { method: 'POST', path: `/${shop.id}/appointments/${a.id}/cancel` },
		});
		sim.clearExchanges();
		const [item] = await run({
			resource: 'appointment',
			operation: 'cancel',
			appointmentId: rl(a.id),
			refundMoney: false,
		});
		expect(item.json).toMatchObject({ cancelled: true, appointment: { cancelled: true } });
		expect(item.json.recoveredAfter).toBeUndefined();
		expect(exchanges('POST', `${a.id}/cancel`).map((e) => e.status)).toEqual([429, 200]);
	});

	it('cancelling an appointment that was already cancelled (no lost answer) is still refused', async () => {
		const [item] = await run({
			resource: 'appointment',
			operation: 'cancel',
			appointmentId: rl(shop.appointments.cancelled),
			refundMoney: false,
		});
		expect(item.json.httpCode).toBe('400');
		expect(exchanges('POST', '/cancel')).toHaveLength(1);
	});

	it('cancel failing for good (500 every time, nothing done): the error, after one read', async () => {
		const a = await newAppointment(9);
		sim.setFaults({
			mode: '500',
			count: -1,
			match: { method: 'POST', path: `/${shop.id}/appointments/${a.id}/cancel` },
		});
		sim.clearExchanges();
		const [item] = await run({
			resource: 'appointment',
			operation: 'cancel',
			appointmentId: rl(a.id),
			refundMoney: false,
		});
		expect(item.json).toMatchObject({ httpCode: '500' });
		expect(stored(a.id).status).toBe('BOOKED');
		expect(exchanges('GET', `/appointments/${a.id}`)).toHaveLength(1);
	}, 30_000);

	it('reschedule answered 502 after it was carried out: read once, not moved again, recovered', async () => {
		sim.variants.set({ writeGatewayError: 'apply-then-502' });
		const a = await newAppointment(12);
		const target = new Date(Date.parse(a.datetime) + 2 * 86400_000).toISOString();
		sim.clearExchanges();
		const [item] = await run({
			resource: 'appointment',
			operation: 'reschedule',
			appointmentId: rl(a.id),
			dateTime: target,
			additionalFields: { timezone: 'UTC' },
		});
		expect(item.json).toMatchObject({ rescheduled: true, recoveredAfter: '502' });
		expect((item.json.appointment as IDataObject).startUtc).toBe(new Date(target).toISOString());
		expect(eventsOf(a.id, 'RESCHEDULED')).toBe(1);
		expect(exchanges('POST', `${a.id}/reschedule`)).toHaveLength(1);
		expect(exchanges('GET', `/appointments/${a.id}`)).toHaveLength(1);
	});

	it('reschedule whose 500 came before anything changed: read, then sent again, moved once', async () => {
		const a = await newAppointment(12);
		const target = new Date(Date.parse(a.datetime) + 3 * 86400_000).toISOString();
		sim.setFaults({
			mode: '500',
			count: 1,
			match: { method: 'POST', path: `/${shop.id}/appointments/${a.id}/reschedule` },
		});
		sim.clearExchanges();
		const [item] = await run({
			resource: 'appointment',
			operation: 'reschedule',
			appointmentId: rl(a.id),
			dateTime: target,
			additionalFields: { timezone: 'UTC' },
		});
		expect(item.json).toMatchObject({ rescheduled: true });
		expect(item.json.recoveredAfter).toBeUndefined();
		expect(exchanges('POST', `${a.id}/reschedule`).map((e) => e.status)).toEqual([500, 200]);
		expect(eventsOf(a.id, 'RESCHEDULED')).toBe(1);
		expect(Date.parse(stored(a.id).datetime)).toBe(Date.parse(target));
	});

	it('under naive times the reschedule check compares instants, not strings', async () => {
		sim.variants.set({ writeGatewayError: 'apply-then-502', times: 'naive-minutes' });
		const a = await newAppointment(15);
		const target = new Date(Date.parse(a.datetime) + 86400_000).toISOString();
		const [item] = await run({
			resource: 'appointment',
			operation: 'reschedule',
			appointmentId: rl(a.id),
			dateTime: target,
			additionalFields: { timezone: 'America/New_York' },
		});
		expect(item.json).toMatchObject({ rescheduled: true, recoveredAfter: '502' });
		expect(eventsOf(a.id, 'RESCHEDULED')).toBe(1);
	});
});

describe('arrayQuery single-not-list: a single ids value is not read as a list', () => {
	const ids = () => [shop.appointments.upcoming, shop.appointments.upcoming2];
	it.each(['repeat', 'comma'])(
		'Get Many with IDs (List Query Format %s) gives the right appointments',
		async (arrayFormat) => {
			sim.variants.set({ arrayQuery: 'single-not-list' });
			for (const wanted of [ids().slice(0, 1), ids()]) {
				const output = await run({
					resource: 'appointment',
					operation: 'getAll',
					returnAll: true,
					filters: { filterType: 'ALL', ids: wanted.join(',') },
					options: { arrayFormat },
				});
				expect(output.map((item) => item.json.id).sort()).toEqual([...wanted].sort());
			}
		},
	);

	it('under the default (any) nothing changes: one request', async () => {
		const output = await run({
			resource: 'appointment',
			operation: 'getAll',
			returnAll: true,
			filters: { filterType: 'ALL', ids: ids()[0] },
		});
		expect(output.map((item) => item.json.id)).toEqual([ids()[0]]);
		expect(exchanges('GET', '/appointments')).toHaveLength(1);
	});
});
