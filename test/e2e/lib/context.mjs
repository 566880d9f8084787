// What the e2e `*.test.mjs` files import. The runner (test/run-all.mjs) starts n8n and the
// simulator, then passes everything through a JSON file named by E2E_CONTEXT:
//   { n8nUrl, apiKey, ownerCookie, simUrl, simBaseUrl, fixtures, workflows, userFolder,
//     n8nVersion, n8nMajor, projectId, n8nBin, nodeBin, nodeDir, credentialIds, cli: { nodeBin, n8nBin, env } }
// n8nMajor tells where n8n 1.x differs (activate instead of publish, Data Tables through the REST
// API of the editor in the owner's project `projectId`); the helpers below take care of it.
// `cli.env` is the environment of the running instance (user folder, encryption key), so tests
// can run `n8n execute` against the same database while the server keeps running.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import axios from 'axios';
import {
	dataTablesClient,
	executeWorkflowCli,
	n8nMajor,
	nodeOutput,
	publishWorkflow,
	unpublishWorkflow,
} from './n8n.mjs';

export { nodeOutput };

const require = createRequire(import.meta.url);
let cached = null;

/** The context written by the runner. Throws a readable error when the suite is run on its own. */
export function getContext() {
	if (cached) return cached;
	const file = process.env.E2E_CONTEXT;
	if (!file || !fs.existsSync(file))
		throw new Error(
			'E2E_CONTEXT is not set: run the e2e suite through `npm run test:e2e` (test/run-all.mjs), which starts n8n and the simulator first',
		);
	cached = JSON.parse(fs.readFileSync(file, 'utf8'));
	return cached;
}

/** axios for n8n's public API (/api/v1, X-N8N-API-KEY). Never throws on HTTP status: assert on it. */
export function n8nApi() {
	const ctx = getContext();
	return axios.create({
		baseURL: `${ctx.n8nUrl}/api/v1`,
		headers: { 'X-N8N-API-KEY': ctx.apiKey },
		timeout: 60_000,
		validateStatus: () => true,
	});
}

/** axios for n8n's internal endpoints (/rest/*, /types/*) as the logged-in owner. Never throws on HTTP status. */
export function n8nOwner() {
	const ctx = getContext();
	return axios.create({
		baseURL: ctx.n8nUrl,
		headers: { Cookie: ctx.ownerCookie },
		timeout: 60_000,
		validateStatus: () => true,
	});
}

/** The major version of the n8n under test (1 or 2). */
export function n8nMajorVersion() {
	const ctx = getContext();
	return ctx.n8nMajor ?? n8nMajor(ctx.n8nVersion);
}

/** Publishes (2.x) or activates (1.x) a workflow through the public API. Resolves the axios response. */
export function publish(workflowId) {
	return publishWorkflow(n8nApi(), workflowId, n8nMajorVersion());
}

/** Unpublishes (2.x) or deactivates (1.x) a workflow through the public API. Resolves the axios response. */
export function unpublish(workflowId) {
	return unpublishWorkflow(n8nApi(), workflowId, n8nMajorVersion());
}

/** The imported workflow that came from workflows/<fileName>: { id, name, file, active, webhookUrls }. */
export function workflowByFile(fileName) {
	const wf = getContext().workflows.find(
		(w) => w.file.endsWith(`/${fileName}`) || w.file === fileName,
	);
	if (!wf)
		throw new Error(
			`workflow file ${fileName} was not imported (have: ${getContext()
				.workflows.map((w) => w.file)
				.join(', ')})`,
		);
	return wf;
}

/**
 * Runs an imported workflow to completion with `n8n execute --id <id> --rawOutput` (a separate
 * n8n process with its own task-runner broker port, sharing the server's database).
 * @returns {Promise<{ ok, status, code, run, stdout, stderr, ms }>} `run` is n8n's IRun JSON.
 */
export async function executeWorkflow(workflowId, { timeoutMs = 180_000 } = {}) {
	const ctx = getContext();
	return executeWorkflowCli({ ...ctx.cli, workflowId, timeoutMs, excludePorts: [ctx.n8nPort] });
}

/** Polls fn until it returns a truthy value (returned) or timeoutMs passes (throws with the last error). */
export async function waitFor(
	fn,
	{ timeoutMs = 10_000, intervalMs = 200, message = 'condition' } = {},
) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await fn();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline)
			throw new Error(
				`waitFor: ${message} not met within ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`,
			);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

// ---------------------------------------------------------------------------------------------
// Simulator helpers

/** Shop fixture i of the simulator: { id, apiKey, clientId, timezone, ... }. */
export function simShop(i = 0) {
	return getContext().fixtures.shops[i];
}

