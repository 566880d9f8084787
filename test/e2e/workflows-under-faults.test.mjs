// End-to-end: the example workflows in the real n8n while the simulators inject faults into the
// Sesami and imin APIs (their control endpoints, test/sim/lib/faults.js): 429 with Retry-After, 500,
// dropped connections and slow answers, counted (never random).
//
// The package's HTTP layer (nodes/shared/httpRetry.ts) makes at most 4 attempts per request and waits
// at most 30 s at a time and 60 s in all. Within those bounds every workflow must finish with the
// right result; beyond them the execution fails with the node's NodeApiError (public API, execution
// data) or, for a webhook trigger, the sender gets a 5xx and re-sends; a failed run writes nothing to
// the Data Tables, and the run after it writes the full, correct state.
//
// - sesami-flows-to-stored-links.json (Sesami Trigger, Fetch Full Appointment -> "Sesami appointment links"): cancellations (sesami-flows-to-stored-links.json is
//   the only workflow listening to them) with faults on the appointment GET.
// - sesami-flows-to-stored-links.json + sesami-portal-emails.json (portal emails) on a creation whose first deliveries fail: the re-sent pushes store one
//   row and send one email.
// - sesami-my-page-backend.json (My Page backend): cancel through the signed App Proxy with faults on the ownership GET and
//   the cancel POST.
// - The appointments report (manual, `n8n execute`): faults on the appointment list.
// - imin-firehose-checkout-links.json (imin Firehose -> checkout links): faults on the two feeds at the minute polls; runs alongside
//   the Sesami scenarios (another simulator), and its tests come last.
//
// The file name sorts after the other e2e files on purpose: they assert that every imin-firehose-checkout-links.json execution
// succeeded and validate every recorded Sesami exchange against the OpenAPI document, which
// injected faults would break. Leaves behind: a few cancelled / created appointments in shop 0, their
// rows and emails, some failed executions of sesami-flows-to-stored-links.json, sesami-portal-emails.json, imin-firehose-checkout-links.json and the report, ticks in the imin feeds, no
// fault switched on and the default Flow delivery settings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
	dataTableId,
	dataTableRows,
	executeWorkflow,
	executionWithData,
	executionsSince,
	getContext,
	iminControl,
	iminRequests,
	lastExecutionId,
	n8nApi,
	nodeOutput,
	simControl,
	simExchanges,
	simListAll,
	simShop,
	smtpMessages,
	waitFor,
	waitForFlowsSettled,
	workflowByFile,
} from './lib/context.mjs';
import { asCustomer, createAppointment, customerA, simAppointment } from './lib/my-page.mjs';

const sim = simControl();
const imin = iminControl();
const shop = simShop(0);
const storedLinksWf = workflowByFile('sesami-flows-to-stored-links.json');
const portalEmailsWf = workflowByFile('sesami-portal-emails.json');
const myPageWf = workflowByFile('sesami-my-page-backend.json');
const firehoseWf = workflowByFile('imin-firehose-checkout-links.json');
const REPORT = workflowByFile('sesami-appointments-report.json');
const LINKS = 'Sesami appointment links';
const EMAILS_LOG = 'Sesami portal emails sent';
const SERIES = 'imin firehose series';
const SESSIONS = 'imin checkout links';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const timings = {};
const timed = async (name, fn) => {
	const t0 = Date.now();
	try {
		return await fn();
	} finally {
		timings[name] = Math.round((Date.now() - t0) / 100) / 10;
	}
};

async function setSesamiFaults(faults) {
	const r = await sim.post('/faults', faults);
	assert.equal(r.status, 200, `POST /__sim/faults: ${JSON.stringify(r.data)}`);
	return r.data.faults;
}
async function setIminFaults(faults) {
	const r = await imin.post('/faults', faults);
	assert.equal(r.status, 200, `POST imin /__sim/faults: ${JSON.stringify(r.data)}`);
	return r.data.faults;
}
const appointmentPath = (id) => `/${shop.id}/appointments/${id}`;

/** Upcoming BOOKED appointments of shop 0 that nothing else in the suite touches (simulator state). */
async function freshAppointments(n, exclude = new Set()) {
	const r = await sim.get('/state/appointments', { params: { shopId: shop.id } });
	assert.equal(r.status, 200);
	const soon = Date.now() + 2 * 86400_000;
	const list = r.data
		.filter((a) => a.status === 'BOOKED' && Date.parse(a.datetime) > soon && !exclude.has(a.id))
		.slice(-n);
	assert.equal(list.length, n, `${n} upcoming booked appointments in the simulator`);
	return list;
}

