/**
 * The Sesami Admin API simulator, checked over real HTTP with axios the way an API user would,
 * and every recorded exchange checked against Sesami's OpenAPI document.
 */
import axios, { AxiosInstance, AxiosResponse } from 'axios';

import { createSesamiContract } from '../../contract/sesami-contract';
import { startSesamiSimulator } from './index';

type Sim = Awaited<ReturnType<typeof startSesamiSimulator>>;
type Shop = Sim['fixtures']['shops'][number];
type ErrorArray = Array<{
	property: string;
	constraints: Array<{ name: string; payload?: unknown }>;
}>;
type Item = Record<string, unknown> & { id: string; cursor: string };
type Page = {
	data: Item[];
	nextCursor?: string;
	previousCursor?: string;
	totalItems: number;
	remainingItems: number;
};
type AppointmentEvent = {
	id: string;
	type: string;
	content: string;
	initiatedBy: string;
	dateTime: string;
};
type Appointment = Record<string, unknown> & {
	id: string;
	status: string;
	datetime: string;
	events: AppointmentEvent[];
};
type Day = {
	date: string;
	slots: Array<{ status: string; remainingSlots: number; startTime: string; duration: number }>;
};
type Flow = {
	id: string;
	name: string;
	status: boolean;
	trigger: string;
	action: string;
	target: string;
	when: { amount: number; unit: string; offset?: number };
};

/** Requests made on purpose against the contract carry this header, so the final check can tell them apart. */
const INVALID_ON_PURPOSE = { 'x-test-invalid-request': '1' };

let sim: Sim;
let shop: Shop;
let api: AxiosInstance;
let raw: AxiosInstance;

function client(headers: Record<string, string>): AxiosInstance {
	return axios.create({
		baseURL: sim.baseUrl,
		headers,
		validateStatus: () => true,
		timeout: 15_000,
	});
}

function headersOf(
	s: Shop,
	overrides: Record<string, string | undefined> = {},
): Record<string, string> {
	const h: Record<string, string | undefined> = {
		'x-api-key': s.apiKey,
		'x-client-id': s.clientId,
		'x-shop-id': s.id,
		...overrides,
	};
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = v;
	return out;
}

function constraintNames(body: ErrorArray, property: string): string[] {
	const e = body.find((x) => x.property === property);
	return e ? e.constraints.map((c) => c.name) : [];
}

function expectErrorArray(
	res: AxiosResponse,
	status: number,
	property: string,
	constraint?: string,
): void {
	expect(res.status).toBe(status);
	expect(Array.isArray(res.data)).toBe(true);
	const body = res.data as ErrorArray;
	for (const e of body) {
		expect(typeof e.property).toBe('string');
		expect(Array.isArray(e.constraints)).toBe(true);
	}
	expect(body.map((e) => e.property)).toContain(property);
	if (constraint) expect(constraintNames(body, property)).toContain(constraint);
}

async function getAppointment(id: string, timezone = 'UTC'): Promise<Appointment> {
	const res = await api.get(`/${shop.id}/appointments/${id}`, { params: { timezone } });
	expect(res.status).toBe(200);
	return res.data as Appointment;
}

beforeAll(async () => {
	sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1', appointments: 260, seed: 42 });
	shop = sim.fixtures.shops[0];
	api = client(headersOf(shop));
	raw = axios.create({ baseURL: sim.url, validateStatus: () => true, timeout: 15_000 });
});

afterAll(async () => {
	await sim.close();
});

describe('fixtures and control endpoints', () => {
	it('serves stable fixtures for the seed: three Shopify shops with credentials and sample ids', async () => {
		expect(sim.baseUrl).toBe(`${sim.url}/api/v1`);
		expect(sim.fixtures.shops).toHaveLength(3);
		for (const s of sim.fixtures.shops) {
			expect(s.id).toMatch(/^[0-9a-f]{24}$/);
			expect(s.domain).toMatch(/^[a-z0-9-]+\.myshopify\.com$/);
			expect(s.apiKey).not.toBe(s.readOnlyApiKey);
		}
		expect(shop.appointmentCount).toBe(260);
		expect(shop.appointments.upcoming).toMatch(/^[0-9a-f]{24}$/);
		const res = await raw.get('/__sim/fixtures');
		expect(res.status).toBe(200);
		expect(res.data).toEqual(sim.fixtures);
	});

	it('exposes raw state over HTTP without recording it as an exchange', async () => {
		const before = sim.exchanges.length;
		const res = await raw.get(`/__sim/state/appointments/${shop.appointments.upcoming}`);
		expect(res.status).toBe(200);
		expect(res.data.id).toBe(shop.appointments.upcoming);
		expect(sim.exchanges.length).toBe(before);
	});
});

