#!/usr/bin/env node
// `npm run test:queue`: the package in n8n's queue mode, with a worker killed mid-run.
//
//   PostgreSQL + Redis (throw-away, test/queue/services.mjs) -> n8n 2.41.1 main (EXECUTIONS_MODE=queue,
//   webhooks on main) + two `n8n worker` processes, one shared encryption key, the package linked into
//   every process's user folder -> sesami-flows-to-stored-links.json (stored links) and sesami-portal-emails.json (portal emails) published with the Sesami
//   Trigger answering "When Last Node Finishes", and the recovery workflow
//   (workflows/n8n-execution-recovery.json) -> the Sesami simulator fires ~1,000 Flows pushes (created
//   + rescheduled for each appointment, 25 % duplicated, 25 % held back and sent newest first, failed
//   deliveries re-sent) while worker 1 is killed with SIGKILL and started again -> the recovery
//   workflow runs in n8n (`n8n execute`, its "Run now" trigger) and re-runs what crashed.
//
// Asserts: exactly one row per appointment with its latest state; one email per (appointment, event),
// logged once (a second email only where the kill cut sesami-portal-emails.json off between the SMTP server's accept and the
// log: SMTP has no idempotency key); no sesami-flows-to-stored-links.json / sesami-portal-emails.json execution left unfinished; every crashed or failed one either has a successful
// retry, or lost its input to n8n (a dead worker's stalled job) while every failed delivery attempt was
// followed by a 2xx re-send of the same delivery. Then a recovery case: sesami-portal-emails.json pushes while the SMTP server
// refuses (no re-sends), so the executions fail with their input kept; the recovery workflow must
// re-run each one successfully, still one email per (appointment, event).
// Ends with `queue: N passed, N failed`; exit code 0 only when nothing failed.
//
// Flags: --appointments=N (default 200: 4 pushes each + 25 % copies ~ 1,000 pushes), --no-build,
//        --keep (keep n8n's output files), --no-kill (no SIGKILL: a baseline run).
// Env:   N8N_SESAMI_CACHE, N8N_START_TIMEOUT_MS (as npm test).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCleanups } from '../e2e/lib/cleanups.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
	const hit = argv.find((a) => a.startsWith(`--${name}=`));
	return hit ? hit.slice(name.length + 3) : fallback;
};
const APPOINTMENTS = Number(option('appointments', 200));
const KILL = !flag('no-kill');
const KEEP = flag('keep');
/** Deliveries in flight (not held) before the next appointment is booked: a steady stream, not one burst. */
const MAX_IN_FLIGHT = 40;
/** Book this share of the appointments before worker 1 is killed. */
const KILL_AT = 0.4;
/** Worker 1 stays down this long before it is started again. */
const DOWN_MS = 15_000;
/** Appointments booked while the SMTP server refuses (the recovery workflow's positive case). */
const OUTAGE_APPOINTMENTS = 10;

const W1_FILE = 'sesami-flows-to-stored-links.json';
const W2_FILE = 'sesami-portal-emails.json';
const RECOVERY_FILE = 'n8n-execution-recovery.json';
const LINKS_TABLE = 'Sesami appointment links';
const EMAILS_TABLE = 'Sesami portal emails sent';

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const say = (m) => console.log(`[queue ${secs()}] ${m}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const checks = []; // { name, ok, detail }
const figures = {};
const cleanups = createCleanups((error) => console.error(`[queue] cleanup: ${error.message}`));
let finished = false;

function check(name, ok, detail = '') {
	checks.push({ name, ok: Boolean(ok), detail });
	say(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

function summary() {
	if (finished) return;
	finished = true;
	const passed = checks.filter((c) => c.ok).length;
	const failed = checks.length - passed;
	console.log('');
	console.log('== queue mode summary');
	for (const [k, v] of Object.entries(figures))
		console.log(`  ${k.padEnd(34)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
	for (const c of checks)
		console.log(
			`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail && !c.ok ? ` — ${c.detail}` : ''}`,
		);
	console.log(`queue: ${passed} passed, ${failed} failed`);
	process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		console.error(`\n[queue] ${sig}: stopping n8n, workers, PostgreSQL, Redis…`);
		checks.push({ name: `interrupted (${sig})`, ok: false });
		cleanups.run().finally(() => {
			summary();
			process.exit(130);
		});
	});
}

function runStreaming(cmd, args) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
		child.on('close', (code) => resolve(code ?? 1));
		child.on('error', () => resolve(127));
	});
}

/** Copies of the workflow files for this run (same file names, so the harness gives them the same ids). */
function prepareWorkflows(dir, { apiBaseUrl }) {
	const out = [];
	for (const file of [W1_FILE, W2_FILE, RECOVERY_FILE]) {
		const json = JSON.parse(fs.readFileSync(path.join(root, 'workflows', file), 'utf8'));
		for (const node of json.nodes) {
			// The answer only once the push is stored / the email logged (the mode queue-mode users choose;
			// see the README): a push whose execution is lost gets a 500 and the simulator re-sends it.
			if (node.type === 'n8n-nodes-sesami-imin.sesamiTrigger')
				node.parameters.responseMode = 'lastNode';
			if (file === RECOVERY_FILE && node.name === 'Settings') {
				for (const a of node.parameters.assignments.assignments)
					if (a.name === 'apiBaseUrl') a.value = apiBaseUrl;
			}
			// The test runs the recovery itself ("Run now"), at a known moment, instead of every 10 minutes.
			if (file === RECOVERY_FILE && node.type === 'n8n-nodes-base.scheduleTrigger')
				node.disabled = true;
		}
		const target = path.join(dir, file);
		fs.writeFileSync(target, JSON.stringify(json, null, 2));
		out.push(target);
	}
	return out;
}

