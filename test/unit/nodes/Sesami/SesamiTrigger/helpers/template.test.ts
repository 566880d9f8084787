// The Sesami Trigger under the unverified points of Sesami's contract (docs/unverified-contract.md):
// Flow variables (only the documented ones render), Flow headers (dropped), the plan's Flow limit
// and a registration that drifted. Bodies are rendered by the simulator's own Flow renderer (real
// Handlebars) from the package's template, exactly as the simulator would send them.
import type { IDataObject } from 'n8n-workflow';

import { SesamiTrigger } from '../../../../../../nodes/Sesami/SesamiTrigger/SesamiTrigger.node';
import { useSesamiTriggerVariants } from '../../../../../helpers/setup';
import { renderTemplate, templateVariables } from '../../../../../sim/sesami/flows';

const WEBHOOK_URL = 'http://127.0.0.1:5999/webhook/5e5a0002-f100-4000-8000-000000000002/flows';
const EVENTS = ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED'];
const { sim, shop, context } = useSesamiTriggerVariants(WEBHOOK_URL, EVENTS);
const hooks = () => new SesamiTrigger().webhookMethods.default;
const ours = (url = WEBHOOK_URL) =>
	(sim.state.flows as IDataObject[]).filter((f) => String(f.target).startsWith(`${url}?`));
const secretOf = (flow: IDataObject) =>
	JSON.parse(String((flow.template as IDataObject).headers))['x-sesami-flow-secret'] as string;

/** The body Sesami sends for this appointment with the package's template (and its mark). */
function rendered(
	appointmentId: string,
	variables: 'full' | 'documented-only',
	event = 'APPOINTMENT_CREATED',
): string {
	const flow = ours().find((f) => f.trigger === event) as IDataObject;
	const appointment = (sim.state.appointments as IDataObject[]).find((a) => a.id === appointmentId);
	return renderTemplate(
		String((flow.template as IDataObject).body),
		templateVariables(sim.state, appointment, event),
		{
			shopTimezone: shop().timezone,
			variables,
		},
	);
}

async function push(body: string, extra: Parameters<typeof context>[0] = {}) {
	const ctx = context({ body, ...extra });
	const result = await new SesamiTrigger().webhook.call(ctx);
	return {
		result,
		response: ctx.response as { statusCode?: number; body?: IDataObject },
		item: result.workflowData?.[0][0].json as IDataObject,
	};
}

async function newAppointment(customer: IDataObject, datetime?: string): Promise<IDataObject> {
	const r = await fetch(`${sim.url}/__sim/appointments`, {
		method: 'POST',
		body: JSON.stringify({ customer, ...(datetime ? { datetime } : {}) }),
	});
	expect(r.status).toBe(201);
	return (await r.json()) as IDataObject;
}

describe('Flow variables: only the documented ones render', () => {
	let secret = '';
	beforeAll(async () => {
		await hooks().create.call(context());
		secret = secretOf(ours()[0]);
	});
	afterAll(async () => {
		await hooks().delete.call(context());
	});

	it('finds the appointment by start time and customer name, emits the full record, and says which fields arrived empty', async () => {
		const a = await newAppointment({
			firstName: 'Documented',
			lastName: 'Only',
			email: 'documented.only@example.com',
			phone: '+44 7700 900123',
		});
		const { item, response } = await push(rendered(String(a.id), 'documented-only'), {
			headers: { 'x-sesami-flow-secret': secret },
		});
		expect(response.statusCode).toBeUndefined();
		expect(item).toMatchObject({
			resolved: true,
			resolution: 'time-window',
			appointmentId: a.id,
			unresolvedReason: null,
		});
		const simRecord = (sim.state.appointments as IDataObject[]).find(
			(x) => x.id === a.id,
		) as IDataObject;
		expect(item.customerManagementLink).toBe(simRecord.customerManagementLink);
		expect((item.customer as IDataObject).email).toBe('documented.only@example.com');
		expect((item.appointment as IDataObject).id).toBe(a.id);
		// the end time formatDate rendered for the missing EndDateTime is the send time: not taken
		const end = Date.parse(String(simRecord.datetime)) + Number(simRecord.duration) * 60_000;
		expect(Date.parse(String(item.endUtc))).toBe(end);
		const diagnostics = item.templateDiagnostics as IDataObject;
		expect(diagnostics.emptyFields).toEqual(
			expect.arrayContaining(['appointmentId', 'customerEmail', 'managementLink', 'status']),
		);
		expect(diagnostics.defaultedFields).toEqual(['endUtc']);
		expect(String(diagnostics.message)).toMatch(/appointmentId \(\{\{AppointmentId\}\}\)/);
		expect(String(item.start)).toMatch(/[+-]\d{2}:\d{2}$|Z$/);
	});

	it('with every variable rendered: found by ID, nothing reported empty', async () => {
		const a = await newAppointment({
			firstName: 'Full',
			lastName: 'Variables',
			email: 'full.variables@example.com',
		});
		const { item } = await push(rendered(String(a.id), 'full'), {
			headers: { 'x-sesami-flow-secret': secret },
		});
		expect(item).toMatchObject({ resolved: true, resolution: 'id', appointmentId: a.id });
		expect((item.templateDiagnostics as IDataObject).defaultedFields).toEqual([]);
	});

	it('two appointments at the same start: the customer name tells them apart; nobody matching is kept, marked resolved: false', async () => {
		const first = await newAppointment({
			firstName: 'Same',
			lastName: 'Time One',
			email: 'same.time.1@example.com',
		});
		const second = await newAppointment(
			{ firstName: 'Same', lastName: 'Time Two', email: 'same.time.2@example.com' },
			String(first.datetime),
		);
		expect(Date.parse(String(second.datetime))).toBe(Date.parse(String(first.datetime)));
		const { item } = await push(rendered(String(second.id), 'documented-only'), {
			headers: { 'x-sesami-flow-secret': secret },
		});
		expect(item).toMatchObject({ resolved: true, appointmentId: second.id });
		const stranger = JSON.parse(rendered(String(second.id), 'documented-only')) as IDataObject;
		stranger.customerName = 'Nobody Atall';
		stranger.customerPhone = '';
		const kept = await push(JSON.stringify(stranger), {
			headers: { 'x-sesami-flow-secret': secret },
		});
		expect(kept.response.statusCode).toBeUndefined();
		expect(kept.item).toMatchObject({ resolved: false, resolution: null });
		expect(String(kept.item.unresolvedReason)).toMatch(
			/no appointment starts at .* with that customer name/,
		);
		expect(kept.item.raw).toEqual(stranger);
	});

	it('the secret as the token of the registered URL is accepted when Sesami sends no header; a wrong token is 401', async () => {
		const a = await newAppointment({
			firstName: 'Token',
			lastName: 'Only',
			email: 'token.only@example.com',
		});
		const target = new URL(String(ours()[0].target));
		const token = target.searchParams.get('token') as string;
		expect(token).toBe(secret);
		const ok = await push(rendered(String(a.id), 'full'), {
			query: { event: 'APPOINTMENT_CREATED', token },
		});
		expect(ok.item).toMatchObject({ resolved: true, appointmentId: a.id });
		expect(JSON.stringify(ok.item)).not.toContain(token);
		const wrong = await push(rendered(String(a.id), 'full'), {
			query: { event: 'APPOINTMENT_CREATED', token: `${token.slice(1)}0` },
		});
		expect(wrong.response.statusCode).toBe(401);
		expect(wrong.result.workflowData).toBeUndefined();
	});
});
