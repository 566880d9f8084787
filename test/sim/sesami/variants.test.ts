/**
 * The Sesami simulator's variant switches for the Admin API points no public source settles
 * (test/sim/sesami/variants.js): appointment time formats, a gateway error after a write, a
 * repeated cancel, and how array query parameters are read. Checked over real HTTP, and every
 * recorded exchange still validates against Sesami's OpenAPI document.
 */
import axios, { AxiosInstance } from 'axios';

import { createSesamiContract } from '../../contract/sesami-contract';
import { startSesamiSimulator } from './index';

type Sim = Awaited<ReturnType<typeof startSesamiSimulator>>;
type Shop = Sim['fixtures']['shops'][number];
type Appointment = Record<string, unknown> & {
	id: string;
	status: string;
	datetime: string;
	rangeStart: string;
	rangeEnd: string;
	events: Array<{ type: string }>;
};

let sim: Sim;
let shop: Shop;
let api: AxiosInstance;
let control: AxiosInstance;

beforeAll(async () => {
	sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1', appointments: 120, seed: 42 });
	shop = sim.fixtures.shops[0];
	api = axios.create({
		baseURL: sim.baseUrl,
		headers: { 'x-api-key': shop.apiKey, 'x-client-id': shop.clientId, 'x-shop-id': shop.id },
		validateStatus: () => true,
		timeout: 15_000,
	});
	control = axios.create({
		baseURL: `${sim.url}/__sim`,
		validateStatus: () => true,
		timeout: 15_000,
	});
});

afterEach(async () => {
	await control.delete('/variants');
});

afterAll(async () => {
	const report = createSesamiContract().validateExchanges(sim.exchanges);
	await sim.close();
	expect(report.violations).toEqual([]);
});

const get = async (id: string, timezone: string) =>
	(await api.get(`/${shop.id}/appointments/${id}`, { params: { timezone } })).data as Appointment;
const upcoming = () => shop.appointments.upcoming;

describe('times', () => {
	it('iso-offset (default): the requested timezone, with its offset', async () => {
		const a = await get(upcoming(), 'America/New_York');
		expect(a.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$/);
	});

	it.each([
		['naive-minutes', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/],
		['naive-seconds', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/],
	])(
		'%s: naive wall-clock time in the shop zone, whatever the request asked',
		async (variant, shape) => {
			const truth = await get(upcoming(), shop.timezone); // iso-offset, in the shop's zone
			const set = await control.post('/variants', { times: variant });
			expect(set.data.variants.times).toBe(variant);
			for (const tz of ['America/New_York', 'Asia/Tokyo', 'UTC']) {
				const a = await get(upcoming(), tz);
				for (const key of ['datetime', 'rangeStart', 'rangeEnd'] as const) {
					expect(a[key]).toMatch(shape);
					// the wall-clock digits are the shop's, not the requested zone's
					expect(a[key].replace(' ', 'T').slice(0, 16)).toBe(truth[key].slice(0, 16));
				}
			}
			const list = await api.get(`/${shop.id}/appointments`, {
				params: { limit: 5, filterType: 'UPCOMING', timezone: 'Asia/Tokyo' },
			});
			expect(list.status).toBe(200);
			for (const item of list.data.data as Appointment[]) expect(item.datetime).toMatch(shape);
		},
	);
});

describe('writeGatewayError = apply-then-502', () => {
	it('carries out the first cancel of an appointment, then answers 502; the second is answered normally', async () => {
		await control.post('/variants', { writeGatewayError: 'apply-then-502' });
		const id = shop.appointments.upcoming2;
		const first = await api.post(`/${shop.id}/appointments/${id}/cancel`, { refundMoney: false });
		expect(first.status).toBe(502);
		const after = await get(id, 'UTC');
		expect(after.status).toBe('CANCELLED');
		expect(after.events.filter((e) => e.type === 'CANCELLED')).toHaveLength(1);
		const again = await api.post(`/${shop.id}/appointments/${id}/cancel`, { refundMoney: false });
		expect(again.status).toBe(400); // repeatCancel error-400 (default)
		expect(sim.exchanges.filter((x) => x.fault === 'gateway-502')).toHaveLength(1);
	});

	it('carries out the first reschedule, then answers 502; a second one moves it again (the API is not idempotent)', async () => {
		await control.post('/variants', { writeGatewayError: 'apply-then-502' });
		const id = shop.appointments.rescheduled;
		const before = await get(id, 'UTC');
		const target = new Date(Date.parse(before.datetime) + 2 * 86_400_000).toISOString();
		const first = await api.post(`/${shop.id}/appointments/${id}/reschedule`, {
			dateTime: target,
			timezone: 'UTC',
		});
		expect(first.status).toBe(502);
		const moved = await get(id, 'UTC');
		expect(Date.parse(moved.datetime)).toBe(Date.parse(target));
		const count = moved.events.filter((e) => e.type === 'RESCHEDULED').length;
		const second = await api.post(`/${shop.id}/appointments/${id}/reschedule`, {
			dateTime: target,
			timezone: 'UTC',
		});
		expect(second.status).toBe(200);
		expect((await get(id, 'UTC')).events.filter((e) => e.type === 'RESCHEDULED')).toHaveLength(
			count + 1,
		);
	});

	it('off (default): control endpoints and API writes answer normally', async () => {
		const created = await control.post('/appointments', {});
		expect(created.status).toBe(201);
		const res = await api.post(`/${shop.id}/appointments/${created.data.id}/cancel`, {
			refundMoney: false,
		});
		expect(res.status).toBe(200);
	});
});