/** Whether n8n kept an execution's input (the rule of the recovery workflow's "Not retried yet"). */
function inputKept(e) {
	if (e.dataTooLargeToDisplay) return true;
	const run = e.data || {};
	const stack = run.executionData?.nodeExecutionStack ?? [];
	const ran = Object.keys(run.resultData?.runData ?? {});
	return Boolean(run.executionData) && (stack.length > 0 || ran.length > 0);
}

/** Executions counted by status: { success: n, error: n, ... }. */
const statusCount = (list) =>
	list.reduce((m, e) => ((m[e.status] = (m[e.status] ?? 0) + 1), m), {});

/** Whether n8n records a successful retry of execution `e` (its retrySuccessId, retryOf = e). */
async function retriedOk(api, e) {
	if (!e?.retrySuccessId) return false;
	const r = await api.get(`/executions/${e.retrySuccessId}`);
	return r.status === 200 && r.data.status === 'success' && String(r.data.retryOf) === String(e.id);
}

/** PostgreSQL, Redis, the Sesami simulator and the SMTP server, each stopped at the end. */
async function startServices({ startPostgres, startRedis }) {
	const pg = await startPostgres({ log: say });
	cleanups.push(() => pg.stop());
	const redis = await startRedis({ log: say, exclude: [pg.port] });
	cleanups.push(() => redis.stop());

	const { startSesamiSimulator } = require('../sim/sesami');
	const sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1' });
	cleanups.push(() => sim.close());
	const shop = sim.fixtures.shops[0];
	const { startSmtpServer } = require('../sim/smtp');
	const smtp = await startSmtpServer({
		port: 0,
		httpPort: 0,
		host: '127.0.0.1',
		user: 'n8n-queue',
		password: `smtp-${crypto.randomBytes(9).toString('hex')}`,
		maxMessages: 20_000,
	});
	cleanups.push(() => smtp.close());
	say(`Sesami simulator ${sim.url}, SMTP ${smtp.host}:${smtp.port} (inbox ${smtp.httpUrl})`);

	return { pg, redis, sim, shop, smtp };
}

/** The credentials the queue-mode workflows use (Sesami simulator, SMTP, n8n API). */
function queueCredentials({ shop, sim, smtp, url, N8N_API_CREDENTIAL }) {
	return [
		{
			id: 'sesamiSandbox001',
			name: 'Sesami account',
			type: 'sesamiApi',
			data: {
				apiKey: shop.apiKey,
				clientId: shop.clientId,
				shopId: shop.id,
				baseUrl: sim.baseUrl,
				timezone: shop.timezone,
			},
		},
		{
			id: 'smtpSandbox00001',
			name: 'Sandbox SMTP',
			type: 'smtp',
			data: {
				user: smtp.user,
				password: smtp.password,
				host: '127.0.0.1',
				port: smtp.port,
				secure: false,
				disableStartTls: true,
			},
		},
		// The API key exists only once n8n runs: beforePublish below puts it in.
		{ ...N8N_API_CREDENTIAL, data: { apiKey: 'set-once-n8n-runs', baseUrl: `${url}/api/v1` } },
	];
}

/** The environment of main and workers: queue mode on PostgreSQL + Redis, bounded stall detection. */
function queueEnvFor({ pg, redis }) {
	return {
		EXECUTIONS_MODE: 'queue',
		...pg.env(),
		...redis.env(),
		// Manual runs (the editor's "Execute workflow") go to the workers too.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Bounded stall detection: a dead worker's job fails after its lock expires (default 60 s).
		QUEUE_WORKER_LOCK_DURATION: '30000',
		QUEUE_WORKER_STALLED_INTERVAL: '15000',
	};
}

/** n8n main in queue mode, with the workflows published and the Data Tables made. */
async function startMain({ lib, port, url, credentials, workflowFiles, queueEnv }) {
	const { startN8n, setN8nApiKey } = lib;
	const logFile = path.join(os.tmpdir(), `n8n-queue-main-${process.pid}.log`);
	const main = await startN8n({
		port,
		packageDir: root,
		credentials,
		workflowFiles,
		setupWorkflow: path.join(root, 'workflows', 'setup-data-tables.json'),
		env: queueEnv,
		log: (m) => say(`main: ${m}`),
		apiKeyLabel: 'queue test',
		logFile,
		beforePublish: ({ api, apiKey }) => setN8nApiKey(api, apiKey, url),
	});
	cleanups.push(async () => {
		await main.stop();
		if (!KEEP && !checks.some((c) => !c.ok)) fs.rmSync(logFile, { force: true });
		else say(`n8n main output: ${logFile}`);
	});
	figures['n8n main ready after'] = secs();

	return main;
}