/** Cancels in Sesami directly (staff): fires APPOINTMENT_CANCELLED, which only sesami-flows-to-stored-links.json listens to. */
async function staffCancel(id) {
	const r = await sim.post(`/appointments/${id}/cancel`, {});
	assert.equal(r.status, 200, `POST /__sim/appointments/${id}/cancel: ${JSON.stringify(r.data)}`);
	return r.data;
}

/**
 * Flow deliveries of an appointment to one workflow's webhook, since `sinceIso` (freshAppointments
 * may pick appointments an earlier e2e file created, whose created / rescheduled pushes sesami-flows-to-stored-links.json already
 * answered).
 */
async function deliveriesTo(workflow, appointmentId, sinceIso = '') {
	const r = await sim.get('/deliveries', { params: { appointmentId } });
	assert.equal(r.status, 200);
	const url = workflow.webhookUrls[0].url;
	return r.data.filter((d) => d.target.startsWith(url) && d.at >= sinceIso);
}

/** n8n's GETs of one Sesami path (not the suite's own), oldest first. */
async function sesamiGets(path, sinceIso) {
	return (await simExchanges()).filter(
		(e) =>
			e.method === 'GET' &&
			e.path === path &&
			e.at >= sinceIso &&
			e.headers?.['user-agent'] !== 'n8n-nodes-sesami-imin-e2e-suite',
	);
}

/** Executions after `afterId`, once none is unfinished and at least `atLeast` exist. */
async function finished(workflowId, afterId, { atLeast = 1, timeoutMs = 90_000 } = {}) {
	let list = [];
	await waitFor(
		async () => {
			list = await executionsSince(workflowId, afterId);
			return (
				list.length >= atLeast &&
				list.every((e) => e.stoppedAt && !['new', 'running', 'waiting'].includes(e.status))
			);
		},
		{
			timeoutMs,
			intervalMs: 400,
			message: `${atLeast} finished execution(s) of ${workflowId} after #${afterId}`,
		},
	);
	return list;
}

/** The error an execution ended with, from its run data (public API, includeData). */
async function executionError(id) {
	const full = await executionWithData(id);
	return {
		status: full.status,
		error: full.data?.resultData?.error,
		lastNode: full.data?.resultData?.lastNodeExecuted,
		full,
	};
}

const rowsOf = async (table) => dataTableRows(await dataTableId(table));
const byKey = (rows, key) => new Map(rows.map((r) => [String(r[key]), r]));
/** A table's rows without n8n's bookkeeping (id, createdAt, updatedAt), sorted by `key`. */
const content = (rows, key) =>
	rows
		.map(({ id, createdAt, updatedAt, ...rest }) => rest)
		.sort((a, b) => String(a[key]).localeCompare(String(b[key])));

// ---------------------------------------------------------------------------------------------
// imin-firehose-checkout-links.json runs on the minute polls of its two Firehose triggers: it is driven in the background while
// the Sesami scenarios run, and asserted at the end.

const iminPhases = {};
const feedGets = async (feed, sinceIso) =>
	(await iminRequests(`/firehose/${feed}`)).filter((r) => r.method === 'GET' && r.at >= sinceIso);
const isEndPage = (r) => r.status === 200 && r.responseBody?.itemCount === 0;

/** Ticks the imin feeds until the changes touch both sessions and series (deleted and updated ones). */
async function tickBoth() {
	const changes = [];
	for (let i = 0; i < 6; i++) {
		const r = await imin.post('/tick', { n: 6 });
		assert.equal(r.status, 200);
		changes.push(...r.data.changes);
		const sessions = changes.filter((c) => c.feed === 'scheduled-sessions');
		const series = changes.filter((c) => c.feed === 'session-series');
		if (sessions.length && series.length) return changes;
	}
	assert.fail(
		`ticks touched no session or no series: ${JSON.stringify(changes.map((c) => [c.feed, c.state]))}`,
	);
}
/** The last change per item of one feed. */
const lastChanges = (changes, feed) => [
	...new Map(changes.filter((c) => c.feed === feed).map((c) => [c.id, c])).values(),
];

/** Whether the table holds the changes: updated items with their `modified`, deleted ones gone. */
function sessionsHold(rows, changes) {
	const rowsById = byKey(rows, 'sessionId');
	return lastChanges(changes, 'scheduled-sessions').every((c) => {
		const row = rowsById.get(String(c.id));
		if (c.state === 'deleted') return !row;
		return row && String(JSON.parse(row.dataJson).modified) === String(c.modified);
	});
}
function seriesHold(rows, changes) {
	const rowsById = byKey(rows, 'seriesId');
	return lastChanges(changes, 'session-series').every((c) => {
		const row = rowsById.get(String(c.id));
		if (c.state === 'deleted') return !row;
		return row && String(row.modified) === String(c.modified);
	});
}

