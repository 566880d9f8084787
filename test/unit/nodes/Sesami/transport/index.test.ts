import type { IDataObject } from 'n8n-workflow';

import { parseRetryAfter } from '../../../../../nodes/Sesami/transport';
import { createSesamiContract } from '../../../../contract/sesami-contract';
import { rl, useSesamiSimulator } from '../../../../helpers/setup';
import type { RunOptions } from '../../../../helpers/setup';
import { useSesamiVariants } from '../../../../helpers/sesamiVariants';

const { sim, shop, run } = useSesamiSimulator({ appointments: 250 });

async function failure(parameters: IDataObject, options: RunOptions = {}) {
	try {
		await run(parameters, options);
	} catch (error) {
		return error as {
			message: string;
			description?: string;
			httpCode?: string;
			name?: string;
			context?: IDataObject;
		};
	}
	throw new Error('expected the node to fail');
}

const getAppointment = () => ({
	resource: 'appointment',
	operation: 'get',
	appointmentId: rl(shop.appointments.upcoming),
});

beforeEach(() => {
	sim.setFaults(null);
	sim.clearExchanges();
});

describe('pagination', () => {
	it('Return All over 250 appointments takes 3 calls of 100 and returns every appointment once', async () => {
		const output = await run({
			resource: 'appointment',
			operation: 'getAll',
			returnAll: true,
			filters: { filterType: 'ALL' },
		});
		const ids = new Set(output.map((item) => item.json.id));
		expect(output).toHaveLength(250);
		expect(ids.size).toBe(250);
		const calls = sim.exchanges;
		expect(calls).toHaveLength(3);
		expect(calls.map((call: IDataObject) => (call.query as IDataObject).limit)).toEqual([
			'100',
			'100',
			'100',
		]);
		expect((calls[0].query as IDataObject).after).toBeUndefined();
		expect((calls[1].query as IDataObject).after).toBe(calls[0].responseBody.nextCursor);
		expect((calls[2].query as IDataObject).after).toBe(calls[1].responseBody.nextCursor);
		expect(createSesamiContract().validateExchanges(sim.exchanges).violations).toEqual([]);
	});

	it('a Limit of 120 takes a page of 100 and a page of 20', async () => {
		const output = await run({
			resource: 'appointment',
			operation: 'getAll',
			returnAll: false,
			limit: 120,
			filters: { filterType: 'ALL' },
		});
		expect(output).toHaveLength(120);
		expect(sim.exchanges.map((call: IDataObject) => (call.query as IDataObject).limit)).toEqual([
			'100',
			'20',
		]);
	});

	it('IDs are sent as repeated keys by default, comma-joined on request, and both filter', async () => {
		const ids = shop.customer.appointmentIds.slice(0, 2);
		const repeated = await run({
			resource: 'appointment',
			operation: 'getAll',
			returnAll: true,
			filters: { filterType: 'ALL', ids: ids.join(', ') },
		});
		expect(sim.exchanges[0].query.ids).toEqual(ids);
		const comma = await run({
			resource: 'appointment',
			operation: 'getAll',
			returnAll: true,
			filters: { filterType: 'ALL', ids: ids.join(',') },
			options: { arrayFormat: 'comma' },
		});
		expect(sim.exchanges[1].query.ids).toBe(ids.join(','));
		expect(repeated.map((item) => item.json.id).sort()).toEqual([...ids].sort());
		expect(comma.map((item) => item.json.id).sort()).toEqual([...ids].sort());
	});
});

