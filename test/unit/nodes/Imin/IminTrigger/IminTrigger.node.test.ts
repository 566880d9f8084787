import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { IminTrigger } from '../../../../../nodes/Imin/IminTrigger/IminTrigger.node';
import { parseLikeN8nV2, webhookContext } from '../../../../helpers/n8n-context';
import { invalidIminBody } from '../../../../../nodes/Imin/IminTrigger/normalize';

const WEBHOOK_KEY = ['imin', 'sends', 'this', 'value', '0123456789'].join('-');

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

	it('a changed key: the new one is accepted at once, the old one for at most 30 s (credential cache)', async () => {
		const stored = { apiKey: WEBHOOK_KEY };
		let now = Date.parse('2026-12-03T20:00:00Z');
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		const send = async (key: string) => {
			const context = webhookContext({
				workflowId: 'wf-rotation',
				parameters: { events: ['checkoutSuccess'], settings: {} },
				credentials: { iminWebhookApi: stored },
				body: JSON.stringify(order()),
				headers: { 'content-type': 'application/json', 'x-api-key': key },
			});
			// as n8n hands it over: the node names its credential by ID
			Object.assign(context.getNode(), {
				credentials: { iminWebhookApi: { id: 'cred-rotation', name: 'imin key' } },
			});
			await new IminTrigger().webhook.call(context);
			return context.response.statusCode;
		};
		try {
			expect(await send(WEBHOOK_KEY)).toBe(204);
			const newKey = `${WEBHOOK_KEY}-rotated`;
			stored.apiKey = newKey;
			now += 10_000;
			expect(await send(WEBHOOK_KEY)).toBe(204); // remembered for up to 30 s
			expect(await send(newKey)).toBe(204); // accepted at once (checked against a fresh read)
			expect(await send(WEBHOOK_KEY)).toBe(401); // the fresh read replaced the remembered key
			expect(await send('wrong')).toBe(401);
		} finally {
			jest.restoreAllMocks();
		}
	});

	describe('version 1 (saved workflows) and version 2 (new nodes)', () => {
		/** One delivery to the given version; version 2 gets the request as n8n hands it over. */
		async function deliverTo(version: number, body: string, contentType = 'application/json') {
			const context = webhookContext({
				typeVersion: version,
				workflowId: `wf-version-${version}`,
				parameters: { events: ['checkoutSuccess'], settings: {} },
				credentials: { iminWebhookApi: { apiKey: WEBHOOK_KEY } },
				body,
				headers: { 'content-type': contentType, 'x-api-key': WEBHOOK_KEY },
			});
			if (version > 1) {
				const parsed = await parseLikeN8nV2(context);
				if (parsed.status) return { n8nStatus: parsed.status };
			}
			const result = await new IminTrigger().webhook.call(context);
			const item = result.workflowData?.[0][0].json;
			return { status: context.response.statusCode, item };
		}
		const withoutTime = (item?: IDataObject) => ({ ...item, receivedAt: undefined });

		it('new nodes are version 2; the hidden raw-body option belongs to version 1 only', () => {
			const { description } = new IminTrigger();
			expect(description.version).toEqual([1, 2]);
			expect(description.defaultVersion).toBe(2);
			const rawBody = description.properties.find((p) => p.name === 'options');
			expect(rawBody).toMatchObject({
				type: 'hidden',
				default: { binaryData: true },
				displayOptions: { show: { '@version': [1] } },
			});
		});

		it('both versions emit the same item for an Order, and the same for a text/plain body that is not JSON', async () => {
			const body = JSON.stringify(order());
			const v1 = await deliverTo(1, body);
			const v2 = await deliverTo(2, body);
			expect(v1.status).toBe(204);
			expect(v2.status).toBe(204);
			expect(v2.item).toMatchObject({
				event: 'checkoutSuccess',
				orderId: '5c1e',
				recognized: true,
			});
			expect(withoutTime(v2.item)).toEqual(withoutTime(v1.item));
			const text1 = await deliverTo(1, 'not json', 'text/plain');
			const text2 = await deliverTo(2, 'not json', 'text/plain');
			expect(text2.item).toMatchObject({ recognized: false, rawText: 'not json' });
			expect(withoutTime(text2.item)).toEqual(withoutTime(text1.item));
		});

		it('what differs: broken JSON sent as application/json is emitted unrecognised by version 1, refused by n8n (422) for version 2', async () => {
			const v1 = await deliverTo(1, '{"type": "Order"');
			expect(v1.status).toBe(204);
			expect(v1.item).toMatchObject({ recognized: false, rawText: '{"type": "Order"' });
			expect(String(v1.item?.reason)).toMatch(/not JSON/);
			expect(await deliverTo(2, '{"type": "Order"')).toEqual({ n8nStatus: 422 });
		});
	});
});

