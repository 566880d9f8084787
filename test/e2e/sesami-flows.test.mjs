// End-to-end: Sesami Flows -> the Sesami Trigger in a real n8n 2.41.1 -> the imported example workflows
// workflows/sesami-flows-to-stored-links.json (one Data Table row per appointment)
// and workflows/sesami-portal-emails.json (one email per appointment and event, real SMTP).
// The simulator fires the Flows the trigger registered when the runner published sesami-flows-to-stored-links.json / sesami-portal-emails.json.
// Run through `npm run test:e2e` (test/run-all.mjs), which provides E2E_CONTEXT.
//
// Leaves behind: sesami-flows-to-stored-links.json and sesami-portal-emails.json published (as the runner left them), default Flow-delivery switches,
// nothing pending in the simulator, and ~70 new appointments in shop 0 (one cancelled), which
// sesami.test.mjs tolerates (it counts upcoming appointments before and after its own run).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import axios from 'axios';
import {
	assertSucceeded,
	dataTableId,
	dataTableRows,
	executionNodeOutput,
	executionWithData,
	executionsSince,
	getContext,
	lastExecutionId,
	n8nApi,
	n8nOwner,
	simControl,
	simShop,
	smtpMessages,
	waitFor,
	waitForFlowsSettled,
	workflowByFile,
} from './lib/context.mjs';
import { waitForPublication, webhookRegistered } from './lib/n8n.mjs';
import {
	SECRET_HEADER,
	ensurePublished,
	flowSecret,
	flowsOf,
	simFlows,
	waitUntilReceiving,
} from './lib/flows.mjs';

const require = createRequire(import.meta.url);
const { renderTemplate, templateVariables } = require('../sim/sesami/flows.js');

const W1_FILE = 'sesami-flows-to-stored-links.json';
const W2_FILE = 'sesami-portal-emails.json';
const TRIGGER_NODE = 'Sesami Trigger';
const LINKS_TABLE = 'Sesami appointment links';
const EMAILS_TABLE = 'Sesami portal emails sent';
const W1_EVENTS = ['APPOINTMENT_CANCELLED', 'APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED'];
const W2_EVENTS = ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED'];
const BULK = 50;
/** Generous but bounded: the ~250 webhook executions of the bulk test settle in 30-45 s here (2 CPUs). */
const BULK_SETTLE_MS = 240_000;

const ctx = getContext();
const api = n8nApi();
const sim = simControl();
const shop = simShop(0);
const run = crypto.randomBytes(3).toString('hex'); // keeps this run's customers apart from any other
const customerFor = (tag, extra = {}) => ({
	firstName: 'Flow',
	lastName: `Tester ${tag}`,
	email: `flows-${run}-${tag}@example.com`,
	...extra,
});

let w1;
let w2;
let linksTable;
let emailsTable;

const byAppointment = (id) => ({
	type: 'and',
	filters: [{ columnName: 'appointmentId', condition: 'eq', value: id }],
});
const sameInstant = (a, b) => Date.parse(a) === Date.parse(b);

async function staticData(wf) {
	const r = await api.get(`/workflows/${wf.id}`);
	assert.equal(r.status, 200, JSON.stringify(r.data));
	return r.data.staticData ?? {};
}

async function createAppointment(body) {
	const r = await sim.post('/appointments', body);
	assert.equal(r.status, 201, `POST /__sim/appointments: ${JSON.stringify(r.data)}`);
	return r.data;
}
async function act(id, action, body) {
	const r = await sim.post(`/appointments/${id}/${action}`, body ?? {});
	assert.equal(
		r.status,
		200,
		`POST /__sim/appointments/${id}/${action}: ${JSON.stringify(r.data)}`,
	);
	return r.data;
}
/** The appointment as the simulator holds it now (internal record: datetime in UTC, status, link). */
async function simAppointment(id) {
	const r = await sim.get(`/state/appointments/${id}`);
	assert.equal(r.status, 200, JSON.stringify(r.data));
	return r.data;
}