/** Two workers, each with its own user folder (the package linked there too), broker and health ports. */
async function startWorkers({ lib, main }) {
	const { startN8nWorker } = lib;
	const workerLog = (w) => path.join(os.tmpdir(), `n8n-queue-${w.name}-${process.pid}.log`);
	const workers = await Promise.all(
		['worker1', 'worker2'].map((name) =>
			startN8nWorker({ main, packageDir: root, name, concurrency: 10, log: (m) => say(m) }),
		),
	);
	for (const w of workers)
		cleanups.push(async () => {
			await w.stop();
			if (KEEP || checks.some((c) => !c.ok)) {
				fs.writeFileSync(workerLog(w), w.logs());
				say(`${w.name} output: ${workerLog(w)}`);
			}
		});
	figures['main + 2 workers ready after'] = secs();

	return workers;
}

/** The e2e helpers (test/e2e/lib/context.mjs), reading their endpoints from a context file. */
async function e2eContext({ url, port, main, sim, smtp }) {
	const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-ctx-'));
	fs.chmodSync(ctxDir, 0o700);
	cleanups.push(async () => fs.rmSync(ctxDir, { recursive: true, force: true }));
	const ctxFile = path.join(ctxDir, 'context.json');
	fs.writeFileSync(
		ctxFile,
		JSON.stringify({
			n8nUrl: url,
			n8nPort: port,
			n8nVersion: main.version,
			n8nMajor: main.major,
			apiKey: main.apiKey,
			ownerCookie: main.cookie,
			simUrl: sim.url,
			simBaseUrl: sim.baseUrl,
			fixtures: sim.fixtures,
			workflows: main.workflows,
			dataTables: main.dataTables,
			smtp: { httpUrl: smtp.httpUrl },
		}),
		{ mode: 0o600 },
	);
	process.env.E2E_CONTEXT = ctxFile;
	const ctx = await import('../e2e/lib/context.mjs');
	return ctx;
}

/** The simulator's Flow delivery for the pushes: copies, reordering, holding, re-sends. */
async function configureDelivery({ simCtl }) {
	const set = await simCtl.post('/flow-delivery', {
		duplicate: 1,
		duplicateRate: 0.25,
		reorder: true,
		reorderRate: 0.25,
		holdMs: 600_000,
		// A lost execution answers 500 once the dead worker's job is declared stalled (lock 30 s +
		// stalled check 15 s here); the simulator re-sends, as Sesami does with failed webhooks.
		retryOnFailure: { attempts: 5, delayMs: 3000 },
		timeoutMs: 180_000,
	});
	if (set.status !== 200) throw new Error(`POST /__sim/flow-delivery: ${JSON.stringify(set.data)}`);
}

/**
 * Books APPOINTMENTS appointments and reschedules each LAG bookings later, paced to MAX_IN_FLIGHT
 * deliveries, flushing the held ones every 25, and SIGKILLs worker 1 mid-run (restarted DOWN_MS later).
 */
async function sendPushes({ simCtl, workers, run }) {
	const appointments = [];
	const inFlight = async () => {
		const d = (await simCtl.get('/flow-delivery')).data;
		return (d.pending ?? 0) - (d.held ?? 0);
	};
	const pace = async () => {
		while ((await inFlight()) > MAX_IN_FLIGHT) await sleep(200);
	};
	let killedAt = null;
	const running = (w) => {
		const log = w.logs();
		return (
			(log.match(/Worker started execution/g) ?? []).length -
			(log.match(/Worker finished execution/g) ?? []).length
		);
	};
	let restarted = null;
	const pushT0 = Date.now();
	const LAG = 10; // reschedule appointment i - LAG after booking appointment i
	for (let i = 0; i < APPOINTMENTS + LAG; i++) {
		await pace();
		if (i < APPOINTMENTS) {
			const r = await simCtl.post('/appointments', {
				customer: {
					firstName: 'Queue',
					lastName: `Tester ${i}`,
					email: `queue-${run}-${i}@example.com`,
				},
			});
			if (r.status !== 201)
				throw new Error(
					`POST /__sim/appointments: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
				);
			appointments.push(r.data);
		}
		if (i >= LAG) {
			const a = appointments[i - LAG];
			const r = await simCtl.post(`/appointments/${a.id}/reschedule`, {});
			if (r.status !== 200)
				throw new Error(
					`reschedule ${a.id}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
				);
		}
		// Every 25 appointments the held deliveries go out (newest first, one at a time): several
		// out-of-order tails run next to the stream instead of one long tail at the end.
		if (i % 25 === 24) await simCtl.post('/flow-delivery/flush');
		// Kill worker 1 once it is running executions (its log: "Worker started/finished execution N").
		const busy = running(workers[0]);
		if (
			KILL &&
			!killedAt &&
			i >= APPOINTMENTS * KILL_AT &&
			(busy >= 2 || i === APPOINTMENTS + LAG - 1)
		) {
			const victim = workers[0];
			say(
				`SIGKILL ${victim.name} (pid ${victim.pid}) while it runs ${busy} executions; ${await inFlight()} deliveries in flight`,
			);
			await victim.kill('SIGKILL');
			killedAt = Date.now();
			restarted = sleep(DOWN_MS).then(async () => {
				say(`starting ${victim.name} again`);
				return victim.start();
			});
		}
	}
	await simCtl.post('/flow-delivery/flush'); // the held quarter, newest first
	if (restarted) figures['worker1 restart to ready (ms)'] = await restarted;
	say(
		`all ${APPOINTMENTS} appointments booked and rescheduled after ${((Date.now() - pushT0) / 1000).toFixed(0)} s; waiting for the deliveries and executions to settle`,
	);
	return { appointments, killedAt, pushT0 };
}

