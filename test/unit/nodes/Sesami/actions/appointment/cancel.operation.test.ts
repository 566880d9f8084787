/**
 * The Sesami node under each variant of the Admin API points no public source settles (the
 * simulator's switches, test/sim/sesami/variants.js): naive appointment times, a gateway error
 * after a cancel / reschedule was carried out, a repeated cancel answered 200, and a single
 * `ids` value not read as a list. Against the simulator over real HTTP.
 */
import { rl } from '../../../../../helpers/setup';
import { useSesamiVariants } from '../../../../../helpers/sesamiVariants';

const { sim, shop, run, stored, exchanges, eventsOf, newAppointment } = useSesamiVariants();

describe('retried cancels are safe (writeGatewayError apply-then-502, repeatCancel)', () => {
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
});