describe('authentication (x-api-key, x-client-id, x-shop-id)', () => {
	const unauthorized = [{ property: 'user', constraints: [{ name: 'unauthorized' }] }];

	it('answers 401 with the documented error array on a wrong key, client id or shop header', async () => {
		const cases: Array<Record<string, string | undefined>> = [
			{ 'x-api-key': sim.fixtures.invalidApiKey },
			{ 'x-api-key': undefined },
			{ 'x-client-id': 'not-the-client-id' },
			{ 'x-client-id': undefined },
			{ 'x-shop-id': sim.fixtures.shops[1].id },
		];
		for (const overrides of cases) {
			// a request without x-api-key breaks the contract
			// (https://sesami.dev/docs/sesami-api/make-a-request) on purpose
			const marker =
				'x-api-key' in overrides && overrides['x-api-key'] === undefined ? INVALID_ON_PURPOSE : {};
			const res = await client(headersOf(shop, overrides)).get(`/${shop.id}/services`, {
				params: { limit: 5 },
				headers: marker,
			});
			expect(res.status).toBe(401);
			expect(res.data).toEqual(unauthorized);
		}
	});

	it('answers 403 for a valid key on another shop, and for the read-only key on writes', async () => {
		const other = await api.get(`/${sim.fixtures.shops[1].id}/services`, { params: { limit: 5 } });
		expectErrorArray(other, 403, 'shop', 'forbidden');

		const readOnly = client(
			headersOf(shop, { 'x-api-key': shop.readOnlyApiKey, 'x-client-id': shop.readOnlyClientId }),
		);
		const read = await readOnly.get(`/${shop.id}/appointments/${shop.appointments.upcoming}`, {
			params: { timezone: 'UTC' },
		});
		expect(read.status).toBe(200);
		const cancel = await readOnly.post(
			`/${shop.id}/appointments/${shop.appointments.upcoming}/cancel`,
			{ refundMoney: false },
		);
		expect(cancel.status).toBe(403);
		expect(['valid_permissions', 'forbidden']).toContain(
			(cancel.data as ErrorArray)[0].constraints[0].name,
		);
		expect((await getAppointment(shop.appointments.upcoming)).status).not.toBe('CANCELLED');
	});
});

describe('pagination', () => {
	it('pages 260 appointments with limit 100 into exactly 3 pages and 260 unique ids', async () => {
		const ids: string[] = [];
		const pages: Page[] = [];
		let after: string | undefined;
		do {
			const res = await api.get(`/${shop.id}/appointments`, {
				params: { limit: 100, after, timezone: 'UTC' },
			});
			expect(res.status).toBe(200);
			const page = res.data as Page;
			pages.push(page);
			for (const item of page.data) {
				expect(typeof item.cursor).toBe('string');
				ids.push(item.id);
			}
			after = page.remainingItems > 0 ? page.nextCursor : undefined;
		} while (after);
		expect(pages.map((p) => p.data.length)).toEqual([100, 100, 60]);
		expect(pages.map((p) => p.remainingItems)).toEqual([160, 60, 0]);
		expect(pages.every((p) => p.totalItems === 260)).toBe(true);
		expect(pages[2].nextCursor).toBeUndefined();
		expect(pages[0].previousCursor).toBeUndefined();
		expect(typeof pages[1].previousCursor).toBe('string');
		expect(new Set(ids).size).toBe(260);

		// and back again with `before`
		const back = await api.get(`/${shop.id}/appointments`, {
			params: { limit: 100, before: pages[2].previousCursor },
		});
		expect((back.data as Page).data.map((a) => a.id)).toEqual(pages[1].data.map((a) => a.id));
	});

	it('rejects limit 0, 101 and a missing limit with 400 naming `limit`', async () => {
		for (const [limit, rule] of [
			[0, 'min'],
			[101, 'max'],
			['ten', 'is_number'],
			[undefined, 'is_not_empty'],
		] as const) {
			const res = await api.get(`/${shop.id}/appointments`, {
				params: { limit },
				headers: INVALID_ON_PURPOSE,
			});
			expectErrorArray(res, 400, 'limit', rule);
		}
	});

	it('pages every list endpoint with the same envelope', async () => {
		for (const p of [
			'services',
			'resources',
			'resource-types',
			'locations',
			'flows',
			'reservations',
		]) {
			const res = await api.get(`/${shop.id}/${p}`, { params: { limit: 1 } });
			expect(res.status).toBe(200);
			const page = res.data as Page;
			expect(page.data).toHaveLength(1);
			expect(page.totalItems).toBeGreaterThan(1);
			expect(page.remainingItems).toBe(page.totalItems - 1);
			expect(typeof page.nextCursor).toBe('string');
		}
		const shops = await api.get('/shops', { params: { limit: 10 } });
		expect((shops.data as Page).data.map((s) => s.id)).toEqual([shop.id]);
	});
});