/** Deliveries the simulator made (all attempts), optionally of one appointment. */
async function deliveries(params = {}) {
	const r = await sim.get('/deliveries', { params });
	assert.equal(r.status, 200);
	return r.data;
}

/** Every sesami-flows-to-stored-links.json / sesami-portal-emails.json execution after `afterId` finished with success (the n8n error when not). */
async function assertAllSucceeded(executionsByWorkflow) {
	for (const [workflowId, list] of Object.entries(executionsByWorkflow))
		await assertSucceeded(list, `workflow ${workflowId}`);
}

async function settle(afterId, expected = {}, timeoutMs = 60_000) {
	const seen = await waitForFlowsSettled({
		workflowIds: [w1.id, w2.id],
		afterId,
		expected,
		timeoutMs,
	});
	await assertAllSucceeded(seen);
	return seen;
}

before(async () => {
	w1 = workflowByFile(W1_FILE);
	w2 = workflowByFile(W2_FILE);
	assert.ok(
		w1.active && w2.active,
		`the runner published sesami-flows-to-stored-links.json (${w1.active}) and sesami-portal-emails.json (${w2.active})`,
	);
	assert.equal(w1.webhookUrls.length, 1);
	assert.equal(w2.webhookUrls.length, 1);
	linksTable = await dataTableId(LINKS_TABLE);
	emailsTable = await dataTableId(EMAILS_TABLE);
	const r = await sim.delete('/flow-delivery');
	assert.equal(r.status, 200);
	await waitUntilReceiving(w1, W1_EVENTS);
	await waitUntilReceiving(w2, W2_EVENTS);
});

after(async () => {
	// Whatever happened: default delivery switches, nothing held, sesami-flows-to-stored-links.json published, executions done.
	await sim.delete('/flow-delivery');
	await sim.post('/flow-delivery/flush');
	await ensurePublished(w1, W1_EVENTS).catch((error) =>
		console.error(`# could not re-publish sesami-flows-to-stored-links.json: ${error.message}`),
	);
	await waitForFlowsSettled({ workflowIds: [w1.id, w2.id], timeoutMs: BULK_SETTLE_MS }).catch(
		(error) => console.error(`# ${error.message}`),
	);
});