/** User-Agent of the suite's own calls to the simulator, to tell them apart from n8n's in the exchanges. */
export const SUITE_USER_AGENT = 'n8n-nodes-sesami-imin-e2e-suite';

/** axios for the simulated Sesami Admin API (baseURL = simBaseUrl) authenticated as shop i. Never throws on status. */
export function simApi(i = 0) {
	const ctx = getContext();
	const shop = ctx.fixtures.shops[i];
	const headers = {
		'x-api-key': shop.apiKey,
		'x-shop-id': shop.id,
		'User-Agent': SUITE_USER_AGENT,
	};
	if (shop.clientId) headers['x-client-id'] = shop.clientId;
	return axios.create({
		baseURL: ctx.simBaseUrl,
		headers,
		timeout: 30_000,
		validateStatus: () => true,
	});
}

/** Every item of a cursor-paginated Sesami list endpoint (pages of `limit`, following nextCursor). */
export async function simListAll(pathname, params = {}, { shop = 0, limit = 100 } = {}) {
	const api = simApi(shop);
	const items = [];
	let after;
	for (let page = 0; page < 1000; page++) {
		const r = await api.get(pathname, {
			params: { ...params, limit, ...(after ? { after } : {}) },
		});
		if (r.status !== 200)
			throw new Error(`GET ${pathname}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`);
		items.push(...r.data.data);
		if (!r.data.nextCursor || r.data.data.length === 0) return items;
		after = r.data.nextCursor;
	}
	throw new Error(`GET ${pathname}: more than 1000 pages`);
}

/** Exchanges n8n made (not the suite's own calls). */
export function fromN8n(exchanges) {
	return exchanges.filter((e) => e.headers?.['user-agent'] !== SUITE_USER_AGENT);
}

/** The request/answer pairs the simulator recorded (GET <simUrl>/__sim/exchanges). */
export async function simExchanges() {
	const r = await axios.get(`${getContext().simUrl}/__sim/exchanges`, { timeout: 30_000 });
	const list = Array.isArray(r.data) ? r.data : (r.data.exchanges ?? r.data.data ?? r.data.items);
	if (!Array.isArray(list))
		throw new Error(`unexpected /__sim/exchanges answer: ${JSON.stringify(r.data).slice(0, 300)}`);
	return list;
}

/** The contract checker of test/contract (CommonJS). */
export function sesamiContract() {
	return require('../../contract/sesami-contract.js').createSesamiContract();
}

// ---------------------------------------------------------------------------------------------
// Flows, Data Tables, executions, SMTP

/** axios for the simulator's control endpoints (`<simUrl>/__sim/...`; not recorded, no auth). Never throws on status. */
export function simControl() {
	return axios.create({
		baseURL: `${getContext().simUrl}/__sim`,
		timeout: 30_000,
		validateStatus: () => true,
	});
}

/**
 * The Data Tables of the n8n under test: the public API on 2.x, the editor's REST API (owner's
 * cookie, ctx.projectId) on 1.x, whose public API has no data-table routes.
 */
export function dataTables() {
	const ctx = getContext();
	return dataTablesClient({
		major: n8nMajorVersion(),
		api: n8nApi(),
		rest: n8nOwner(),
		projectId: ctx.projectId,
	});
}

/** The id of the Data Table the runner made with the setup workflow (workflows/setup-data-tables.json) (exact name). */
export async function dataTableId(name) {
	const known = (getContext().dataTables ?? []).find((t) => t.name === name);
	if (known) return known.id;
	const hit = (await dataTables().list()).find((t) => t.name === name);
	if (!hit) throw new Error(`no Data Table named "${name}" in n8n`);
	return hit.id;
}

/**
 * Rows of a Data Table (all pages). `filter` is n8n's filter object, e.g.
 * { type: 'and', filters: [{ columnName: 'appointmentId', condition: 'eq', value: id }] }.
 */
export function dataTableRows(tableId, filter) {
	return dataTables().rows(tableId, filter);
}

/**
 * Executions of a workflow with an id greater than `afterId` (numeric ids), oldest first. The public
 * API leaves running executions out of a plain list, so they are asked for separately
 * (`status=running`) and merged in.
 */
