import type { IDataObject } from 'n8n-workflow';

import { IminTrigger } from '../../nodes/Imin/IminTrigger/IminTrigger.node';
import { webhookContext } from '../helpers/n8n-context';
import { useIminSimulator } from '../helpers/setup';

/** The parts of the simulator's fixtures these tests use. */
interface Sample {
	id: string;
	identifier: string;
	guestUrl: string;
	acceptedOffer: string;
	bookable: boolean;
	reason: string | null;
	item: IDataObject;
	parent: IDataObject | null;
}
interface Fixtures {
	scheduledSessions: {
		bookable: Sample;
		notBookable: Record<string, Sample>;
		specialCharacters: Record<string, Sample>;
	};
	customerAccounts: Array<{ identifier: string }>;
	orders: { customerIdentifier: string; count: number };
}
const fixtures = () => sim.fixtures as unknown as Fixtures;

const WEBHOOK_KEY = ['imin', 'sends', 'this', 'value', '0123456789'].join('-');

const { sim, run } = useIminSimulator(
	{
		apiKey: 'unit-imin-key',
		webhook: { url: 'http://127.0.0.1:9/unused', apiKey: WEBHOOK_KEY },
	},
	{ brokerName: 'Unit Broker', brokerUrl: 'https://broker.example.com' },
);

describe('imin node against the imin simulator', () => {
	it("Check agrees with the simulator's own truth for every kind of sample", async () => {
		const sessions = fixtures().scheduledSessions;
		const samples = [sessions.bookable, ...Object.values(sessions.notBookable)];
		for (const sample of samples) {
			const [item] = await run({
				resource: 'bookability',
				operation: 'check',
				occurrence: sample.item,
				parent: sample.parent ?? '',
			});
			expect([sample.id, item.json.bookable]).toEqual([sample.id, sample.bookable]);
			if (!sample.bookable) expect(item.json.reasons).toContain(sample.reason);
		}
	});

	it('Get Guest URL builds the link the simulator serves, for awkward identifiers too', async () => {
		for (const sample of Object.values(fixtures().scheduledSessions.specialCharacters)) {
			const [item] = await run({
				resource: 'checkout',
				operation: 'getGuestUrl',
				identifier: sample.identifier,
				kind: 'ScheduledSession',
			});
			expect(item.json.checkoutUrl).toBe(sample.guestUrl);
		}
	});

	it('Create Checkout Session returns the checkout URL and the session id; the body validates at imin', async () => {
		const sample = fixtures().scheduledSessions.bookable;
		const [item] = await run({
			resource: 'checkout',
			operation: 'createSession',
			identifier: sample.identifier,
			kind: 'ScheduledSession',
			acceptedOffer: sample.acceptedOffer,
			customerType: 'person',
			email: 'ada@example.com',
			givenName: 'Ada',
			familyName: 'Lovelace',
			additionalFields: { backToBrokerUrl: 'https://broker.example.com/activities' },
		});
		expect(String(item.json.checkoutUrl)).toMatch(new RegExp(`^${sim.checkoutBaseUrl}/opendata/`));
		expect(item.json.sessionId).toBeTruthy();
		expect(String(item.json.checkoutUrl)).toContain(String(item.json.sessionId));
	});

	it('a not-bookable session: a clear error from imin, or a refusal before calling imin', async () => {
		const sample = fixtures().scheduledSessions.notBookable['occurrence-not-bookable'];
		const params = {
			resource: 'checkout',
			operation: 'createSession',
			identifier: sample.identifier,
			kind: 'ScheduledSession',
			acceptedOffer: sample.acceptedOffer,
			customerType: 'account',
			customerAccountId: fixtures().customerAccounts[0].identifier,
		};
		const [fromImin] = await run(params, { continueOnFail: true });
		expect(fromImin.json.httpCode).toBe('400');
		expect(String(fromImin.json.error)).toMatch(/imin refused the request \(400\).*not bookable/i);
		const before = (sim.checkoutSessions as unknown[]).length;
		const [refused] = await run(
			{ ...params, checkBookability: true, occurrence: sample.item, parent: sample.parent },
			{ continueOnFail: true },
		);
		expect(String(refused.json.error)).toMatch(/^Not bookable: /);
		expect((sim.checkoutSessions as unknown[]).length).toBe(before);
	});

	it('Firehose Get Many walks a feed to its RPDE end; deleted items only on request', async () => {
		const all = await run({
			resource: 'firehose',
			operation: 'getAll',
			feed: 'session-series',
			maxPages: 1000,
			includeDeleted: true,
		});
		const feed = sim.feedItems('session-series') as IDataObject[];
		expect(all.map((item) => item.json.id)).toEqual(feed.map((item) => item.id));
		for (const item of all) {
			expect(Object.keys(item.json)).toEqual(
				expect.arrayContaining(['state', 'kind', 'id', 'modified', 'rpdeNext']),
			);
			if (item.json.state === 'deleted') expect(item.json.data).toBeUndefined();
		}
		const updatedOnly = await run({
			resource: 'firehose',
			operation: 'getAll',
			feed: 'session-series',
			maxPages: 1000,
		});
		expect(updatedOnly.every((item) => item.json.state === 'updated')).toBe(true);
	});

	it('Firehose Get Page returns one page and where to continue', async () => {
		const [page] = await run({
			resource: 'firehose',
			operation: 'getPage',
			feed: 'scheduled-sessions',
			output: 'page',
		});
		expect(page.json).toMatchObject({ reachedEnd: false });
		expect(String(page.json.next)).toMatch(/afterTimestamp=/);
	});

	it('Order Get and Get Order History', async () => {
		const { orders } = fixtures();
		const history = await run({
			resource: 'order',
			operation: 'getHistory',
			customerIdentifier: orders.customerIdentifier,
			returnAll: true,
		});
		expect(history.length).toBe(orders.count);
		const [order] = await run({
			resource: 'order',
			operation: 'get',
			orderId: history[0].json.identifier,
		});
		expect(order.json.identifier).toBe(history[0].json.identifier);
	});
});