// ---------------------------------------------------------------------------------------------
describe('Automatic registration of Sesami Flows', () => {
	test('publishing sesami-flows-to-stored-links.json and sesami-portal-emails.json created their WEBHOOK Flows in the simulator, with a secret header', async () => {
		const flows = await simFlows();
		for (const [wf, events] of [
			[w1, W1_EVENTS],
			[w2, W2_EVENTS],
		]) {
			const mine = flowsOf(flows, wf);
			assert.deepEqual(
				mine.map((f) => f.trigger).sort(),
				events,
				`${wf.name}: Flows ${JSON.stringify(mine.map((f) => [f.trigger, f.target]))}`,
			);
			const secret = await flowSecret(wf);
			assert.match(String(secret), /^[0-9a-f]{64}$/, `${wf.name}: the Flows send a 256-bit secret`);
			assert.ok(
				!JSON.stringify(await staticData(wf)).includes(secret),
				`${wf.name}: the secret is not stored in the workflow`,
			);
			for (const f of mine) {
				assert.equal(f.status, true, `${f.trigger} Flow is active`);
				assert.equal(f.when?.unit, 'IMMEDIATELY');
				// the secret also rides in the URL, for a Sesami that drops or rewrites Flow headers
				assert.equal(f.target, `${wf.webhookUrls[0].url}?event=${f.trigger}&token=${secret}`);
				assert.ok(
					f.target.startsWith(`${ctx.n8nUrl}/webhook/`),
					`target ${f.target} is n8n's production URL (WEBHOOK_URL = 127.0.0.1)`,
				);
				const headers = JSON.parse(f.template.headers);
				assert.equal(
					headers[SECRET_HEADER],
					secret,
					`${f.trigger} Flow sends the secret in ${SECRET_HEADER}`,
				);
				assert.ok(
					String(f.template.body).includes('{{AppointmentId}}'),
					'the Flow body is the package template',
				);
			}
		}
		assert.notEqual(await flowSecret(w1), await flowSecret(w2), 'each workflow has its own secret');
	});

	test('unpublishing sesami-flows-to-stored-links.json deletes its Flows (only its own); publishing again recreates them', async () => {
		const before = flowsOf(await simFlows(), w1);
		const oldSecret = await flowSecret(w1);
		try {
			const off = await api.post(`/workflows/${w1.id}/unpublish`, {});
			assert.equal(off.status, 200, JSON.stringify(off.data));
			await waitFor(async () => flowsOf(await simFlows(), w1).length === 0, {
				timeoutMs: 15_000,
				message: "sesami-flows-to-stored-links.json's Flows deleted",
			});
			const flows = await simFlows();
			assert.equal(
				flowsOf(flows, w2).length,
				W2_EVENTS.length,
				"sesami-portal-emails.json's Flows are untouched",
			);
			assert.ok(
				!flows.some((f) => before.some((b) => b.id === f.id)),
				'the deleted Flows are gone by id',
			);
			await waitFor(async () => !(await webhookRegistered(w1.webhookUrls[0].url, 'POST')), {
				timeoutMs: 15_000,
				message: 'sesami-flows-to-stored-links.json webhook unregistered',
			});
		} finally {
			await ensurePublished(w1, W1_EVENTS);
		}
		const again = flowsOf(await simFlows(), w1);
		assert.deepEqual(again.map((f) => f.trigger).sort(), W1_EVENTS);
		assert.ok(!again.some((f) => before.some((b) => b.id === f.id)), 'new Flows, not the old ones');
		const secret = await flowSecret(w1);
		assert.match(String(secret), /^[0-9a-f]{64}$/);
		assert.equal(
			secret,
			oldSecret,
			'the same secret after re-registration (derived, so pushes during activation are not refused)',
		);
		for (const f of again) assert.equal(JSON.parse(f.template.headers)[SECRET_HEADER], secret);
	});

	// Pushes arriving while n8n is still activating sesami-flows-to-stored-links.json (its Flows already exist) must not be refused:
	// the trigger derives the secret instead of storing a new one at each registration.
	test('pushes that arrive while sesami-flows-to-stored-links.json is being published are not rejected', async () => {
		const mark = await lastExecutionId([w1.id, w2.id]);
		const off = await api.post(`/workflows/${w1.id}/unpublish`, {});
		assert.equal(off.status, 200);
		await waitForPublication(n8nOwner(), w1.id);
		await waitFor(async () => flowsOf(await simFlows(), w1).length === 0, {
			timeoutMs: 15_000,
			message: "sesami-flows-to-stored-links.json's Flows deleted",
		});
		const ids = new Set();
		try {
			const on = await api.post(`/workflows/${w1.id}/publish`, {});
			assert.equal(on.status, 200);
			// Book appointments from the moment sesami-flows-to-stored-links.json's first Flow exists until its activation is over.
			let settled = false;
			const publication = waitForPublication(n8nOwner(), w1.id).finally(() => (settled = true));
			await waitFor(async () => flowsOf(await simFlows(), w1).length > 0, {
				timeoutMs: 60_000,
				intervalMs: 20,
				message: "sesami-flows-to-stored-links.json's first Flow",
			});
			for (let i = 0; !settled && i < 15; i++) {
				ids.add((await createAppointment({ customer: customerFor(`activation-${i}`) })).id);
				await new Promise((resolve) => setTimeout(resolve, 40));
			}
			await publication;
		} finally {
			await waitUntilReceiving(w1, W1_EVENTS);
			await waitForFlowsSettled({ workflowIds: [w1.id, w2.id], afterId: mark, timeoutMs: 120_000 });
		}
		const rejected = (await deliveries()).filter(
			(d) =>
				ids.has(d.appointmentId) && d.target.startsWith(w1.webhookUrls[0].url) && d.status !== 200,
		);
		assert.ok(
			ids.size > 0,
			'some appointments were booked while sesami-flows-to-stored-links.json was being activated',
		);
		assert.deepEqual(
			rejected.map((d) => `${d.trigger} ${d.status} ${d.responseBody ?? d.error}`),
			[],
			`${rejected.length} of the ${ids.size} pushes sent during the activation were rejected`,
		);
	});
});