async function w5Quiet(timeoutMs) {
	await waitFor(
		async () => {
			const running = (await executionsSince(firehoseWf.id, 0)).filter((e) => !e.stoppedAt);
			if (running.length) return false;
			for (const feed of ['session-series', 'scheduled-sessions']) {
				const gets = await feedGets(feed, '');
				if (!gets.length || !isEndPage(gets.at(-1))) return false;
			}
			return true;
		},
		{
			timeoutMs,
			intervalMs: 2000,
			message:
				'imin-firehose-checkout-links.json has walked both feeds to their end and runs nothing',
		},
	);
}

function driveW5() {
	const phase = (name, fn) => {
		const p = (iminPhases[name] = timed(`imin-firehose-checkout-links.json ${name}`, fn));
		p.catch(() => {});
		return p;
	};
	const ready = phase('ready', () => w5Quiet(240_000));
	// A: sessions feed: 429 (Retry-After 1 s), 500, a dropped connection, then a slow answer: within
	// the bounds. Series feed: 500 on every request: beyond them.
	const a = ready.then(() =>
		phase('A', async () => {
			const since = new Date().toISOString();
			const mark = await lastExecutionId(firehoseWf.id);
			const seriesBefore = await rowsOf(SERIES);
			const changes = await tickBoth();
			await setIminFaults([
				{
					mode: '429',
					retryAfter: 1,
					count: 1,
					match: { method: 'GET', pathPrefix: '/firehose/scheduled-sessions' },
				},
				{
					mode: '500',
					count: 1,
					match: { method: 'GET', pathPrefix: '/firehose/scheduled-sessions' },
				},
				{
					mode: 'drop',
					count: 1,
					match: { method: 'GET', pathPrefix: '/firehose/scheduled-sessions' },
				},
				{
					mode: 'slow',
					delayMs: 1500,
					count: 1,
					match: { method: 'GET', pathPrefix: '/firehose/scheduled-sessions' },
				},
				{
					mode: '500',
					count: -1,
					match: { method: 'GET', pathPrefix: '/firehose/session-series' },
				},
			]);
			// the sessions' changes arrive and the series poll has failed at least once
			let failedSeries = [];
			await waitFor(
				async () => {
					const list = await executionsSince(firehoseWf.id, mark);
					failedSeries = list.filter((e) => e.status === 'error');
					return (
						failedSeries.length >= 1 &&
						list.every((e) => e.stoppedAt) &&
						sessionsHold(await rowsOf(SESSIONS), changes)
					);
				},
				{
					timeoutMs: 150_000,
					intervalMs: 2000,
					message: "the sessions' changes are stored and the series poll failed",
				},
			);
			const seriesDuring = await rowsOf(SERIES);
			const runs = await executionsSince(firehoseWf.id, mark);
			const errors = await Promise.all(failedSeries.map((e) => executionError(e.id)));
			const sessionGets = await feedGets('scheduled-sessions', since);
			const seriesGets = await feedGets('session-series', since);
			await setIminFaults(null);
			return { changes, seriesBefore, seriesDuring, runs, errors, sessionGets, seriesGets };
		}),
	);
	// B: faults off: the series' changes arrive. Sessions feed: one 429 whose Retry-After (120 s) is
	// beyond the bounds: the poll gives up without retrying and without an error ("come back later").
	const b = a.then(() =>
		phase('B', async () => {
			const since = new Date().toISOString();
			const mark = await lastExecutionId(firehoseWf.id);
			const changesA = (await iminPhases.A).changes;
			let changes = [];
			for (let i = 0; i < 6 && !changes.some((c) => c.feed === 'scheduled-sessions'); i++)
				changes.push(...(await imin.post('/tick', { n: 4 })).data.changes);
			changes = changes.filter((c) => c.feed === 'scheduled-sessions');
			await setIminFaults([
				{
					mode: '429',
					retryAfter: 120,
					count: 1,
					match: { method: 'GET', pathPrefix: '/firehose/scheduled-sessions' },
				},
			]);
			await waitFor(async () => seriesHold(await rowsOf(SERIES), changesA), {
				timeoutMs: 150_000,
				intervalMs: 2000,
				message: "the series' changes are stored once the feed answers again",
			});
			await waitFor(
				async () => (await feedGets('scheduled-sessions', since)).some((r) => r.status === 429),
				{ timeoutMs: 90_000, intervalMs: 2000, message: 'the sessions poll met the 429' },
			);
			await sleep(3000); // a retry, if there were one, would come within the node's bounds
			const gets429 = await feedGets('scheduled-sessions', since);
			const heldBack = sessionsHold(await rowsOf(SESSIONS), changes);
			const runs = await finished(firehoseWf.id, mark, { atLeast: 1 });
			return { changes, gets429, heldBack, runs };
		}),
	);
	// C: the next sessions poll reads from the refused page: the changes arrive.
	phase('C', async () => {
		await b;
		const { changes } = await iminPhases.B;
		const mark = await lastExecutionId(firehoseWf.id);
		await waitFor(async () => sessionsHold(await rowsOf(SESSIONS), changes), {
			timeoutMs: 150_000,
			intervalMs: 2000,
			message: "the sessions' changes held back by the 429 are stored at the next poll",
		});
		return { runs: await finished(firehoseWf.id, mark, { atLeast: 1 }) };
	});
}

