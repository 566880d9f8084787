import type { IDataObject, INodeTypes, IWebhookResponseData } from 'n8n-workflow';
import { resolveWebhookDescriptionField, Workflow } from 'n8n-workflow';

import { SesamiTrigger } from '../../../../../nodes/Sesami/SesamiTrigger/SesamiTrigger.node';
import {
	MANUAL_FLOW_SECRET,
	sesamiTriggerContext,
	useSesamiTrigger,
} from '../../../../helpers/setup';
import { startSesamiSimulator } from '../../../../sim/sesami';
import { MAX_BODY_BYTES } from '../../../../../nodes/shared/webhook/rawBody';

const WEBHOOK_URL = 'http://127.0.0.1:5999/webhook/5e5a0001-f100-4000-8000-000000000001/flows';
const { sim, shop, context, flowsOfThisWebhook } = useSesamiTrigger(WEBHOOK_URL);
const MANUAL_VALUE = MANUAL_FLOW_SECRET;

describe('webhook()', () => {
	let secret = '';
	beforeAll(async () => {
		// The secret Automatic registration puts in the Flows' headers.
		const ctx = context(
			{ registration: 'automatic', events: ['APPOINTMENT_CREATED'], settings: {} },
			{},
		);
		await new SesamiTrigger().webhookMethods.default.create.call(ctx);
		secret = JSON.parse(String((flowsOfThisWebhook()[0].template as IDataObject).headers))[
			'x-sesami-flow-secret'
		];
	});
	const automatic = {
		registration: 'automatic',
		events: ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED'],
		settings: {},
	};
	const body = (id: string) =>
		`{\n "trigger": "APPOINTMENT_CREATED",\n "appointmentId": "${id}"\n "customerEmail": "ada@example.com"\n "managementLink": "https://app.sesami.co/manage/${id}?token&#x3D;1&amp;shop&#x3D;x",\n}`;

	async function push(parameters: IDataObject, extra: Parameters<typeof context>[1]) {
		const ctx = context(parameters, extra);
		const result = await new SesamiTrigger().webhook.call(ctx);
		return { result, response: ctx.response };
	}

	it('rejects a missing or wrong secret with 401 and starts nothing', async () => {
		for (const headers of [
			{},
			{ 'x-sesami-flow-secret': 'b'.repeat(64) },
			{ 'x-sesami-flow-secret': secret.slice(1) },
		] as Array<Record<string, string>>) {
			const { result, response } = await push(automatic, {
				body: body(shop.appointments.upcoming),
				headers,
			});
			expect(response.statusCode).toBe(401);
			expect(result.workflowData).toBeUndefined();
		}
	});

	it('repairs and unescapes the body, and marks the second delivery as a duplicate', async () => {
		const staticData = {};
		const first = await push(automatic, {
			body: body(shop.appointments.upcoming),
			headers: { 'x-sesami-flow-secret': secret },
			staticData,
		});
		const item = first.result.workflowData![0][0].json;
		expect(item).toMatchObject({
			event: 'APPOINTMENT_CREATED',
			appointmentId: shop.appointments.upcoming,
			customerManagementLink: `https://app.sesami.co/manage/${shop.appointments.upcoming}?token=1&shop=x`,
			duplicate: false,
		});
		expect((item.repairs as string[]).join(' ')).toMatch(/missing comma/);
		expect((item.repairs as string[]).join(' ')).toMatch(/trailing comma/);
		const second = await push(automatic, {
			body: body(shop.appointments.upcoming),
			headers: { 'x-sesami-flow-secret': secret },
			staticData,
		});
		expect(second.result.workflowData![0][0].json.duplicate).toBe(true);
	});

	it('When Last Node Finishes: a push re-sent after a failed attempt is not marked duplicate', async () => {
		// The sender waits for the answer and re-sends when the execution failed or was lost (a queue-mode
		// worker that died): the copy must run, or the workflow drops it and the push is lost.
		const staticData = {};
		const lastNode = { ...automatic, responseMode: 'lastNode' };
		const id = shop.appointments.upcomingNotice48h; // an appointment no other test here pushes
		const headers = { 'x-sesami-flow-secret': secret };
		const first = await push(lastNode, { body: body(id), headers, staticData });
		const again = await push(lastNode, { body: body(id), headers, staticData });
		expect(first.result.workflowData![0][0].json.duplicate).toBe(false);
		expect(again.result.workflowData![0][0].json).toMatchObject({
			duplicate: false,
			appointmentId: id,
			event: 'APPOINTMENT_CREATED',
		});
		// Immediately (the default) still marks the copy.
		const immediate = await push(automatic, { body: body(id), headers, staticData: {} });
		const immediateCopy = await push(automatic, { body: body(id), headers, staticData: {} });
		expect(immediate.result.workflowData![0][0].json.duplicate).toBe(false);
		expect(immediateCopy.result.workflowData![0][0].json.duplicate).toBe(true);
	});

	it('answers 400 with the reason for a body it cannot read, and starts nothing', async () => {
		const { result, response } = await push(automatic, {
			body: '{"appointmentId": "x" "broken',
			headers: { 'x-sesami-flow-secret': secret },
		});
		expect(response.statusCode).toBe(400);
		expect(String((response.body as unknown as IDataObject).reason)).toMatch(/never closed/);
		expect(result.workflowData).toBeUndefined();
	});

	it('Manual mode takes the header name and secret from the credential', async () => {
		const manual = { registration: 'manual', events: ['APPOINTMENT_CREATED'], settings: {} };
		const ok = await push(manual, {
			body: body(shop.appointments.upcoming),
			headers: { 'X-My-Flow-Secret': MANUAL_VALUE },
		});
		expect(ok.result.workflowData).toBeDefined();
		// what the user sees: one item for the pushed appointment
		expect(ok.response.statusCode).not.toBe(401);
		expect(ok.result.workflowData![0]).toHaveLength(1);
		// (duplicate depends on the pushes of the tests before: the trigger remembers deliveries)
		expect(ok.result.workflowData![0][0].json).toMatchObject({
			appointmentId: shop.appointments.upcoming,
		});
		const denied = await push(manual, {
			body: body(shop.appointments.upcoming),
			headers: { 'x-sesami-flow-secret': MANUAL_VALUE },
		});
		expect(denied.response.statusCode).toBe(401);
		expect(denied.result.workflowData).toBeUndefined();
		expect(denied.response.body).toMatchObject({ error: 'unauthorized' });
		expect(String((denied.response.body as IDataObject).reason)).not.toBe('');
	});

	it('Fetch Full Appointment loads the appointment from the API', async () => {
		const { result } = await push(
			{ ...automatic, settings: { fetchFullAppointment: true } },
			{ body: body(shop.appointments.upcoming2), headers: { 'x-sesami-flow-secret': secret } },
		);
		const item = result.workflowData![0][0].json;
		const stored = (sim.state.appointments as IDataObject[]).find(
			(a) => a.id === shop.appointments.upcoming2,
		)!;
		expect((item.appointment as IDataObject).customerManagementLink).toBe(
			stored.customerManagementLink,
		);
		expect((item.appointmentRaw as IDataObject).id).toBe(stored.id);
	});

	it('a push whose appointment could not be fetched fails, and the re-sent push is not a duplicate', async () => {
		const fetching = { ...automatic, settings: { fetchFullAppointment: true } };
		const id = shop.appointments.rescheduled;
		const staticData = {};
		// Retry-After beyond what the node waits: it gives up at once.
		sim.setFaults({
			mode: '429',
			count: 1,
			retryAfter: 3600,
			match: { method: 'GET', pathPrefix: `/${shop.id}/appointments/${id}` },
		});
		try {
			await expect(
				push(fetching, { body: body(id), headers: { 'x-sesami-flow-secret': secret }, staticData }),
			).rejects.toThrow(/Sesami is rate-limiting requests \(429/);
		} finally {
			sim.setFaults(null);
		}
		const resent = await push(fetching, {
			body: body(id),
			headers: { 'x-sesami-flow-secret': secret },
			staticData,
		});
		const item = resent.result.workflowData![0][0].json;
		expect(item.duplicate).toBe(false);
		expect((item.appointmentRaw as IDataObject).id).toBe(id);
		const again = await push(fetching, {
			body: body(id),
			headers: { 'x-sesami-flow-secret': secret },
			staticData,
		});
		expect(again.result.workflowData![0][0].json.duplicate).toBe(true);
	});

	it('accepts but ignores an event the node does not listen to', async () => {
		const { result } = await push(automatic, {
			body: '{"appointmentId": "64f1c2a9b7e4d3a1c2b3d4e5"}',
			headers: { 'x-sesami-flow-secret': secret },
			query: { event: 'NO_SHOW' },
		});
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toMatchObject({ received: true });
	});
});

describe('webhook description: Respond fields', () => {
	// n8n 2.x resolves declared fields from the node's parameters without its expression engine;
	// the templates (what the editor and older n8n evaluate) must give the same answers.
	const webhook = new SesamiTrigger().description.webhooks![0];

	it.each([
		['onReceived', ''],
		['lastNode', 'noData'],
	])('Respond = %s: resolved natively as n8n does, to the template value', (mode, data) => {
		const node = {
			id: '1',
			name: 'Sesami Trigger',
			type: 'n8n-nodes-sesami-imin.sesamiTrigger',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: { responseMode: mode, registration: 'manual' },
		};
		expect(resolveWebhookDescriptionField(node, webhook, 'responseMode')).toEqual({
			resolved: true,
			value: mode,
		});
		expect(resolveWebhookDescriptionField(node, webhook, 'responseData')).toEqual({
			resolved: true,
			value: data,
		});
		// The same fields through the expression engine (parameters holding an expression skip the native path).
		expect(String(webhook.responseMode)).toMatch(/^=\{\{/);
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: {
				getByName: () => new SesamiTrigger(),
				getByNameAndVersion: () => new SesamiTrigger(),
				getKnownTypes: () => ({}),
			} as unknown as INodeTypes,
		});
		expect(
			workflow.expression.getSimpleParameterValue(
				node,
				webhook.responseMode as string,
				'internal',
				{},
			),
		).toBe(mode);
		expect(
			workflow.expression.getComplexParameterValue(
				node,
				webhook.responseData as string,
				'internal',
				{},
			),
		).toBe(data);
	});

	it('a node without the Respond parameter (older workflows) answers on receipt', () => {
		const node = {
			id: '1',
			name: 'Sesami Trigger',
			type: 'n8n-nodes-sesami-imin.sesamiTrigger',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: { registration: 'manual' },
		};
		expect(resolveWebhookDescriptionField(node, webhook, 'responseMode')).toEqual({
			resolved: true,
			value: 'onReceived',
		});
		expect(resolveWebhookDescriptionField(node, webhook, 'responseData')).toEqual({
			resolved: true,
			value: '',
		});
	});
});

describe('malformed input', () => {
	// Fixes found by the malformed-request e2e suite (test/e2e/malformed-requests.test.mjs): every
	// trigger answers a body or field it cannot use with 4xx and a reason and starts nothing, never
	// throws (n8n would answer 500 and record a failed execution), and never spends minutes of CPU.

	type Sim = Awaited<ReturnType<typeof startSesamiSimulator>>;
	type Answer = {
		result: IWebhookResponseData;
		response: { statusCode?: number; body?: IDataObject };
	};

	const WEBHOOK_URL = 'http://127.0.0.1:5999/webhook/5e5a0001-f100-4000-8000-000000000001/flows';

	let sim: Sim;
	beforeAll(async () => {
		sim = await startSesamiSimulator({ port: 0 });
	});
	afterAll(async () => {
		await sim.close();
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
			const context = sesamiTriggerContext(sim, shop(), {
				parameters: {
					registration: 'automatic',
					events,
					settings: { fetchFullAppointment: fetch },
				},
				webhookUrl: WEBHOOK_URL,
				body,
				query,
				headers: { 'x-sesami-flow-secret': secret, ...headers },
			});
			const result = await new SesamiTrigger().webhook.call(context);
			return { result, response: context.response as Answer['response'] };
		}

		beforeAll(async () => {
			// The secret a registered Flow sends (derived from the API key and the URL): register the Flows
			// and read it from one of them, as Sesami holds it.
			const context = sesamiTriggerContext(sim, shop(), {
				parameters: { registration: 'automatic', events, settings: {} },
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
			refused(
				await push(Buffer.from('{"appointmentId":"\xff"}', 'latin1')),
				400,
				/not valid UTF-8/,
			);
			refused(
				await push(
					`{"appointmentId":"${shop().appointments.upcoming}","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
				),
				400,
				/deeper/,
			);
		});
	});
});