// ---------------------------------------------------------------------------------------------
describe('sesami-flows-to-stored-links.json: created -> rescheduled -> cancelled ends as one stored row', () => {
	test('each step updates the same row; the last one marks it cancelled, with the final start and link', async () => {
		let mark = await lastExecutionId([w1.id, w2.id]);
		const created = await createAppointment({ customer: customerFor('sequence') });
		const id = created.id;
		await settle(mark, { [w1.id]: 1, [w2.id]: 1 });

		let rows = await dataTableRows(linksTable, byAppointment(id));
		assert.equal(rows.length, 1, `after created: ${JSON.stringify(rows)}`);
		assert.equal(rows[0].status, 'BOOKED');
		assert.equal(rows[0].cancelled, false);
		assert.ok(
			sameInstant(rows[0].start, created.datetime),
			`start ${rows[0].start} vs ${created.datetime}`,
		);

		mark = await lastExecutionId([w1.id, w2.id]);
		const moved = await act(id, 'reschedule');
		assert.ok(!sameInstant(moved.datetime, created.datetime), 'the simulator moved it');
		await settle(mark, { [w1.id]: 1, [w2.id]: 1 });
		rows = await dataTableRows(linksTable, byAppointment(id));
		assert.equal(rows.length, 1, `after rescheduled: ${JSON.stringify(rows)}`);
		assert.equal(rows[0].status, 'RESCHEDULED');
		assert.ok(
			sameInstant(rows[0].start, moved.datetime),
			`start ${rows[0].start} vs ${moved.datetime}`,
		);

		mark = await lastExecutionId([w1.id, w2.id]);
		await act(id, 'cancel');
		await settle(mark, { [w1.id]: 1 });
		const final = await simAppointment(id);
		assert.equal(final.status, 'CANCELLED');
		rows = await dataTableRows(linksTable, byAppointment(id));
		assert.equal(rows.length, 1, `one row per appointment: ${JSON.stringify(rows)}`);
		const row = rows[0];
		assert.equal(row.cancelled, true);
		assert.equal(row.status, final.status);
		assert.ok(sameInstant(row.start, final.datetime), `start ${row.start} vs ${final.datetime}`);
		assert.ok(sameInstant(row.startUtc, final.datetime));
		assert.equal(row.customerManagementLink, final.customerManagementLink);
		assert.ok(row.customerManagementLink.includes('&'), 'the stored link is unescaped');
		assert.equal(row.lastEvent, 'APPOINTMENT_CANCELLED');
		assert.equal(row.customerEmail, customerFor('sequence').email);
		assert.equal(row.shopId, shop.id);
		assert.equal(row.orderName, final.orderName);
		// sesami-portal-emails.json listens to created / rescheduled only: the cancellation fired sesami-flows-to-stored-links.json's Flow alone.
		const d = await deliveries({ appointmentId: id });
		assert.deepEqual(
			d.filter((x) => x.trigger === 'APPOINTMENT_CANCELLED').map((x) => x.target.split('?')[0]),
			[w1.webhookUrls[0].url],
		);
	});
});