before(async () => {
	await setSesamiFaults(null);
	await setIminFaults(null);
	// Deliveries wait for n8n's answer up to 30 s (n8n answers after the trigger fetched the
	// appointment, retries included); a failed one is re-sent twice, 8 s apart.
	const r = await sim.post('/flow-delivery', {
		timeoutMs: 30_000,
		retryOnFailure: { attempts: 3, delayMs: 8000 },
	});
	assert.equal(r.status, 200, JSON.stringify(r.data));
	driveW5();
});

after(async () => {
	await sim.delete('/faults').catch(() => {});
	await imin.delete('/faults').catch(() => {});
	await sim.delete('/flow-delivery').catch(() => {});
	console.log(`# fault scenario timings (s): ${JSON.stringify(timings)}`);
});

// ---------------------------------------------------------------------------------------------
describe('sesami-flows-to-stored-links.json: Sesami Trigger fetching the full appointment', () => {
	test('429 (Retry-After 1 s), 500, a dropped connection and a slow answer: the push is stored', async () => {
		await timed('sesami-flows-to-stored-links.json within bounds', async () => {
			const [a] = await freshAppointments(1);
			const since = new Date().toISOString();
			const mark = await lastExecutionId(storedLinksWf.id);
			const match = { method: 'GET', path: appointmentPath(a.id) };
			await setSesamiFaults([
				{ mode: '429', retryAfter: 1, count: 1, match },
				{ mode: '500', count: 1, match },
				{ mode: 'drop', count: 1, match },
				{ mode: 'slow', delayMs: 1500, count: 1, match },
			]);
			try {
				await staffCancel(a.id);
				const runs = await finished(storedLinksWf.id, mark);
				assert.deepEqual(
					runs.map((e) => e.status),
					['success'],
					'one successful sesami-flows-to-stored-links.json execution',
				);
				const sent = await deliveriesTo(storedLinksWf, a.id, since);
				assert.ok(sent.length >= 1, 'a Flow delivery for the appointment');
				assert.deepEqual(
					sent.map((d) => [d.status, d.attempt]),
					sent.map(() => [200, 1]),
					'the Flow delivery was answered 200 at the first attempt',
				);
				const gets = await sesamiGets(appointmentPath(a.id), since);
				assert.deepEqual(
					gets.map((e) => [e.status, e.fault ?? null]),
					[
						[429, '429'],
						[500, '500'],
						[0, 'drop'],
						[200, 'slow'],
					],
					'four attempts: the three faults, then the slow answer',
				);
				assert.ok(gets[3].durationMs >= 1500);
				const row = (await rowsOf(LINKS)).find((r) => r.appointmentId === a.id);
				assert.ok(row, 'a stored row');
				assert.equal(row.cancelled, true);
				assert.equal(row.status, 'CANCELLED');
				assert.equal(row.lastEvent, 'APPOINTMENT_CANCELLED');
				assert.equal(Date.parse(row.startUtc), Date.parse(a.datetime));
			} finally {
				await setSesamiFaults(null);
			}
		});
	});

	test('persistent 500, Retry-After beyond the budget, always dropped: NodeApiError in the execution, 5xx to Sesami, nothing written; the re-sent push stores the row', async () => {
		await timed('sesami-flows-to-stored-links.json beyond bounds + re-send', async () => {
			const [x500, x429, xDrop] = await freshAppointments(3);
			const mark = await lastExecutionId(storedLinksWf.id);
			const before = content(await rowsOf(LINKS), 'appointmentId');
			await setSesamiFaults([
				{ mode: '500', count: -1, match: { method: 'GET', path: appointmentPath(x500.id) } },
				{
					mode: '429',
					retryAfter: 120,
					count: -1,
					match: { method: 'GET', path: appointmentPath(x429.id) },
				},
				{ mode: 'drop', count: -1, match: { method: 'GET', path: appointmentPath(xDrop.id) } },
			]);
			let cleared = false;
			try {
				const since = new Date().toISOString();
				for (const a of [x500, x429, xDrop]) await staffCancel(a.id);
				// the first delivery of each is answered with a 5xx by n8n
				await waitFor(
					async () =>
						(
							await Promise.all(
								[x500, x429, xDrop].map((a) => deliveriesTo(storedLinksWf, a.id, since)),
							)
						).every((list) => list.length >= 1),
					{
						timeoutMs: 30_000,
						message: 'the first delivery of each cancellation was answered',
					},
				);
				const errors = await finished(storedLinksWf.id, mark, { atLeast: 3 });
				await setSesamiFaults(null);
				cleared = true;
				for (const a of [x500, x429, xDrop]) {
					const first = (await deliveriesTo(storedLinksWf, a.id, since))[0];
					assert.ok(
						first.status >= 500 && first.status < 600,
						`the delivery for ${a.id} got a 5xx, so Sesami re-sends it (got ${first.status} ${first.error ?? ''})`,
					);
				}
				const failed = [];
				for (const e of errors.filter((x) => x.status === 'error'))
					failed.push(await executionError(e.id));
				const messages = failed.map((f) => f.error?.message ?? '');
				const one = (re) => failed.find((f) => re.test(f.error?.message ?? ''));
				const e500 = one(/^Sesami had a server error \(500\) after 4 attempts$/);
				const e429 = one(/^Sesami is rate-limiting requests \(429 Too Many Requests\)$/);
				const eDrop = one(/^Could not reach Sesami \(ECONNRESET\) after 4 attempts$/);
				assert.ok(e500, `an execution failed with the 500 named: ${JSON.stringify(messages)}`);
				assert.ok(e429, `an execution failed with the 429 named: ${JSON.stringify(messages)}`);
				assert.ok(
					eDrop,
					`an execution failed with the dropped connection named: ${JSON.stringify(messages)}`,
				);
				assert.equal(String(e500.error.httpCode), '500');
				assert.equal(String(e429.error.httpCode), '429');
				assert.match(e429.error.description, /longer than this node waits/);
				for (const f of [e500, e429, eDrop]) {
					assert.equal(f.error.name, 'NodeApiError');
					assert.equal(f.error.node?.name ?? f.lastNode, 'Sesami Trigger');
				}
				// attempts per failed delivery: 4 for 500 / drop, 1 for a Retry-After the node will not wait for
				for (const [a, perRun] of [
					[x500, 4],
					[x429, 1],
					[xDrop, 4],
				]) {
					const failedDeliveries = (await deliveriesTo(storedLinksWf, a.id, since)).filter(
						(d) => d.status >= 500,
					).length;
					const faulted = (await sesamiGets(appointmentPath(a.id), since)).filter(
						(e) => e.fault,
					).length;
					assert.equal(
						faulted,
						perRun * failedDeliveries,
						`${a.id}: ${perRun} attempt(s) per failed delivery (${failedDeliveries} failed)`,
					);
				}
				assert.deepEqual(
					content(await rowsOf(LINKS), 'appointmentId'),
					before,
					'the failed runs wrote nothing to "Sesami appointment links"',
				);
				// Sesami re-sends (8 s later): each cancellation is stored once, with the full state
				await waitFor(
					async () => {
						const rows = byKey(await rowsOf(LINKS), 'appointmentId');
						return [x500, x429, xDrop].every((a) => rows.get(a.id)?.cancelled === true);
					},
					{
						timeoutMs: 60_000,
						intervalMs: 1000,
						message: 'the re-sent pushes stored the three cancellations',
					},
				);
				const rows = await rowsOf(LINKS);
				for (const a of [x500, x429, xDrop]) {
					const mine = rows.filter((r) => r.appointmentId === a.id);
					assert.equal(mine.length, 1, `one row for ${a.id}`);
					assert.equal(mine[0].status, 'CANCELLED');
					assert.equal(mine[0].lastEvent, 'APPOINTMENT_CANCELLED');
					assert.equal(mine[0].customerManagementLink, a.customerManagementLink);
					assert.equal(
						(await deliveriesTo(storedLinksWf, a.id, since)).at(-1).status,
						200,
						'the re-sent delivery was answered 200',
					);
				}
			} finally {
				if (!cleared) await setSesamiFaults(null);
			}
		});
	});
});

