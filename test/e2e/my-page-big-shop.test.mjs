// End-to-end: My Page in a shop with more than 1,000 upcoming appointments, through the real n8n:
// workflows/sesami-stored-links-backfill.json (run once from its Manual Trigger, as Execute workflow does) fills the stored links
// index, then workflows/sesami-my-page-backend.json (W4) lists each customer's appointments from it,
// signed as Shopify's App Proxy signs. Shop 0 of the Sesami simulator gets > 1,000 upcoming
// appointments booked "before the install" (POST /__sim/appointments/bulk: no Flow fired), spread
// over filler customers, and the LATEST ones (beyond the first 1,000 by start time) belong to a new
// customer L: the walk (Max Pages 10 x 100) cannot reach them; the index does.
// Checked: L sees all of theirs; B and a filler customer see exactly theirs; a forged row saying
// one of B's appointments is L's shows nothing of B's; Sesami calls per list <= 2; with a server
// that reads only `ids[]=` (arrayQuery=brackets-only: repeated keys and commas are ignored and the
// list comes back unfiltered) L still sees exactly theirs.
//
// Leaves behind: nothing it made (the bulk appointments, their rows, the backfill's rows and its
// index-complete mark, the forged row are removed; the variants reset), except the rows W4 refreshed
// for customer B (as any My Page list does).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
	dataTableId,
	dataTableRows,
	n8nApi,
	n8nOwner,
	simControl,
	simShop,
	waitFor,
	workflowByFile,
} from './lib/context.mjs';
import { runSetupWorkflow } from './lib/data-tables.mjs';
import { webhookRegistered } from './lib/n8n.mjs';
import { appointmentsOf, asCustomer, customerB, settle, w4 } from './lib/my-page.mjs';

const LINKS_TABLE = 'Sesami appointment links';
const BACKFILL_FILE = 'sesami-stored-links-backfill.json';
const LATE_COUNT = 6;
const FILLER_CUSTOMERS = 12;
const sim = simControl();
const api = n8nApi();
const shop = simShop(0);
const B = customerB();
// New Shopify customers for this run (13 digits, like the fixtures')
const runTag = crypto.randomInt(100_000, 999_999);
const L = `71${runTag}00000`;
const fillers = Array.from(
	{ length: FILLER_CUSTOMERS },
	(_, i) => `72${runTag}${String(i).padStart(5, '0')}`,
);
const created = [];

const ids = (answer) => (answer?.appointments ?? []).map((a) => a.id).sort();
const upcomingOf = async (externalId) => (await appointmentsOf(externalId)).map((a) => a.id).sort();

/** The customer's list through W4, and the Sesami calls made while it ran. */
async function listAs(customerId) {
	const since = new Date().toISOString();
	const r = await asCustomer(customerId, 'list');
	assert.equal(r.status, 200, `list as ${customerId}: ${r.status} ${r.data}`);
	const exchanges = (await sim.get('/exchanges')).data.filter((e) => e.at >= since);
	return {
		answer: r.json,
		calls: exchanges,
		withIds: exchanges.filter((e) => e.query?.ids || e.query?.['ids[]']),
	};
}

async function linksTable() {
	return await dataTableId(LINKS_TABLE);
}

async function deleteRows(filters) {
	const filter = encodeURIComponent(JSON.stringify({ type: 'and', filters }));
	const r = await api.delete(`/data-tables/${await linksTable()}/rows/delete?filter=${filter}`, {
		validateStatus: () => true,
	});
	assert.equal(r.status, 200, `DELETE rows: ${r.status} ${JSON.stringify(r.data)}`);
}

before(async () => {
	await waitFor(() => webhookRegistered(w4().url, 'POST'), {
		timeoutMs: 30_000,
		message: 'sesami-my-page-backend.json webhook registered',
	});
	const state = (await sim.get('/state/appointments', { params: { shopId: shop.id } })).data;
	const now = Date.now();
	const upcoming = state.filter((a) => Date.parse(a.datetime) >= now);
	const latest = Math.max(now, ...upcoming.map((a) => Date.parse(a.datetime)));
	// enough fillers that the shop has > 1,000 upcoming appointments before L's
	const fillerCount = Math.max(1_050, 1_001 - upcoming.length + 60);
	const start = Math.ceil((latest + 7 * 86_400_000) / 3_600_000) * 3_600_000;
	const at = (i) => new Date(start + i * 15 * 60_000).toISOString();
	const book = (i, externalId) => ({
		serviceId: shop.services.standard,
		resourceId: shop.resourceIds[0],
		datetime: at(i),
		customer: { firstName: 'Big', lastName: `Shop ${externalId.slice(-3)}`, externalId },
	});
	const appointments = [
		...Array.from({ length: fillerCount }, (_, i) => book(i, fillers[i % FILLER_CUSTOMERS])),
		...Array.from({ length: LATE_COUNT }, (_, i) => book(fillerCount + i, L)),
	];
	const r = await sim.post('/appointments/bulk', { shopId: shop.id, appointments });
	assert.equal(
		r.status,
		201,
		`POST /__sim/appointments/bulk: ${JSON.stringify(r.data).slice(0, 300)}`,
	);
	created.push(...r.data.ids);
	const total = upcoming.length + appointments.length;
	assert.ok(total > 1_000 + LATE_COUNT, `shop 0 has ${total} upcoming appointments`);
	console.log(`# shop 0: ${total} upcoming appointments, L's ${LATE_COUNT} are the latest`);
});