export async function executionsSince(workflowId, afterId = 0) {
	const api = n8nApi();
	const byId = new Map();
	for (const status of [undefined, 'running']) {
		let cursor;
		for (let page = 0; page < 200; page++) {
			const r = await api.get('/executions', {
				params: {
					workflowId,
					limit: 250,
					...(status ? { status } : {}),
					...(cursor ? { cursor } : {}),
				},
			});
			if (r.status !== 200)
				throw new Error(
					`GET /executions?workflowId=${workflowId}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
				);
			const list = r.data.data ?? [];
			for (const e of list) if (Number(e.id) > Number(afterId)) byId.set(e.id, e);
			cursor = r.data.nextCursor;
			// newest first: stop once a page reaches back past afterId
			if (!cursor || list.some((e) => Number(e.id) <= Number(afterId))) break;
		}
	}
	return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

/** The highest execution id n8n has for these workflows (0 when none): a marker for executionsSince. */
export async function lastExecutionId(workflowIds) {
	let max = 0;
	for (const workflowId of [].concat(workflowIds)) {
		const r = await n8nApi().get('/executions', { params: { workflowId, limit: 1 } });
		if (r.status !== 200) throw new Error(`GET /executions: HTTP ${r.status}`);
		const running = await n8nApi().get('/executions', {
			params: { workflowId, status: 'running', limit: 250 },
		});
		for (const e of [...(r.data.data ?? []), ...(running.data?.data ?? [])])
			max = Math.max(max, Number(e.id));
	}
	return max;
}

const UNFINISHED = new Set(['new', 'running', 'waiting', 'unknown']);

/**
 * Waits until the simulator has no Flow delivery pending or held, and n8n has no unfinished
 * execution (new / running / waiting) of these workflows since `afterId`, with the execution
 * counts unchanged over `stableMs`. `expected` ({ [workflowId]: n }) also waits for at least n
 * executions. Resolves { [workflowId]: executions[] }; rejects after timeoutMs with what it saw.
 */
export async function waitForFlowsSettled({
	workflowIds,
	afterId = 0,
	expected = {},
	timeoutMs = 120_000,
	stableMs = 1500,
}) {
	const sim = simControl();
	const deadline = Date.now() + timeoutMs;
	let last = '';
	let stableSince = 0;
	let seen = {};
	for (;;) {
		const d = await sim.get('/flow-delivery');
		const pending = d.data?.pending ?? 0;
		const held = d.data?.held ?? 0;
		seen = {};
		for (const id of [].concat(workflowIds)) seen[id] = await executionsSince(id, afterId);
		const unfinished = Object.values(seen)
			.flat()
			.filter((e) => UNFINISHED.has(e.status) || !e.stoppedAt);
		const short = Object.entries(expected).filter(([id, n]) => (seen[id]?.length ?? 0) < n);
		const signature = JSON.stringify(
			Object.values(seen).map((list) => list.map((e) => `${e.id}:${e.status}`)),
		);
		const quiet = pending === 0 && held === 0 && unfinished.length === 0 && short.length === 0;
		if (quiet && signature === last) {
			if (Date.now() - stableSince >= stableMs) return seen;
		} else {
			stableSince = Date.now();
		}
		last = signature;
		if (Date.now() > deadline) {
			const counts = Object.entries(seen).map(
				([id, list]) =>
					`${id}: ${list.length} (${list.filter((e) => UNFINISHED.has(e.status) || !e.stoppedAt).length} unfinished)`,
			);
			throw new Error(
				`Flows did not settle within ${timeoutMs} ms: simulator pending ${pending}, held ${held}; executions ${counts.join(', ')}; expected ${JSON.stringify(expected)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 400));
	}
}

/** Executions of one workflow after `afterId`, once none is unfinished (bounded). */
export async function finishedExecutions(
	workflowId,
	afterId,
	{ atLeast = 0, timeoutMs = 60_000, stableMs = 1500 } = {},
) {
	let last = '';
	let since = 0;
	let list = [];
	await waitFor(
		async () => {
			list = await executionsSince(workflowId, afterId);
			const signature = list.map((e) => `${e.id}:${e.status}:${Boolean(e.stoppedAt)}`).join(',');
			const done =
				list.length >= atLeast &&
				list.every((e) => e.stoppedAt && !['new', 'running', 'waiting'].includes(e.status));
			if (!done || signature !== last) {
				last = signature;
				since = Date.now();
				return false;
			}
			return Date.now() - since >= stableMs;
		},
		{
			timeoutMs,
			intervalMs: 300,
			message: `executions of ${workflowId} after #${afterId} finished (at least ${atLeast}; have ${list.length})`,
		},
	);
	return list;
}

/** Fails with n8n's own error for every execution that did not succeed. */
export async function assertSucceeded(list, what) {
	const failed = list.filter((e) => e.status !== 'success');
	if (!failed.length) return;
	const details = [];
	for (const e of failed.slice(0, 3)) {
		const full = await executionWithData(e.id).catch(() => null);
		const err = full?.data?.resultData?.error;
		details.push(
			`#${e.id} ${e.status}: ${err?.message ?? '?'} ${err?.description ?? ''} (node ${err?.node?.name ?? full?.data?.resultData?.lastNodeExecuted ?? '?'})`,
		);
	}
	assert.fail(
		`${failed.length} of ${list.length} ${what} executions did not succeed:\n${details.join('\n')}`,
	);
}

/** One execution with its run data (`GET /executions/{id}?includeData=true`). */
export async function executionWithData(id) {
	const r = await n8nApi().get(`/executions/${id}`, { params: { includeData: true } });
	if (r.status !== 200)
		throw new Error(
			`GET /executions/${id}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
		);
	return r.data;
}

/** Output items (json) of one node in an execution fetched with executionWithData. */
export function executionNodeOutput(execution, nodeName, { output = 0, runIndex = 0 } = {}) {
	const runData = execution?.data?.resultData?.runData?.[nodeName];
	if (!runData) return undefined;
	return (runData[runIndex]?.data?.main?.[output] ?? []).map((item) => item.json);
}

/** Every message the e2e SMTP server received so far (through its HTTP inbox), in arrival order. */
export async function smtpMessages() {
	const smtp = getContext().smtp;
	if (!smtp?.httpUrl)
		throw new Error('the e2e context has no SMTP server (run through test/run-all.mjs)');
	const r = await axios.get(`${smtp.httpUrl}/messages`, { timeout: 30_000 });
	return r.data;
}

/**
 * The SMTP server's outage switch (`PUT <inbox>/outage`): true = every message is refused with 451
 * until it is set back to false. A test that turns it on turns it off again (in a `finally`).
 */
export async function smtpRefusing(on) {
	const smtp = getContext().smtp;
	if (!smtp?.httpUrl)
		throw new Error('the e2e context has no SMTP server (run through test/run-all.mjs)');
	const r = await axios.put(
		`${smtp.httpUrl}/outage`,
		{ refusing: Boolean(on) },
		{ timeout: 30_000, validateStatus: () => true },
	);
	if (r.status !== 200 || r.data?.refusing !== Boolean(on))
		throw new Error(`PUT ${smtp.httpUrl}/outage: HTTP ${r.status} ${JSON.stringify(r.data)}`);
	return r.data.refusing;
}

/**
 * The messages to one address once the first has arrived and a second would have had time to follow
 * (settleMs): for "exactly one email" checks.
 */
export async function emailsTo(address, { timeoutMs = 15_000, settleMs = 1500 } = {}) {
	const mine = async () => (await smtpMessages()).filter((m) => m.to.includes(address));
	await waitFor(async () => (await mine()).length >= 1, {
		timeoutMs,
		message: `an email to ${address}`,
	});
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	return mine();
}

// ---------------------------------------------------------------------------------------------
// imin simulator, n8n restart

/** axios for the imin simulator's control endpoints (`<imin.simUrl>/__sim/...`; no auth, not recorded). Never throws on status. */
export function iminControl() {
	const imin = getContext().imin;
	if (!imin?.simUrl)
		throw new Error('the e2e context has no imin simulator (run through test/run-all.mjs)');
	return axios.create({
		baseURL: `${imin.simUrl}/__sim`,
		timeout: 30_000,
		validateStatus: () => true,
	});
}

/** The API requests the imin simulator recorded (`GET /__sim/requests[?pathPrefix=]`), oldest first. */
export async function iminRequests(pathPrefix) {
	const r = await iminControl().get('/requests', { params: pathPrefix ? { pathPrefix } : {} });
	if (r.status !== 200 || !Array.isArray(r.data))
		throw new Error(
			`GET /__sim/requests: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
		);
	return r.data;
}

/**
 * Restarts n8n with the same user folder (database, static data, Data Tables survive). The runner
 * owns the n8n process, so the request goes to its control endpoint; it answers once n8n answers
 * again, the owner is logged in and the published workflows' webhooks are registered. The owner
 * cookie of the context is replaced. Resolves { stopMs, startMs, readyMs }.
 */
export async function restartN8n({ timeoutMs = 240_000 } = {}) {
	const ctx = getContext();
	if (!ctx.control?.url)
		throw new Error('the e2e context has no control endpoint (run through test/run-all.mjs)');
	const r = await axios.post(
		`${ctx.control.url}/restart-n8n`,
		{},
		{
			headers: { 'x-e2e-control-token': ctx.control.token },
			timeout: timeoutMs,
			validateStatus: () => true,
		},
	);
	if (r.status !== 200)
		throw new Error(
			`restarting n8n failed: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 2000)}`,
		);
	if (r.data.cookie) ctx.ownerCookie = r.data.cookie;
	return { stopMs: r.data.stopMs, startMs: r.data.startMs, readyMs: r.data.readyMs };
}
