/**
 * The Sesami node under each variant of the Admin API points no public source settles (the
 * simulator's switches, test/sim/sesami/variants.js): naive appointment times, a gateway error
 * after a cancel / reschedule was carried out, a repeated cancel answered 200, and a single
 * `ids` value not read as a list. Against the simulator over real HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { readAppointmentTimes } from '../../../../../nodes/Sesami/helpers/appointmentTimes';
import { rl } from '../../../../helpers/setup';
import { useSesamiVariants } from '../../../../helpers/sesamiVariants';

const { sim, shop, run, stored, exchanges } = useSesamiVariants();
const TIMES = ['iso-offset', 'naive-minutes', 'naive-seconds'];

const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

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