after(async () => {
	await sim.delete('/variants');
	if (created.length) await sim.delete('/appointments/bulk', { data: { ids: created } });
	// the bulk appointments' rows: all of them belong to L and the filler customers
	for (const customerId of [L, ...fillers])
		await deleteRows([{ columnName: 'customerId', condition: 'eq', value: customerId }]).catch(
			(error) => console.error(`# ${error.message}`),
		);
	// the backfill's rows (those W1 or W4 did not rewrite since) and its mark
	for (const lastEvent of ['BACKFILL', 'INDEX_COMPLETE'])
		await deleteRows([{ columnName: 'lastEvent', condition: 'eq', value: lastEvent }]).catch(
			(error) => console.error(`# ${error.message}`),
		);
	await settle().catch((error) => console.error(`# ${error.message}`));
});

describe('My Page in a shop with more than 1,000 upcoming appointments', () => {
	test('before the backfill, W4 walks the shop (10 pages of 100) and cannot reach the latest customer', async (t) => {
		const marks = await dataTableRows(await linksTable(), {
			type: 'and',
			filters: [{ columnName: 'lastEvent', condition: 'eq', value: 'INDEX_COMPLETE' }],
		});
		if (marks.length) return t.skip('the index of shop 0 is already marked complete');
		const { answer, calls, withIds } = await listAs(L);
		assert.deepEqual(ids(answer), [], "the walk stops at 1,000: none of L's appointments");
		assert.equal(withIds.length, 0);
		assert.equal(calls.length, 10, 'Max Pages = 10 calls of 100');
	});

	test('the backfill workflow runs unmodified and fills the index, with counts', async () => {
		const started = Date.now();
		// as a merchant runs it: Execute workflow in the editor (the REST manual run), from its Manual Trigger
		const { execution } = await runSetupWorkflow({
			rest: n8nOwner(),
			api,
			workflowId: workflowByFile(BACKFILL_FILE).id,
			trigger: 'Run once to fill the index',
			timeoutMs: 600_000,
		});
		const summaries = execution.data.resultData.runData.Summary[0].data.main[0].map((i) => i.json);
		assert.equal(summaries.length, 1, 'one shop');
		const [summary] = summaries;
		console.log(`# backfill: ${JSON.stringify(summary)} in ${Date.now() - started} ms`);
		assert.equal(summary.shopId, shop.id);
		assert.ok(summary.appointments > 1_000 + LATE_COUNT);
		assert.equal(summary.rowsWritten, summary.appointments);
		const rowsOut = execution.data.resultData.runData['Rows for the index'][0].data.main[0];
		assert.equal(rowsOut.at(-1).json.progress, `${summary.appointments} / ${summary.appointments}`);
		const rowsOfL = await dataTableRows(await linksTable(), {
			type: 'and',
			filters: [{ columnName: 'customerId', condition: 'eq', value: L }],
		});
		assert.equal(rowsOfL.length, LATE_COUNT);
		const [mark] = await dataTableRows(await linksTable(), {
			type: 'and',
			filters: [
				{ columnName: 'appointmentId', condition: 'eq', value: `index-complete:${shop.id}` },
			],
		});
		assert.equal(mark?.lastEvent, 'INDEX_COMPLETE');
	});

	test('the latest customer sees all of theirs, in at most 2 Sesami calls', async () => {
		const expected = await upcomingOf(L);
		assert.equal(expected.length, LATE_COUNT);
		const { answer, calls, withIds } = await listAs(L);
		assert.deepEqual(ids(answer), expected);
		assert.ok(calls.length <= 2, `${calls.length} Sesami calls`);
		assert.equal(withIds.length, 1);
	});

	test('other customers see exactly theirs (B, and a filler customer with ~90)', async () => {
		for (const customerId of [B.id, fillers[0]]) {
			const expected = await upcomingOf(customerId);
			const { answer, calls } = await listAs(customerId);
			assert.deepEqual(ids(answer), expected, `customer ${customerId}`);
			assert.ok(
				calls.length <= 2,
				`${calls.length} Sesami calls for ${expected.length} appointments`,
			);
		}
	});

	test("a row saying B's appointment is L's does not show it to L", async () => {
		const [ofB] = await appointmentsOf(B.id);
		assert.ok(ofB, 'B has an upcoming appointment');
		const r = await api.post(`/data-tables/${await linksTable()}/rows`, {
			data: [{ appointmentId: ofB.id, shopId: shop.id, customerId: L, lastEvent: 'FORGED' }],
			returnType: 'count',
		});
		assert.equal(r.status, 200, JSON.stringify(r.data));
		try {
			const { answer } = await listAs(L);
			assert.deepEqual(ids(answer), await upcomingOf(L));
			assert.ok(!ids(answer).includes(ofB.id));
		} finally {
			await deleteRows([{ columnName: 'lastEvent', condition: 'eq', value: 'FORGED' }]);
		}
	});

	test('variant arrayQuery=brackets-only (repeated keys and commas ignored, the list unfiltered): L still sees exactly theirs', async () => {
		const set = await sim.post('/variants', { arrayQuery: 'brackets-only' });
		assert.equal(set.status, 200);
		try {
			const { answer, withIds } = await listAs(L);
			assert.deepEqual(ids(answer), await upcomingOf(L));
			assert.equal(withIds.length, 3, 'repeated keys, commas, then brackets');
			console.log('variant arrayQuery=brackets-only: ok');
		} finally {
			await sim.delete('/variants');
		}
	});
});
