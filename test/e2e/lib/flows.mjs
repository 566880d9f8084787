// Helpers of the e2e files that drive the Sesami Flows workflows (sesami-flows-to-stored-links.json / sesami-portal-emails.json): the Flows the simulator
// holds, the secret they send, and waiting until a published workflow receives pushes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { n8nApi, n8nOwner, simControl, simShop, waitFor } from './context.mjs';
import { publicationFailures, waitForPublication, webhookRegistered } from './n8n.mjs';

export const SECRET_HEADER = 'x-sesami-flow-secret';

/** The Flows the simulator holds for shop 0 (its own records, as Sesami stores them). */
export async function simFlows() {
	const r = await simControl().get('/state/flows', { params: { shopId: simShop(0).id } });
	assert.equal(r.status, 200, JSON.stringify(r.data));
	return r.data;
}

/** The WEBHOOK Flows that target a workflow's webhook. */
export const flowsOf = (flows, wf) =>
	flows.filter(
		(f) => f.action === 'WEBHOOK' && String(f.target).startsWith(`${wf.webhookUrls[0].url}?`),
	);

/** The secret header value the workflow's Flows send (the trigger derives it; it is not stored). */
export async function flowSecret(wf) {
	const mine = flowsOf(await simFlows(), wf);
	return mine.length ? JSON.parse(mine[0].template.headers)[SECRET_HEADER] : undefined;
}

/**
 * Ready to receive pushes: n8n finished activating the workflow (publication status), its webhook
 * answers, the simulator holds one active Flow per event for it, and the secret those Flows send is
 * the one the trigger checks (the workflow's static data, saved by n8n only after the trigger's
 * create() returned; see the report on the activation window).
 */
export async function waitUntilReceiving(wf, events) {
	const status = await waitForPublication(n8nOwner(), wf.id);
	if (status)
		assert.equal(
			status.status,
			'published',
			`${wf.name}: ${publicationFailures(status, JSON.parse(fs.readFileSync(wf.file, 'utf8'))).join('; ')}`,
		);
	const hook = wf.webhookUrls[0];
	await waitFor(() => webhookRegistered(hook.url, hook.httpMethod), {
		timeoutMs: 30_000,
		intervalMs: 150,
		message: `${hook.url} registered`,
	});
	await waitFor(
		async () => {
			const mine = flowsOf(await simFlows(), wf).filter((f) => f.status === true);
			const secret = await flowSecret(wf);
			return (
				secret &&
				mine.length === events.length &&
				events.every((e) => mine.some((f) => f.trigger === e)) &&
				mine.every((f) => JSON.parse(f.template.headers)[SECRET_HEADER] === secret)
			);
		},
		{
			timeoutMs: 30_000,
			intervalMs: 150,
			message: `${wf.name}: Flows registered and the secret saved`,
		},
	);
}

/**
 * Publishes a workflow (when it is not, or when its last publication failed: n8n 2.41 then keeps it
 * "active" with a `partial` / `failed` status) and waits until it receives pushes.
 */
export async function ensurePublished(wf, events) {
	const api = n8nApi();
	let current = await api.get(`/workflows/${wf.id}`);
	const status = current.data?.active ? await waitForPublication(n8nOwner(), wf.id) : null;
	if (status && status.status !== 'published') {
		const off = await api.post(`/workflows/${wf.id}/unpublish`, {});
		assert.equal(off.status, 200, `unpublishing ${wf.name}: ${JSON.stringify(off.data)}`);
		current = await api.get(`/workflows/${wf.id}`);
	}
	if (current.status === 200 && !current.data.active) {
		const r = await api.post(`/workflows/${wf.id}/publish`, {});
		assert.equal(r.status, 200, `publishing ${wf.name}: ${JSON.stringify(r.data)}`);
	}
	await waitUntilReceiving(wf, events);
}
