import type { IDataObject } from 'n8n-workflow';

import { SesamiTrigger } from '../../../../../../nodes/Sesami/SesamiTrigger/SesamiTrigger.node';
import { useSesamiTriggerVariants, useSesamiTrigger } from '../../../../../helpers/setup';

const WEBHOOK_URL = 'http://127.0.0.1:5999/webhook/5e5a0001-f100-4000-8000-000000000001/flows';
const { context, flowsOfThisWebhook } = useSesamiTrigger(WEBHOOK_URL);

describe('Automatic registration (create / checkExists / delete)', () => {
	const parameters = {
		registration: 'automatic',
		events: ['APPOINTMENT_CREATED', 'APPOINTMENT_CANCELLED'],
		settings: {},
	};
	const staticData: IDataObject = {};
	const hooks = new SesamiTrigger().webhookMethods.default;

	it('creates one WEBHOOK Flow per event with a secret header, and finds them again', async () => {
		const ctx = context(parameters, { staticData });
		expect(await hooks.checkExists.call(ctx)).toBe(false);
		expect(await hooks.create.call(ctx)).toBe(true);
		const flows = flowsOfThisWebhook();
		expect(flows.map((flow) => flow.trigger).sort()).toEqual([
			'APPOINTMENT_CANCELLED',
			'APPOINTMENT_CREATED',
		]);
		for (const flow of flows) {
			expect(flow).toMatchObject({
				action: 'WEBHOOK',
				status: true,
				when: { unit: 'IMMEDIATELY' },
			});
			expect(String((flow.template as IDataObject).body)).toContain('{{CustomerManagementLink}}');
		}
		const secrets = new Set(
			flows.map(
				(flow) =>
					JSON.parse(String((flow.template as IDataObject).headers))['x-sesami-flow-secret'],
			),
		);
		expect(secrets.size).toBe(1);
		expect([...secrets][0]).toMatch(/^[a-f0-9]{64}$/);
		// the same secret rides in the target URL too, for a Sesami that drops or rewrites Flow headers
		for (const flow of flows)
			expect(flow.target).toBe(`${WEBHOOK_URL}?event=${flow.trigger}&token=${[...secrets][0]}`);
		expect(flows).toHaveLength(2);
		// nothing about the registration is kept in the workflow (the Flows are found by target or mark)
		expect(staticData).toEqual({});
		expect(JSON.stringify(staticData)).not.toContain([...secrets][0]);
		expect(await hooks.checkExists.call(ctx)).toBe(true);
	});

	it('registering again keeps the same secret (a push arriving meanwhile is not refused)', async () => {
		const before = flowsOfThisWebhook().map((flow) => (flow.template as IDataObject).headers);
		const ctx = context(parameters, { staticData });
		expect(await hooks.create.call(ctx)).toBe(true);
		expect(flowsOfThisWebhook().map((flow) => (flow.template as IDataObject).headers)).toEqual(
			before,
		);
	});

	it('delete removes the Flows', async () => {
		const ctx = context(parameters, { staticData });
		expect(await hooks.delete.call(ctx)).toBe(true);
		expect(flowsOfThisWebhook()).toHaveLength(0);
		expect(await hooks.checkExists.call(ctx)).toBe(false);
	});
});

describe('under the unverified points of the contract (variants)', () => {
	// The Sesami Trigger under the unverified points of Sesami's contract (docs/unverified-contract.md):
	// Flow variables (only the documented ones render), Flow headers (dropped), the plan's Flow limit
	// and a registration that drifted. Bodies are rendered by the simulator's own Flow renderer (real
	// Handlebars) from the package's template, exactly as the simulator would send them.

	const WEBHOOK_URL = 'http://127.0.0.1:5999/webhook/5e5a0002-f100-4000-8000-000000000002/flows';
	const MOVED_URL = 'https://n8n.moved.example/webhook/5e5a0002-f100-4000-8000-000000000002/flows';
	const EVENTS = ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED'];
	const { sim, shop, context } = useSesamiTriggerVariants(WEBHOOK_URL, EVENTS);
	const hooks = () => new SesamiTrigger().webhookMethods.default;
	const ours = (url = WEBHOOK_URL) =>
		(sim.state.flows as IDataObject[]).filter((f) => String(f.target).startsWith(`${url}?`));
	const shopFlows = () => (sim.state.flows as IDataObject[]).filter((f) => f.shopId === shop().id);

	describe('Registration repairs itself', () => {
		afterEach(async () => {
			await hooks().delete.call(context());
			await hooks().delete.call(context({ webhookUrl: MOVED_URL }));
		});

		it('a Flow disabled, retargeted or edited in Sesami is seen on publish and recreated, never duplicated', async () => {
			await hooks().create.call(context());
			expect(await hooks().checkExists.call(context())).toBe(true);
			for (const drift of [
				(f: IDataObject) => (f.status = false),
				(f: IDataObject) => (f.target = String(f.target).replace(/token=[^&]+/, 'token=changed')),
				(f: IDataObject) => ((f.template as IDataObject).body = '{"name": "{{CustomerName}}"}'),
				(f: IDataObject) => ((f.template as IDataObject).headers = '{}'),
			]) {
				drift(ours()[0]);
				expect(await hooks().checkExists.call(context())).toBe(false);
				await hooks().create.call(context());
				expect(await hooks().checkExists.call(context())).toBe(true);
				expect(
					ours()
						.map((f) => f.trigger)
						.sort(),
				).toEqual([...EVENTS].sort());
			}
		});

		it("after n8n's URL changed, the Flows of the old URL are found by their mark and replaced", async () => {
			await hooks().create.call(context());
			const before = shopFlows().length;
			expect(await hooks().checkExists.call(context({ webhookUrl: MOVED_URL }))).toBe(false);
			await hooks().create.call(context({ webhookUrl: MOVED_URL }));
			expect(ours()).toHaveLength(0);
			expect(ours(MOVED_URL)).toHaveLength(EVENTS.length);
			expect(shopFlows()).toHaveLength(before);
		});

		it("the plan's Flow limit: publishing fails whole, naming the limit and the Flows in use", async () => {
			const before = shopFlows().map((f) => f.id);
			sim.variants.set({ maxFlows: '1' });
			const error = await hooks()
				.create.call(context())
				.then(
					() => undefined,
					(e: Error & { description?: string }) => e,
				);
			expect(error?.message).toMatch(/needs 2 .* allows 1 Flows and 2 are used by other Flows/);
			expect(error?.description).toMatch(/Booking created → Zapier/);
			expect(shopFlows().map((f) => f.id)).toEqual(before);

			sim.variants.set({ maxFlows: '6', otherFlows: '3' });
			await expect(hooks().create.call(context())).rejects.toThrow(/allows 6 Flows and 5 are used/);
			expect(ours()).toHaveLength(0);
			await hooks().create.call(context({ events: ['APPOINTMENT_CREATED'] }));
			expect(ours()).toHaveLength(1);
		});

		it('a creation that fails half-way removes what it created', async () => {
			sim.setFaults([
				{ mode: 'slow', delayMs: 1, match: { method: 'POST', pathPrefix: `/${shop().id}/flows` } },
				{ mode: '500', match: { method: 'POST', pathPrefix: `/${shop().id}/flows` } },
			]);
			await expect(hooks().create.call(context())).rejects.toThrow(/server error/);
			expect(ours()).toHaveLength(0);
		});
	});
});
