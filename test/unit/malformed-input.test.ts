// Fixes found by the malformed-request e2e suite (test/e2e/malformed-requests.test.mjs): every
// trigger answers a body or field it cannot use with 4xx and a reason and starts nothing, never
// throws (n8n would answer 500 and record a failed execution), and never spends minutes of CPU.
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { SesamiApi } from '../../credentials/SesamiApi.credentials';
import { IminTrigger } from '../../nodes/Imin/IminTrigger/IminTrigger.node';
import { invalidIminBody } from '../../nodes/Imin/IminTrigger/normalize';
import { SesamiMyPageTrigger } from '../../nodes/Sesami/SesamiMyPageTrigger/SesamiMyPageTrigger.node';
import { readAction } from '../../nodes/Sesami/SesamiMyPageTrigger/actions';
import { SesamiTrigger } from '../../nodes/Sesami/SesamiTrigger/SesamiTrigger.node';
import { MAX_BODY_BYTES, readBody } from '../../nodes/shared/webhook/rawBody';
import {
	MAX_JSON_DEPTH,
	nestedDeeperThan,
	parseTolerantJson,
} from '../../nodes/shared/tolerantJson';
import { createWebhookContext } from '../helpers/n8n-context';
import { proxyPairs, signAppProxyQuery } from '../helpers/shopify';
import { startSesamiSimulator } from '../sim/sesami';

type Sim = Awaited<ReturnType<typeof startSesamiSimulator>>;
type Answer = {
	result: IWebhookResponseData;
	response: { statusCode?: number; body?: IDataObject };
};

const WEBHOOK_URL = 'http://127.0.0.1:5999/webhook/5e5a0001-f100-4000-8000-000000000001/flows';
const IMIN_KEY = ['imin', 'webhook', 'key', 'for', 'unit', 'tests'].join('-');
const SHOP = 'bloom-and-brow.myshopify.com';
const APP_SECRET = ['app', 'client', 'secret', 'for', 'tests'].join('-');

let sim: Sim;
beforeAll(async () => {
	sim = await startSesamiSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});

function bodyContext(extra: IDataObject) {
	return createWebhookContext({ parameters: {}, credentials: {}, credentialTypes: {}, ...extra });
}

