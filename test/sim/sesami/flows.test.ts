/**
 * The simulator fires Sesami Flows (https://sesami.dev/docs/sesami-flows/flows): appointment changes render every active
 * IMMEDIATELY WEBHOOK Flow's template with Handlebars, as Sesami does (HTML escaping, comma-less
 * #each), and POST it with the Flow's headers to a real local receiver. Delivery switches:
 * duplicate, reorder, delay, retry.
 */
import axios, { AxiosInstance } from 'axios';

import { createSesamiContract } from '../../contract/sesami-contract';
import { startSesamiSimulator } from './index';
import { formatDate, TEMPLATE_VARIABLES } from './flows';
import { closedPortUrl, startReceiver } from '../lib/receiver';

type Sim = Awaited<ReturnType<typeof startSesamiSimulator>>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
type Shop = Sim['fixtures']['shops'][number];
type Customer = {
	id: string;
	externalId: string;
	name: string;
	firstName: string;
	lastName: string;
	email: string;
	phone: string;
};
type Appointment = {
	id: string;
	shopId: string;
	status: string;
	datetime: string;
	createdAt: string;
	orderId: string;
	orderName: string;
	customer: Customer;
	customerTimezone: string;
	customerManagementLink: string;
	lineItemProperties: Array<{ id: string; name: string; value: string }>;
	events: Array<{ type: string }>;
};
type Delivery = {
	id: number;
	flowId: string;
	trigger: string;
	appointmentId: string;
	target: string;
	headers: Record<string, string>;
	body: string;
	status: number;
	attempt: number;
	copy: number;
	at: string;
	error?: string;
	problems?: string[];
};
type FlowSpec = {
	name?: string;
	trigger?: string;
	status?: boolean;
	action?: string;
	unit?: string;
	headers?: string;
	body: string;
	path: string;
};

let sim: Sim;
let shop: Shop;
let api: AxiosInstance;
let control: AxiosInstance;
let rx: Receiver;

const FLOW_HEADER_VALUE = ['n8n-flow', 'value=abc/123+'].join('-');

beforeAll(async () => {
	sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1', appointments: 120, seed: 7 });
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
	rx = await startReceiver();
});

afterAll(async () => {
	await sim.close();
	await rx.close();
});

afterEach(async () => {
	await control.delete('/flow-delivery');
	await sim.idle(15_000);
	const list = (await api.get(`/${shop.id}/flows`, { params: { limit: 100 } })).data as {
		data: Array<{ id: string; target: string }>;
	};
	for (const f of list.data)
		if (f.target.startsWith(rx.url)) await api.delete(`/${shop.id}/flows/${f.id}`);
	rx.respond = () => 200;
	rx.clear();
	sim.clearDeliveries();
});

/** Create a Flow through the API (201, no body) and find its id by listing (match target). */
async function createFlow(spec: FlowSpec): Promise<string> {
	const target = `${rx.url}${spec.path}`;
	const res = await api.post(`/${shop.id}/flows`, {
		status: spec.status ?? true,
		name: spec.name ?? `test ${spec.path}`,
		trigger: spec.trigger ?? 'APPOINTMENT_CREATED',
		action: spec.action ?? 'WEBHOOK',
		target,
		when: { amount: 0, unit: spec.unit ?? 'IMMEDIATELY' },
		template: {
			headers: spec.headers ?? JSON.stringify({ 'x-sesami-flow-secret': FLOW_HEADER_VALUE }),
			body: spec.body,
		},
	});
	expect(res.status).toBe(201);
	expect(res.data).toBe('');
	const list = (await api.get(`/${shop.id}/flows`, { params: { limit: 100 } })).data as {
		data: Array<{ id: string; target: string }>;
	};
	const flow = list.data.find((f) => f.target === target);
	expect(flow).toBeDefined();
	return flow!.id;
}

async function newAppointment(body: Record<string, unknown> = {}): Promise<Appointment> {
	const res = await control.post('/appointments', body);
	expect(res.status).toBe(201);
	return res.data as Appointment;
}

async function deliveries(query: Record<string, string> = {}): Promise<Delivery[]> {
	const res = await control.get('/deliveries', { params: { wait: 1, ...query } });
	expect(res.status).toBe(200);
	return res.data as Delivery[];
}

const bodiesAt = (path: string) => rx.requests.filter((r) => r.path === path).map((r) => r.body);