describe('sesami-flows-to-stored-links.json + sesami-portal-emails.json on a new appointment whose first deliveries fail', () => {
	test('the re-sent pushes store one row and send exactly one email (the re-sent push is no duplicate)', async () => {
		await timed('sesami-flows-to-stored-links.json+sesami-portal-emails.json re-send', async () => {
			const markW1 = await lastExecutionId(storedLinksWf.id);
			const markW2 = await lastExecutionId(portalEmailsWf.id);
			const emailsBefore = content(await rowsOf(EMAILS_LOG), 'emailKey');
			const linksBefore = content(await rowsOf(LINKS), 'appointmentId');
			// every appointment GET fails (the id is not known before the creation fires the Flows)
			await setSesamiFaults([
				{
					mode: '500',
					count: -1,
					match: { method: 'GET', pathPrefix: `/${shop.id}/appointments/` },
				},
			]);
			let created;
			let cleared = false;
			try {
				const r = await sim.post('/appointments', {});
				assert.equal(r.status, 201, JSON.stringify(r.data));
				created = r.data;
				await waitFor(
					async () =>
						(await deliveriesTo(storedLinksWf, created.id)).length >= 1 &&
						(await deliveriesTo(portalEmailsWf, created.id)).length >= 1,
					{ timeoutMs: 30_000, message: 'both first deliveries answered' },
				);
				await setSesamiFaults(null);
				cleared = true;
				const firstW1 = (await deliveriesTo(storedLinksWf, created.id))[0];
				const firstW2 = (await deliveriesTo(portalEmailsWf, created.id))[0];
				assert.ok(
					firstW1.status >= 500,
					`sesami-flows-to-stored-links.json's first delivery got a 5xx (${firstW1.status})`,
				);
				assert.ok(
					firstW2.status >= 500,
					`sesami-portal-emails.json's first delivery got a 5xx (${firstW2.status})`,
				);
				const w2Failed = (await finished(portalEmailsWf.id, markW2)).filter(
					(e) => e.status === 'error',
				);
				assert.ok(w2Failed.length >= 1, 'sesami-portal-emails.json recorded the failed run');
				assert.match(
					(await executionError(w2Failed[0].id)).error.message,
					/^Sesami had a server error \(500\) after 4 attempts$/,
				);
				assert.deepEqual(
					content(await rowsOf(EMAILS_LOG), 'emailKey'),
					emailsBefore,
					'no email logged by the failed runs',
				);
				assert.deepEqual(
					content(await rowsOf(LINKS), 'appointmentId'),
					linksBefore,
					'no row written by the failed runs',
				);
			} finally {
				if (!cleared) await setSesamiFaults(null);
			}
			const state = await simAppointment(created.id);
			await waitFor(
				async () => (await rowsOf(EMAILS_LOG)).some((r) => r.appointmentId === created.id),
				{
					timeoutMs: 60_000,
					intervalMs: 1000,
					message: 'sesami-portal-emails.json logged the email after the re-send',
				},
			);
			await waitFor(async () => (await rowsOf(LINKS)).some((r) => r.appointmentId === created.id), {
				timeoutMs: 30_000,
				intervalMs: 1000,
				message: 'sesami-flows-to-stored-links.json stored the row after the re-send',
			});
			await finished(storedLinksWf.id, markW1, { atLeast: 2 });
			await finished(portalEmailsWf.id, markW2, { atLeast: 2 });
			const logged = (await rowsOf(EMAILS_LOG)).filter((r) => r.appointmentId === created.id);
			assert.deepEqual(
				logged.map((r) => r.event),
				['APPOINTMENT_CREATED'],
				'one email logged',
			);
			const mails = (await smtpMessages()).filter((m) =>
				String(m.text ?? '').includes(state.customerManagementLink),
			);
			assert.equal(mails.length, 1, "exactly one email with the appointment's management link");
			const rows = (await rowsOf(LINKS)).filter((r) => r.appointmentId === created.id);
			assert.equal(rows.length, 1);
			assert.equal(rows[0].status, state.status);
			assert.equal(rows[0].customerManagementLink, state.customerManagementLink);
			assert.equal(Date.parse(rows[0].startUtc), Date.parse(state.datetime));
		});
	});
});

