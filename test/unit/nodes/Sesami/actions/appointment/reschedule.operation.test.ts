/**
 * The Sesami node under each variant of the Admin API points no public source settles (the
 * simulator's switches, test/sim/sesami/variants.js): naive appointment times, a gateway error
 * after a cancel / reschedule was carried out, a repeated cancel answered 200, and a single
 * `ids` value not read as a list. Against the simulator over real HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { rl } from '../../../../../helpers/setup';
import { useSesamiVariants } from '../../../../../helpers/sesamiVariants';

const { sim, shop, run, stored, exchanges, eventsOf, newAppointment } = useSesamiVariants();

describe('retried reschedules are safe (writeGatewayError apply-then-502)', () => {
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