describe('malformed input', () => {
	// Fixes found by the malformed-request e2e suite (test/e2e/malformed-requests.test.mjs): every
	// trigger answers a body or field it cannot use with 4xx and a reason and starts nothing, never
	// throws (n8n would answer 500 and record a failed execution), and never spends minutes of CPU.

	type Answer = {
		result: IWebhookResponseData;
		response: { statusCode?: number; body?: IDataObject };
	};

	const IMIN_KEY = ['imin', 'webhook', 'key', 'for', 'unit', 'tests'].join('-');

	describe('imin Trigger: valid key, unusable body', () => {
		const order = (over: IDataObject = {}) => ({
			type: 'Order',
			identifier: 'o-1',
			orderedItem: [
				{ type: 'OrderItem', orderedItem: { type: 'ScheduledSession', identifier: 's-1' } },
			],
			...over,
		});
		async function deliver(body: string | Buffer, headers: IDataObject = {}): Promise<Answer> {
			const context = webhookContext({
				parameters: { events: ['checkoutSuccess'], settings: {} },
				credentials: { iminWebhookApi: { apiKey: IMIN_KEY } },
				body,
				headers: { 'x-api-key': IMIN_KEY, ...headers },
			});
			const result = await new IminTrigger().webhook.call(context);
			return { result, response: context.response as Answer['response'] };
		}

		it('an Order whose items, identifier or customer have the wrong type is kept: 204, emitted with recognized false and the reason', async () => {
			// Issue 12: an authenticated webhook is never lost, whatever its shape.
			for (const [over, reason] of [
				[{ orderedItem: 'one session' }, /orderedItem/],
				[{ orderedItem: [] }, /orderedItem/],
				[{ orderedItem: [1, 2] }, /orderedItem/],
				[{ identifier: { value: 'o-1' } }, /identifier/],
				[{ identifier: undefined }, /no identifier/],
				[{ customer: 42 }, /customer/],
			] as Array<[IDataObject, RegExp]>) {
				const answer = await deliver(JSON.stringify(order(over)));
				expect(answer.response.statusCode).toBe(204);
				const item = answer.result.workflowData?.[0][0].json;
				expect(item).toMatchObject({
					event: 'checkoutSuccess',
					recognized: false,
					raw: JSON.parse(JSON.stringify(order(over))),
				});
				expect(String(item?.reason)).toMatch(reason);
				// never a made-up order ID from a value of the wrong type
				expect(item?.orderId === null || item?.orderId === 'o-1').toBe(true);
			}
			expect(invalidIminBody('customerDetailChange', { type: 'CustomerAccount' })).toMatch(
				/no identifier/,
			);
		});

		it('a good Order still starts the workflow; an unreadable body gets 400 / 413', async () => {
			expect(
				(await deliver(JSON.stringify(order()))).result.workflowData?.[0][0].json,
			).toMatchObject({ orderId: 'o-1', recognized: true });
			const notUtf8 = await deliver(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
			expect(notUtf8.response).toMatchObject({
				statusCode: 400,
				body: { reason: 'the body is not valid UTF-8' },
			});
			const huge = await deliver('{}', { 'content-length': '99999999' });
			expect(huge.response.statusCode).toBe(413);
			expect(huge.result.workflowData).toBeUndefined();
		});
	});
});