describe('repeatCancel', () => {
	it('error-400 (default): a second cancel is refused', async () => {
		const res = await api.post(`/${shop.id}/appointments/${shop.appointments.cancelled}/cancel`, {
			refundMoney: false,
		});
		expect(res.status).toBe(400);
	});

	it('noop-200: a second cancel answers 200 and changes nothing', async () => {
		await control.post('/variants', { repeatCancel: 'noop-200' });
		const id = shop.appointments.cancelled;
		const before = await get(id, 'UTC');
		const res = await api.post(`/${shop.id}/appointments/${id}/cancel`, {
			refundMoney: true,
			content: 'again',
		});
		expect(res.status).toBe(200);
		expect(await get(id, 'UTC')).toEqual(before);
	});
});

describe('arrayQuery', () => {
	const ids = () => [shop.appointments.upcoming, shop.appointments.upcoming2];
	const list = (query: string) =>
		api.get(`/${shop.id}/appointments?limit=10&filterType=ALL&${query}`);

	it('any (default): one value, repeated keys, commas and brackets are all lists', async () => {
		const [a, b] = ids();
		for (const [query, expected] of [
			[`ids=${a}`, [a]],
			[`ids=${a}&ids=${b}`, [a, b]],
			[`ids=${a},${b}`, [a, b]],
			[`ids[]=${a}`, [a]],
		] as Array<[string, string[]]>) {
			const res = await list(query);
			expect(res.status).toBe(200);
			expect((res.data.data as Appointment[]).map((x) => x.id).sort()).toEqual(
				[...expected].sort(),
			);
		}
	});

	it('single-not-list: a key sent once is refused (400 is_array); repeated keys are a list', async () => {
		await control.post('/variants', { arrayQuery: 'single-not-list' });
		const [a, b] = ids();
		for (const query of [
			`ids=${a}`,
			`ids=${a},${b}`,
			`ids[]=${a}`,
			`resources=${shop.resourceIds[0]}`,
		]) {
			const res = await list(query);
			expect([query, res.status]).toEqual([query, 400]);
			expect(res.data[0].constraints[0].name).toBe('is_array');
		}
		const repeated = await list(`ids=${a}&ids=${b}`);
		expect(repeated.status).toBe(200);
		expect((repeated.data.data as Appointment[]).map((x) => x.id).sort()).toEqual([a, b].sort());
		const twice = await list(`ids=${a}&ids=${a}`);
		expect((twice.data.data as Appointment[]).map((x) => x.id)).toEqual([a]);
	});

	it.each([
		['comma-only', ['comma', 'single']],
		['repeat-only', ['repeat', 'single']],
		['brackets-only', ['brackets']],
	])(
		'%s: reads only that encoding; sent any other way ids is ignored (the list unfiltered)',
		async (variant, understood) => {
			await control.post('/variants', { arrayQuery: variant });
			const [a, b] = ids();
			const all = await list('');
			expect(all.data.totalItems).toBeGreaterThan(2);
			for (const [encoding, query, expected] of [
				['single', `ids=${a}`, [a]],
				['repeat', `ids=${a}&ids=${b}`, [a, b]],
				['comma', `ids=${a},${b}`, [a, b]],
				['brackets', `ids[]=${a}&ids[]=${b}`, [a, b]],
			] as Array<[string, string, string[]]>) {
				const res = await list(query);
				expect(res.status).toBe(200);
				if (understood.includes(encoding)) {
					expect([encoding, (res.data.data as Appointment[]).map((x) => x.id).sort()]).toEqual([
						encoding,
						[...expected].sort(),
					]);
				} else {
					expect([encoding, res.data.totalItems]).toEqual([encoding, all.data.totalItems]);
				}
			}
		},
	);
});

describe('appointments booked before the install (POST / DELETE /__sim/appointments/bulk)', () => {
	it('creates many, one Sesami customer per Shopify customer, and removes them', async () => {
		const at = Date.now() + 400 * 86_400_000;
		const appointments = [0, 1, 2].map((i) => ({
			datetime: new Date(at + i * 3_600_000).toISOString(),
			resourceId: shop.resourceIds[0],
			customer: { firstName: 'Bulk', lastName: 'Customer', externalId: '7123456789012' },
		}));
		const made = await control.post('/appointments/bulk', { appointments });
		expect(made.status).toBe(201);
		expect(made.data.count).toBe(3);
		const records = await Promise.all(
			made.data.ids.map(
				async (id: string) => (await control.get(`/state/appointments/${id}`)).data,
			),
		);
		expect(new Set(records.map((r) => r.customer.id)).size).toBe(1);
		expect(records.every((r) => r.customer.externalId === '7123456789012')).toBe(true);
		const removed = await control.delete('/appointments/bulk', { data: { ids: made.data.ids } });
		expect(removed.data.count).toBe(3);
		expect((await control.get(`/state/appointments/${made.data.ids[0]}`)).status).toBe(404);
	});
});