describe('appointment filters and array encodings', () => {
	it('accepts ids as repeated keys, ids[] and comma-joined values', async () => {
		const wanted = [
			shop.appointments.upcoming,
			shop.appointments.past,
			shop.appointments.cancelled,
		] as string[];
		const base = `/${shop.id}/appointments?limit=10&timezone=UTC`;
		const encodings = [
			wanted.map((id) => `ids=${id}`).join('&'),
			wanted.map((id) => `ids[]=${id}`).join('&'),
			wanted.map((id) => `ids%5B%5D=${id}`).join('&'),
			`ids=${wanted.join(',')}`,
		];
		for (const qs of encodings) {
			const res = await api.get(`${base}&${qs}`);
			expect(res.status).toBe(200);
			expect((res.data as Page).data.map((a) => a.id).sort()).toEqual([...wanted].sort());
		}
		const bad = await api.get(`${base}&ids=not-an-id`);
		expectErrorArray(bad, 400, 'ids', 'is_mongo_id');
	});

	it('filters UPCOMING ascending from now, PAST descending, RANGE with required bounds', async () => {
		const now = Date.now();
		const upcoming = (
			await api.get(`/${shop.id}/appointments`, {
				params: { limit: 100, filterType: 'UPCOMING', timezone: 'UTC' },
			})
		).data as Page;
		const times = upcoming.data.map((a) => Date.parse(String(a.datetime)));
		expect(times.length).toBeGreaterThan(0);
		expect(times.every((t) => t >= now - 60_000)).toBe(true);
		expect([...times].sort((a, b) => a - b)).toEqual(times);

		const past = (
			await api.get(`/${shop.id}/appointments`, { params: { limit: 100, filterType: 'PAST' } })
		).data as Page;
		const pastTimes = past.data.map((a) => Date.parse(String(a.datetime)));
		expect(pastTimes.every((t) => t < now + 60_000)).toBe(true);
		expect([...pastTimes].sort((a, b) => b - a)).toEqual(pastTimes);
		expect(upcoming.totalItems + past.totalItems).toBe(260);

		const start = new Date(now + 7 * 86_400_000).toISOString();
		const end = new Date(now + 14 * 86_400_000).toISOString();
		const range = (
			await api.get(`/${shop.id}/appointments`, {
				params: { limit: 100, filterType: 'RANGE', start, end },
			})
		).data as Page;
		for (const a of range.data) {
			const t = Date.parse(String(a.datetime));
			expect(t >= Date.parse(start) && t < Date.parse(end)).toBe(true);
		}
		const noBounds = await api.get(`/${shop.id}/appointments`, {
			params: { limit: 10, filterType: 'RANGE' },
		});
		expectErrorArray(noBounds, 400, 'start', 'is_not_empty');
		const unknown = await api.get(`/${shop.id}/appointments`, {
			params: { limit: 10, filterType: 'SOON' },
			headers: INVALID_ON_PURPOSE,
		});
		expectErrorArray(unknown, 400, 'filterType', 'is_enum');
	});

	it('searches customer name, email and order name case-insensitively', async () => {
		const a = await getAppointment(shop.appointments.upcoming);
		const customer = a.customer as { name: string; email: string };
		for (const term of [
			customer.name.toUpperCase(),
			customer.email.toLowerCase(),
			String(a.orderName),
		]) {
			const res = await api.get(`/${shop.id}/appointments`, {
				params: { limit: 100, searchTerm: term },
			});
			expect((res.data as Page).data.map((x) => x.id)).toContain(a.id);
		}
	});

	it('lists appointments with the Shopify linkage, management link, service object and events', async () => {
		const res = await api.get(`/${shop.id}/appointments`, {
			params: { limit: 100, timezone: 'Asia/Tokyo' },
		});
		const items = (res.data as Page).data;
		for (const a of items) {
			expect(a.datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
			expect(a.customerManagementLink).toMatch(
				/^https:\/\/app\.sesami\.co\/manage\/[0-9a-f]{24}\?token=[0-9a-f]{32}$/,
			);
			expect((a.serviceObject as { id: string }).id).toBe(a.service);
			expect((a.events as AppointmentEvent[])[0].type).toBe('CREATED');
			if (a.orderId !== '') expect(a.orderId).toMatch(/^\d{13}$/);
		}
		const customer = items[0].customer as { externalId: string; externalSource: string };
		expect(['SHOPIFY', 'SESAMI']).toContain(customer.externalSource);
	});
});

describe('single appointment', () => {
	it('requires an IANA timezone and renders datetime in it', async () => {
		const missing = await api.get(`/${shop.id}/appointments/${shop.appointments.upcoming}`, {
			headers: INVALID_ON_PURPOSE,
		});
		expect(missing.status).toBe(400);
		expect(missing.data).toEqual([
			{ property: 'timezone', constraints: [{ name: 'is_time_zone' }] },
		]);
		const wrong = await api.get(`/${shop.id}/appointments/${shop.appointments.upcoming}`, {
			params: { timezone: 'Mars/Olympus' },
		});
		expectErrorArray(wrong, 400, 'timezone', 'is_time_zone');

		const utc = await getAppointment(shop.appointments.upcoming, 'UTC');
		const ny = await getAppointment(shop.appointments.upcoming, 'America/New_York');
		expect(utc.datetime).toMatch(/\+00:00$/);
		expect(ny.datetime).toMatch(/-0[45]:00$/);
		expect(Date.parse(utc.datetime)).toBe(Date.parse(ny.datetime));
	});

	it('answers 404 for an unknown id and 400 is_mongo_id for a malformed one', async () => {
		const unknown = await api.get(`/${shop.id}/appointments/${sim.fixtures.unknownId}`, {
			params: { timezone: 'UTC' },
		});
		expect(unknown.status).toBe(404);
		expect(unknown.data).toEqual([
			{ property: 'appointment', constraints: [{ name: 'not_found' }] },
		]);
		const malformed = await api.get(`/${shop.id}/appointments/12345`, {
			params: { timezone: 'UTC' },
		});
		expectErrorArray(malformed, 400, 'id', 'is_mongo_id');
		const flow = await api.get(`/${shop.id}/flows/${sim.fixtures.unknownId}`);
		expectErrorArray(flow, 404, 'flow', 'not_found');
	});

	it('cancels: validates refundMoney, appends a CANCELLED event, refuses a second cancel', async () => {
		const id = shop.appointments.upcoming as string;
		const bad = await api.post(
			`/${shop.id}/appointments/${id}/cancel`,
			{ refundMoney: 'yes' },
			{ headers: INVALID_ON_PURPOSE },
		);
		expect(bad.status).toBe(400);
		expect(bad.data).toEqual([{ property: 'refundMoney', constraints: [{ name: 'is_boolean' }] }]);
		const badJson = await api.post(`/${shop.id}/appointments/${id}/cancel`, '{"refundMoney": tru', {
			headers: { 'content-type': 'application/json', ...INVALID_ON_PURPOSE },
			transformRequest: [(d: unknown) => d],
		});
		expect(badJson.data).toEqual([{ property: 'ROOT', constraints: [{ name: 'is_json' }] }]);

		const res = await api.post(`/${shop.id}/appointments/${id}/cancel`, {
			refundMoney: true,
			content: 'Customer called to cancel',
		});
		expect(res.status).toBe(200);
		expect(typeof res.data.message).toBe('string');

		const after = await getAppointment(id);
		expect(after.status).toBe('CANCELLED');
		const last = after.events[after.events.length - 1];
		expect(last.type).toBe('CANCELLED');
		expect(last.content).toBe('Customer called to cancel');

		const again = await api.post(`/${shop.id}/appointments/${id}/cancel`, { refundMoney: false });
		expectErrorArray(again, 400, 'appointment', 'invalid_input');
	});

	it('reschedules into a free slot: datetime moves, RESCHEDULED is appended, the slot disappears', async () => {
		const id = shop.appointments.upcoming2 as string;
		const resource = shop.availability.resourceIds[0];
		const start = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
		const end = new Date(Date.now() + 17 * 86_400_000).toISOString().slice(0, 10);
		const availability = async (): Promise<Day[]> => {
			const res = await api.get(`/availabilities/${shop.id}`, {
				params: {
					service: shop.availability.serviceId,
					variantId: shop.availability.variantId,
					timezone: 'UTC',
					ids: resource,
					start,
					end,
				},
			});
			expect(res.status).toBe(200);
			return res.data as Day[];
		};
		const days = await availability();
		expect(days.length).toBeGreaterThanOrEqual(7);
		const day = days.find((d) => d.slots.some((s) => s.status === 'available'));
		expect(day).toBeDefined();
		const slot = day!.slots.find((s) => s.status === 'available')!;
		expect(slot.startTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
		expect(slot.duration).toBe(shop.availability.durationMinutes);

		const dateTime = `${slot.startTime.replace(' ', 'T')}:00Z`;
		const res = await api.post(`/${shop.id}/appointments/${id}/reschedule`, {
			dateTime,
			resourceIds: [resource],
			content: 'Moved by API test',
		});
		expect(res.status).toBe(200);
		expect(typeof res.data.message).toBe('string');

		const moved = await getAppointment(id, 'UTC');
		expect(moved.datetime).toBe(dateTime.replace('Z', '+00:00'));
		expect(moved.status).toBe('RESCHEDULED');
		expect(moved.events[moved.events.length - 1]).toMatchObject({
			type: 'RESCHEDULED',
			content: 'Moved by API test',
		});
		expect(moved.resources).toEqual([resource]);

		const later = await availability();
		const sameDay = later.find((d) => d.date === day!.date)!;
		expect(sameDay.slots.map((s) => s.startTime)).not.toContain(slot.startTime);

		const badTz = await api.post(`/${shop.id}/appointments/${id}/reschedule`, {
			dateTime,
			timezone: 'Nowhere/City',
		});
		expectErrorArray(badTz, 400, 'timezone', 'is_time_zone');
		const badDate = await api.post(
			`/${shop.id}/appointments/${id}/reschedule`,
			{ dateTime: 'next tuesday' },
			{ headers: INVALID_ON_PURPOSE },
		);
		expectErrorArray(badDate, 400, 'dateTime', 'is_date');
	});

	it('checks in, marks no-show and resends the confirmation, answering the appointment', async () => {
		const id = shop.appointments.past as string;
		const checkIn = await api.post(`/${shop.id}/appointments/${id}/check-in`, {
			content: 'at the desk',
		});
		expect(checkIn.status).toBe(200);
		expect((checkIn.data as Appointment).events.map((e) => e.type)).toContain('CUSTOMER_CHECKIN');
		const noShow = await api.post(`/${shop.id}/appointments/${id}/no-show`, {});
		expect((noShow.data as Appointment).status).toBe('NO_SHOW');
		const resend = await api.post(`/${shop.id}/appointments/${id}/resend-appointment-confirmation`);
		const events = (resend.data as Appointment).events;
		expect(events[events.length - 1].type).toBe('CONFIRMATIONEMAILSENT');
	});
});

describe('flows', () => {
	it('creates (201, no body), lists, patches and deletes (201, no body) a webhook flow', async () => {
		const target = 'https://n8n.example.com/webhook/sesami-test';
		const create = await api.post(`/${shop.id}/flows`, {
			status: true,
			name: 'n8n: appointment cancelled',
			trigger: 'APPOINTMENT_CANCELLED',
			action: 'WEBHOOK',
			target,
			when: { amount: 0, unit: 'IMMEDIATELY' },
			template: {
				headers: '{"x-n8n-secret":"s3cret"}',
				body: '{"appointmentId":"{{AppointmentId}}"}',
			},
		});
		expect(create.status).toBe(201);
		expect(create.data).toBe('');

		const list = (await api.get(`/${shop.id}/flows`, { params: { limit: 100 } })).data as {
			data: Flow[];
		};
		const flow = list.data.find((f) => f.target === target);
		expect(flow).toBeDefined();
		expect(flow).toMatchObject({
			status: true,
			trigger: 'APPOINTMENT_CANCELLED',
			action: 'WEBHOOK',
			when: { amount: 0, unit: 'IMMEDIATELY' },
		});

		const patched = await api.patch(`/${shop.id}/flows/${flow!.id}`, {
			status: false,
			when: { amount: 2, unit: 'HOURS_BEFORE' },
		});
		expect(patched.status).toBe(200);
		expect(patched.data).toMatchObject({
			id: flow!.id,
			status: false,
			when: { amount: 2, unit: 'HOURS_BEFORE', offset: -120 },
		});
		expect((await api.get(`/${shop.id}/flows/${flow!.id}`)).data.status).toBe(false);

		const del = await api.delete(`/${shop.id}/flows/${flow!.id}`);
		expect(del.status).toBe(201);
		expect(del.data).toBe('');
		const gone = await api.get(`/${shop.id}/flows/${flow!.id}`);
		expect(gone.status).toBe(404);
	});

	it('validates CreateFlowRequest: required fields and enums', async () => {
		const res = await api.post(
			`/${shop.id}/flows`,
			{
				status: 'on',
				trigger: 'APPOINTMENT_UPDATED',
				action: 'SMS',
				target: 'https://x.example',
				when: { amount: 1 },
			},
			{ headers: INVALID_ON_PURPOSE },
		);
		expect(res.status).toBe(400);
		const body = res.data as ErrorArray;
		expect(constraintNames(body, 'status')).toContain('is_boolean');
		expect(constraintNames(body, 'name')).toContain('is_not_empty');
		expect(constraintNames(body, 'trigger')).toContain('is_enum');
		expect(constraintNames(body, 'action')).toContain('is_enum');
		expect(constraintNames(body, 'template')).toContain('is_not_empty');
		expect(constraintNames(body, 'when.unit')).toContain('is_not_empty');
	});
});

describe('other resources', () => {
	it('serves shops, configs, services, resources, locations, resource types, reservations and customers', async () => {
		expect((await api.get(`/shops/${shop.id}`)).data).toMatchObject({
			id: shop.id,
			domain: shop.domain,
			settings: { timezone: shop.timezone },
		});
		expect((await api.get(`/shops/${shop.id}/configs`)).data.features).toContain('FLOWS');
		const service = (await api.get(`/${shop.id}/services/${shop.services.noReschedule}`)).data;
		expect(service).toMatchObject({ customerCanReschedule: false });
		expect(
			(await api.get(`/${shop.id}/services/${shop.services.notice48h}`)).data
				.customerCanManageBefore,
		).toBe(48);
		expect(service.variants[0].options[0].name).toBe('Duration');
		expect(service.variants[0].externalId).toMatch(/^\d{14}$/);

		const noTz = await api.get(`/${shop.id}/resources/${shop.resourceIds[0]}`, {
			headers: INVALID_ON_PURPOSE,
		});
		expectErrorArray(noTz, 400, 'timezone', 'is_time_zone');
		expect(
			(
				await api.get(`/${shop.id}/resources/${shop.resourceIds[0]}`, {
					params: { timezone: 'UTC' },
				})
			).status,
		).toBe(200);
		expect((await api.get(`/${shop.id}/locations/${shop.locationIds[0]}`)).data.id).toBe(
			shop.locationIds[0],
		);
		expect((await api.get(`/${shop.id}/resource-types/${shop.resourceTypeIds[0]}`)).data.id).toBe(
			shop.resourceTypeIds[0],
		);

		const reservation = await api.get(`/${shop.id}/reservations/${shop.reservationIds[0]}`);
		expect(reservation.status).toBe(201);
		expect(reservation.data.id).toBe(shop.reservationIds[0]);

		const customer = await api.get(`/${shop.id}/customers/${shop.customerIds[0]}`);
		expect(customer.status).toBe(200);
		expect(customer.data.externalId).toMatch(/^\d{13}$/);
		const created = await api.post(`/${shop.id}/customers`, {
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@example.com',
		});
		expect(created.status).toBe(201);
		expect(created.data).toBe('');
		const badEmail = await api.post(`/${shop.id}/customers`, { email: 'not-an-email' });
		expectErrorArray(badEmail, 400, 'email', 'is_email');
	});
});

describe('faults', () => {
	const listPath = (): string => `/${shop.id}/services`;
	const since = (n: number) => sim.exchanges.slice(n);

	afterEach(() => {
		sim.setFaults(null);
	});

	it('429 with Retry-After and the rate_limit error array, then recovers', async () => {
		sim.setFaults({ mode: '429', count: 2, retryAfter: 7 });
		const n = sim.exchanges.length;
		const first = await api.get(listPath(), { params: { limit: 1 } });
		expect(first.status).toBe(429);
		expect(first.headers['retry-after']).toBe('7');
		expect(first.data).toEqual([{ property: 'ROOT', constraints: [{ name: 'rate_limit' }] }]);
		expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(429);
		expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(200);
		expect(since(n).map((e) => e.status)).toEqual([429, 429, 200]);
	});

	it('500 with internal_server_error', async () => {
		sim.setFaults({ mode: '500', count: 1 });
		const res = await api.get(listPath(), { params: { limit: 1 } });
		expect(res.status).toBe(500);
		expect(res.data).toEqual([
			{ property: 'ROOT', constraints: [{ name: 'internal_server_error' }] },
		]);
		expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(200);
	});

	it('slow answers after the delay', async () => {
		sim.setFaults({ mode: 'slow', count: 1, delayMs: 400 });
		const t0 = Date.now();
		const res = await api.get(listPath(), { params: { limit: 1 } });
		expect(res.status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
	});

	it('drop destroys the socket and records status 0', async () => {
		sim.setFaults({ mode: 'drop', count: 1 });
		const n = sim.exchanges.length;
		await expect(api.get(listPath(), { params: { limit: 1 } })).rejects.toThrow();
		expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(200);
		expect(since(n).map((e) => e.status)).toEqual([0, 200]);
	});

	it('count -1 lasts until cleared, and match restricts by method and path prefix', async () => {
		sim.setFaults({ mode: '500', count: -1 });
		for (let i = 0; i < 3; i++)
			expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(500);
		sim.setFaults(null);
		expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(200);

		sim.setFaults({
			mode: '500',
			count: -1,
			match: { method: 'POST', pathPrefix: `/${shop.id}/appointments` },
		});
		expect((await api.get(`/${shop.id}/appointments`, { params: { limit: 1 } })).status).toBe(200);
		const post = await api.post(
			`/${shop.id}/appointments/${shop.appointments.past}/resend-appointment-confirmation`,
		);
		expect(post.status).toBe(500);
	});

	it('is driven over HTTP by the control endpoints', async () => {
		expect((await raw.post('/__sim/faults', { mode: '429', count: 1, retryAfter: 2 })).status).toBe(
			200,
		);
		expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(429);
		expect((await raw.post('/__sim/faults', { mode: '500', count: -1 })).status).toBe(200);
		expect((await raw.delete('/__sim/faults')).status).toBe(200);
		expect((await api.get(listPath(), { params: { limit: 1 } })).status).toBe(200);
		const exchanges = (await raw.get('/__sim/exchanges')).data as unknown[];
		expect(exchanges.length).toBe(sim.exchanges.length);
	});
});

describe('every seeded record of every shop', () => {
	it('is served by the list and single-record endpoints, and availability is computed for every service', async () => {
		const zones = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Adelaide'];
		for (const [i, s] of sim.fixtures.shops.entries()) {
			const c = client(headersOf(s));
			const all = async (p: string, params: Record<string, unknown> = {}): Promise<Item[]> => {
				const items: Item[] = [];
				let after: string | undefined;
				do {
					const res = await c.get(`/${s.id}/${p}`, { params: { limit: 100, after, ...params } });
					expect(res.status).toBe(200);
					items.push(...(res.data as Page).data);
					after = (res.data as Page).nextCursor;
				} while (after);
				return items;
			};
			const appointments = await all('appointments', { timezone: zones[i] });
			expect(appointments.length).toBe(s.appointmentCount);
			const byFilter = await Promise.all(
				['UPCOMING', 'PAST'].map((filterType) => all('appointments', { filterType })),
			);
			expect(byFilter[0].length + byFilter[1].length).toBe(s.appointmentCount);
			for (const [k, a] of appointments.entries()) {
				if (i === 0 && k % 4 !== 0) continue; // a quarter of shop 0 is enough
				const one = await c.get(`/${s.id}/appointments/${a.id}`, {
					params: { timezone: zones[k % zones.length] },
				});
				expect(one.status).toBe(200);
			}
			const single: Array<[string, string, Record<string, string>]> = [];
			for (const r of await all('resources'))
				single.push(['resources', r.id, { timezone: s.timezone }]);
			for (const l of await all('locations')) single.push(['locations', l.id, {}]);
			for (const t of await all('resource-types')) single.push(['resource-types', t.id, {}]);
			for (const f of await all('flows')) single.push(['flows', f.id, {}]);
			for (const r of await all('reservations', { timezone: 'UTC' }))
				single.push(['reservations', r.id, {}]);
			const services = await all('services');
			for (const sv of services) single.push(['services', sv.id, {}]);
			for (const [p, id, params] of single) {
				const res = await c.get(`/${s.id}/${p}/${id}`, { params });
				expect([200, 201]).toContain(res.status);
			}
			for (const sv of services) {
				const locations = sv.locations as Array<{
					locationId: string;
					resources: Array<{ ids: string[] }>;
				}>;
				for (const v of sv.variants as Array<{ id: string; externalId: string }>) {
					for (const loc of locations) {
						const res = await c.get(`/availabilities/${s.id}`, {
							params: {
								service: sv.id,
								variantId: v.externalId,
								timezone: zones[i],
								locationId: loc.locationId,
								ids: loc.resources[0].ids.join(','),
							},
						});
						expect(res.status).toBe(200);
						expect((res.data as Day[]).length).toBe(7);
					}
				}
			}
			expect((await c.get(`/shops/${s.id}`)).status).toBe(200);
			expect((await c.get(`/shops/${s.id}/configs`)).status).toBe(200);
		}
	});
});

describe('contract', () => {
	const contract = createSesamiContract();

	it('records exchanges with the x-api-key redacted', () => {
		expect(sim.exchanges.length).toBeGreaterThan(50);
		for (const ex of sim.exchanges) {
			if (ex.headers['x-api-key'] !== undefined) expect(ex.headers['x-api-key']).toBe('***');
			expect(ex.path.startsWith('/api/v1')).toBe(false);
		}
	});

	it('every exchange of this file validates against the OpenAPI document (requests made invalid on purpose aside)', () => {
		const result = contract.validateExchanges(sim.exchanges);
		expect(result.checked).toBe(sim.exchanges.length);
		const unexpected: unknown[] = [];
		let onPurpose = 0;
		sim.exchanges.forEach((ex, i) => {
			const violations = contract.validateExchange(ex);
			if (ex.headers['x-test-invalid-request'] === '1') {
				onPurpose += 1;
				// the contract must see the request is invalid, and the answer must still be valid
				if (
					!violations.some((v) => v.kind === 'request') ||
					violations.some((v) => v.kind === 'response')
				) {
					unexpected.push({ i, method: ex.method, path: ex.path, status: ex.status, violations });
				}
				// ... and the simulator refused it
				expect([400, 401]).toContain(ex.status);
			} else if (violations.length) {
				unexpected.push({
					i,
					method: ex.method,
					rawPath: ex.rawPath,
					status: ex.status,
					violations,
				});
			}
		});
		expect(unexpected).toEqual([]);
		expect(onPurpose).toBeGreaterThanOrEqual(10);
		expect(result.byKind.response).toBe(0);
		// broad coverage of the merchant-facing operations
		for (const op of [
			'AppointmentController_searchAppointments',
			'AppointmentController_getById',
			'AppointmentController_cancel',
			'AppointmentController_reschedule',
			'AppointmentController_checkIn',
			'AppointmentController_noShow',
			'AppointmentController_resendAppointmentConfirmation',
			'AvailabilityController_getAvailability',
			'FlowController_create',
			'FlowController_get',
			'FlowController_update',
			'FlowController_delete',
			'ReservationController_getById',
			'CustomerController_getCustomer',
			'ShopController_getShopConfig',
		]) {
			expect(result.byOperation[op]).toBeGreaterThan(0);
		}
	});

	it('is not vacuous: a hand-made bad exchange is reported', () => {
		const good = sim.exchanges.find(
			(ex) =>
				ex.method === 'GET' && ex.status === 200 && /\/appointments\/[0-9a-f]{24}$/.test(ex.path),
		);
		expect(good).toBeDefined();
		expect(contract.validateExchange(good!)).toEqual([]);

		const body = { ...(good!.responseBody as Record<string, unknown>) };
		delete body.id;
		const missingId = contract.validateExchange({ ...good!, responseBody: body });
		expect(missingId).toEqual([
			expect.objectContaining({ kind: 'response', operationId: 'AppointmentController_getById' }),
		]);
		expect(missingId[0].message).toContain("'id'");

		const badStatus = contract.validateExchange({ ...good!, status: 202 });
		expect(badStatus.map((v) => v.kind)).toEqual(['response']);
		const badEvent = contract.validateExchange({
			...good!,
			responseBody: { ...body, id: 'x', events: [{ id: 'e', type: 'DELETED' }] },
		});
		expect(badEvent[0].message).toContain('events.0.type');
		const noKey = contract.validateExchange({ ...good!, headers: {} });
		expect(noKey.map((v) => v.kind)).toEqual(['request']);
		const unknownRoute = contract.validateExchange({ ...good!, path: '/nothing/here/at/all' });
		expect(unknownRoute[0].message).toContain('no operation');
		const flowBody = contract.validateExchange({
			method: 'POST',
			path: `/${shop.id}/flows`,
			query: {},
			headers: { 'x-api-key': '***' },
			requestBody: {
				status: true,
				name: 'x',
				trigger: 'NO_SHOW',
				action: 'EMAIL',
				target: 't',
				when: { amount: 1, unit: 'HOURS_AFTER' },
				template: { headers: '', body: '' },
			},
			status: 201,
			responseBody: { id: 'x' },
		});
		expect(flowBody.map((v) => v.kind)).toEqual(['response']);
	});
});
