import type { IDataObject } from 'n8n-workflow';

import { createSesamiContract } from '../../../contract/sesami-contract';
import { Sesami } from '../../../../nodes/Sesami/Sesami.node';
import { rl, useSesamiSimulator } from '../../../helpers/setup';

type Exchange = {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string>;
	requestBody?: IDataObject;
	status: number;
	responseBody?: unknown;
	at?: number | string;
};

const contract = createSesamiContract();
const { sim, shop, run } = useSesamiSimulator();

function exchanges(): Exchange[] {
	return sim.exchanges as Exchange[];
}

function expectContractClean() {
	const report = contract.validateExchanges(exchanges());
	expect(report.violations).toEqual([]);
	expect(report.checked).toBeGreaterThan(0);
}

beforeEach(() => sim.clearExchanges());

describe('requests of every operation (method, path, headers, query, body) against the contract', () => {
	const cases: Array<{
		name: string;
		params: () => IDataObject;
		method: string;
		path: () => string;
		query?: () => Record<string, unknown>;
		body?: () => IDataObject | undefined;
	}> = [
		{
			name: 'appointment get',
			params: () => ({
				resource: 'appointment',
				operation: 'get',
				appointmentId: rl(shop.appointments.upcoming),
			}),
			method: 'GET',
			path: () => `/${shop.id}/appointments/${shop.appointments.upcoming}`,
			query: () => ({ timezone: shop.timezone }),
		},
		{
			name: 'appointment get many (limit 5, filters)',
			params: () => ({
				resource: 'appointment',
				operation: 'getAll',
				returnAll: false,
				limit: 5,
				filters: {
					filterType: 'RANGE',
					start: '2026-01-01T00:00:00',
					end: '2027-12-31T00:00:00',
					searchTerm: 'a',
				},
			}),
			method: 'GET',
			path: () => `/${shop.id}/appointments`,
			query: () => ({ limit: '5', filterType: 'RANGE', searchTerm: 'a', timezone: shop.timezone }),
		},
		{
			name: 'appointment check in',
			params: () => ({
				resource: 'appointment',
				operation: 'checkIn',
				appointmentId: rl(shop.appointments.upcoming),
				additionalFields: { content: 'arrived early' },
			}),
			method: 'POST',
			path: () => `/${shop.id}/appointments/${shop.appointments.upcoming}/check-in`,
			body: () => ({ content: 'arrived early' }),
		},
		{
			name: 'appointment mark no-show',
			params: () => ({
				resource: 'appointment',
				operation: 'markNoShow',
				appointmentId: rl(shop.appointments.past),
			}),
			method: 'POST',
			path: () => `/${shop.id}/appointments/${shop.appointments.past}/no-show`,
			body: () => ({}),
		},
		{
			name: 'appointment resend confirmation',
			params: () => ({
				resource: 'appointment',
				operation: 'resendConfirmation',
				appointmentId: rl(shop.appointments.upcoming),
			}),
			method: 'POST',
			path: () =>
				`/${shop.id}/appointments/${shop.appointments.upcoming}/resend-appointment-confirmation`,
		},
		{
			name: 'availability get slots',
			params: () => ({
				resource: 'availability',
				operation: 'getSlots',
				serviceId: rl(shop.availability.serviceId),
				variantId: shop.availability.variantId,
				resourceIds: shop.availability.resourceIds.join(','),
				options: { start: new Date(Date.now() + 86400000).toISOString().slice(0, 10) },
			}),
			method: 'GET',
			path: () => `/availabilities/${shop.id}`,
			query: () => ({
				service: shop.availability.serviceId,
				variantId: shop.availability.variantId,
				timezone: shop.timezone,
			}),
		},
		{
			name: 'service get',
			params: () => ({ resource: 'service', operation: 'get', serviceId: rl(shop.serviceIds[0]) }),
			method: 'GET',
			path: () => `/${shop.id}/services/${shop.serviceIds[0]}`,
		},
		{
			name: 'service get many',
			params: () => ({
				resource: 'service',
				operation: 'getAll',
				returnAll: true,
				filters: { status: true },
			}),
			method: 'GET',
			path: () => `/${shop.id}/services`,
			query: () => ({ limit: '100', status: 'true' }),
		},
		{
			name: 'resource get',
			params: () => ({
				resource: 'resource',
				operation: 'get',
				resourceId: rl(shop.resourceIds[0]),
			}),
			method: 'GET',
			path: () => `/${shop.id}/resources/${shop.resourceIds[0]}`,
			query: () => ({ timezone: shop.timezone }),
		},
		{
			name: 'resource get many',
			params: () => ({ resource: 'resource', operation: 'getAll', returnAll: false, limit: 3 }),
			method: 'GET',
			path: () => `/${shop.id}/resources`,
			query: () => ({ limit: '3' }),
		},
		{
			name: 'location get',
			params: () => ({
				resource: 'location',
				operation: 'get',
				locationId: rl(shop.locationIds[0]),
			}),
			method: 'GET',
			path: () => `/${shop.id}/locations/${shop.locationIds[0]}`,
		},
		{
			name: 'location get many',
			params: () => ({ resource: 'location', operation: 'getAll', returnAll: true }),
			method: 'GET',
			path: () => `/${shop.id}/locations`,
			query: () => ({ limit: '100' }),
		},
		{
			name: 'reservation get',
			params: () => ({
				resource: 'reservation',
				operation: 'get',
				reservationId: shop.reservationIds[0],
			}),
			method: 'GET',
			path: () => `/${shop.id}/reservations/${shop.reservationIds[0]}`,
		},
		{
			name: 'reservation get many',
			params: () => ({
				resource: 'reservation',
				operation: 'getAll',
				returnAll: true,
				filters: { filterType: 'ALL' },
			}),
			method: 'GET',
			path: () => `/${shop.id}/reservations`,
			query: () => ({ limit: '100', filterType: 'ALL', timezone: shop.timezone }),
		},
		{
			name: 'shop get',
			params: () => ({ resource: 'shop', operation: 'get' }),
			method: 'GET',
			path: () => `/shops/${shop.id}`,
		},
		{
			name: 'shop get config',
			params: () => ({ resource: 'shop', operation: 'getConfig' }),
			method: 'GET',
			path: () => `/shops/${shop.id}/configs`,
		},
		{
			name: 'flow get',
			params: () => ({ resource: 'flow', operation: 'get', flowId: shop.flowIds[0] }),
			method: 'GET',
			path: () => `/${shop.id}/flows/${shop.flowIds[0]}`,
		},
		{
			name: 'flow get many',
			params: () => ({ resource: 'flow', operation: 'getAll', returnAll: true }),
			method: 'GET',
			path: () => `/${shop.id}/flows`,
			query: () => ({ limit: '100' }),
		},
		{
			name: 'customer get',
			params: () => ({ resource: 'customer', operation: 'get', customerId: shop.customerIds[0] }),
			method: 'GET',
			path: () => `/${shop.id}/customers/${shop.customerIds[0]}`,
		},
	];

	it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
		const output = await run(testCase.params());
		expect(output.length).toBeGreaterThan(0);
		const first = exchanges()[0];
		expect(first.method).toBe(testCase.method);
		expect(first.path).toBe(testCase.path());
		expect(first.status).toBeLessThan(300);
		expect(first.headers['x-api-key']).toBeDefined();
		expect(first.headers['x-client-id']).toBe(shop.clientId);
		expect(first.headers['x-shop-id']).toBe(shop.id);
		if (testCase.query) expect(first.query).toMatchObject(testCase.query());
		if (testCase.body) expect(first.requestBody).toEqual(testCase.body());
		for (const item of output) expect(item.pairedItem).toEqual({ item: 0 });
		expectContractClean();
	});

	it('appointment get always sends a timezone and exposes the management link', async () => {
		const [item] = await run({
			resource: 'appointment',
			operation: 'get',
			appointmentId: rl(shop.appointments.upcoming),
			timezone: 'Asia/Tokyo',
		});
		expect(exchanges()[0].query.timezone).toBe('Asia/Tokyo');
		expect(item.json.id).toBe(shop.appointments.upcoming);
		expect(item.json.customerManagementLink).toMatch(/^https:\/\//);
		expect(String(item.json.datetime)).toMatch(/\+09:00$/);
	});

	it('Simplify gives the flat record', async () => {
		const [item] = await run({
			resource: 'appointment',
			operation: 'get',
			simplify: true,
			appointmentId: rl(shop.appointments.upcoming),
		});
		const raw = sim.state.appointments.find(
			(a: IDataObject) => a.id === shop.appointments.upcoming,
		);
		expect(Object.keys(item.json).sort()).toEqual(
			[
				'cancelled',
				'customerEmail',
				'customerManagementLink',
				'customerName',
				'customerPhone',
				'end',
				'id',
				'locationId',
				'orderId',
				'orderName',
				'rescheduleCount',
				'serviceId',
				'serviceName',
				'shopId',
				'shopifyCustomerId',
				'start',
				'startUtc',
				'endUtc',
				'status',
				'timezone',
				'updatedAt',
			].sort(),
		);
		expect(item.json).toMatchObject({
			id: raw.id,
			orderId: raw.orderId,
			orderName: raw.orderName,
			shopifyCustomerId: raw.customer.externalId,
			customerEmail: raw.customer.email,
			serviceId: raw.service,
			customerManagementLink: raw.customerManagementLink,
			cancelled: false,
		});
		const minutes =
			(Date.parse(String(item.json.end)) - Date.parse(String(item.json.start))) / 60000;
		expect(minutes).toBe(raw.duration);
	});

	it('cancel sends refundMoney and content, and the appointment is cancelled', async () => {
		const id = shop.appointments.upcoming2;
		const [item] = await run({
			resource: 'appointment',
			operation: 'cancel',
			appointmentId: rl(id),
			refundMoney: true,
			additionalFields: { content: 'customer asked' },
		});
		expect(exchanges()[0]).toMatchObject({
			method: 'POST',
			path: `/${shop.id}/appointments/${id}/cancel`,
			requestBody: { refundMoney: true, content: 'customer asked' },
		});
		expect(item.json).toMatchObject({ id, cancelled: true, refundMoney: true });
		const [after] = await run({
			resource: 'appointment',
			operation: 'get',
			simplify: true,
			appointmentId: rl(id),
		});
		expect(after.json.cancelled).toBe(true);
		expectContractClean();
	});

	it('reschedule sends dateTime with an offset and timezone, and moves the appointment', async () => {
		const id = shop.appointments.upcoming;
		const target = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10) + 'T10:00:00';
		const [item] = await run({
			resource: 'appointment',
			operation: 'reschedule',
			appointmentId: rl(id),
			dateTime: target,
			additionalFields: { timezone: 'Europe/London', content: 'moved by n8n' },
		});
		const body = exchanges()[0].requestBody as IDataObject;
		expect(exchanges()[0].path).toBe(`/${shop.id}/appointments/${id}/reschedule`);
		expect(body.timezone).toBe('Europe/London');
		expect(body.content).toBe('moved by n8n');
		expect(String(body.dateTime)).toMatch(/^\d{4}-\d{2}-\d{2}T10:00:00(Z|[+-]\d{2}:\d{2})$/);
		expect(item.json.rescheduled).toBe(true);
		const [after] = await run({
			resource: 'appointment',
			operation: 'get',
			simplify: true,
			timezone: 'UTC',
			appointmentId: rl(id),
		});
		expect(Date.parse(String(after.json.start))).toBe(Date.parse(String(body.dateTime)));
		expect(after.json.rescheduleCount).toBeGreaterThan(0);
		expectContractClean();
	});

	it('flow create, update, delete', async () => {
		const target = 'https://n8n.example.com/webhook/unit-test-flow';
		const [created] = await run({
			resource: 'flow',
			operation: 'create',
			name: 'n8n unit test',
			trigger: 'APPOINTMENT_CANCELLED',
			action: 'WEBHOOK',
			target,
			status: true,
			whenUnit: 'IMMEDIATELY',
			whenAmount: 0,
			templateHeaders: '{"x-test":"1"}',
			templateBody: '{"id":"{{AppointmentId}}"}',
		});
		expect(exchanges()[0]).toMatchObject({
			method: 'POST',
			path: `/${shop.id}/flows`,
			status: 201,
			requestBody: {
				name: 'n8n unit test',
				trigger: 'APPOINTMENT_CANCELLED',
				action: 'WEBHOOK',
				target,
				status: true,
				when: { unit: 'IMMEDIATELY', amount: 0 },
				template: { headers: '{"x-test":"1"}', body: '{"id":"{{AppointmentId}}"}' },
			},
		});
		expect(created.json.id).toMatch(/^[a-f0-9]{24}$/);
		expect(created.json.target).toBe(target);

		const [updated] = await run({
			resource: 'flow',
			operation: 'update',
			flowId: created.json.id,
			updateFields: { status: false, templateBody: '{"changed":true}' },
		});
		const patch = exchanges().find((e) => e.method === 'PATCH') as Exchange;
		// the template is sent whole: the headers not given come from the current Flow
		expect(patch.requestBody).toEqual({
			status: false,
			template: { headers: '{"x-test":"1"}', body: '{"changed":true}' },
		});
		expect(updated.json.status).toBe(false);

		const [deleted] = await run({ resource: 'flow', operation: 'delete', flowId: created.json.id });
		expect(deleted.json).toEqual({ id: created.json.id, deleted: true });
		expect(sim.state.flows.find((f: IDataObject) => f.id === created.json.id)).toBeUndefined();
		expectContractClean();
	});

	it('customer create sends the documented body', async () => {
		const [item] = await run({
			resource: 'customer',
			operation: 'create',
			email: 'ada@example.com',
			additionalFields: {
				firstName: 'Ada',
				lastName: 'Lovelace',
				externalId: '7001234567890',
				externalSource: 'SHOPIFY',
			},
		});
		expect(exchanges()[0]).toMatchObject({
			method: 'POST',
			path: `/${shop.id}/customers`,
			status: 201,
			requestBody: {
				email: 'ada@example.com',
				firstName: 'Ada',
				lastName: 'Lovelace',
				externalId: '7001234567890',
				externalSource: 'SHOPIFY',
			},
		});
		expect(item.json.created).toBe(true);
		expectContractClean();
	});
});