// ---------------------------------------------------------------------------------------------
describe(`${BULK} appointments with duplicate and out-of-order deliveries`, () => {
	const appointments = []; // simulator answers of the creation
	let settled;
	let sent;
	let messages;
	let rows;
	let runMs;

	before(async () => {
		const t0 = Date.now();
		const mark = await lastExecutionId([w1.id, w2.id]);
		// 25 % of the deliveries get one extra copy; 25 % are held back and sent newest first at the
		// flush, i.e. after the reschedules that followed them.
		// n8n answers a burst of webhook calls slowly (each call and each execution builds a fresh
		// expression isolate; seconds per answer at ~100 in flight on 2 CPUs): the simulator waits for
		// each answer up to 120 s instead of its default 10 s, so a slow answer is not a lost push.
		const set = await sim.post('/flow-delivery', {
			duplicate: 1,
			duplicateRate: 0.25,
			reorder: true,
			reorderRate: 0.25,
			holdMs: 600_000,
			timeoutMs: 120_000,
		});
		assert.equal(set.status, 200, JSON.stringify(set.data));
		try {
			for (let i = 0; i < BULK; i++)
				appointments.push(await createAppointment({ customer: customerFor(`bulk-${i}`) }));
			for (const a of appointments) await act(a.id, 'reschedule');
			const f = await sim.post('/flow-delivery/flush');
			assert.equal(f.status, 200);
		} finally {
			await sim.delete('/flow-delivery'); // default switches (sends anything still held)
		}
		const ids = new Set(appointments.map((a) => a.id));
		sent = (await deliveries()).filter((d) => ids.has(d.appointmentId));
		const started = (wf) =>
			sent.filter((d) => d.target.startsWith(wf.webhookUrls[0].url) && d.status === 200).length;
		settled = await waitForFlowsSettled({
			workflowIds: [w1.id, w2.id],
			afterId: mark,
			expected: { [w1.id]: started(w1), [w2.id]: started(w2) },
			timeoutMs: BULK_SETTLE_MS,
		});
		sent = (await deliveries()).filter((d) => ids.has(d.appointmentId));
		rows = (await dataTableRows(linksTable)).filter((r) => ids.has(r.appointmentId));
		const emails = new Set(appointments.map((a) => a.customer.email));
		messages = (await smtpMessages()).filter((m) => m.to.some((to) => emails.has(to)));
		runMs = Date.now() - t0;
		const ms = sent.map((d) => d.durationMs).sort((a, b) => a - b);
		console.log(
			`bulk: webhook answer times p50 ${ms[Math.floor(ms.length / 2)]} ms, p90 ${ms[Math.floor(ms.length * 0.9)]} ms, max ${ms[ms.length - 1]} ms`,
		);
		console.log(
			`bulk: ${appointments.length} appointments, ${sent.length} deliveries (${sent.filter((d) => d.copy > 0).length} duplicates), ` +
				`${settled[w1.id].length} sesami-flows-to-stored-links.json + ${settled[w2.id].length} sesami-portal-emails.json executions, ${messages.length} emails, settled in ${runMs} ms`,
		);
	});

	test('the simulator really delivered duplicates and out-of-order pushes, and n8n accepted every one', () => {
		assert.equal(appointments.length, BULK);
		const dupes = sent.filter((d) => d.copy > 0);
		assert.ok(
			dupes.length >= BULK * 4 * 0.1 && dupes.length <= BULK * 4 * 0.45,
			`${dupes.length} duplicate deliveries of ${sent.length}`,
		);
		const outOfOrder = appointments.filter((a) => {
			const toW1 = sent.filter(
				(d) =>
					d.appointmentId === a.id && d.target.startsWith(w1.webhookUrls[0].url) && d.copy === 0,
			);
			const createdAt = toW1.find((d) => d.trigger === 'APPOINTMENT_CREATED')?.at;
			const movedAt = toW1.find((d) => d.trigger === 'APPOINTMENT_RESCHEDULED')?.at;
			return createdAt && movedAt && Date.parse(createdAt) > Date.parse(movedAt);
		});
		assert.ok(
			outOfOrder.length >= 3,
			`only ${outOfOrder.length} appointments had their "created" push arrive after the "rescheduled" one`,
		);
		const rejected = sent.filter((d) => d.status !== 200);
		assert.deepEqual(
			rejected.map((d) => `${d.trigger} ${d.status} ${d.responseBody ?? d.error}`),
			[],
		);
		assert.equal(
			sent.length,
			BULK * 4 + dupes.length,
			'created + rescheduled to sesami-flows-to-stored-links.json and sesami-portal-emails.json, plus the copies',
		);
	});

	test('every sesami-flows-to-stored-links.json and sesami-portal-emails.json execution succeeded', async () => {
		await assertAllSucceeded(settled);
		assert.equal(
			settled[w1.id].length,
			BULK * 2 +
				sent.filter((d) => d.copy > 0 && d.target.startsWith(w1.webhookUrls[0].url)).length,
		);
	});

	test(`exactly ${BULK} rows in "${LINKS_TABLE}", each with the latest state and the management link`, async () => {
		assert.equal(rows.length, BULK, `rows for the ${BULK} appointments: ${rows.length}`);
		assert.equal(new Set(rows.map((r) => r.appointmentId)).size, BULK, 'one row per appointment');
		for (const a of appointments) {
			const now = await simAppointment(a.id);
			const row = rows.find((r) => r.appointmentId === a.id);
			assert.ok(row, `no row for ${a.id}`);
			assert.equal(row.status, 'RESCHEDULED', `${a.id}: ${JSON.stringify(row)}`);
			assert.equal(row.status, now.status);
			assert.equal(row.cancelled, false);
			assert.ok(
				sameInstant(row.start, now.datetime),
				`${a.id}: stored start ${row.start}, simulator ${now.datetime}`,
			);
			assert.ok(
				!sameInstant(row.start, a.datetime),
				`${a.id}: the stored start is the rescheduled one`,
			);
			assert.equal(row.customerManagementLink, now.customerManagementLink);
			assert.equal(row.customerEmail, a.customer.email);
		}
	});

	// Every push loads the appointment's current state, so lastEvent comes from that state (its
	// events), not from whichever push happened to arrive last.
	test("each row's lastEvent agrees with its state (APPOINTMENT_RESCHEDULED)", () => {
		const wrong = rows.filter((r) => r.lastEvent !== 'APPOINTMENT_RESCHEDULED');
		assert.deepEqual(
			wrong.map((r) => `${r.appointmentId} ${r.status} ${r.lastEvent}`),
			[],
			`${wrong.length} of ${rows.length} rows`,
		);
	});

	test(`exactly one email per (appointment, event): ${BULK * 2} emails, to the right customer, with the right link in HTML and text`, async () => {
		assert.equal(messages.length, BULK * 2, `emails to the ${BULK} customers: ${messages.length}`);
		const hrefs = (html) =>
			[...html.matchAll(/href\s*=\s*"([^"]*)"/gi)].map((m) =>
				m[1].replace(/&amp;/g, '&').replace(/&#x3D;|&#61;/gi, '='),
			);
		for (const a of appointments) {
			const now = await simAppointment(a.id);
			const link = now.customerManagementLink;
			const mine = messages.filter((m) => m.to.includes(a.customer.email));
			assert.equal(
				mine.length,
				2,
				`${a.id} (${a.customer.email}): ${mine.length} emails: ${mine.map((m) => m.subject).join(' | ')}`,
			);
			for (const m of mine) {
				assert.deepEqual(m.to, [a.customer.email]);
				assert.ok(
					m.text.includes(link),
					`${a.id}: the text part has the management link ${link}:\n${m.text}`,
				);
				assert.ok(m.html, `${a.id}: the email has an HTML part`);
				assert.ok(
					hrefs(m.html).includes(link),
					`${a.id}: an HTML link points at ${link}: ${hrefs(m.html).join(', ')}`,
				);
				assert.ok(!m.text.includes('&amp;'), 'the text part is not HTML-escaped');
			}
			// One "booked" and one "moved" email (the subjects of sesami-portal-emails.json's template).
			assert.equal(
				new Set(mine.map((m) => m.subject.split(':')[0])).size,
				2,
				`${a.id}: ${mine.map((m) => m.subject).join(' | ')}`,
			);
			assert.ok(
				mine.some((m) => /booked/i.test(m.subject)) &&
					mine.some((m) => /moved|rescheduled/i.test(m.subject)),
				mine.map((m) => m.subject).join(' | '),
			);
		}
		// sesami-portal-emails.json's own log agrees: one row per (appointment, event).
		const ids = new Set(appointments.map((a) => a.id));
		const logged = (await dataTableRows(emailsTable)).filter((r) => ids.has(r.appointmentId));
		const keys = logged.map((r) => `${r.appointmentId}|${r.event}`);
		assert.equal(keys.length, BULK * 2, `"${EMAILS_TABLE}" rows: ${keys.length}`);
		assert.equal(new Set(keys).size, BULK * 2, 'no (appointment, event) logged twice');
	});
});