/** Waits until the pushes settled; checks every push was finally answered 200. */
async function checkDeliveries({ ctx, simCtl, w1, w2, appointments, pushT0 }) {
	const settled = await ctx.waitForFlowsSettled({
		workflowIds: [w1.id, w2.id],
		timeoutMs: 600_000,
		stableMs: 3000,
	});
	figures['pushes settled after (s)'] = Math.round((Date.now() - pushT0) / 1000);
	const ids = new Set(appointments.map((a) => a.id));
	const deliveries = ((await simCtl.get('/deliveries')).data ?? []).filter((d) =>
		ids.has(d.appointmentId),
	);
	const lastAttempts = new Map();
	for (const d of deliveries) lastAttempts.set(d.id, d); // completion order: the last record of a delivery is its last attempt
	const failedAttempts = deliveries.filter((d) => d.status !== 200);
	figures['deliveries (pushes)'] = lastAttempts.size;
	figures['  of which duplicate copies'] = [...lastAttempts.values()].filter(
		(d) => d.copy > 0,
	).length;
	figures['  HTTP attempts / not-200 answers'] = `${deliveries.length} / ${failedAttempts.length}`;
	const notOk = [...lastAttempts.values()].filter((d) => d.status !== 200);
	check(
		'every push was finally answered 200 (after re-sends)',
		notOk.length === 0,
		notOk
			.slice(0, 5)
			.map((d) => `${d.trigger} ${d.status} ${d.error ?? d.responseBody ?? ''}`)
			.join('; '),
	);
	check(`~1,000 pushes sent (${lastAttempts.size})`, lastAttempts.size >= APPOINTMENTS * 4 * 1.1);
	const outOfOrder = appointments.filter((a) => {
		const toW1 = [...lastAttempts.values()].filter(
			(d) => d.appointmentId === a.id && d.target.startsWith(w1.webhookUrls[0].url) && d.copy === 0,
		);
		const c = toW1.find((d) => d.trigger === 'APPOINTMENT_CREATED');
		const m = toW1.find((d) => d.trigger === 'APPOINTMENT_RESCHEDULED');
		return c && m && c.id < m.id && Date.parse(c.at) > Date.parse(m.at);
	}).length;
	figures['appointments whose pushes came out of order (sesami-flows-to-stored-links.json)'] =
		outOfOrder;

	const before = [...settled[w1.id], ...settled[w2.id]];
	const w2ExecutionIds = new Set(settled[w2.id].map((e) => String(e.id)));
	figures[
		'sesami-flows-to-stored-links.json+sesami-portal-emails.json executions before recovery'
	] = { total: before.length, ...statusCount(before) };
	const lost = before.filter((e) => e.status === 'error' || e.status === 'crashed');
	if (KILL)
		check(
			'the SIGKILL left crashed/failed executions behind (the case the recovery is for)',
			lost.length > 0,
			`${lost.length}`,
		);

	return { ids, deliveries, failedAttempts, w2ExecutionIds, lost };
}

/** Runs the recovery workflow in n8n ("Run now": `n8n execute` against the same database and API). */
async function runRecovery({ q, lost }) {
	const { main, workers, port, api, recovery, lib } = q;
	say(`running "${recovery.name}" (${recovery.id})`);
	const rec = await lib.executeWorkflowCli({
		...main.cli,
		env: { ...main.cli.env, EXECUTIONS_MODE: 'regular' },
		workflowId: recovery.id,
		excludePorts: [port, main.brokerPort, ...workers.map((w) => w.healthPort)],
		timeoutMs: 600_000,
	});
	const out = rec.run?.data?.resultData?.runData?.Summary?.[0]?.data?.main?.[0]?.[0]?.json;
	const recoveryError = rec.run?.data?.resultData?.error;
	figures['recovery workflow'] = {
		status: rec.status,
		ms: rec.ms,
		retried: out?.retried,
		succeeded: out?.succeeded,
		superseded: out?.superseded,
		notRetryable: out?.notRetryable,
	};
	// What n8n kept of each lost execution (the API's own answer, not the recovery workflow's).
	const lostDetail = [];
	for (const e of lost) {
		const r = await api.get(`/executions/${e.id}`, { params: { includeData: true } });
		if (r.status !== 200) throw new Error(`GET /executions/${e.id}: HTTP ${r.status}`);
		lostDetail.push({ ...e, kept: inputKept(r.data) });
	}
	const keptLost = lostDetail.filter((e) => e.kept);
	const droppedLost = lostDetail.filter((e) => !e.kept);
	figures['crashed/failed: input kept / dropped by n8n'] =
		`${keptLost.length} / ${droppedLost.length}`;
	check(
		'the recovery workflow ran, retried exactly the crashed/failed executions with their input kept, all successfully',
		rec.ok &&
			out &&
			out.retried + out.superseded === keptLost.length &&
			out.succeeded === out.retried,
		`${rec.status}${recoveryError ? `: ${recoveryError.message}` : ''} retried ${out?.retried} (+ ${out?.superseded} superseded: the same push) succeeded ${out?.succeeded} (input kept: ${keptLost.length})${out?.notSucceeded?.length ? ` ${JSON.stringify(out.notSucceeded.slice(0, 3))}` : ''}${!rec.run ? ` ${rec.stderr.slice(-1500)}` : ''}`,
	);
	check(
		'the recovery workflow reported the executions whose input n8n dropped as not retryable',
		out &&
			out.notRetryable === droppedLost.length &&
			(out.notRetryableExecutions ?? []).every(
				(x) => x.reason === 'not retryable: the sender re-sends',
			),
		`reported ${out?.notRetryable}, dropped ${droppedLost.length}`,
	);
	return { out, lostDetail, droppedLost };
}