// ---------------------------------------------------------------------------------------------
describe('sesami-my-page-backend.json: My Page cancel', () => {
	const A = customerA();
	let ok;
	let refused;
	before(async () => {
		const mark = await lastExecutionId(storedLinksWf.id);
		ok = await createAppointment({ customer: A, service: 'standard', hoursAhead: 8 * 24 });
		refused = await createAppointment({ customer: A, service: 'standard', hoursAhead: 9 * 24 });
		// sesami-flows-to-stored-links.json stores the two new appointments from their Flows
		await finished(storedLinksWf.id, mark, { atLeast: 2 });
		await waitFor(
			async () => {
				const rows = byKey(await rowsOf(LINKS), 'appointmentId');
				return rows.has(ok.id) && rows.has(refused.id);
			},
			{
				timeoutMs: 30_000,
				message: 'sesami-flows-to-stored-links.json stored the two new appointments',
			},
		);
	});

	test('429 on the ownership check, 500 and a dropped connection on the cancel: cancelled, answered 200, row updated', async () => {
		await timed('sesami-my-page-backend.json within bounds', async () => {
			const since = new Date().toISOString();
			const mark = await lastExecutionId([storedLinksWf.id, myPageWf.id]);
			await setSesamiFaults([
				{
					mode: '429',
					retryAfter: 1,
					count: 1,
					match: { method: 'GET', path: appointmentPath(ok.id) },
				},
				{
					mode: '500',
					count: 1,
					match: { method: 'POST', path: `${appointmentPath(ok.id)}/cancel` },
				},
				{
					mode: 'drop',
					count: 1,
					match: { method: 'POST', path: `${appointmentPath(ok.id)}/cancel` },
				},
			]);
			try {
				const r = await asCustomer(A.id, 'cancel', { appointmentId: ok.id });
				assert.equal(r.status, 200, r.data);
				assert.equal(r.json.ok, true);
				assert.equal((await simAppointment(ok.id)).status, 'CANCELLED');
				const posts = (await simExchanges()).filter(
					(e) =>
						e.at >= since && e.method === 'POST' && e.path === `${appointmentPath(ok.id)}/cancel`,
				);
				assert.deepEqual(
					posts.map((e) => e.status),
					[500, 0, 200],
					'the cancel was sent three times: 500, dropped, done',
				);
				await waitFor(
					async () =>
						(await rowsOf(LINKS)).find((row) => row.appointmentId === ok.id)?.cancelled === true,
					{ timeoutMs: 30_000, message: 'the stored row is cancelled' },
				);
				// sesami-flows-to-stored-links.json stores the cancellation too, from the Flow the cancel fired: let it finish
				await waitForFlowsSettled({
					workflowIds: [storedLinksWf.id, portalEmailsWf.id, myPageWf.id],
					afterId: mark,
					expected: { [storedLinksWf.id]: 1 },
					timeoutMs: 60_000,
				});
			} finally {
				await setSesamiFaults(null);
			}
		});
	});

	test('the cancel failing for good: 502 with a reason, the error in the execution, nothing changed; clicking again works', async () => {
		await timed('sesami-my-page-backend.json beyond bounds + retry', async () => {
			const mark = await lastExecutionId(myPageWf.id);
			const before = content(await rowsOf(LINKS), 'appointmentId');
			await setSesamiFaults([
				{
					mode: '500',
					count: -1,
					match: { method: 'POST', path: `${appointmentPath(refused.id)}/cancel` },
				},
			]);
			try {
				const r = await asCustomer(A.id, 'cancel', { appointmentId: refused.id });
				assert.equal(r.status, 502, r.data);
				assert.equal(r.json.error, 'failed');
				assert.match(String(r.json.reason), /Sesami/);
				assert.equal((await simAppointment(refused.id)).status, 'BOOKED', 'Sesami did not cancel');
				const [run] = await finished(myPageWf.id, mark);
				const full = await executionWithData(run.id);
				const out = full.data.resultData.runData['Cancel for the customer'][0].data.main[0][0].json;
				assert.equal(out.error, 'Sesami had a server error (500) after 4 attempts');
				assert.equal(String(out.httpCode), '500');
				assert.deepEqual(
					content(await rowsOf(LINKS), 'appointmentId'),
					before,
					'nothing written to "Sesami appointment links"',
				);
			} finally {
				await setSesamiFaults(null);
			}
			const again = await asCustomer(A.id, 'cancel', { appointmentId: refused.id });
			assert.equal(again.status, 200, again.data);
			assert.equal((await simAppointment(refused.id)).status, 'CANCELLED');
			await waitFor(
				async () =>
					(await rowsOf(LINKS)).find((row) => row.appointmentId === refused.id)?.cancelled === true,
				{ timeoutMs: 30_000, message: 'the stored row is cancelled' },
			);
		});
	});
});