describe('errors in words a merchant understands', () => {
	it('400: names the field and the rule', async () => {
		const error = await failure({
			resource: 'appointment',
			operation: 'get',
			appointmentId: rl('not-an-id'),
		});
		expect(error.httpCode).toBe('400');
		expect(error.message).toMatch(/Sesami rejected the request/);
		expect(error.message).toMatch(/id/i);
		expect(`${error.message} ${error.description}`).toMatch(/is_mongo_id|not a valid Sesami ID/);
	});

	it('401: wrong API key explains the credential fields', async () => {
		const error = await failure(getAppointment(), {
			credentials: { apiKey: sim.fixtures.invalidApiKey },
		});
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/did not accept the credentials/);
		expect(error.description).toMatch(/Shop ID is the Sesami Admin shop ID/);
		expect(`${error.message} ${error.description}`).not.toContain(sim.fixtures.invalidApiKey);
	});

	it('401: wrong client ID', async () => {
		const error = await failure(getAppointment(), { credentials: { clientId: 'wrong-client' } });
		expect(error.httpCode).toBe('401');
	});

	it('403: a read-only token cannot cancel, and nothing changes', async () => {
		const before = JSON.stringify(
			sim.state.appointments.find((a: IDataObject) => a.id === shop.appointments.upcoming),
		);
		const error = await failure(
			{
				resource: 'appointment',
				operation: 'cancel',
				appointmentId: rl(shop.appointments.upcoming),
				refundMoney: false,
			},
			{ credentials: { apiKey: shop.readOnlyApiKey, clientId: shop.readOnlyClientId } },
		);
		expect(error.httpCode).toBe('403');
		expect(error.description).toMatch(/write permission/);
		expect(
			JSON.stringify(
				sim.state.appointments.find((a: IDataObject) => a.id === shop.appointments.upcoming),
			),
		).toBe(before);
	});

	it('404: unknown appointment', async () => {
		const error = await failure({
			resource: 'appointment',
			operation: 'get',
			appointmentId: rl(sim.fixtures.unknownId),
		});
		expect(error.httpCode).toBe('404');
		expect(error.message).toMatch(/could not find the appointment/);
	});

	it('a local validation error before any call: invalid timezone', async () => {
		const error = await failure({ ...getAppointment(), timezone: 'Mars/Olympus' });
		expect(error.message).toMatch(/not a valid timezone/);
		expect(sim.exchanges).toHaveLength(0);
	});

	it('continueOnFail: the failed item becomes an error item, the other items go on, pairedItem kept', async () => {
		const output = await run(
			[
				getAppointment(),
				{ resource: 'appointment', operation: 'get', appointmentId: rl(sim.fixtures.unknownId) },
			],
			{ items: [{ json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(output).toHaveLength(2);
		expect(output[0].json.id).toBe(shop.appointments.upcoming);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[1].json.error).toMatch(/could not find/);
		expect(output[1].json.httpCode).toBe('404');
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	it('continueErrorOutput: the error item holds only error + details, the shape n8n sends to the error output', async () => {
		const output = await run(
			[
				getAppointment(),
				{ resource: 'appointment', operation: 'get', appointmentId: rl(sim.fixtures.unknownId) },
			],
			{ items: [{ json: {} }, { json: {} }], continueOnFail: true, onError: 'continueErrorOutput' },
		);
		expect(output[0].json.id).toBe(shop.appointments.upcoming);
		// n8n's WorkflowExecute routes an item to the error output when every key of its json is
		// one of error / message / details.
		expect(
			Object.keys(output[1].json).every((k) => ['error', 'message', 'details'].includes(k)),
		).toBe(true);
		expect(output[1].json.error).toMatch(/could not find/);
		expect((output[1].json.details as IDataObject).httpCode).toBe('404');
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('retries', () => {
	it('429 with Retry-After is retried after the given time', async () => {
		sim.setFaults({ mode: '429', count: 2, retryAfter: 1 });
		const [item] = await run(getAppointment());
		expect(item.json.id).toBe(shop.appointments.upcoming);
		const statuses = sim.exchanges.map((call: IDataObject) => call.status);
		expect(statuses).toEqual([429, 429, 200]);
		const times = sim.exchanges.map(
			(call: IDataObject) => Date.parse(String(call.at)) || Number(call.at),
		);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(950);
	});

	it('500 is retried with backoff and then succeeds', async () => {
		sim.setFaults({ mode: '500', count: 1 });
		const [item] = await run(getAppointment());
		expect(item.json.id).toBe(shop.appointments.upcoming);
		expect(sim.exchanges.map((call: IDataObject) => call.status)).toEqual([500, 200]);
	});

	it('a dropped connection on a read is retried', async () => {
		sim.setFaults({ mode: 'drop', count: 1 });
		const [item] = await run(getAppointment());
		expect(item.json.id).toBe(shop.appointments.upcoming);
		expect(sim.exchanges.map((call: IDataObject) => call.status)).toEqual([0, 200]);
	});

	it('gives up after a bounded number of attempts on a persistent 500', async () => {
		sim.setFaults({ mode: '500', count: -1 });
		const error = await failure(getAppointment());
		expect(error.httpCode).toBe('500');
		expect(error.message).toMatch(/server error \(500\) after 4 attempts/);
		expect(sim.exchanges).toHaveLength(4);
	});

	it('a connection that always drops fails after 4 attempts with an error naming Sesami', async () => {
		sim.setFaults({ mode: 'drop', count: -1 });
		const error = await failure(getAppointment());
		expect(error.message).toBe('Could not reach Sesami (ECONNRESET) after 4 attempts');
		expect(error.description).toMatch(
			/The connection to http:\/\/127\.0\.0\.1:\d+\/api\/v1 failed/,
		);
		expect(sim.exchanges).toHaveLength(4);
	});

	it('gives up at once when Retry-After is longer than the node waits', async () => {
		sim.setFaults({ mode: '429', count: -1, retryAfter: 3600 });
		const error = await failure(getAppointment());
		expect(error.httpCode).toBe('429');
		expect(error.message).toMatch(/rate-limiting/);
		expect(sim.exchanges).toHaveLength(1);
	});

	it('does not repeat a create after a 500 (it may have been carried out)', async () => {
		sim.setFaults({ mode: '500', count: 1, match: { method: 'POST' } });
		const error = await failure({
			resource: 'customer',
			operation: 'create',
			email: 'once@example.com',
		});
		expect(error.httpCode).toBe('500');
		expect(sim.exchanges.filter((call: IDataObject) => call.method === 'POST')).toHaveLength(1);
	});

	it('parses Retry-After as seconds or an HTTP date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(
			3000,
		);
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('under the Admin API variants', () => {
	// The simulator's arrayQuery switch (test/sim/sesami/variants.js): how Sesami reads a repeated
	// or comma-separated `ids` query, which no public source settles.
	const { sim, shop, run, exchanges } = useSesamiVariants();

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
});