/** After the recovery: every failed delivery attempt was followed by a 2xx attempt. */
async function settleAfterRecovery({ ctx, w1, w2, deliveries, failedAttempts }) {
	const settled = await ctx.waitForFlowsSettled({
		workflowIds: [w1.id, w2.id],
		timeoutMs: 300_000,
		stableMs: 3000,
	});
	const all = [...settled[w1.id], ...settled[w2.id]];
	figures['sesami-flows-to-stored-links.json+sesami-portal-emails.json executions after recovery'] =
		{ total: all.length, ...statusCount(all) };
	// Each crashed or failed original: a retry that n8n itself records as successful, or its input
	// dropped by n8n and the push recovered by the sender's re-send.
	const originals = all.filter((e) => ['error', 'crashed'].includes(e.status) && !e.retryOf);
	const failedAttemptsUnanswered = failedAttempts.filter(
		(f) =>
			!deliveries.some(
				(d) => d.id === f.id && d.attempt > f.attempt && d.status >= 200 && d.status < 300,
			),
	);
	check(
		'every failed delivery attempt was followed by a 2xx attempt of the same delivery',
		failedAttemptsUnanswered.length === 0,
		failedAttemptsUnanswered
			.slice(0, 5)
			.map((d) => `delivery ${d.id} attempt ${d.attempt}: ${d.status} ${d.error ?? ''}`)
			.join('; '),
	);
	return { all, originals, failedAttemptsUnanswered };
}

/** Each crashed or failed original was recovered; none is left unfinished. */
async function checkRecovered({ api, out, all, originals, failedAttemptsUnanswered, lostDetail }) {
	const supersededBy = new Map(
		(out?.supersededExecutions ?? []).map((x) => [String(x.executionId), String(x.supersededBy)]),
	);
	const unrecovered = [];
	let viaRetry = 0;
	let viaResend = 0;
	for (const e of originals) {
		if (e.retrySuccessId) {
			const r = await api.get(`/executions/${e.retrySuccessId}`);
			if (
				r.status === 200 &&
				r.data.status === 'success' &&
				String(r.data.retryOf) === String(e.id)
			) {
				viaRetry++;
				continue;
			}
			unrecovered.push(
				`#${e.id} ${e.status}: retry #${e.retrySuccessId} is ${r.data?.status ?? `HTTP ${r.status}`}`,
			);
			continue;
		}
		// Superseded: the same push as another failed execution, whose retry must have succeeded.
		if (
			supersededBy.has(String(e.id)) &&
			(await retriedOk(
				api,
				originals.find((x) => String(x.id) === supersededBy.get(String(e.id))),
			))
		) {
			viaRetry++;
			continue;
		}
		const detail = lostDetail.find((x) => x.id === e.id) ?? {
			kept: inputKept(
				(await api.get(`/executions/${e.id}`, { params: { includeData: true } })).data ?? {},
			),
		};
		if (!detail.kept && failedAttemptsUnanswered.length === 0) viaResend++;
		else
			unrecovered.push(
				`#${e.id} ${e.status}: ${detail.kept ? 'input kept but no successful retry' : 'input dropped and a failed delivery was not re-sent successfully'}`,
			);
	}
	figures['crashed/failed recovered by retry / by re-send'] = `${viaRetry} / ${viaResend}`;
	check(
		'every crashed or failed sesami-flows-to-stored-links.json/sesami-portal-emails.json execution was recovered (successful retry, or dropped input + successful re-send)',
		unrecovered.length === 0,
		unrecovered.slice(0, 10).join(', '),
	);
	const unfinished = all.filter(
		(e) => ['new', 'running', 'waiting', 'unknown'].includes(e.status) || !e.stoppedAt,
	);
	check(
		'no sesami-flows-to-stored-links.json/sesami-portal-emails.json execution is left unfinished',
		unfinished.length === 0,
		unfinished
			.slice(0, 10)
			.map((e) => `#${e.id} ${e.status}`)
			.join(', '),
	);
}

