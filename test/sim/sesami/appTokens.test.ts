/**
 * Sesami Apps' offline tokens in the simulator (./appTokens.js): registered through
 * /__sim/app-tokens, accepted for reads with the installation's x-shop-id and x-client-id, refused
 * for writes as the `appTokenWrite` variant says. Over real HTTP.
 */
import axios, { AxiosInstance } from 'axios';

import { startSesamiSimulator } from './index';

type Sim = Awaited<ReturnType<typeof startSesamiSimulator>>;
type Shop = Sim['fixtures']['shops'][number];

const CLIENT_ID = 'sim-test-app';
let sim: Sim;
let shops: Shop[];
let control: AxiosInstance;

const tokenOf = (shop: Shop) => `app-offline-${shop.id}`;

function api(shop: Shop, headers: Record<string, string | undefined> = {}) {
	const all: Record<string, string | undefined> = {
		'x-api-key': tokenOf(shop),
		'x-client-id': CLIENT_ID,
		'x-shop-id': shop.id,
		...headers,
	};
	return axios.create({
		baseURL: sim.baseUrl,
		headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)),
		validateStatus: () => true,
		timeout: 15_000,
	});
}

beforeAll(async () => {
	sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1', appointments: 60, seed: 42 });
	shops = sim.fixtures.shops;
	control = axios.create({
		baseURL: `${sim.url}/__sim`,
		validateStatus: () => true,
		timeout: 15_000,
	});
});

beforeEach(async () => {
	await control.delete('/app-tokens');
	await control.delete('/variants');
	for (const shop of shops.slice(0, 2)) {
		const answer = await control.post('/app-tokens', {
			token: tokenOf(shop),
			shopId: shop.id,
			clientId: CLIENT_ID,
		});
		expect(answer.status).toBe(201);
		expect(answer.data).toEqual({ shopId: shop.id, clientId: CLIENT_ID });
	}
});

afterAll(async () => {
	await sim.close();
});

describe('registering app tokens', () => {
	it('lists the installations without their tokens', async () => {
		const { data } = await control.get('/app-tokens');
		expect(data).toEqual([
			{ shopId: shops[0].id, clientId: CLIENT_ID },
			{ shopId: shops[1].id, clientId: CLIENT_ID },
		]);
		expect(JSON.stringify(data)).not.toContain(tokenOf(shops[0]));
	});

	it('refuses an unknown shop, an empty token and an empty client ID', async () => {
		const unknown = await control.post('/app-tokens', {
			token: 'x',
			shopId: 'ffffffffffffffffffffffff',
			clientId: CLIENT_ID,
		});
		expect(unknown.status).toBe(404);
		const noToken = await control.post('/app-tokens', {
			token: ' ',
			shopId: shops[0].id,
			clientId: CLIENT_ID,
		});
		expect(noToken.status).toBe(400);
		expect(noToken.data[0].property).toBe('token');
		const noClient = await control.post('/app-tokens', { token: 'x', shopId: shops[0].id });
		expect(noClient.status).toBe(400);
		expect(noClient.data[0].property).toBe('clientId');
	});

	it('a revoked token (uninstall) is refused afterwards; reset forgets every token', async () => {
		const services = (shop: Shop) =>
			api(shop).get(`/${shop.id}/services`, { params: { limit: 5 } });
		expect((await services(shops[0])).status).toBe(200);
		const revoked = await control.delete(`/app-tokens/${encodeURIComponent(tokenOf(shops[0]))}`);
		expect(revoked.data).toEqual({ revoked: 1 });
		expect((await services(shops[0])).status).toBe(401);
		expect((await control.delete('/app-tokens/unknown')).status).toBe(404);
		await control.post('/reset', {});
		expect((await services(shops[1])).status).toBe(401);
	});
});

describe('reads with an app token', () => {
	it("each token reads its own shop's data", async () => {
		for (const shop of shops.slice(0, 2)) {
			const answer = await api(shop).get(`/${shop.id}/services`, { params: { limit: 100 } });
			expect(answer.status).toBe(200);
			const ids = (answer.data.data as Array<{ id: string }>).map((s) => s.id).sort();
			expect(ids).toEqual([...shop.serviceIds].sort());
		}
	});

	it.each([
		['without x-shop-id', { 'x-shop-id': undefined }],
		['with another shop in x-shop-id', { 'x-shop-id': 'SHOP1' }],
		['without x-client-id', { 'x-client-id': undefined }],
		['with another client ID', { 'x-client-id': 'another-app' }],
	])('401 %s', async (_, headers) => {
		const resolved = Object.fromEntries(
			Object.entries(headers).map(([k, v]) => [k, v === 'SHOP1' ? shops[1].id : v]),
		);
		const answer = await api(shops[0], resolved).get(`/${shops[0].id}/services`, {
			params: { limit: 5 },
		});
		expect(answer.status).toBe(401);
		expect(answer.data).toEqual([{ property: 'user', constraints: [{ name: 'unauthorized' }] }]);
	});

	it("403 for another shop's path", async () => {
		const answer = await api(shops[0]).get(`/${shops[1].id}/services`, { params: { limit: 5 } });
		expect(answer.status).toBe(403);
	});
});

describe('writes with an app token (appTokenWrite variant)', () => {
	const expected: Record<string, { status: number; name: string }> = {
		'403': { status: 403, name: 'valid_permissions' },
		'401': { status: 401, name: 'unauthorized' },
		'404': { status: 404, name: 'not_found' },
	};

	it.each(Object.keys(expected))('%s: refused, nothing changed', async (variant) => {
		if (variant !== '403') await control.post('/variants', { appTokenWrite: variant });
		const shop = shops[0];
		const id = shop.appointments.upcoming;
		const before = JSON.stringify(sim.state.appointments.find((a: { id: string }) => a.id === id));
		const flowsBefore = sim.state.flows.length;
		const client = api(shop);
		const answers = [
			await client.post(`/${shop.id}/appointments/${id}/cancel`, { refundMoney: false }),
			await client.post(`/${shop.id}/appointments/${id}/check-in`, {}),
			await client.post(`/${shop.id}/flows`, {
				name: 'x',
				trigger: 'APPOINTMENT_CREATED',
				action: 'WEBHOOK',
				target: 'http://127.0.0.1:1/x',
				when: { offset: 0, amount: 0, unit: 'IMMEDIATELY' },
				template: { headers: '{}', body: '{}' },
				status: true,
			}),
			await client.delete(`/${shop.id}/flows/${sim.state.flows[0].id}`),
		];
		for (const answer of answers) {
			expect(answer.status).toBe(expected[variant].status);
			expect(answer.data[0].constraints[0].name).toBe(expected[variant].name);
		}
		expect(JSON.stringify(sim.state.appointments.find((a: { id: string }) => a.id === id))).toBe(
			before,
		);
		expect(sim.state.flows.length).toBe(flowsBefore);
	});

	it('the personal token of the same shop still writes', async () => {
		const shop = shops[0];
		const answer = await axios.post(
			`${sim.baseUrl}/${shop.id}/appointments/${shop.appointments.upcoming}/check-in`,
			{},
			{
				headers: { 'x-api-key': shop.apiKey, 'x-client-id': shop.clientId, 'x-shop-id': shop.id },
				validateStatus: () => true,
			},
		);
		expect(answer.status).toBe(200);
	});
});