describe('Authentication in the editor', () => {
	const { description } = new Sesami();
	const property = (name: string) => description.properties.find((p) => p.name === name);

	it('Personal Access Token is the default of version 1: saved workflows keep their credential', () => {
		expect(description.version).toBe(1);
		expect(property('authentication')).toMatchObject({
			type: 'options',
			default: 'personalAccessToken',
			noDataExpression: true,
		});
		expect(
			(property('authentication')?.options as Array<{ value: string }>).map((o) => o.value),
		).toEqual(['personalAccessToken', 'appInstallation']);
	});

	it('each credential is asked for with its authentication', () => {
		expect(description.credentials).toEqual([
			{
				name: 'sesamiApi',
				required: true,
				displayOptions: { show: { authentication: ['personalAccessToken'] } },
			},
			{
				name: 'sesamiAppApi',
				required: true,
				displayOptions: { show: { authentication: ['appInstallation'] } },
			},
		]);
	});

	it('App Installation asks for the shop ID, the token (hidden) and a Default Timezone', () => {
		const forApp = { show: { authentication: ['appInstallation'] } };
		expect(property('appShopId')).toMatchObject({ required: true, displayOptions: forApp });
		expect(property('appAccessToken')).toMatchObject({
			required: true,
			typeOptions: { password: true },
			displayOptions: forApp,
		});
		expect(property('appTimezone')).toMatchObject({ default: 'UTC', displayOptions: forApp });
	});
});