/** The outcome in "Sesami appointment links": one row per appointment with its latest state. */
async function checkRows({ ctx, simCtl, ids, appointments }) {
	const rows = (await ctx.dataTableRows(await ctx.dataTableId(LINKS_TABLE))).filter((r) =>
		ids.has(r.appointmentId),
	);
	figures['stored rows (sesami-flows-to-stored-links.json)'] = rows.length;
	check(
		`exactly ${APPOINTMENTS} stored rows, one per appointment`,
		rows.length === APPOINTMENTS && new Set(rows.map((r) => r.appointmentId)).size === APPOINTMENTS,
		`${rows.length} rows`,
	);
	const stale = [];
	for (const a of appointments) {
		const now = (await simCtl.get(`/state/appointments/${a.id}`)).data;
		const row = rows.find((r) => r.appointmentId === a.id);
		if (
			!row ||
			row.status !== now.status ||
			Date.parse(row.start) !== Date.parse(now.datetime) ||
			row.customerManagementLink !== now.customerManagementLink ||
			row.lastEvent !== 'APPOINTMENT_RESCHEDULED'
		)
			stale.push(
				`${a.id}: ${row ? `${row.status} ${row.start} ${row.lastEvent}` : 'no row'} vs ${now.status} ${now.datetime}`,
			);
	}
	check(
		'every row holds the latest state (rescheduled start, status, link)',
		stale.length === 0,
		stale.slice(0, 5).join('; '),
	);
}

/** The outcome in the SMTP server and "Sesami portal emails sent": one email per (appointment, event). */
async function checkEmails({ ctx, ids, appointments, run, killedAt, droppedLost, w2ExecutionIds }) {
	const emails = new Set(appointments.map((a) => a.customer?.email ?? `queue-${run}`));
	const messages = (await ctx.smtpMessages()).filter((m) =>
		m.to.some((to) => emails.has(to) || to.startsWith(`queue-${run}-`)),
	);
	figures['emails received (SMTP)'] = messages.length;
	const perKey = new Map();
	for (const m of messages) {
		const kind = /moved|rescheduled/i.test(m.subject)
			? 'RESCHEDULED'
			: /booked/i.test(m.subject)
				? 'CREATED'
				: m.subject;
		const key = `${m.to.join(',')}|${kind}`;
		perKey.set(key, [...(perKey.get(key) ?? []), m]);
	}
	const twice = [...perKey.entries()].filter(([, list]) => list.length > 1);
	// SMTP has no idempotency key: a worker killed after the SMTP server accepted an email and before
	// sesami-portal-emails.json logged it leaves an execution whose input n8n dropped, and the sender's re-send emails again.
	// That is the one window where a second email is possible; it is bounded by those executions.
	const cutOffW2 = droppedLost.filter((e) => w2ExecutionIds.has(String(e.id))).length;
	const extra = messages.length - perKey.size;
	figures['emails sent twice (kill between send and log)'] =
		`${extra} (sesami-portal-emails.json executions cut off by the kill: ${cutOffW2})`;
	check(
		`one email per (appointment, event): ${APPOINTMENTS * 2}; a second one only where the kill cut sesami-portal-emails.json off between sending and logging`,
		perKey.size === APPOINTMENTS * 2 && extra <= cutOffW2 && (KILL || extra === 0),
		`${messages.length} emails, ${perKey.size} distinct, cut off ${cutOffW2}, sent twice: ${twice
			.slice(0, 5)
			.map(([k, list]) => `${k} x${list.length}`)
			.join('; ')}`,
	);
	// And each such pair's first copy reached the SMTP server before the SIGKILL, its other copy after
	// it (the re-send): no second email for any other reason.
	const notFromKill = twice.filter(([, list]) => {
		const at = list.map((m) => Date.parse(m.receivedAt)).sort((a, b) => a - b);
		return list.length !== 2 || !killedAt || at[0] > killedAt || at[1] < killedAt;
	});
	check(
		'every second email straddles the kill (first copy accepted before the SIGKILL, the re-send after it)',
		notFromKill.length === 0,
		notFromKill
			.slice(0, 5)
			.map(
				([k, list]) =>
					`${k} x${list.length} at ${list.map((m) => m.receivedAt).join(', ')} (kill ${killedAt ? new Date(killedAt).toISOString() : 'none'})`,
			)
			.join('; '),
	);
	const logged = (await ctx.dataTableRows(await ctx.dataTableId(EMAILS_TABLE))).filter((r) =>
		ids.has(r.appointmentId),
	);
	check(
		`"${EMAILS_TABLE}" logs each (appointment, event) once`,
		logged.length === APPOINTMENTS * 2 &&
			new Set(logged.map((r) => `${r.appointmentId}|${r.event}`)).size === APPOINTMENTS * 2,
		`${logged.length} rows`,
	);
}