describe('tolerant JSON parser: linear time, bounded depth', () => {
	it('repairs a 1 MiB malformed body of numbers in well under a second per MiB (it took minutes)', () => {
		const text = `[${'1 '.repeat(MAX_BODY_BYTES / 2)}]`;
		const started = Date.now();
		const parsed = parseTolerantJson(text);
		expect(parsed.ok).toBe(true);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('reports where a long malformed body breaks without scanning it once per token', () => {
		const text = `{${'"a":1 '.repeat(100_000)}"b": @}`;
		const started = Date.now();
		expect(parseTolerantJson(text)).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/unexpected "@/),
		});
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses more, strict or repaired`, () => {
		const nest = (n: number, inner = '') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
		expect(parseTolerantJson(nest(MAX_JSON_DEPTH)).ok).toBe(true);
		expect(parseTolerantJson(nest(MAX_JSON_DEPTH + 1))).toEqual({
			ok: false,
			reason: `the body nests deeper than ${MAX_JSON_DEPTH} levels`,
		});
		expect(parseTolerantJson(nest(100_000, '1 2'))).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/deeper/),
		});
		expect(nestedDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
		expect(nestedDeeperThan({ a: { b: [{}] } }, 3)).toBe(true);
	});
});

describe('readBody: never throws, answers what n8n could not read', () => {
	const read = (extra: IDataObject) =>
		readBody.call(bodyContext(extra) as unknown as IWebhookFunctions);

	it('reads UTF-8 text', async () => {
		await expect(read({ body: '{"a":"é ✓ 😀"}' })).resolves.toEqual({
			ok: true,
			text: '{"a":"é ✓ 😀"}',
		});
	});

	it("413 from Content-Length before reading, from the bytes read, and from n8n's own limit", async () => {
		await expect(
			read({
				headers: { 'content-length': String(MAX_BODY_BYTES + 1) },
				readRawBodyError: new Error('must not read'),
			}),
		).resolves.toMatchObject({ ok: false, status: 413 });
		await expect(read({ body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20) })).resolves.toMatchObject({
			ok: false,
			status: 413,
		});
		const tooLarge = Object.assign(new Error('request entity too large'), {
			status: 413,
			type: 'entity.too.large',
		});
		await expect(read({ readRawBodyError: tooLarge })).resolves.toMatchObject({
			ok: false,
			status: 413,
			reason: expect.stringMatching(/larger than/),
		});
	});

	it('400 for a broken gzip body, an aborted upload and bytes that are not UTF-8; 415 for an unknown encoding', async () => {
		const zlib = Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' });
		await expect(
			read({ headers: { 'content-encoding': 'gzip' }, readRawBodyError: zlib }),
		).resolves.toMatchObject({
			ok: false,
			status: 400,
			reason: expect.stringMatching(/gzip data is broken/),
		});
		const aborted = Object.assign(new Error('Request body stream was aborted mid-read'), {
			httpStatusCode: 400,
		});
		await expect(read({ readRawBodyError: aborted })).resolves.toMatchObject({
			ok: false,
			status: 400,
			reason: expect.stringMatching(/aborted/),
		});
		await expect(
			read({ body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }),
		).resolves.toMatchObject({ ok: false, status: 400, reason: 'the body is not valid UTF-8' });
		await expect(read({ headers: { 'content-encoding': 'br' } })).resolves.toMatchObject({
			ok: false,
			status: 415,
		});
	});
});

describe('Sesami Trigger: valid secret, unusable push', () => {
	const events = ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED'];
	const shop = () => sim.fixtures.shops[0];
	let secret = '';

	async function push(
		body: string | Buffer,
		{
			query = { event: 'APPOINTMENT_CREATED' } as IDataObject,
			fetch = true,
			headers = {} as IDataObject,
		} = {},
	): Promise<Answer> {
		const context = createWebhookContext({
			parameters: { registration: 'automatic', events, settings: { fetchFullAppointment: fetch } },
			nodeName: 'Sesami Trigger',
			credentials: {
				sesamiApi: {
					apiKey: shop().apiKey,
					clientId: shop().clientId,
					shopId: shop().id,
					baseUrl: sim.baseUrl,
					timezone: shop().timezone,
				},
			},
			credentialTypes: { sesamiApi: new SesamiApi() },
			webhookUrl: WEBHOOK_URL,
			body,
			query,
			headers: { 'x-sesami-flow-secret': secret, ...headers },
		});
		const result = await new SesamiTrigger().webhook.call(context as unknown as IWebhookFunctions);
		return { result, response: context.response as Answer['response'] };
	}

	beforeAll(async () => {
		// The secret a registered Flow sends (derived from the API key and the URL): register the Flows
		// and read it from one of them, as Sesami holds it.
		const context = createWebhookContext({
			parameters: { registration: 'automatic', events, settings: {} },
			nodeName: 'Sesami Trigger',
			credentials: {
				sesamiApi: {
					apiKey: shop().apiKey,
					clientId: shop().clientId,
					shopId: shop().id,
					baseUrl: sim.baseUrl,
					timezone: shop().timezone,
				},
			},
			credentialTypes: { sesamiApi: new SesamiApi() },
			webhookUrl: WEBHOOK_URL,
		});
		await new SesamiTrigger().webhookMethods.default.create.call(context as never);
		const flow = (sim.state.flows as IDataObject[]).find((f) =>
			String(f.target).startsWith(`${WEBHOOK_URL}?`),
		) as IDataObject;
		secret = JSON.parse(String((flow.template as IDataObject).headers))['x-sesami-flow-secret'];
	});

	const refused = (answer: Answer, status: number, reason: RegExp) => {
		expect(answer.response.statusCode).toBe(status);
		expect(String(answer.response.body?.reason)).toMatch(reason);
		expect(answer.result.workflowData).toBeUndefined();
		expect(answer.result.noWebhookResponse).toBe(true);
	};

	it('the right secret and a good push still start the workflow', async () => {
		const answer = await push(JSON.stringify({ appointmentId: shop().appointments.upcoming }));
		expect(answer.result.workflowData?.[0][0].json).toMatchObject({
			appointmentId: shop().appointments.upcoming,
			event: 'APPOINTMENT_CREATED',
		});
	});

	/** An authenticated push that does not identify an appointment: kept (2xx) and marked, never refused. */
	const kept = (answer: Answer, reason: RegExp) => {
		expect(answer.response.statusCode).toBeUndefined();
		expect(answer.result.noWebhookResponse).toBeUndefined();
		const item = answer.result.workflowData?.[0][0].json as IDataObject;
		expect(item).toMatchObject({ resolved: false, event: 'APPOINTMENT_CREATED' });
		expect(String(item.unresolvedReason)).toMatch(reason);
		return item;
	};

	it('kept and marked resolved: false (not 400): an appointment ID of the wrong type or shape, a customer email that is none', async () => {
		for (const appointmentId of [
			123,
			true,
			'x',
			'not-an-id-at-all',
			`${'a'.repeat(23)}g`,
			'../../etc/passwd',
		]) {
			const item = kept(await push(JSON.stringify({ appointmentId })), /no start time/);
			expect(item.appointment).toBeUndefined();
		}
		const item = kept(await push(JSON.stringify({ customerEmail: 12345 })), /no start time/);
		expect((item.customer as IDataObject).email).toBeNull();
		kept(await push(JSON.stringify({ appointmentId: { $ne: null } })), /no start time/);
	});

	it('400 still for a push that names no event this node knows (the ?event= of its own Flow URL)', async () => {
		refused(
			await push(JSON.stringify({ appointmentId: shop().appointments.upcoming }), { query: {} }),
			400,
			/no Sesami event/,
		);
		refused(
			await push(JSON.stringify({ appointmentId: shop().appointments.upcoming }), {
				query: { event: ['A', 'B'] },
			}),
			400,
			/no Sesami event/,
		);
	});

	it('kept and marked (not 422): Fetch Full Appointment for an appointment or email Sesami does not know', async () => {
		kept(
			await push(JSON.stringify({ appointmentId: 'f'.repeat(24) })),
			/Sesami has no appointment f{24}/,
		);
		kept(
			await push(JSON.stringify({ customerEmail: 'nobody-here@example.com' })),
			/no appointment of nobody-here@example.com/,
		);
	});

	it('413 / 400 for a body too large, not UTF-8 or nested too deeply', async () => {
		refused(
			await push('{}', { headers: { 'content-length': String(MAX_BODY_BYTES * 20) } }),
			413,
			/larger than/,
		);
		refused(await push(Buffer.from('{"appointmentId":"\xff"}', 'latin1')), 400, /not valid UTF-8/);
		refused(
			await push(
				`{"appointmentId":"${shop().appointments.upcoming}","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
			),
			400,
			/deeper/,
		);
	});
});

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
		const context = createWebhookContext({
			parameters: { events: ['checkoutSuccess'], settings: {} },
			credentials: { iminWebhookApi: { apiKey: IMIN_KEY } },
			body,
			headers: { 'x-api-key': IMIN_KEY, ...headers },
		});
		const result = await new IminTrigger().webhook.call(context as unknown as IWebhookFunctions);
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
		expect((await deliver(JSON.stringify(order()))).result.workflowData?.[0][0].json).toMatchObject(
			{ orderId: 'o-1', recognized: true },
		);
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