describe('Flow deliveries', () => {
	it('POSTs exactly the rendered body with the Flow headers and content-type, and records it (secret redacted)', async () => {
		const flowId = await createFlow({
			path: '/hook/exact',
			headers: JSON.stringify({ 'x-sesami-flow-secret': FLOW_HEADER_VALUE, 'X-Merchant': 'Bloom' }),
			body: '{"id": "{{AppointmentId}}", "email": "{{CustomerEmail}}", "start": "{{formatDate DateTime "YYYY-MM-DDTHH:mm:ssZ" "UTC"}}", "minutes": {{Duration}}, "order": "{{OrderId}}"}',
		});
		const a = await newAppointment({
			customer: {
				firstName: 'Grace',
				lastName: 'Hopper',
				email: 'grace.hopper@example.com',
				phone: '+447700900123',
			},
		});
		expect(a.status).toBe('BOOKED');
		expect(a.orderId).toMatch(/^\d{13}$/);
		expect(a.orderName).toMatch(/^#\d+$/);
		expect(a.events.map((e) => e.type)).toEqual(['CREATED', 'CONFIRMATIONEMAILSENT']);

		const list = await deliveries({ flowId });
		expect(list).toHaveLength(1);
		const startUtc = new Date(Date.parse(a.datetime)).toISOString().replace('.000Z', '+00:00');
		const full = (
			await api.get(`/${shop.id}/appointments/${a.id}`, { params: { timezone: 'UTC' } })
		).data as Appointment & { duration: number };
		const expected = `{"id": "${a.id}", "email": "grace.hopper@example.com", "start": "${startUtc}", "minutes": ${full.duration}, "order": "${a.orderId}"}`;

		const [got] = await rx.waitFor(1);
		expect(got.method).toBe('POST');
		expect(got.path).toBe('/hook/exact');
		expect(got.body).toBe(expected);
		expect(JSON.parse(got.body)).toEqual({
			id: a.id,
			email: 'grace.hopper@example.com',
			start: startUtc,
			minutes: full.duration,
			order: a.orderId,
		});
		expect(got.headers['x-sesami-flow-secret']).toBe(FLOW_HEADER_VALUE);
		expect(got.headers['x-merchant']).toBe('Bloom');
		expect(got.headers['content-type']).toBe('application/json');

		expect(list[0]).toMatchObject({
			flowId,
			trigger: 'APPOINTMENT_CREATED',
			appointmentId: a.id,
			target: `${rx.url}/hook/exact`,
			body: expected,
			status: 200,
			attempt: 1,
			copy: 0,
		});
		expect(list[0].headers).toEqual({
			'x-sesami-flow-secret': '***',
			'x-merchant': 'Bloom',
			'content-type': 'application/json',
		});
		expect(sim.deliveries.find((d) => d.flowId === flowId)).toMatchObject({ body: expected });
	});

	it('keeps Handlebars HTML escaping: & in the management link arrives as &amp; (= as &#x3D;), triple-stash is raw', async () => {
		await createFlow({
			path: '/hook/escape',
			body: '{"link": "{{CustomerManagementLink}}", "raw": "{{{CustomerManagementLink}}}", "name": "{{CustomerName}}"}',
		});
		const a = await newAppointment({
			customer: { firstName: 'Zoë', lastName: `D'Arcy & "Co"`, email: 'zoe@example.com' },
		});
		expect(a.customerManagementLink).toContain('&');
		const [got] = await rx.waitFor(1);
		const escaped = a.customerManagementLink.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;');
		expect(got.body).toContain(`"link": "${escaped}"`);
		expect(got.body).toContain('&amp;shop&#x3D;');
		expect(got.body).toContain(`"raw": "${a.customerManagementLink}"`);
		expect(got.body).toContain('"name": "Zoë D&#x27;Arcy &amp; &quot;Co&quot;"');
		expect(JSON.parse(got.body).link).not.toBe(a.customerManagementLink);
	});

	it('renders #each LineItemProperties without commas (invalid JSON, as Sesami documents it)', async () => {
		await createFlow({
			path: '/hook/each',
			body: '{\n  "customer_name": "{{CustomerName}}",\n  "phone_number": "{{CustomerPhone}}",\n  "properties": { {{#each LineItemProperties}}\n      "{{name}}": "{{value}}"{{/each}}\n  }\n}',
		});
		const a = await newAppointment({
			customer: { firstName: 'Mei', lastName: 'Chen', phone: '' },
			lineItemProperties: [
				{ name: 'Date', value: '2026-12-01' },
				{ name: 'Time', value: '10:00' },
				{ name: 'Allergies', value: 'None' },
			],
		});
		const [got] = await rx.waitFor(1);
		expect(got.body).toBe(
			`{\n  "customer_name": "${a.customer.name}",\n  "phone_number": "",\n  "properties": { \n      "Date": "2026-12-01"\n      "Time": "10:00"\n      "Allergies": "None"\n  }\n}`,
		);
		expect(() => JSON.parse(got.body)).toThrow();
	});

	it('fires only active IMMEDIATELY WEBHOOK Flows of the matching trigger', async () => {
		await createFlow({
			path: '/hook/created',
			trigger: 'APPOINTMENT_CREATED',
			body: '{"t": "{{Trigger}}", "s": "{{AppointmentStatus}}"}',
		});
		await createFlow({
			path: '/hook/inactive',
			trigger: 'APPOINTMENT_CREATED',
			status: false,
			body: '{"t": "{{Trigger}}"}',
		});
		await createFlow({
			path: '/hook/scheduled',
			trigger: 'APPOINTMENT_CREATED',
			unit: 'HOURS_BEFORE',
			body: '{"t": "{{Trigger}}"}',
		});
		await createFlow({
			path: '/hook/email',
			trigger: 'APPOINTMENT_CREATED',
			action: 'EMAIL',
			body: '<p>{{CustomerName}}</p>',
		});
		await createFlow({
			path: '/hook/cancelled',
			trigger: 'APPOINTMENT_CANCELLED',
			body: '{"t": "{{Trigger}}", "s": "{{AppointmentStatus}}"}',
		});

		const a = await newAppointment();
		await deliveries();
		expect(rx.requests.map((r) => r.path)).toEqual(['/hook/created']);
		expect(JSON.parse(rx.requests[0].body)).toEqual({ t: 'APPOINTMENT_CREATED', s: 'BOOKED' });

		// cancelling through the Admin API fires the cancellation Flow only
		const cancel = await api.post(`/${shop.id}/appointments/${a.id}/cancel`, {
			refundMoney: false,
		});
		expect(cancel.status).toBe(200);
		await deliveries();
		expect(rx.requests.map((r) => r.path)).toEqual(['/hook/created', '/hook/cancelled']);
		expect(JSON.parse(rx.requests[1].body)).toEqual({ t: 'APPOINTMENT_CANCELLED', s: 'CANCELLED' });

		// an appointment of another shop fires nothing here
		const other = sim.fixtures.shops[1];
		await newAppointment({ shopId: other.id });
		await deliveries();
		expect(rx.requests).toHaveLength(2);
	});

	it('fires every trigger: API reschedule / check-in / no-show and the control actions', async () => {
		const triggers = [
			'APPOINTMENT_CREATED',
			'APPOINTMENT_RESCHEDULED',
			'APPOINTMENT_CANCELLED',
			'CUSTOMER_CHECKED_IN',
			'APPOINTMENT_STARTED',
			'NO_SHOW',
		];
		for (const t of triggers)
			await createFlow({
				path: `/hook/all/${t}`,
				trigger: t,
				body: '{"trigger": "{{Trigger}}", "id": "{{AppointmentId}}", "start": "{{DateTimeInUTC}}"}',
			});

		const a = await newAppointment();
		const resched = await api.post(`/${shop.id}/appointments/${a.id}/reschedule`, {
			dateTime: '2031-05-06T09:00:00Z',
		});
		expect(resched.status).toBe(200);
		expect((await api.post(`/${shop.id}/appointments/${a.id}/check-in`, {})).status).toBe(200);
		expect((await control.post(`/appointments/${a.id}/start`)).status).toBe(200);
		expect((await api.post(`/${shop.id}/appointments/${a.id}/no-show`, {})).status).toBe(200);
		const b = await newAppointment();
		const moved = await control.post(`/appointments/${b.id}/reschedule`);
		expect(moved.status).toBe(200);
		expect(Date.parse((moved.data as Appointment).datetime)).toBeGreaterThan(
			Date.parse(b.datetime),
		);
		expect((await control.post(`/appointments/${b.id}/cancel`, { refundMoney: true })).status).toBe(
			200,
		);
		expect((await control.post(`/appointments/${b.id}/check-in`)).status).toBe(400); // cancelled
		expect((await control.post(`/appointments/${sim.fixtures.unknownId}/cancel`)).status).toBe(404);
		expect((await control.post(`/appointments/${b.id}/explode`)).status).toBe(404);

		const list = await deliveries();
		const seen = list.map((d) => `${d.appointmentId === a.id ? 'a' : 'b'}:${d.trigger}`);
		expect(seen.sort()).toEqual(
			[
				'a:APPOINTMENT_CREATED',
				'a:APPOINTMENT_RESCHEDULED',
				'a:CUSTOMER_CHECKED_IN',
				'a:APPOINTMENT_STARTED',
				'a:NO_SHOW',
				'b:APPOINTMENT_CREATED',
				'b:APPOINTMENT_RESCHEDULED',
				'b:APPOINTMENT_CANCELLED',
			].sort(),
		);
		for (const d of list)
			expect(JSON.parse(d.body)).toMatchObject({ trigger: d.trigger, id: d.appointmentId });
		const rescheduled = list.find(
			(d) => d.appointmentId === a.id && d.trigger === 'APPOINTMENT_RESCHEDULED',
		);
		expect(JSON.parse(rescheduled!.body).start).toBe('2031-05-06T09:00:00.000Z');
	});

	it('sends no custom header when template.headers does not parse, and records the problem', async () => {
		const flowId = await createFlow({
			path: '/hook/badheaders',
			headers: "{'x-sesami-flow-secret': 'single quotes'}",
			body: '{"id": "{{AppointmentId}}"}',
		});
		const a = await newAppointment();
		const [d] = await deliveries({ flowId });
		const [got] = await rx.waitFor(1);
		expect(got.headers['x-sesami-flow-secret']).toBeUndefined();
		expect(got.headers['content-type']).toBe('application/json');
		expect(got.body).toBe(`{"id": "${a.id}"}`);
		expect(d.problems![0]).toContain('template.headers is not JSON');
		const state = (await control.get('/flow-delivery')).data as {
			problems: Array<{ flowId: string; problem: string }>;
		};
		expect(state.problems.some((p) => p.flowId === flowId && p.problem.includes('not JSON'))).toBe(
			true,
		);
	});

	it('gives every variable the package relies on; unknown ones render empty', async () => {
		const body = `{${TEMPLATE_VARIABLES.filter((v) => v !== 'LineItemProperties')
			.map((v) => `"${v}": "{{${v}}}"`)
			.join(', ')}, "Missing": "{{NoSuchVariable}}"}`;
		const flowId = await createFlow({ path: '/hook/vars', body });
		const a = await newAppointment({
			customer: {
				firstName: 'Kenji',
				lastName: 'Sato',
				email: 'kenji@example.com',
				phone: '+447700900456',
				timezone: 'Asia/Tokyo',
			},
		});
		const [d] = await deliveries({ flowId });
		const v = JSON.parse(d.body) as Record<string, string>;
		for (const name of TEMPLATE_VARIABLES)
			if (name !== 'LineItemProperties') expect([name, v[name]]).not.toEqual([name, '']);
		expect(v.Missing).toBe('');
		expect(v).toMatchObject({
			AppointmentId: a.id,
			AppointmentStatus: 'BOOKED',
			CustomerName: 'Kenji Sato',
			CustomerFirstName: 'Kenji',
			CustomerLastName: 'Sato',
			CustomerEmail: 'kenji@example.com',
			CustomerPhone: '+447700900456',
			CustomerTimezone: 'Asia/Tokyo',
			CustomerId: a.customer.id,
			CustomerExternalId: a.customer.externalId,
			OrderId: a.orderId,
			OrderName: a.orderName,
			ShopId: shop.id,
			ShopDomain: shop.domain,
			Trigger: 'APPOINTMENT_CREATED',
			DateTimeInUTC: new Date(Date.parse(a.datetime)).toISOString(),
		});
		expect(Date.parse(v.DateTimeInCustomerTimezone)).toBe(Date.parse(a.datetime));
		expect(v.DateTimeInCustomerTimezone).toMatch(/\+09:00$/);
		expect(Date.parse(v.DateTimeInStoreTimezone)).toBe(Date.parse(a.datetime));
		expect(v.Duration).toMatch(/^\d+$/);
		expect(v.Price).toMatch(/^\d+\.\d\d$/);
		expect(v.CustomerExternalId).toMatch(/^\d{13}$/);
	});

	it('an instant booking has an empty order id and order name', async () => {
		const flowId = await createFlow({
			path: '/hook/instant',
			body: '{"order_id": "{{OrderId}}", "order": "{{OrderName}}", "customer_id": "{{CustomerExternalId}}"}',
		});
		const a = await newAppointment({ instant: true });
		expect(a.orderId).toBe('');
		const [d] = await deliveries({ flowId });
		expect(JSON.parse(d.body)).toEqual({ order_id: '', order: '', customer_id: '' });
	});
});

describe('delivery switches', () => {
	it('duplicate: n extra copies of each delivery, the same body', async () => {
		const flowId = await createFlow({ path: '/hook/dup', body: '{"id": "{{AppointmentId}}"}' });
		const set = await control.post('/flow-delivery', { duplicate: 2 });
		expect(set.status).toBe(200);
		expect(set.data.settings.duplicate).toBe(2);
		const a = await newAppointment();
		const list = await deliveries({ flowId });
		expect(list.map((d) => d.copy).sort()).toEqual([0, 1, 2]);
		expect(new Set(list.map((d) => d.body))).toEqual(new Set([`{"id": "${a.id}"}`]));
		expect(bodiesAt('/hook/dup')).toEqual([
			`{"id": "${a.id}"}`,
			`{"id": "${a.id}"}`,
			`{"id": "${a.id}"}`,
		]);

		expect((await control.post('/flow-delivery', { duplicate: -1 })).status).toBe(400);
		expect((await control.post('/flow-delivery', { nonsense: true })).status).toBe(400);
	});

	it('reorder: holds deliveries and sends them newest first on flush', async () => {
		for (const t of ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED', 'APPOINTMENT_CANCELLED']) {
			await createFlow({
				path: `/hook/order/${t}`,
				trigger: t,
				body: '{"t": "{{Trigger}}", "s": "{{AppointmentStatus}}"}',
			});
		}
		await control.post('/flow-delivery', { reorder: true, holdMs: 60_000 });
		const a = await newAppointment();
		await control.post(`/appointments/${a.id}/reschedule`);
		await control.post(`/appointments/${a.id}/cancel`);
		const state = (await control.get('/flow-delivery')).data as { held: number; pending: number };
		expect(state).toMatchObject({ held: 3, pending: 3 });
		expect(rx.requests).toHaveLength(0);
		expect(sim.deliveries).toHaveLength(0);

		const flushed = await control.post('/flow-delivery/flush');
		expect(flushed.data).toEqual({ flushed: 3 });
		await deliveries();
		expect(rx.requests.map((r) => JSON.parse(r.body))).toEqual([
			{ t: 'APPOINTMENT_CANCELLED', s: 'CANCELLED' },
			{ t: 'APPOINTMENT_RESCHEDULED', s: 'RESCHEDULED' },
			{ t: 'APPOINTMENT_CREATED', s: 'BOOKED' },
		]);
	});

	it('reorder: without a flush, held deliveries go out newest first after holdMs', async () => {
		for (const t of ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED', 'APPOINTMENT_CANCELLED']) {
			await createFlow({
				path: `/hook/hold/${t}`,
				trigger: t,
				body: '{"t": "{{Trigger}}", "s": "{{AppointmentStatus}}", "start": "{{DateTimeInUTC}}"}',
			});
		}
		await control.post('/flow-delivery', { reorder: true, holdMs: 300 });
		const a = await newAppointment();
		await control.post(`/appointments/${a.id}/reschedule`, { dateTime: '2031-01-07T10:00:00Z' });
		await control.post(`/appointments/${a.id}/cancel`);
		expect(sim.deliveries).toHaveLength(0);
		await deliveries();
		expect(rx.requests.map((r) => JSON.parse(r.body))).toEqual([
			{ t: 'APPOINTMENT_CANCELLED', s: 'CANCELLED', start: '2031-01-07T10:00:00.000Z' },
			{ t: 'APPOINTMENT_RESCHEDULED', s: 'RESCHEDULED', start: '2031-01-07T10:00:00.000Z' },
			{
				t: 'APPOINTMENT_CREATED',
				s: 'BOOKED',
				start: new Date(Date.parse(a.datetime)).toISOString(),
			},
		]);
	});

	it('duplicateRate / reorderRate: only a share of the deliveries is duplicated or held, reproducibly', async () => {
		const flowId = await createFlow({ path: '/hook/share', body: '{"id": "{{AppointmentId}}"}' });
		const arrivedIds = (from = 0) =>
			rx.requests.slice(from).map((r) => JSON.parse(r.body).id as string);
		const run = async () => {
			// Held deliveries wait for the flush below, so which ones were held does not depend on timing.
			await control.post('/flow-delivery', {
				duplicate: 1,
				duplicateRate: 0.25,
				reorder: true,
				reorderRate: 0.3,
				holdMs: 60_000,
			});
			const created: string[] = [];
			for (let i = 0; i < 16; i++) created.push((await newAppointment()).id);
			let state = (await control.get('/flow-delivery')).data as { held: number; pending: number };
			for (let i = 0; i < 200 && state.pending > state.held; i++) {
				await rx.waitFor(rx.requests.length + 1, 100).catch(() => undefined);
				state = (await control.get('/flow-delivery')).data as { held: number; pending: number };
			}
			expect(state.pending).toBe(state.held); // everything not held has been answered
			const beforeFlush = rx.requests.length;
			expect((await control.post('/flow-delivery/flush')).data).toEqual({ flushed: state.held });
			const list = (await deliveries({ flowId })).filter((d) => created.includes(d.appointmentId));
			const early = new Set(
				arrivedIds()
					.slice(0, beforeFlush)
					.filter((id) => created.includes(id)),
			);
			const late = new Set(arrivedIds(beforeFlush).filter((id) => created.includes(id)));
			const duplicated = created.map(
				(id) => list.filter((d) => d.appointmentId === id).length === 2,
			);
			const held = created.map((id) => late.has(id));
			return { created, list, early, late, duplicated, held };
		};
		const first = await run();
		expect(new Set([...first.early, ...first.late])).toEqual(new Set(first.created)); // nothing lost
		const copies = first.duplicated.filter(Boolean).length;
		expect(copies).toBeGreaterThan(0);
		expect(copies).toBeLessThan(16);
		expect(first.list).toHaveLength(16 + copies);
		const heldCount = first.held.filter(Boolean).length;
		expect(heldCount).toBeGreaterThan(0);
		expect(heldCount).toBeLessThan(16);
		// a held appointment arrived only after newer ones that were not held
		const firstHeld = first.held.indexOf(true);
		expect(first.held.slice(firstHeld + 1).some((h) => !h)).toBe(true);

		rx.clear();
		const second = await run(); // the same settings posted again: the same choices
		expect(second.duplicated).toEqual(first.duplicated);
		expect(second.held).toEqual(first.held);
	});

	it('delayMs: deliveries are late, and the API answer does not wait for them', async () => {
		const flowId = await createFlow({ path: '/hook/late', body: '{"id": "{{AppointmentId}}"}' });
		await control.post('/flow-delivery', { delayMs: 400 });
		const before = Date.now();
		await newAppointment();
		const answeredAfter = Date.now() - before;
		expect(((await control.get('/flow-delivery')).data as { pending: number }).pending).toBe(1);
		expect(rx.requests).toHaveLength(0);
		const [d] = await deliveries({ flowId });
		expect(Date.parse(d.at) - before).toBeGreaterThanOrEqual(390);
		expect(answeredAfter).toBeLessThan(390);
		expect(((await control.get('/flow-delivery')).data as { pending: number }).pending).toBe(0);
	});

	it('retryOnFailure: re-sends after non-2xx answers until one succeeds', async () => {
		const flowId = await createFlow({ path: '/hook/flaky', body: '{"id": "{{AppointmentId}}"}' });
		rx.respond = (_req, index) => (index < 2 ? 503 : 200);
		await control.post('/flow-delivery', { retryOnFailure: { attempts: 4, delayMs: 20 } });
		await newAppointment();
		const list = await deliveries({ flowId });
		expect(list.map((d) => [d.attempt, d.status])).toEqual([
			[1, 503],
			[2, 503],
			[3, 200],
		]);
		expect(rx.requests).toHaveLength(3);
	});

	it('without retryOnFailure a failed delivery is attempted once', async () => {
		const flowId = await createFlow({ path: '/hook/fails', body: '{"id": "{{AppointmentId}}"}' });
		rx.respond = () => ({ status: 400, body: '{"message":"bad body"}' });
		await newAppointment();
		const list = await deliveries({ flowId });
		expect(list.map((d) => [d.attempt, d.status])).toEqual([[1, 400]]);
	});

	it('retryOnFailure: re-sends when the connection fails (status 0 with the error)', async () => {
		const dead = await closedPortUrl();
		const res = await api.post(`/${shop.id}/flows`, {
			status: true,
			name: 'dead target',
			trigger: 'APPOINTMENT_CREATED',
			action: 'WEBHOOK',
			target: dead,
			when: { amount: 0, unit: 'IMMEDIATELY' },
			template: { headers: '{}', body: '{"id": "{{AppointmentId}}"}' },
		});
		expect(res.status).toBe(201);
		await control.post('/flow-delivery', { retryOnFailure: { attempts: 3, delayMs: 10 } });
		const a = await newAppointment();
		const list = (await deliveries({ target: dead })).filter((d) => d.appointmentId === a.id);
		expect(list.map((d) => [d.attempt, d.status])).toEqual([
			[1, 0],
			[2, 0],
			[3, 0],
		]);
		expect(list[0].error).toMatch(/ECONNREFUSED/);
		const flows = (await api.get(`/${shop.id}/flows`, { params: { limit: 100 } })).data as {
			data: Array<{ id: string; target: string }>;
		};
		for (const f of flows.data)
			if (f.target === dead) await api.delete(`/${shop.id}/flows/${f.id}`);
	});

	it('clears deliveries, resets the settings, and the exchanges still match the OpenAPI contract', async () => {
		await createFlow({ path: '/hook/clear', body: '{"id": "{{AppointmentId}}"}' });
		await control.post('/flow-delivery', { duplicate: 1, delayMs: 5 });
		const a = await newAppointment();
		await deliveries();
		expect((await control.delete('/deliveries')).data.cleared).toBe(2);
		expect(await deliveries()).toEqual([]);
		const reset = await control.delete('/flow-delivery');
		expect(reset.data.settings).toMatchObject({
			duplicate: 0,
			reorder: false,
			delayMs: 0,
			retryOnFailure: null,
		});

		// a created appointment reads back through the API like any other
		const got = await api.get(`/${shop.id}/appointments/${a.id}`, {
			params: { timezone: 'Europe/London' },
		});
		expect(got.status).toBe(200);
		expect(got.data.customerManagementLink).toBe(a.customerManagementLink);
		const listed = await api.get(`/${shop.id}/appointments`, { params: { limit: 5, ids: a.id } });
		expect(listed.data.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
		const report = createSesamiContract().validateExchanges(
			sim.exchanges.filter((ex) => !ex.headers['x-test-invalid-request']),
		);
		expect(report.violations).toEqual([]);
	});
});

describe('formatDate (moment-style tokens through Intl)', () => {
	const d = new Date('2026-03-08T09:05:03.007Z'); // a Sunday

	it('formats ISO, unix and human forms in a zone', () => {
		expect(formatDate(d, 'YYYY-MM-DDTHH:mm:ssZ', 'UTC')).toBe('2026-03-08T09:05:03+00:00');
		expect(formatDate(d, 'YYYY-MM-DDTHH:mm:ssZ', 'America/New_York')).toBe(
			'2026-03-08T05:05:03-04:00',
		); // DST began that night
		expect(formatDate(d, 'YYYY-MM-DDTHH:mm:ss.SSSZZ', 'Asia/Kolkata')).toBe(
			'2026-03-08T14:35:03.007+0530',
		);
		expect(formatDate(d, 'X', 'Asia/Tokyo')).toBe('1772960703');
		expect(formatDate(d, 'x')).toBe('1772960703007');
		expect(formatDate(d, 'dddd, MMMM Do YYYY [at] h:mm A', 'Europe/London')).toBe(
			'Sunday, March 8th 2026 at 9:05 AM',
		);
		expect(formatDate(d, 'ddd D MMM YY, hh:mm a', 'Australia/Sydney')).toBe(
			'Sun 8 Mar 26, 08:05 pm',
		);
		expect(formatDate(d, 'M/D H:m:s', 'UTC')).toBe('3/8 9:5:3');
		expect(formatDate(d, 'YYYY Mo DD HH:mm:ss', 'Europe/Berlin')).toBe('2026 3rd 08 10:05:03');
		expect(formatDate('2026-03-08T09:05:03Z', '[Day] DDD [of the year]', 'UTC')).toBe(
			'Day 67 of the year',
		);
	});

	it('falls back to the default zone for an empty or unknown zone, and renders nothing for a non-date', () => {
		expect(formatDate(d, 'HH:mm Z', '', 'Asia/Tokyo')).toBe('18:05 +09:00');
		expect(formatDate(d, 'HH:mm Z', 'Mars/Olympus', 'Europe/London')).toBe('09:05 +00:00');
		expect(formatDate(undefined, 'YYYY', 'UTC')).toBe('');
		expect(formatDate('not a date', 'YYYY', 'UTC')).toBe('');
		expect(formatDate(d, '', 'UTC')).toBe('2026-03-08T09:05:03+00:00');
	});
});

describe('variants of the unverified Flow contract (POST /__sim/variants)', () => {
	afterEach(async () => {
		await control.delete('/variants');
	});

	it('flowVariables documented-only: undocumented variables render empty, formatDate of a missing one renders the send time', async () => {
		await createFlow({
			path: '/documented-only',
			body: '{"name": "{{CustomerName}}", "id": "{{AppointmentId}}", "email": "{{CustomerEmail}}", "start": "{{formatDate DateTime "X"}}", "end": "{{formatDate EndDateTime "X"}}"}',
		});
		expect((await control.post('/variants', { flowVariables: 'documented-only' })).status).toBe(
			200,
		);
		const before = Math.floor(Date.now() / 1000);
		const a = await newAppointment();
		await deliveries();
		const body = JSON.parse(bodiesAt('/documented-only')[0]);
		expect(body.name).toBe(a.customer.name);
		expect(body.id).toBe('');
		expect(body.email).toBe('');
		expect(Number(body.start)).toBe(Math.floor(Date.parse(a.datetime) / 1000));
		expect(Number(body.end)).toBeGreaterThanOrEqual(before);
		expect(Number(body.end)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
	});

	it('flowHeaders lines: "Name: value" lines are sent, a JSON map sends no header; ignored: API Flows send none', async () => {
		await createFlow({
			path: '/lines',
			headers: `x-sesami-flow-secret: ${FLOW_HEADER_VALUE}`,
			body: '{"a": 1}',
		});
		await createFlow({ path: '/json', body: '{"a": 2}' });
		await control.post('/variants', { flowHeaders: 'lines' });
		await newAppointment();
		await deliveries();
		const sent = (path: string) =>
			rx.requests.filter((r) => r.path === path).map((r) => r.headers['x-sesami-flow-secret']);
		expect(sent('/lines')).toEqual([FLOW_HEADER_VALUE]);
		expect(sent('/json')).toEqual([undefined]);
		rx.clear();
		await control.post('/variants', { flowHeaders: 'ignored' });
		await newAppointment();
		await deliveries();
		expect(sent('/json')).toEqual([undefined]);
		expect(rx.requests.filter((r) => r.path === '/json')).toHaveLength(1);
	});

	it('maxFlows and otherFlows: GET /shops/{id} shows the limit, other tools take slots, creation past it is 400', async () => {
		const flowsBefore = (await api.get(`/${shop.id}/flows`, { params: { limit: 100 } })).data
			.totalItems as number;
		await control.post('/variants', { maxFlows: '6', otherFlows: '3' });
		expect((await api.get(`/shops/${shop.id}`)).data.maxFlows).toBe(6);
		const flowsNow = (await api.get(`/${shop.id}/flows`, { params: { limit: 100 } })).data
			.totalItems as number;
		expect(flowsNow).toBe(flowsBefore + 3);
		for (let i = flowsNow; i < 6; i++) await createFlow({ path: `/slot-${i}`, body: '{}' });
		const refused = await api.post(`/${shop.id}/flows`, {
			status: true,
			name: 'one too many',
			trigger: 'NO_SHOW',
			action: 'WEBHOOK',
			target: `${rx.url}/too-many`,
			when: { amount: 0, unit: 'IMMEDIATELY' },
			template: { headers: '{}', body: '{}' },
		});
		expect(refused.status).toBe(400);
		expect(JSON.stringify(refused.data)).toMatch(/max/);
		await control.delete('/variants');
		expect((await api.get(`/${shop.id}/flows`, { params: { limit: 100 } })).data.totalItems).toBe(
			flowsBefore + (6 - flowsNow),
		);
	});

	it('an unknown point or variant is refused with the known ones', async () => {
		const r = await control.post('/variants', { flowVariables: 'some' });
		expect(r.status).toBe(400);
		expect(r.data.reason).toMatch(/full, documented-only/);
	});
});
