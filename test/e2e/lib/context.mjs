// What the e2e `*.test.mjs` files import. The runner (test/run-all.mjs) starts n8n and the
// simulator, then passes everything through a JSON file named by E2E_CONTEXT:
//   { n8nUrl, apiKey, ownerCookie, simUrl, simBaseUrl, fixtures, workflows, userFolder,
//     n8nVersion, n8nBin, nodeBin, nodeDir, credentialIds, cli: { nodeBin, n8nBin, env } }
// `cli.env` is the environment of the running instance (user folder, encryption key), so tests
// can run `n8n execute` against the same database while the server keeps running.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import axios from 'axios';
import { executeWorkflowCli, nodeOutput } from './n8n.mjs';

export { nodeOutput };

const require = createRequire(import.meta.url);
let cached = null;

/** The context written by the runner. Throws a readable error when the suite is run on its own. */
export function getContext() {
	if (cached) return cached;
	const file = process.env.E2E_CONTEXT;
	if (!file || !fs.existsSync(file))
		throw new Error('E2E_CONTEXT is not set: run the e2e suite through `npm run test:e2e` (test/run-all.mjs), which starts n8n and the simulator first');
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
	return axios.create({ baseURL: ctx.n8nUrl, headers: { Cookie: ctx.ownerCookie }, timeout: 60_000, validateStatus: () => true });
}

/** The imported workflow that came from workflows/<fileName>: { id, name, file, active, webhookUrls }. */
export function workflowByFile(fileName) {
	const wf = getContext().workflows.find((w) => w.file.endsWith(`/${fileName}`) || w.file === fileName);
	if (!wf) throw new Error(`workflow file ${fileName} was not imported (have: ${getContext().workflows.map((w) => w.file).join(', ')})`);
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
export async function waitFor(fn, { timeoutMs = 10_000, intervalMs = 200, message = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await fn();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) throw new Error(`waitFor: ${message} not met within ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`);
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
	const headers = { 'x-api-key': shop.apiKey, 'x-shop-id': shop.id, 'User-Agent': SUITE_USER_AGENT };
	if (shop.clientId) headers['x-client-id'] = shop.clientId;
	return axios.create({ baseURL: ctx.simBaseUrl, headers, timeout: 30_000, validateStatus: () => true });
}

/** Every item of a cursor-paginated Sesami list endpoint (pages of `limit`, following nextCursor). */
export async function simListAll(pathname, params = {}, { shop = 0, limit = 100 } = {}) {
	const api = simApi(shop);
	const items = [];
	let after;
	for (let page = 0; page < 1000; page++) {
		const r = await api.get(pathname, { params: { ...params, limit, ...(after ? { after } : {}) } });
		if (r.status !== 200) throw new Error(`GET ${pathname}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`);
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
	if (!Array.isArray(list)) throw new Error(`unexpected /__sim/exchanges answer: ${JSON.stringify(r.data).slice(0, 300)}`);
	return list;
}

/** The contract checker of test/contract (CommonJS). */
export function sesamiContract() {
	return require('../../contract/sesami-contract.js').createSesamiContract();
}