/**
 * The recovery workflow's own case: executions that failed with their input kept. The SMTP server
 * refuses (an outage) and the simulator does not re-send, so sesami-portal-emails.json fails on
 * "Send portal email" for each push (and each copy); only the recovery workflow can bring those
 * emails back. This part: the pushes during the outage.
 */
async function outagePushes({ q, all, run }) {
	const { ctx, simCtl, smtp, api, w1, w2 } = q;
	const outageT0 = Date.now();
	const lastId = Math.max(0, ...all.map((e) => Number(e.id)));
	const o = await simCtl.post('/flow-delivery', {
		duplicate: 1,
		duplicateRate: 0.5,
		timeoutMs: 180_000,
	});
	if (o.status !== 200) throw new Error(`POST /__sim/flow-delivery: ${JSON.stringify(o.data)}`);
	smtp.refusing = true;
	const outage = [];
	for (let i = 0; i < OUTAGE_APPOINTMENTS; i++) {
		const r = await simCtl.post('/appointments', {
			customer: {
				firstName: 'Outage',
				lastName: `Tester ${i}`,
				email: `outage-${run}-${i}@example.com`,
			},
		});
		if (r.status !== 201)
			throw new Error(
				`POST /__sim/appointments: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
			);
		outage.push(r.data);
	}
	const outageIds = new Set(outage.map((a) => a.id));
	const during = await ctx.waitForFlowsSettled({
		workflowIds: [w1.id, w2.id],
		afterId: lastId,
		timeoutMs: 300_000,
		stableMs: 3000,
	});
	smtp.refusing = false;
	const outageDeliveries = ((await simCtl.get('/deliveries')).data ?? []).filter(
		(d) => outageIds.has(d.appointmentId) && d.target.startsWith(w2.webhookUrls[0].url),
	);
	const failedW2 = during[w2.id].filter((e) => e.status === 'error');
	figures['outage: sesami-portal-emails.json pushes (copies included) / failed executions'] =
		`${outageDeliveries.length} / ${failedW2.length}`;
	const failedKept = [];
	for (const e of failedW2)
		if (
			inputKept(
				(await api.get(`/executions/${e.id}`, { params: { includeData: true } })).data ?? {},
			)
		)
			failedKept.push(e);
	check(
		'outage: every sesami-portal-emails.json push failed with its input kept, none succeeded, sesami-flows-to-stored-links.json unaffected',
		outageDeliveries.length >= OUTAGE_APPOINTMENTS &&
			failedW2.length === outageDeliveries.length &&
			failedKept.length === failedW2.length &&
			during[w1.id].every((e) => e.status === 'success'),
		`${outageDeliveries.length} pushes, sesami-portal-emails.json ${JSON.stringify(statusCount(during[w2.id]))} (${failedKept.length} with input), sesami-flows-to-stored-links.json ${JSON.stringify(statusCount(during[w1.id]))}`,
	);
	return { outageT0, lastId, outageIds, failedW2 };
}

/** The outage case, continued: the recovery workflow re-runs each failed execution once. */
async function outageRecovery({ q, run, outageT0, lastId, outageIds, failedW2 }) {
	const { ctx, api, main, workers, port, recovery, w1, w2, lib } = q;
	say(`outage: running "${recovery.name}" again`);
	const rec2 = await lib.executeWorkflowCli({
		...main.cli,
		env: { ...main.cli.env, EXECUTIONS_MODE: 'regular' },
		workflowId: recovery.id,
		excludePorts: [port, main.brokerPort, ...workers.map((w) => w.healthPort)],
		timeoutMs: 600_000,
	});
	const out2 = rec2.run?.data?.resultData?.runData?.Summary?.[0]?.data?.main?.[0]?.[0]?.json;
	figures['outage: recovery workflow'] = {
		status: rec2.status,
		ms: rec2.ms,
		retried: out2?.retried,
		succeeded: out2?.succeeded,
		superseded: out2?.superseded,
		notRetryable: out2?.notRetryable,
	};
	const failedIds = new Set(failedW2.map((e) => String(e.id)));
	check(
		'outage: the recovery workflow retried one failed sesami-portal-emails.json execution per push (copies superseded), each successfully',
		rec2.ok &&
			out2 &&
			out2.retried === OUTAGE_APPOINTMENTS &&
			out2.superseded === failedW2.length - OUTAGE_APPOINTMENTS &&
			out2.succeeded === out2.retried &&
			out2.results.every((r) => failedIds.has(String(r.executionId))) &&
			out2.supersededExecutions.every((x) => failedIds.has(String(x.executionId))),
		`${rec2.status} ${JSON.stringify(out2 ? { retried: out2.retried, succeeded: out2.succeeded, superseded: out2.superseded, failed: failedW2.length, notSucceeded: out2.notSucceeded?.slice(0, 3) } : rec2.stderr?.slice(-1500))}`,
	);
	const settledAfter = await ctx.waitForFlowsSettled({
		workflowIds: [w1.id, w2.id],
		afterId: lastId,
		timeoutMs: 120_000,
		stableMs: 2000,
	});
	const notRetried = [];
	const failedNow = settledAfter[w2.id].filter((x) => failedIds.has(String(x.id)));
	const supersededBy2 = new Map(
		(out2?.supersededExecutions ?? []).map((x) => [String(x.executionId), String(x.supersededBy)]),
	);
	for (const e of failedNow) {
		const own = supersededBy2.has(String(e.id))
			? failedNow.find((x) => String(x.id) === supersededBy2.get(String(e.id)))
			: e;
		if (!(await retriedOk(api, own)))
			notRetried.push(
				`#${e.id}${own !== e ? ` (superseded by #${own?.id})` : ''} retrySuccessId ${own?.retrySuccessId}`,
			);
	}
	check(
		'outage: n8n records a successful retry (retrySuccessId) for each failed sesami-portal-emails.json execution or the one it was superseded by',
		failedW2.length > 0 && notRetried.length === 0,
		notRetried.slice(0, 5).join(', '),
	);
	const outageMails = (await ctx.smtpMessages()).filter((m) =>
		m.to.some((to) => to.startsWith(`outage-${run}-`)),
	);
	const outageTo = new Set(outageMails.map((m) => m.to.join(',')));
	const outageLogged = (await ctx.dataTableRows(await ctx.dataTableId(EMAILS_TABLE))).filter((r) =>
		outageIds.has(r.appointmentId),
	);
	check(
		`outage: exactly one email per appointment after the recovery (${OUTAGE_APPOINTMENTS}), logged once`,
		outageMails.length === OUTAGE_APPOINTMENTS &&
			outageTo.size === OUTAGE_APPOINTMENTS &&
			outageLogged.length === OUTAGE_APPOINTMENTS,
		`${outageMails.length} emails to ${outageTo.size} addresses, ${outageLogged.length} logged`,
	);
	figures['outage case took (s)'] = Math.round((Date.now() - outageT0) / 1000);
	figures['wall time'] = secs();
}