// ---------------------------------------------------------------------------------------------
describe('Appointments report (n8n execute)', () => {
	const listPath = `/${shop.id}/appointments`;

	test('429, 500, a dropped connection and a slow answer on the list: every upcoming appointment is counted', async () => {
		await timed('report within bounds', async () => {
			const upcoming = await simListAll(listPath, { filterType: 'UPCOMING' });
			const match = { method: 'GET', path: listPath };
			await setSesamiFaults([
				{ mode: '429', retryAfter: 1, count: 1, match },
				{ mode: '500', count: 1, match },
				{ mode: 'drop', count: 1, match },
				{ mode: 'slow', delayMs: 1500, count: 1, match },
			]);
			let result;
			let faults;
			try {
				result = await executeWorkflow(REPORT.id);
				faults = (await sim.get('/faults')).data.faults;
			} finally {
				await setSesamiFaults(null);
			}
			const err = result.run?.data?.resultData?.error;
			assert.equal(result.status, 'success', `${err?.message ?? ''} ${result.stderr.slice(-1000)}`);
			assert.deepEqual(
				faults.map((f) => f.fired),
				[1, 1, 1, 1],
				'each fault met one request',
			);
			const [summary] = nodeOutput(result.run, 'Build summary');
			const after = await simListAll(listPath, { filterType: 'UPCOMING' });
			assert.ok(
				summary.total <= upcoming.length && summary.total >= after.length,
				`total ${summary.total}, simulator ${upcoming.length}`,
			);
			for (const a of after) assert.ok(summary.ids.includes(a.id), `${a.id} is in the summary`);
		});
	});

	test('500 on every request: the execution fails with the NodeApiError', async () => {
		await timed('report beyond bounds', async () => {
			await setSesamiFaults([{ mode: '500', count: -1, match: { method: 'GET', path: listPath } }]);
			let result;
			try {
				result = await executeWorkflow(REPORT.id);
			} finally {
				await setSesamiFaults(null);
			}
			assert.notEqual(result.status, 'success');
			assert.notEqual(result.code, 0, 'n8n execute exits non-zero');
			const r = await n8nApi().get('/executions', { params: { workflowId: REPORT.id, limit: 1 } });
			const last = r.data.data[0];
			assert.equal(last.status, 'error');
			const { error, full } = await executionError(last.id);
			assert.equal(error.message, 'Sesami had a server error (500) after 4 attempts');
			assert.equal(String(error.httpCode), '500');
			assert.equal(
				error.node?.name ?? full.data.resultData.lastNodeExecuted,
				'Get upcoming appointments',
			);
		});
	});
});