describe('imin Trigger', () => {
	const order = () => ({
		'@context': ['https://openactive.io/', 'https://openactive.io/ns-beta'],
		type: 'Order',
		id: 'https://book.imin.co/api/v2/orders/5c1e',
		identifier: '5c1e',
		orderDate: '2026-11-23T10:00:00Z',
		confirmationNumber: 'ABC123',
		customer: {
			type: 'Person',
			email: 'ada@example.com',
			givenName: 'Ada',
			familyName: 'Lovelace',
		},
		orderedItem: [
			{
				type: 'OrderItem',
				orderedItem: {
					type: 'ScheduledSession',
					id: 'x',
					identifier: 'https://opendata.example.org/s/1',
					startDate: '2026-12-10T18:00:00Z',
					superEvent: { type: 'SessionSeries', name: 'Club Night' },
				},
				acceptedOffer: { type: 'Offer', id: 'o', price: 8.5, priceCurrency: 'GBP' },
			},
		],
	});

	/** `workflowId`: the trigger also remembers recent deliveries in memory, per workflow and node. */
	async function deliver(
		body: string,
		headers: Record<string, string>,
		staticData: IDataObject = {},
		events = ['checkoutSuccess'],
		workflowId = 'wf-unit',
	) {
		const context = webhookContext({
			workflowId,
			parameters: { events, settings: {} },
			credentials: { iminWebhookApi: { apiKey: WEBHOOK_KEY } },
			body,
			headers: { 'content-type': 'application/json', ...headers },
			staticData,
		});
		const result = await new IminTrigger().webhook.call(context);
		return { result, response: context.response };
	}

	it('a wrong or missing key gets 401 and starts nothing', async () => {
		for (const headers of [
			{},
			{ 'x-api-key': 'wrong' },
			{ 'x-api-key': `${WEBHOOK_KEY}x` },
		] as Array<Record<string, string>>) {
			const { result, response } = await deliver(JSON.stringify(order()), headers);
			expect(response.statusCode).toBe(401);
			expect(result.workflowData).toBeUndefined();
		}
	});

	it('the right key: 204 at once, the Success payload normalised, the raw body kept, repeats marked', async () => {
		const staticData = {};
		const first = await deliver(JSON.stringify(order()), { 'X-Api-Key': WEBHOOK_KEY }, staticData);
		expect(first.response.statusCode).toBe(204);
		const item = first.result.workflowData![0][0].json;
		expect(item).toMatchObject({
			event: 'checkoutSuccess',
			orderId: '5c1e',
			confirmationNumber: 'ABC123',
			customer: { email: 'ada@example.com', name: 'Ada Lovelace' },
			session: { name: 'Club Night', startDate: '2026-12-10T18:00:00Z' },
			price: 8.5,
			priceCurrency: 'GBP',
			duplicate: false,
		});
		expect(item.raw).toEqual(order());
		const again = await deliver(JSON.stringify(order()), { 'x-api-key': WEBHOOK_KEY }, staticData);
		expect(again.result.workflowData![0][0].json.duplicate).toBe(true);
	});

	const KEY_HEADER = { 'x-api-key': WEBHOOK_KEY };
	const emitted = (r: Awaited<ReturnType<typeof deliver>>) => {
		expect(r.response.statusCode).toBe(204);
		expect(r.result.workflowData).toHaveLength(1);
		return r.result.workflowData![0][0].json;
	};

	it('an authenticated body of an unknown shape is answered 204 and emitted: recognized false, the reason, the raw body', async () => {
		const item = emitted(await deliver('{"hello": "world"}', KEY_HEADER));
		expect(item).toMatchObject({
			event: 'unknown',
			recognized: false,
			raw: { hello: 'world' },
			duplicate: false,
		});
		expect(String(item.reason)).toMatch(/not an imin Order, CustomerAccount/);
		// emitted although the workflow listens to Checkout Success only: its kind cannot be told
		const list = emitted(await deliver('[1, 2]', KEY_HEADER));
		expect(list).toMatchObject({
			recognized: false,
			reason: 'the body is JSON but not an object',
			raw: [1, 2],
		});
	});

	it('an authenticated body that is not JSON (or empty) is kept as text, recognized false', async () => {
		const item = emitted(await deliver('order=5c1e&status=confirmed', KEY_HEADER));
		expect(item).toMatchObject({
			event: 'unknown',
			recognized: false,
			raw: null,
			rawText: 'order=5c1e&status=confirmed',
		});
		expect(String(item.reason)).toMatch(/not JSON/);
		const nothing = emitted(await deliver('', KEY_HEADER));
		expect(nothing).toMatchObject({ recognized: false, reason: 'the body is empty', rawText: '' });
	});

	it('a wrapped Order ({event, data: Order}) is unwrapped and recognised like the Order itself', async () => {
		const staticData = {};
		const wrapped = { event: 'checkout.success', data: order() };
		const item = emitted(
			await deliver(
				JSON.stringify(wrapped),
				KEY_HEADER,
				staticData,
				['checkoutSuccess'],
				'wf-wrapped',
			),
		);
		expect(item).toMatchObject({
			event: 'checkoutSuccess',
			recognized: true,
			unwrappedFrom: 'data',
			orderId: '5c1e',
			confirmationNumber: 'ABC123',
			customer: { email: 'ada@example.com' },
			session: { name: 'Club Night' },
			price: 8.5,
			duplicate: false,
		});
		expect(item.raw).toEqual(wrapped);
		// the same Order, unwrapped this time: the same content, so a repeat
		expect(
			emitted(
				await deliver(
					JSON.stringify(order()),
					KEY_HEADER,
					staticData,
					['checkoutSuccess'],
					'wf-wrapped',
				),
			).duplicate,
		).toBe(true);
		for (const key of ['payload', 'order']) {
			expect(emitted(await deliver(JSON.stringify({ [key]: order() }), KEY_HEADER)).orderId).toBe(
				'5c1e',
			);
		}
	});

	it('a notification that only names the order: emitted as checkoutSuccess, recognized false, with the order URL', async () => {
		const body = {
			'@context': 'https://openactive.io/',
			'@type': 'OrderNotification',
			order: { '@id': 'https://book.imin.co/api/v2/orders/5c1e' },
		};
		const item = emitted(await deliver(JSON.stringify(body), KEY_HEADER));
		expect(item).toMatchObject({
			event: 'checkoutSuccess',
			recognized: false,
			orderUrl: 'https://book.imin.co/api/v2/orders/5c1e',
			raw: body,
		});
		expect(String(item.reason)).toMatch(
			/names the order https:\/\/book\.imin\.co\/api\/v2\/orders\/5c1e/,
		);
		expect(item).not.toHaveProperty('orderId');
	});

	it('an Order without orderedItem: emitted with what it has (order, customer), recognized false and the reason', async () => {
		const { orderedItem, ...noItems } = order();
		expect(orderedItem).toHaveLength(1);
		const item = emitted(await deliver(JSON.stringify(noItems), KEY_HEADER));
		expect(item).toMatchObject({
			event: 'checkoutSuccess',
			recognized: false,
			orderId: '5c1e',
			confirmationNumber: 'ABC123',
			customer: { email: 'ada@example.com' },
			session: { name: null, startDate: null },
		});
		expect(String(item.reason)).toMatch(/orderedItem/);
	});

	it('duplicates are keyed by content: two different Customer Detail Changes of one customer are both new, a resent one is a repeat', async () => {
		const staticData = {};
		const change = (at: string) => ({
			'@context': 'https://openactive.io/',
			'@type': 'CustomerAccount',
			'@id': 'https://book.imin.co/api/v2/customer-accounts/abc',
			identifier: 'abc',
			dateModified: at,
		});
		const events = ['customerDetailChange'];
		const first = emitted(
			await deliver(
				JSON.stringify(change('2026-12-01T10:00:00Z')),
				KEY_HEADER,
				staticData,
				events,
				'wf-cdc',
			),
		);
		const second = emitted(
			await deliver(
				JSON.stringify(change('2026-12-01T10:00:01Z')),
				KEY_HEADER,
				staticData,
				events,
				'wf-cdc',
			),
		);
		expect([first.duplicate, second.duplicate]).toEqual([false, false]);
		expect(first).toMatchObject({
			event: 'customerDetailChange',
			recognized: true,
			customerIdentifier: 'abc',
			customerAccountUrl: 'https://book.imin.co/api/v2/customer-accounts/abc',
		});
		expect(first.dedupeKey).not.toBe(second.dedupeKey);
		// the same content again (keys in another order): a repeat
		const { dateModified, ...rest } = change('2026-12-01T10:00:01Z');
		const resent = emitted(
			await deliver(
				JSON.stringify({ dateModified, ...rest }),
				KEY_HEADER,
				staticData,
				events,
				'wf-cdc',
			),
		);
		expect(resent.duplicate).toBe(true);
		expect(resent.dedupeKey).toBe(second.dedupeKey);
	});

	it('a recognised event the workflow does not listen to: 204, nothing starts', async () => {
		const body = {
			'@context': 'https://openactive.io/',
			'@type': 'CustomerAccount',
			'@id': 'https://book.imin.co/api/v2/customer-accounts/abc',
			identifier: 'abc',
		};
		const { result, response } = await deliver(JSON.stringify(body), KEY_HEADER);
		expect(response.statusCode).toBe(204);
		expect(result.workflowData).toBeUndefined();
	});
});