describe('My Page: valid signature, unusable action', () => {
	it('readAction refuses lists and objects where one text value belongs', () => {
		expect(readAction({}, { op: ['cancel'], appointmentId: 'a'.repeat(24) }, 'POST')).toEqual({
			ok: false,
			reason: 'op must be a single text value',
		});
		expect(readAction({}, { op: 'cancel', appointmentId: ['a'.repeat(24)] }, 'POST')).toEqual({
			ok: false,
			reason: 'appointmentId must be a single text value',
		});
		expect(readAction({ op: ['list', 'cancel'] }, {}, 'GET')).toMatchObject({
			ok: false,
			reason: /op must be/,
		});
		expect(
			readAction({ timezone: { $gt: '' } }, { op: 'slots', appointmentId: 'a'.repeat(24) }, 'POST'),
		).toMatchObject({ ok: false, reason: /timezone/ });
		expect(readAction({}, { op: 'cancel', appointmentId: 'a'.repeat(24) }, 'POST')).toMatchObject({
			ok: true,
			action: 'cancel',
		});
		const slots = (start: string) =>
			readAction({}, { op: 'slots', appointmentId: 'a'.repeat(24), start }, 'POST');
		for (const start of ['2026-13-45', '2026-02-30', '2026-00-10', '2026-04-31T10:00'])
			expect(slots(start)).toMatchObject({ ok: false, reason: /start must be a date/ });
		for (const start of ['2028-02-29', '2026-12-31', '2026-04-30T10:00:00Z'])
			expect(slots(start)).toMatchObject({ ok: true });
		expect(
			readAction(
				{},
				{ op: 'reschedule', appointmentId: 'a'.repeat(24), dateTime: '2026-02-30T10:00:00Z' },
				'POST',
			),
		).toMatchObject({ ok: false, reason: /dateTime/ });
	});

	it('a signed POST whose body is not UTF-8, too large or unreadable gets 4xx and starts nothing', async () => {
		const query = signAppProxyQuery(
			proxyPairs({ shop: SHOP, customerId: '7001234567890', extra: [['op', 'cancel']] }),
			APP_SECRET,
		);
		const call = async (extra: IDataObject) => {
			const context = createWebhookContext({
				parameters: { verification: 'appProxy', settings: {} },
				credentials: {
					shopifyAppApi: {
						shopDomains: SHOP,
						clientId: 'client-id-of-the-app',
						clientSecret: APP_SECRET,
					},
				},
				method: 'POST',
				url: `/webhook/x/my-page?${query}`,
				...extra,
			});
			const result = await new SesamiMyPageTrigger().webhook.call(
				context as unknown as IWebhookFunctions,
			);
			return { result, response: context.response as Answer['response'] };
		};
		const ok = await call({
			body: JSON.stringify({ op: 'cancel', appointmentId: 'a'.repeat(24) }),
		});
		expect(ok.result.workflowData?.[0][0].json).toMatchObject({
			action: 'cancel',
			customerId: '7001234567890',
		});
		for (const [extra, status] of [
			[{ body: Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]) }, 400],
			[{ headers: { 'content-length': String(MAX_BODY_BYTES + 1) } }, 413],
			[
				{
					readRawBodyError: Object.assign(new Error('incorrect header check'), {
						code: 'Z_DATA_ERROR',
					}),
				},
				400,
			],
			[{ body: JSON.stringify({ op: 'cancel', appointmentId: ['a'.repeat(24)] }) }, 400],
		] as Array<[IDataObject, number]>) {
			const answer = await call(extra);
			expect(answer.response.statusCode).toBe(status);
			expect(typeof answer.response.body?.reason).toBe('string');
			expect(answer.result.workflowData).toBeUndefined();
		}
	});
});