async function main() {
	say(
		`${APPOINTMENTS} appointments (created + rescheduled, to sesami-flows-to-stored-links.json and sesami-portal-emails.json: ~${Math.round(APPOINTMENTS * 4 * 1.25)} pushes with the copies), ${KILL ? 'SIGKILL of worker 1 mid-run' : 'no kill (--no-kill)'}`,
	);
	if (!flag('no-build')) {
		say('npm run build');
		const code = await runStreaming('npm', ['run', 'build']);
		if (code !== 0) throw new Error(`npm run build exited ${code}`);
	}
	const { provision } = await import('../e2e/lib/provision.mjs');
	const lib = await import('../e2e/lib/n8n.mjs');
	const { startPostgres, startRedis } = await import('./services.mjs');
	await provision({ log: say });
	const { pg, redis, sim, shop, smtp } = await startServices({ startPostgres, startRedis });

	const port = await lib.freePort([pg.port, redis.port]);
	const url = `http://127.0.0.1:${port}`;
	const wfDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-wf-'));
	cleanups.push(async () => fs.rmSync(wfDir, { recursive: true, force: true }));
	const workflowFiles = prepareWorkflows(wfDir, { apiBaseUrl: `${url}/api/v1` });
	const { N8N_API_CREDENTIAL } = lib;
	const credentials = queueCredentials({ shop, sim, smtp, url, N8N_API_CREDENTIAL });
	const queueEnv = queueEnvFor({ pg, redis });
	const main = await startMain({ lib, port, url, credentials, workflowFiles, queueEnv });
	const workers = await startWorkers({ lib, main });
	const ctx = await e2eContext({ url, port, main, sim, smtp });
	const api = ctx.n8nApi();
	const simCtl = ctx.simControl();
	const byFile = (f) => main.workflows.find((w) => w.file.endsWith(`/${f}`));
	const w1 = byFile(W1_FILE);
	const w2 = byFile(W2_FILE);
	const recovery = byFile(RECOVERY_FILE);
	check(
		'sesami-flows-to-stored-links.json and sesami-portal-emails.json published in queue mode',
		w1?.active && w2?.active,
		`${w1?.id} ${w2?.id}`,
	);
	const q = { lib, main, workers, port, smtp, ctx, api, simCtl, w1, w2, recovery };

	const run = crypto.randomBytes(3).toString('hex');
	await configureDelivery({ simCtl });
	const pushes = await sendPushes({ simCtl, workers, run });
	const delivered = await checkDeliveries({ ctx, simCtl, w1, w2, ...pushes });
	const recovered = await runRecovery({ q, lost: delivered.lost });
	const settled = await settleAfterRecovery({ ctx, w1, w2, ...delivered });
	await checkRecovered({ api, ...recovered, ...settled });
	await checkRows({ ctx, simCtl, ids: delivered.ids, appointments: pushes.appointments });
	await checkEmails({ ctx, run, ...pushes, ...delivered, ...recovered });
	const outage = await outagePushes({ q, all: settled.all, run });
	await outageRecovery({ q, run, ...outage });
}

main()
	.catch((error) => {
		console.error(`[queue] crashed: ${error.stack || error.message}`);
		checks.push({ name: 'run completed', ok: false, detail: error.message.split('\n')[0] });
	})
	.finally(async () => {
		await cleanups.run();
		summary();
		// Left-over handles (axios keep-alive, timers) must not keep CI waiting.
		setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
	});