// ---------------------------------------------------------------------------------------------
describe('imin-firehose-checkout-links.json: imin Firehose polls', () => {
	test('sessions feed within the bounds (429, 500, drop, slow): the changes are stored at that poll', async () => {
		const A = await iminPhases.A;
		const statuses = A.sessionGets.slice(0, 4).map((r) => [r.status, r.fault ?? null]);
		assert.deepEqual(
			statuses,
			[
				[429, '429'],
				[500, '500'],
				[0, 'drop'],
				[200, 'slow'],
			],
			'one page read in four attempts',
		);
		assert.ok(A.sessionGets[3].durationMs >= 1500);
		assert.ok(A.sessionGets.slice(4).every((r) => r.status === 200));
		const sessionRuns = A.runs.filter((e) => e.status !== 'error');
		assert.ok(
			sessionRuns.length >= 1 && sessionRuns.every((e) => e.status === 'success'),
			`the other imin-firehose-checkout-links.json executions succeeded: ${JSON.stringify(A.runs.map((e) => [e.id, e.status]))}`,
		);
	});

	test('series feed failing for good: a failed execution with the NodeApiError, nothing written, the next poll stores the changes', async () => {
		const A = await iminPhases.A;
		assert.ok(A.errors.length >= 1);
		for (const { error, status, lastNode } of A.errors) {
			assert.equal(status, 'error');
			assert.equal(error.message, 'imin had a server error (500) after 4 attempts');
			assert.equal(error.node?.name ?? lastNode, 'Series feed');
			assert.equal(error.name, 'NodeApiError');
			assert.match(error.description, /Try again later/);
			// n8n 2.41 saves a failed poll's error through its toJSON(), which leaves httpCode out: the
			// status is in the message (webhook and node errors keep httpCode, asserted above)
		}
		const polls = A.seriesGets.length / 4;
		assert.ok(
			Number.isInteger(polls) && polls >= 1 && A.seriesGets.every((r) => r.status === 500),
			'each failed poll made 4 attempts, all 500',
		);
		assert.deepEqual(
			content(A.seriesDuring, 'seriesId'),
			content(A.seriesBefore, 'seriesId'),
			'"imin firehose series" unchanged while the feed failed',
		);
		await iminPhases.B; // B waited for the changes to be stored once the faults were cleared
	});

	test('sessions feed: a 429 whose Retry-After is beyond the bounds is not retried and fails nothing; the next poll stores the changes', async () => {
		const B = await iminPhases.B;
		const first = B.gets429.findIndex((r) => r.status === 429);
		assert.ok(first >= 0);
		const next = B.gets429[first + 1];
		assert.ok(
			!next || Date.parse(next.at) - Date.parse(B.gets429[first].at) > 20_000,
			'no retry of the 429 within the poll',
		);
		assert.equal(B.heldBack, false, 'the changes behind the 429 were not stored by that poll');
		assert.ok(
			B.runs.every((e) => e.status === 'success'),
			`no failed imin-firehose-checkout-links.json execution: ${JSON.stringify(B.runs.map((e) => [e.id, e.status]))}`,
		);
		const C = await iminPhases.C;
		assert.ok(C.runs.every((e) => e.status === 'success'));
	});
});
