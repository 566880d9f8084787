// Smoke (runs on every n8n the package supports: `npm test` on 2.41.1, `npm run test:n8n1` on
// 1.123.81): workflows/sesami-flows-to-stored-links.json runs. The runner published sesami-flows-to-stored-links.json, which
// registered its Flows in the Sesami simulator (Automatic mode); the simulator's Flows push
// created -> rescheduled -> cancelled for one appointment, and the three pushes end as ONE stored
// row with the final state and the management link. The full sesami-flows-to-stored-links.json / sesami-portal-emails.json suite is sesami-flows.test.mjs.
// Run through test/run-all.mjs, which provides E2E_CONTEXT.
//
// Leaves behind: sesami-flows-to-stored-links.json published, one cancelled appointment in shop 0 (sesami.test.mjs tolerates it).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, test } from 'node:test';
import {
	dataTableId,
	dataTableRows,
	executionWithData,
	getContext,
	lastExecutionId,
	n8nApi,
	publish,
	simControl,
	simShop,
	waitFor,
	waitForFlowsSettled,
	workflowByFile,
} from './lib/context.mjs';
import { webhookRegistered } from './lib/n8n.mjs';

const W1_FILE = 'sesami-flows-to-stored-links.json';
const W1_EVENTS = ['APPOINTMENT_CANCELLED', 'APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED'];
const LINKS_TABLE = 'Sesami appointment links';

const ctx = getContext();
const sim = simControl();
const shop = simShop(0);
const customer = {
	firstName: 'Smoke',
	lastName: `Tester ${crypto.randomBytes(3).toString('hex')}`,
};
customer.email = `smoke-${customer.lastName.split(' ')[1]}@example.com`;
const sameInstant = (a, b) => Date.parse(a) === Date.parse(b);
const byAppointment = (id) => ({
	type: 'and',
	filters: [{ columnName: 'appointmentId', condition: 'eq', value: id }],
});

let w1;
let table;

async function simPost(pathname, body) {
	const r = await sim.post(pathname, body ?? {});
	assert.ok(
		r.status === 200 || r.status === 201,
		`POST /__sim${pathname}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 500)}`,
	);
	return r.data;
}

/** Waits until sesami-flows-to-stored-links.json's executions after `mark` have settled, and every one of them succeeded (n8n's error if not). */
async function settled(mark) {
	const seen = await waitForFlowsSettled({
		workflowIds: [w1.id],
		afterId: mark,
		expected: { [w1.id]: 1 },
		timeoutMs: 90_000,
	});
	for (const e of seen[w1.id].filter((x) => x.status !== 'success')) {
		const full = await executionWithData(e.id).catch(() => null);
		const err = full?.data?.resultData?.error;
		assert.fail(
			`sesami-flows-to-stored-links.json execution #${e.id} ${e.status} on n8n ${ctx.n8nVersion}: ${err?.message ?? '?'} ${err?.description ?? ''} (node ${err?.node?.name ?? '?'})`,
		);
	}
	return seen[w1.id];
}

before(async () => {
	w1 = workflowByFile(W1_FILE);
	assert.ok(w1.active, 'the runner published sesami-flows-to-stored-links.json');
	const hook = w1.webhookUrls[0];
	assert.match(
		hook.url,
		/\/webhook\/5e5a0001-f100-4000-8000-000000000001\//,
		'the webhook path uses the fixed webhookId of the workflow file',
	);
	// Published still? (In `npm test` other files run first and may have unpublished it.)
	const current = await n8nApi().get(`/workflows/${w1.id}`);
	assert.equal(current.status, 200, `GET /api/v1/workflows/${w1.id}: HTTP ${current.status}`);
	if (!current.data.active) {
		const r = await publish(w1.id); // publish on 2.x, activate on 1.x
		assert.equal(
			r.status,
			200,
			`publishing sesami-flows-to-stored-links.json again: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
		);
	}
	await waitFor(() => webhookRegistered(hook.url, hook.httpMethod).catch(() => false), {
		timeoutMs: 30_000,
		intervalMs: 250,
		message: `${hook.url} registered`,
	});
	table = await dataTableId(LINKS_TABLE);
	await sim.delete('/flow-delivery'); // default delivery: once, in order
	// Publishing ran the trigger's create(): one active WEBHOOK Flow per event, pointing at sesami-flows-to-stored-links.json.
	await waitFor(
		async () => {
			const r = await sim.get('/state/flows', { params: { shopId: shop.id } });
			const mine = (r.data ?? []).filter(
				(f) =>
					f.action === 'WEBHOOK' &&
					f.status === true &&
					String(f.target).startsWith(`${hook.url}?`),
			);
			return W1_EVENTS.every((e) => mine.some((f) => f.trigger === e));
		},
		{
			timeoutMs: 30_000,
			message: `sesami-flows-to-stored-links.json's Flows (${W1_EVENTS.join(', ')}) registered in the simulator`,
		},
	);
});

test(`sesami-flows-to-stored-links.json on n8n ${ctx.n8nVersion}: created -> rescheduled -> cancelled pushes end as one stored row`, async () => {
	let mark = await lastExecutionId([w1.id]);
	const created = await simPost('/appointments', { customer });
	await settled(mark);
	let rows = await dataTableRows(table, byAppointment(created.id));
	assert.equal(rows.length, 1, `after created: ${JSON.stringify(rows)}`);
	assert.equal(rows[0].status, 'BOOKED');
	assert.equal(rows[0].cancelled, false);

	mark = await lastExecutionId([w1.id]);
	const moved = await simPost(`/appointments/${created.id}/reschedule`);
	await settled(mark);

	mark = await lastExecutionId([w1.id]);
	await simPost(`/appointments/${created.id}/cancel`);
	await settled(mark);

	const final = (await sim.get(`/state/appointments/${created.id}`)).data;
	assert.equal(final.status, 'CANCELLED');
	assert.ok(
		sameInstant(final.datetime, moved.datetime),
		'the cancelled appointment keeps the rescheduled start',
	);
	rows = await dataTableRows(table, byAppointment(created.id));
	assert.equal(rows.length, 1, `one row per appointment: ${JSON.stringify(rows)}`);
	const [row] = rows;
	assert.equal(row.cancelled, true);
	assert.equal(row.status, 'CANCELLED');
	assert.equal(row.lastEvent, 'APPOINTMENT_CANCELLED');
	assert.ok(sameInstant(row.start, final.datetime), `start ${row.start} vs ${final.datetime}`);
	assert.equal(row.customerManagementLink, final.customerManagementLink);
	assert.ok(row.customerManagementLink.includes('&'), 'the stored link is unescaped');
	assert.equal(row.customerEmail, customer.email);
	assert.equal(row.shopId, shop.id);
});