// ---------------------------------------------------------------------------------------------
describe("sesami-flows-to-stored-links.json's webhook: secret check and tolerant parsing", () => {
	let url;
	let mark;
	before(async () => {
		url = w1.webhookUrls[0].url;
		await waitForFlowsSettled({ workflowIds: [w1.id, w2.id], timeoutMs: BULK_SETTLE_MS });
		mark = await lastExecutionId(w1.id);
	});

	const post = (body, headers = {}, event = 'APPOINTMENT_CREATED') =>
		axios.post(`${url}?event=${event}`, body, {
			headers: { 'content-type': 'application/json', ...headers },
			transformRequest: [(d) => d], // the body goes out exactly as written
			validateStatus: () => true,
			timeout: 30_000,
		});

	async function assertNoNewExecution(what) {
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const since = await executionsSince(w1.id, mark);
		assert.deepEqual(
			since.map((e) => `${e.id} ${e.status}`),
			[],
			`${what} started an execution of sesami-flows-to-stored-links.json`,
		);
	}

	test('a wrong secret gets 401 and starts no execution', async () => {
		const body = JSON.stringify({
			appointmentId: appointmentIdForProbe(),
			customerEmail: 'x@example.com',
		});
		const r = await post(body, { [SECRET_HEADER]: crypto.randomBytes(32).toString('hex') });
		assert.equal(r.status, 401, JSON.stringify(r.data));
		assert.match(JSON.stringify(r.data), new RegExp(SECRET_HEADER));
		const almost = await flowSecret(w1);
		const r2 = await post(body, {
			[SECRET_HEADER]: almost.slice(0, -1) + (almost.endsWith('0') ? '1' : '0'),
		});
		assert.equal(r2.status, 401, 'one character off');
		await assertNoNewExecution('a wrong secret');
	});

	test('a missing secret header gets 401 and starts no execution', async () => {
		const r = await post(JSON.stringify({ appointmentId: appointmentIdForProbe() }));
		assert.equal(r.status, 401, JSON.stringify(r.data));
		const r2 = await post(JSON.stringify({ appointmentId: appointmentIdForProbe() }), {
			[SECRET_HEADER]: '',
		});
		assert.equal(r2.status, 401, 'an empty header');
		await assertNoNewExecution('a missing secret');
	});

	test('a malformed body with the right secret gets 400 with a reason and starts no execution', async () => {
		const secret = await flowSecret(w1);
		for (const body of [
			'{"appointmentId": "abc", "customerName": "Ada" "x": }}',
			'',
			'appointmentId=abc',
			'["not", "an", "object"]',
		]) {
			const r = await post(body, { [SECRET_HEADER]: secret });
			assert.equal(
				r.status,
				400,
				`${JSON.stringify(body)} -> ${r.status} ${JSON.stringify(r.data)}`,
			);
			assert.equal(typeof r.data?.reason, 'string', JSON.stringify(r.data));
			assert.ok(r.data.reason.length > 10, `a reason: ${JSON.stringify(r.data)}`);
		}
		await assertNoNewExecution('a malformed body');
	});

	test("Sesami's rendering quirks (comma-less #each, &amp; and other entities, trailing comma, numbers as strings) are repaired", async () => {
		// A real appointment whose customer's name needs escaping, and its Handlebars rendering
		// through the simulator's renderer (the one its Flows use) of a merchant-style template.
		const created = await createAppointment({
			customer: customerFor('quirks', { firstName: 'Zoë', lastName: "O'Brien & Co" }),
			lineItemProperties: [
				{ name: 'Date', value: '2026-12-01' },
				{ name: 'Note', value: 'Allergic to <latex> & "nuts"' },
				{ name: 'First visit?', value: 'yes' },
			],
		});
		await waitForFlowsSettled({ workflowIds: [w1.id, w2.id], timeoutMs: 60_000 });
		mark = await lastExecutionId(w1.id);
		const template = [
			'{',
			'  "appointmentId": "{{AppointmentId}}",',
			'  "customerName": "{{CustomerName}}",',
			'  "customerEmail": "{{CustomerEmail}}",',
			'  "start": "{{DateTimeInUTC}}",',
			'  "managementLink": "{{CustomerManagementLink}}",',
			'  "price": "{{Price}}",',
			'  "answers": [{{#each LineItemProperties}}{"name": "{{name}}", "value": "{{value}}"}{{/each}}],',
			'}',
		].join('\n');
		const state = {};
		for (const c of ['shops', 'services', 'locations', 'resources'])
			state[c] = (await sim.get(`/state/${c}`)).data;
		const internal = await simAppointment(created.id);
		const body = renderTemplate(
			template,
			templateVariables(state, internal, 'APPOINTMENT_CREATED'),
			{ shopTimezone: shop.timezone },
		);
		assert.ok(
			body.includes('&amp;') && body.includes('}{"name"'),
			`the rendering has the quirks:\n${body}`,
		);
		assert.throws(() => JSON.parse(body), 'not strict JSON');

		const r = await post(body, { [SECRET_HEADER]: await flowSecret(w1) });
		assert.equal(r.status, 200, JSON.stringify(r.data));
		assert.equal(r.data?.received, true);
		const [execution] = await waitFor(
			async () => {
				const list = await executionsSince(w1.id, mark);
				return list.length && list.every((e) => e.stoppedAt) ? list : null;
			},
			{
				timeoutMs: 30_000,
				message: 'the sesami-flows-to-stored-links.json execution of the quirky push',
			},
		);
		assert.equal(execution.status, 'success');
		const full = await executionWithData(execution.id);
		const [item] = executionNodeOutput(full, TRIGGER_NODE) ?? [];
		assert.ok(item, `no ${TRIGGER_NODE} output in execution ${execution.id}`);
		assert.equal(item.event, 'APPOINTMENT_CREATED');
		assert.equal(item.appointmentId, created.id);
		assert.equal(item.customer?.name, "Zoë O'Brien & Co");
		assert.equal(item.customer?.email, customerFor('quirks').email);
		assert.equal(
			item.customerManagementLink,
			internal.customerManagementLink,
			'the link is unescaped (&amp; -> &, &#x3D; -> =)',
		);
		assert.ok(sameInstant(item.startUtc, internal.datetime), `startUtc ${item.startUtc}`);
		assert.equal(typeof item.price, 'number');
		assert.equal(item.raw?.managementLink, internal.customerManagementLink);
		assert.deepEqual(item.raw?.answers, [
			{ name: 'Date', value: '2026-12-01' },
			{ name: 'Note', value: 'Allergic to <latex> & "nuts"' },
			{ name: 'First visit?', value: 'yes' },
		]);
		assert.ok(
			Array.isArray(item.repairs) && item.repairs.length >= 1,
			`repairs: ${JSON.stringify(item.repairs)}`,
		);
		// ...and sesami-flows-to-stored-links.json stored the unescaped link.
		const rows = await dataTableRows(linksTable, byAppointment(created.id));
		assert.equal(rows.length, 1);
		assert.equal(rows[0].customerManagementLink, internal.customerManagementLink);
	});
});

/** Some appointment id of shop 0 (what a probe would carry; the secret check comes first anyway). */
function appointmentIdForProbe() {
	return ctx.fixtures.shops[0].appointments?.upcoming ?? 'a'.repeat(24);
}

// The workflow files these tests drive (a renamed node would break the static-data lookups above).
test('sesami-flows-to-stored-links.json and sesami-portal-emails.json are the imported workflow files, with the Sesami Trigger in Automatic mode', () => {
	for (const file of [W1_FILE, W2_FILE]) {
		const json = JSON.parse(
			fs.readFileSync(new URL(`../../workflows/${file}`, import.meta.url), 'utf8'),
		);
		const trigger = json.nodes.find((n) => n.name === TRIGGER_NODE);
		assert.equal(trigger?.type, 'n8n-nodes-sesami-imin.sesamiTrigger', file);
		assert.equal(trigger.parameters.registration, 'automatic', file);
	}
});
