// Harness: a real n8n (2.41.1 on Node 24 by default, or 1.123.81 on Node 22; SQLite) with this
// package installed as a community package. Where n8n 1.x differs (no /publish, no public
// data-table routes, no publication status), the code branches on the major version only.
//
//   const n8n = await startN8n({ packageDir, credentials, workflowsDir });
//   n8n.url, n8n.api (axios, X-N8N-API-KEY), n8n.workflows, await n8n.execute(id), n8n.logs(),
//   await n8n.restart() (same user folder: cursors, tables, executions survive), await n8n.stop()
//
// Order of events: provision (cache) -> temp N8N_USER_FOLDER -> link the package at
// <userFolder>/.n8n/nodes/node_modules/<name> (where n8n's community-packages loader scans) ->
// `n8n import:credentials` and `n8n import:workflow` (CLI, before the server) -> `n8n start` ->
// wait for /rest/settings -> owner setup / login -> API key -> publish trigger workflows -> wait
// until each webhook URL is registered.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { provision, DEFAULT_N8N_VERSION, n8nMajor } from './provision.mjs';
import {
	cookieFrom,
	describeHttpError,
	describePublishError,
	errorLogLines,
	listAllPublic,
} from './n8n-http.mjs';
import {
	dataTableNodesByIdForN8n1,
	dataTablesClient,
	personalProjectId,
	readSetupWorkflowTables,
	setUpDataTables,
} from './data-tables.mjs';

export { n8nMajor, listAllPublic };
// The Data Table helpers live in data-tables.mjs; tests import them from here too.
export {
	assertNoNameClash,
	dataTableNodesForN8n1,
	dataTablesClient,
	ensureDataTables,
	personalProjectId,
	readSetupWorkflowTables,
	runSetupWorkflow,
} from './data-tables.mjs';

const RESERVED_PORTS = new Set([5678, 5679, 5680, 5681]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** A timer that does not keep the process alive (for races against a child's exit). */
const idleTimer = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** A free TCP port on 127.0.0.1 (never 5679, n8n's default task-broker port). */
export async function freePort(exclude = []) {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise((resolve, reject) => {
			const srv = net.createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const { port: p } = srv.address();
				srv.close(() => resolve(p));
			});
		});
		if (!RESERVED_PORTS.has(port) && !exclude.includes(port)) return port;
	}
	throw new Error('no free port found');
}

// ---------------------------------------------------------------------------------------------
// Child-process bookkeeping: every n8n process we start is killed when this process exits.
const liveChildren = new Set();
const tempFolders = new Set(); // removed on exit unless stop() already did (or --keep)
let exitHooksInstalled = false;
/** Sends `signal` to a child's process group (n8n's task runners live in it), else to the child. */
export function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}
function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.on('exit', () => {
		for (const child of liveChildren) killGroup(child, 'SIGKILL');
		for (const dir of tempFolders) fs.rmSync(dir, { recursive: true, force: true });
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(sig, () => {
			for (const child of liveChildren) killGroup(child, 'SIGTERM');
			// Let other handlers (e.g. run-all's cleanup) run; exit if nobody else handles it.
			if (process.listenerCount(sig) <= 1)
				process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
		});
	}
}
/** Registers a child process to be killed when this process exits. */
export function track(child) {
	installExitHooks();
	liveChildren.add(child);
	child.once('exit', () => liveChildren.delete(child));
	return child;
}

// ---------------------------------------------------------------------------------------------
/** The environment every n8n process of one instance shares (server and CLI). */
export function n8nEnv({ nodeDir, userFolder, encryptionKey, port, extra = {} }) {
	const env = {
		...process.env,
		PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HIDE_USAGE_PAGE: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_AI_ENABLED: 'false',
		N8N_PYTHON_ENABLED: 'false',
		EXECUTIONS_MODE: 'regular',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_OUTPUT: 'console',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		npm_config_update_notifier: 'false',
	};
	if (encryptionKey) env.N8N_ENCRYPTION_KEY = encryptionKey;
	if (port) {
		env.N8N_PORT = String(port);
		env.N8N_HOST = '127.0.0.1';
		// The base of the production webhook URLs n8n hands to trigger nodes (the Sesami Trigger writes
		// it into the Flows it registers). 127.0.0.1, not localhost: localhost may resolve to ::1, where
		// n8n (N8N_LISTEN_ADDRESS) does not listen. A caller's `extra.WEBHOOK_URL` wins (npm start, tunnels).
		env.WEBHOOK_URL = `http://127.0.0.1:${port}/`;
		env.N8N_EDITOR_BASE_URL = `http://127.0.0.1:${port}/`;
	}
	// Variables of a parent n8n (e.g. when run from inside one) must not leak into ours.
	delete env.N8N_CONFIG_FILES;
	return { ...env, ...extra };
}

/**
 * Settings one major version needs (the caller's env wins); README "n8n 1.x" tells users the same.
 * n8n 1.123.81 (measured):
 *  - SQLite runs on one legacy connection unless DB_SQLITE_POOL_SIZE > 0 (2.x: a pool of 3 by
 *    default; 1.x's own start-up warning asks for it). Without the pool, two executions writing a
 *    Data Table at the same moment (a webhook delivered twice) failed: "Transaction is not started yet".
 *  - Its default expression engine `vm` (isolated-vm, backported to 1.x) evaluates every
 *    `$('Node')` reference (`.item`, `.first()`, `.itemMatching()`) to null, while `$json` works;
 *    sesami-portal-emails.json, imin-success-webhook.json and sesami-my-page-backend.json address earlier nodes that way (imin-success-webhook.json's email went out with no recipient).
 *    `legacy`, the engine of 1.x before, evaluates them correctly.
 * n8n 2.41.1 (measured): its database monitor pings SQLite (`SELECT 1`) every 2 s and answers every
 * request, webhooks included, with 503 "Database is not ready!" from the first ping slower than
 * DB_PING_TIMEOUT_MS (default 5 s) until a ping succeeds — and after 3 such pings re-creates the
 * connection. On these 2 cores a burst of executions (the 50-appointment Flows test) kept a ping
 * waiting over 5 s once in a full run: a false alarm, since the database was only busy. The harness
 * gives the ping 30 s; README "Tests" tells users the same for small machines.
 */
export function versionEnv(major) {
	return major >= 2
		? { DB_PING_TIMEOUT_MS: '30000' }
		: { DB_SQLITE_POOL_SIZE: '3', N8N_EXPRESSION_ENGINE: 'legacy' };
}

/** Runs an n8n CLI command to completion. Resolves { code, stdout, stderr }; rejects on spawn errors only. */
export function runN8nCli({ nodeBin, n8nBin, env, args, timeoutMs = 180_000 }) {
	return new Promise((resolve, reject) => {
		const child = track(
			spawn(nodeBin, [n8nBin, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }),
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			stderr += `\n[harness] n8n ${args[0]} timed out after ${timeoutMs} ms; killed\n`;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
		});
	});
}

/** Extracts the run JSON printed by `n8n execute --rawOutput`: from the first line starting with '{' to the matching top-level '}'. */
export function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.startsWith('{'));
	if (start < 0) return null;
	for (let end = start; end < lines.length; end++) {
		if (end === start || lines[end].startsWith('}')) {
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// keep looking for the closing brace
			}
		}
	}
	return null;
}

/**
 * `n8n execute --id <id> --rawOutput` against the instance's user folder, with its own task-runner
 * broker port (the server holds another one). Works while the server runs.
 * @returns {Promise<{ ok: boolean, status: string, code: number, run: object|null, stdout: string, stderr: string, ms: number }>}
 */
export async function executeWorkflowCli({
	nodeBin,
	n8nBin,
	env,
	workflowId,
	timeoutMs = 180_000,
	excludePorts = [],
}) {
	const brokerPort = await freePort([
		...excludePorts,
		Number(env.N8N_PORT),
		Number(env.N8N_RUNNERS_BROKER_PORT),
	]);
	const cliEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
	delete cliEnv.N8N_PORT; // execute does not listen, but keep it from ever binding the server's port
	const t0 = Date.now();
	const r = await runN8nCli({
		nodeBin,
		n8nBin,
		env: cliEnv,
		args: ['execute', `--id=${workflowId}`, '--rawOutput'],
		timeoutMs,
	});
	const run = parseExecuteOutput(r.stdout);
	const status = run?.status ?? (r.code === 0 ? 'unknown' : 'error');
	return {
		ok: r.code === 0 && status === 'success',
		status,
		code: r.code,
		run,
		stdout: r.stdout,
		stderr: r.stderr,
		ms: Date.now() - t0,
	};
}

/** Output items (json) of one node in a run returned by executeWorkflowCli. */
export function nodeOutput(run, nodeName, { output = 0, runIndex = 0 } = {}) {
	const runData = run?.data?.resultData?.runData?.[nodeName];
	if (!runData) return undefined;
	return (runData[runIndex]?.data?.main?.[output] ?? []).map((item) => item.json);
}

// ---------------------------------------------------------------------------------------------
function readWorkflowFiles({ workflowsDir, workflowFiles }) {
	const files = workflowFiles
		? workflowFiles.map((f) => path.resolve(f))
		: workflowsDir && fs.existsSync(workflowsDir)
			? fs
					.readdirSync(workflowsDir)
					.filter((f) => f.endsWith('.json'))
					.sort()
					.map((f) => path.join(workflowsDir, f))
			: [];
	return files.map((file) => {
		let json;
		try {
			json = JSON.parse(fs.readFileSync(file, 'utf8'));
		} catch (error) {
			throw new Error(`workflow file ${file}: ${error.message}`);
		}
		// Stable id when the file has none, so re-imports overwrite instead of duplicating.
		if (!json.id)
			json.id =
				'wf' + crypto.createHash('sha1').update(path.basename(file)).digest('hex').slice(0, 14);
		return { file, json };
	});
}

const NON_ACTIVATABLE_TRIGGERS = new Set([
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.executeWorkflowTrigger',
	'n8n-nodes-base.errorTrigger',
	'@n8n/n8n-nodes-langchain.manualChatTrigger',
]);
/** Trigger nodes that make a workflow worth publishing: any *Trigger except manual ones, or the Webhook node. */
export function activatableTriggers(workflowJson) {
	return (workflowJson.nodes ?? []).filter(
		(n) =>
			!n.disabled &&
			(n.type === 'n8n-nodes-base.webhook' ||
				(/Trigger$/.test(n.type) && !NON_ACTIVATABLE_TRIGGERS.has(n.type))),
	);
}

/** Resolves a webhook-description field: literal values, or the `={{$parameter["x"] || "fallback"}}` templates n8n generates. */
function resolveParam(value, node, description) {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const m =
		/^=\{\{\s*\$parameter((?:\["[^"]+"\]|\.\w+)+)\s*(?:\|\|\s*(".*?"|true|false|\d+))?\s*\}\}$/.exec(
			value,
		);
	if (!m) return undefined;
	const segments = [...m[1].matchAll(/\["([^"]+)"\]|\.(\w+)/g)].map((x) => x[1] ?? x[2]);
	const fallback = m[2] === undefined ? undefined : JSON.parse(m[2]);
	let current = node.parameters ?? {};
	if (!(segments[0] in current)) {
		const prop = description?.properties?.find((p) => p.name === segments[0]);
		current = { [segments[0]]: prop?.default };
	}
	for (const key of segments)
		current = current === null || current === undefined ? undefined : current[key];
	return fallback !== undefined && !current ? fallback : current;
}

/** Production webhook URLs of one node, following n8n's getNodeWebhookPath rules. Unknown paths yield url: null. */
export function webhookUrlsFor({ url, workflowId, node, description }) {
	const hooks = description?.webhooks ?? [];
	return hooks
		.filter((h) => (h.restartWebhook ?? false) !== true)
		.map((h) => {
			const httpMethod = String(
				resolveParam(h.httpMethod, node, description) ?? 'GET',
			).toUpperCase();
			let p = resolveParam(h.path, node, description);
			const isFullPath = resolveParam(h.isFullPath, node, description) === true;
			let full = null;
			if (typeof p === 'string') {
				p = p.replace(/^\/+/, '');
				if (node.webhookId === undefined)
					full = `${workflowId}/${encodeURIComponent(node.name.toLowerCase())}/${p}`;
				else if (isFullPath && !p.includes(':')) full = p || node.webhookId;
				else full = `${node.webhookId}/${p}`;
			}
			return {
				node: node.name,
				type: node.type,
				name: h.name,
				httpMethod,
				path: full,
				url: full === null ? null : `${url}/webhook/${full}`,
			};
		});
}

/**
 * Asks n8n whether a production webhook is registered, without triggering it. A CORS preflight
 * (OPTIONS + Origin + Access-Control-Request-Method) goes through the same lookup as a real call:
 * while the webhook is unknown n8n answers an error (500 with "The requested webhook ... is not
 * registered"; a plain call would get 404); once it is registered it answers 204 and lists the
 * method in Access-Control-Allow-Methods.
 */
export async function webhookRegistered(hookUrl, method) {
	let r;
	try {
		r = await axios.request({
			method: 'OPTIONS',
			url: hookUrl,
			headers: { Origin: 'http://127.0.0.1', 'Access-Control-Request-Method': method },
			validateStatus: () => true,
			timeout: 15_000,
		});
	} catch (error) {
		// a busy machine (n8n still activating the workflow) can leave the preflight unanswered: not yet
		if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return false;
		throw error;
	}
	const allowed = String(r.headers['access-control-allow-methods'] ?? '')
		.split(',')
		.map((x) => x.trim().toUpperCase());
	return r.status >= 200 && r.status < 300 && allowed.includes(method.toUpperCase());
}

/**
 * Waits until n8n has finished (de)activating a workflow after a publish. n8n 2.41 publishes through
 * an outbox: `POST /api/v1/workflows/{id}/publish` answers 200 (active: true) at once, and the
 * trigger nodes are activated afterwards (their webhook `create()` runs then). A trigger that fails
 * to activate does NOT turn the answer into an error; only the publication status tells:
 * `GET /rest/workflows/{id}/publication-status` -> { status: in_progress | published | partial |
 * failed | not_published, pendingVersionId, triggers: [{ nodeId, status, errorMessage }] }.
 * Resolves that status once it is settled (null when this n8n has no publication service).
 * @param {import('axios').AxiosInstance} rest  axios with the owner's cookie, baseURL = n8n's URL, not throwing on status
 */
export async function waitForPublication(
	rest,
	workflowId,
	{ timeoutMs = 120_000, major = 2 } = {},
) {
	// n8n 1.x activates synchronously: POST /activate answers after the triggers are activated, or
	// with an error. It has no publication status.
	if (major < 2) return null;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await rest.get(`/rest/workflows/${workflowId}/publication-status`, {
			validateStatus: () => true,
		});
		if (r.status === 404 && /not available/i.test(JSON.stringify(r.data))) return null;
		if (r.status !== 200)
			throw new Error(
				`GET /rest/workflows/${workflowId}/publication-status: ${describeHttpError(r)}`,
			);
		const status = r.data?.data ?? r.data;
		if (status.status !== 'in_progress' && !status.pendingVersionId) return status;
		if (Date.now() > deadline)
			throw new Error(
				`workflow ${workflowId} is still being published after ${timeoutMs / 1000} s: ${JSON.stringify(status)}`,
			);
		await sleep(150);
	}
}

/**
 * Publishes (n8n 2.x: POST /api/v1/workflows/{id}/publish) or activates (1.x: POST .../activate,
 * the only route there) a workflow. Resolves the axios response; `api` is /api/v1 with the API key.
 */
export function publishWorkflow(api, workflowId, major) {
	return api.post(
		`/workflows/${workflowId}/${major >= 2 ? 'publish' : 'activate'}`,
		{},
		{ validateStatus: () => true },
	);
}

/** Unpublishes (2.x: .../unpublish) or deactivates (1.x: .../deactivate) a workflow. */
export function unpublishWorkflow(api, workflowId, major) {
	return api.post(
		`/workflows/${workflowId}/${major >= 2 ? 'unpublish' : 'deactivate'}`,
		{},
		{ validateStatus: () => true },
	);
}

/** The failed triggers of a publication status, named after the workflow's nodes: ["Node" (type): message]. */
export function publicationFailures(status, workflowJson) {
	return (status?.triggers ?? [])
		.filter((t) => t.status === 'failed')
		.map((t) => {
			const node = (workflowJson?.nodes ?? []).find((n) => n.id === t.nodeId);
			return `"${node?.name ?? t.nodeId}"${node ? ` (${node.type})` : ''}: ${t.errorMessage ?? 'no message'}`;
		});
}

/**
 * Links the built package into <userFolder>/.n8n/nodes/node_modules/<name>, where n8n's
 * community-packages loader scans (n8n-nodes-* and @scope/n8n-nodes-*, scan-directory-for-packages.js),
 * for every n8n process that needs it (main, each queue-mode worker). Returns the package name.
 */
export function linkPackage({ userFolder, packageDir }) {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const packageName = pkg.name;
	if (!fs.existsSync(path.join(packageDir, 'dist')))
		throw new Error(`${packageDir}/dist is missing: run npm run build first`);
	// n8n drops the whole package, silently at the default log level, when one listed file is missing.
	const missing = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].filter(
		(f) => !fs.existsSync(path.join(packageDir, f)),
	);
	if (missing.length)
		throw new Error(
			`package.json "n8n" lists files that are not built: ${missing.join(', ')} (run npm run build)`,
		);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const link = path.join(nodesDir, 'node_modules', packageName);
	fs.mkdirSync(path.dirname(link), { recursive: true });
	const existing = fs.lstatSync(link, { throwIfNoEntry: false });
	if (
		existing &&
		!(existing.isSymbolicLink() && fs.readlinkSync(link) === path.resolve(packageDir))
	)
		fs.rmSync(link, { recursive: true, force: true });
	if (!fs.lstatSync(link, { throwIfNoEntry: false }))
		fs.symlinkSync(path.resolve(packageDir), link, 'dir');
	// What n8n's own installer leaves behind (n8n does not need it to load the package, but its
	// "Community nodes" settings page runs npm in this folder).
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest))
		fs.writeFileSync(
			manifest,
			JSON.stringify(
				{ name: 'installed-nodes', private: true, dependencies: { [packageName]: '*' } },
				null,
				2,
			) + '\n',
		);
	return packageName;
}

// ---------------------------------------------------------------------------------------------
// startN8n, in named steps: prepareInstance -> serverProcess -> importWithCli -> (start) ->
// ownerSession -> loadNodeTypes -> dataTablesStep -> publishAll -> instanceHandle.

/** The user folder, ports, environment, URL and owner of one instance (nothing started yet). */
async function prepareInstance(opts, { major, nodeDir, keep, extraEnv }) {
	const persistent = Boolean(opts.userFolder);
	const userFolder = persistent
		? path.resolve(opts.userFolder)
		: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	if (!persistent && !keep) {
		installExitHooks();
		tempFolders.add(userFolder);
	}
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	const port = opts.port ?? (await freePort());
	const brokerPort = await freePort([port]);
	const encryptionKey =
		opts.encryptionKey ?? (persistent ? undefined : crypto.randomBytes(24).toString('hex'));
	const env = n8nEnv({
		nodeDir,
		userFolder,
		encryptionKey,
		port,
		extra: { N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...versionEnv(major), ...extraEnv },
	});
	const owner = {
		email: 'owner@example.com',
		firstName: 'Sandbox',
		lastName: 'Owner',
		password: `Pw-${crypto.randomBytes(9).toString('base64url')}9a`,
		...(opts.owner ?? {}),
	};
	const url = `http://127.0.0.1:${port}`;
	return { persistent, userFolder, port, brokerPort, encryptionKey, env, url, owner };
}

/**
 * The `n8n start` child process of an instance and its collected output: start() (resolves once
 * /rest/settings answers, with the ms it took), kill() (SIGTERM to its process group, SIGKILL after
 * 15 s; the user folder stays), stop() (kill, then remove a temp folder), logs(), child, exitInfo.
 */
function serverProcess({ paths, inst, keep, logFile, echoN8nLogs, log, startTimeoutMs }) {
	let collected = '';
	let server = null;
	let exitInfo = null;
	let stopped = false;
	const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
	const append = (prefix, text) => {
		collected += text;
		if (logStream?.writable) logStream.write(text);
		if (collected.length > 5_000_000) collected = collected.slice(-4_000_000);
		if (echoN8nLogs)
			for (const line of String(text).split('\n')) if (line.trim()) log(`${prefix}${line}`);
	};
	const kill = async () => {
		if (server && server.exitCode === null && server.signalCode === null) {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			killGroup(server, 'SIGTERM');
			const done = await Promise.race([
				exited.then(() => true),
				idleTimer(15_000).then(() => false),
			]);
			if (!done) {
				log('n8n did not stop within 15 s; SIGKILL');
				killGroup(server, 'SIGKILL');
				await Promise.race([exited, idleTimer(5000)]);
			}
		}
		// Task runners and other grandchildren live in the same process group.
		if (server) killGroup(server, 'SIGKILL');
	};
	const start = async () => {
		server = track(
			spawn(paths.nodeBin, [paths.n8nBin, 'start'], {
				env: inst.env,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
			}),
		);
		server.stdout.on('data', (d) => append('[n8n] ', d.toString()));
		server.stderr.on('data', (d) => append('[n8n] ', d.toString()));
		exitInfo = null;
		const child = server;
		child.once('exit', (code, signal) => {
			if (server === child) exitInfo = { code, signal };
		});
		return waitForSettings(inst.url, {
			startTimeoutMs,
			exited: () => exitInfo,
			output: () => collected,
		});
	};
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await kill();
		logStream?.end();
		if (!inst.persistent && !keep) {
			fs.rmSync(inst.userFolder, { recursive: true, force: true });
			tempFolders.delete(inst.userFolder);
		} else if (!inst.persistent) log(`kept n8n user folder ${inst.userFolder}`);
	};
	return {
		append,
		start,
		kill,
		stop,
		logs: () => collected,
		get child() {
			return server;
		},
		get exitInfo() {
			return exitInfo;
		},
		get stopped() {
			return stopped;
		},
	};
}

/** Polls /rest/settings (/healthz comes up earlier) until it answers; resolves the ms it took. */
async function waitForSettings(url, { startTimeoutMs, exited, output }) {
	const bootStart = Date.now();
	for (;;) {
		const exitInfo = exited();
		if (exitInfo)
			throw new Error(
				`n8n exited during startup (${exitInfo.signal ?? `exit ${exitInfo.code}`}):\n${output().slice(-4000)}`,
			);
		if (Date.now() - bootStart > startTimeoutMs)
			throw new Error(
				`n8n did not answer /rest/settings within ${startTimeoutMs / 1000} s:\n${output().slice(-4000)}`,
			);
		try {
			const r = await axios.get(`${url}/rest/settings`, {
				timeout: 5000,
				validateStatus: () => true,
			});
			if (r.status === 200 && r.data?.data) return Date.now() - bootStart;
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
}

/** One `n8n import:*` CLI run of a JSON file written to `tmp`; throws unless `ok(output)`. */
async function importFileWithCli({ paths, env, tmp, command, name, content, ok, append }) {
	const file = path.join(tmp, name);
	fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
	const r = await runN8nCli({ ...paths, env, args: [command, `--input=${file}`] });
	append('[import] ', r.stdout + r.stderr);
	if (r.code !== 0 || !ok(r.stdout + r.stderr))
		throw new Error(
			`n8n ${command} failed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-3000)}`,
		);
}

/** Imports the credentials and the workflow entries with the CLI, before the server starts. */
async function importWithCli({ paths, env, credentials, entries, append, log, since }) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-import-'));
	installExitHooks();
	tempFolders.add(tmp); // holds plaintext credentials: never leave it behind
	try {
		const common = { paths, env, tmp, append };
		if (credentials.length) {
			await importFileWithCli({
				...common,
				command: 'import:credentials',
				name: 'credentials.json',
				content: credentials,
				ok: (out) => /Successfully imported/i.test(out),
			});
			log(`imported ${credentials.length} credential(s) (${since()})`);
		}
		if (entries.length) {
			await importFileWithCli({
				...common,
				command: 'import:workflow',
				name: 'workflows.json',
				content: entries.map(({ json }) => ({ ...json, active: false })),
				ok: (out) => Number(/Successfully imported (\d+)/.exec(out)?.[1]) === entries.length,
			});
			log(
				`imported ${entries.length} workflow(s): ${entries.map((w) => path.basename(w.file)).join(', ')} (${since()})`,
			);
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
		tempFolders.delete(tmp);
	}
}

/**
 * The workflow entries to import: those of workflowsDir / workflowFiles that skipImport keeps, and
 * on n8n 2.x the setup workflow too when it is not among them (its Data Table nodes create the
 * tables); n8n 1.x's Data Table node cannot create tables, so there it is not imported.
 */
function workflowsToImport({ workflowsDir, workflowFiles, skipImport, setupFile, major }) {
	const isSetup = (file) => setupFile && path.resolve(file) === path.resolve(setupFile);
	const all = readWorkflowFiles({ workflowsDir, workflowFiles }).filter(
		({ file }) => major >= 2 || !isSetup(file),
	);
	if (setupFile && major >= 2 && !all.some(({ file }) => isSetup(file)))
		all.push(...readWorkflowFiles({ workflowFiles: [setupFile] }));
	const imported = all.filter(({ json, file }) => !(skipImport && skipImport(json, file)));
	// Also when skipImport kept it out: a persistent folder has it from an earlier start.
	const setup = all.find(({ file }) => isSetup(file))?.json ?? null;
	return { all, imported, setup };
}

/**
 * Owner setup (first run) or login (persistent folder), then an API key with every scope (keys with
 * the same label are replaced). Resolves { cookie, authed, api, apiAnyStatus, apiKey }: authed is
 * axios on n8n's URL with the owner's cookie; api / apiAnyStatus are /api/v1 with the key.
 */
async function ownerSession({ url, owner, apiKeyLabel, log }) {
	const rest = axios.create({
		baseURL: `${url}/rest`,
		timeout: 30_000,
		validateStatus: () => true,
	});
	const settings = (await rest.get('/settings')).data.data;
	const first = settings.userManagement?.showSetupOnFirstLoad;
	const r = first
		? await rest.post('/owner/setup', owner)
		: await rest.post('/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	if (r.status !== 200)
		throw new Error(
			`${first ? 'POST /rest/owner/setup' : `POST /rest/login as ${owner.email}`}: ${describeHttpError(r)}`,
		);
	const cookie = cookieFrom(r);
	if (first) log(`owner ${owner.email} created`);
	const authed = axios.create({
		baseURL: url,
		timeout: 60_000,
		validateStatus: () => true,
		headers: { Cookie: cookie },
	});
	const apiKey = await replaceApiKey(authed, apiKeyLabel);
	const apiOptions = {
		baseURL: `${url}/api/v1`,
		timeout: 60_000,
		headers: { 'X-N8N-API-KEY': apiKey },
	};
	const api = axios.create(apiOptions);
	const apiAnyStatus = axios.create({ ...apiOptions, validateStatus: () => true });
	return { cookie, authed, api, apiAnyStatus, apiKey };
}

/** Deletes the owner's API keys labelled `label` and creates one with every scope; resolves the raw key. */
async function replaceApiKey(authed, label) {
	const scopesRes = await authed.get('/rest/api-keys/scopes');
	if (scopesRes.status !== 200)
		throw new Error(`GET /rest/api-keys/scopes: ${describeHttpError(scopesRes)}`);
	const existingKeys = await authed.get('/rest/api-keys');
	const keyList = existingKeys.data?.data;
	for (const k of Array.isArray(keyList) ? keyList : (keyList?.items ?? []))
		if (k.label === label) await authed.delete(`/rest/api-keys/${k.id}`);
	const keyRes = await authed.post('/rest/api-keys', {
		label,
		scopes: scopesRes.data.data,
		expiresAt: null,
	});
	const apiKey = keyRes.data?.data?.rawApiKey;
	if (keyRes.status !== 200 || !apiKey)
		throw new Error(`POST /rest/api-keys: HTTP ${keyRes.status}`);
	return apiKey;
}

/**
 * Node type descriptions, as the editor gets them (used for webhook paths; tests use them too), and
 * a check that n8n loaded the package's nodes. Resolves { nodeTypes, describe(type, typeVersion) }.
 */
async function loadNodeTypes({ authed, packageName, logs, log }) {
	const typesRes = await authed.get('/types/nodes.json');
	const nodeTypes = Array.isArray(typesRes.data) ? typesRes.data : [];
	const describe = (type, typeVersion) => {
		const all = nodeTypes.filter((d) => d.name === type);
		return (
			all.find((d) =>
				Array.isArray(d.version) ? d.version.includes(typeVersion) : d.version === typeVersion,
			) ??
			all.sort((a, b) => Math.max(...[].concat(b.version)) - Math.max(...[].concat(a.version)))[0]
		);
	};
	if (packageName) {
		const ours = nodeTypes.filter((d) => d.name.startsWith(`${packageName}.`)).map((d) => d.name);
		if (!ours.length)
			throw new Error(
				`n8n did not load any node of ${packageName}; n8n output:\n${logs().slice(-4000)}`,
			);
		log(`n8n loaded ${[...new Set(ours)].join(', ')}`);
	}
	return { nodeTypes, describe };
}

/**
 * The Data Tables the workflows use, before publishing (a published workflow may run at once):
 * setUpDataTables (n8n 2.x: runs the setup workflow; 1.x: the editor's REST API in the owner's
 * personal project), then on 1.x the imported workflows' Data Table nodes by id (dataTableNodesForN8n1).
 */
async function dataTablesStep({ major, session, specs, setupWorkflow, imported, log }) {
	const projectId = major >= 2 ? undefined : await personalProjectId(session.authed);
	const client = dataTablesClient({
		major,
		api: session.apiAnyStatus,
		rest: session.authed,
		projectId,
	});
	const { dataTables, setupRun } = await setUpDataTables({
		client,
		specs,
		setupWorkflow: major >= 2 ? setupWorkflow : null,
		rest: session.authed,
		api: session.apiAnyStatus,
		log,
	});
	if (major < 2)
		await dataTableNodesByIdForN8n1({
			api: session.apiAnyStatus,
			client,
			workflows: imported.map(({ json }) => json),
			log,
		});
	return { projectId, dataTables, setupRun };
}

/** What the handle tells about one workflow: its triggers and their webhook URLs (not published yet). */
function describeWorkflow({ file, json, url, describe }) {
	const triggers = activatableTriggers(json);
	const webhookUrls = triggers.flatMap((node) =>
		webhookUrlsFor({
			url,
			workflowId: json.id,
			node,
			description: describe(node.type, node.typeVersion),
		}),
	);
	return {
		id: json.id,
		name: json.name,
		file,
		active: false,
		triggers: triggers.map((t) => t.name),
		webhookUrls,
	};
}

/**
 * Publishes the workflows with an activatable trigger and waits until their webhooks answer.
 * Publishing runs the trigger nodes' webhook `create()` (the Sesami Trigger registers its Flows
 * through the Sesami API), so whatever those call must be up by now. Resolves the handle's
 * `workflows` (a workflow deleted in the editor of a persistent folder is left out).
 */
async function publishAll({ entries, o, ctx }) {
	const workflows = [];
	for (const { file, json } of entries) {
		const wf = describeWorkflow({ file, json, url: ctx.url, describe: ctx.describe });
		if (o.publish && wf.triggers.length && !o.skipPublish?.(json, file)) {
			const current = await ctx.api.get(`/workflows/${json.id}`, { validateStatus: () => true });
			if (current.status === 404) {
				ctx.log(
					`  "${json.name}" (${json.id}) is not in n8n (deleted in the editor?); not publishing it`,
				);
				continue;
			}
			if (current.status !== 200)
				throw new Error(`GET /api/v1/workflows/${json.id}: ${describeHttpError(current)}`);
			let active = current.data.active;
			if (active && o.republishActive) active = await unpublishToRepublish({ json, ctx });
			if (!active) await publishOne({ file, json, ctx });
			wf.active = true;
			for (const hook of wf.webhookUrls) await waitForWebhook({ hook, json, ctx });
			ctx.log(
				`published "${json.name}" (${json.id})${wf.webhookUrls.length ? ': ' + wf.webhookUrls.map((h) => `${h.httpMethod} ${h.url}`).join(', ') : ''}`,
			);
		}
		workflows.push(wf);
	}
	return workflows;
}

/** Unpublishes a published workflow so that publishing it again registers its triggers; resolves false. */
async function unpublishToRepublish({ json, ctx }) {
	const off = await unpublishWorkflow(ctx.api, json.id, ctx.major);
	if (off.status !== 200)
		throw new Error(
			`unpublishing "${json.name}" (${json.id}) to publish it again: ${describeHttpError(off)}`,
		);
	await waitForPublication(ctx.authed, json.id, { major: ctx.major });
	ctx.log(`  unpublished "${json.name}" to register its triggers again`);
	return false;
}

/** Publishes one workflow and waits for the outcome (n8n 2.x answers before the triggers are activated). */
async function publishOne({ file, json, ctx }) {
	const mark = ctx.logs().length;
	const what = `publishing "${json.name}" (${json.id}, ${path.basename(file)})`;
	const r = await publishWorkflow(ctx.api, json.id, ctx.major);
	if (r.status !== 200) {
		await sleep(300); // let n8n's log of the failure arrive
		throw new Error(
			`${what} failed; its trigger node(s) ${activatableTriggers(json)
				.map((t) => `"${t.name}" (${t.type})`)
				.join(', ')} could not be activated.\n  ${describePublishError(r, ctx.logs().slice(mark))}`,
		);
	}
	const status = await waitForPublication(ctx.authed, json.id, { major: ctx.major });
	if (status && status.status !== 'published') {
		await sleep(300);
		const failures = publicationFailures(status, json);
		throw new Error(
			`${what} failed: n8n accepted the publish, then the trigger node(s) did not activate (publication status "${status.status}").\n  ${
				failures.length ? failures.join('\n  ') : JSON.stringify(status)
			}\n  (A trigger that registers webhooks elsewhere, such as the Sesami Trigger creating its Flows, calls that service while activating: is it reachable and does the credential work?)${errorLogLines(
				ctx.logs().slice(mark),
			)}`,
		);
	}
}

/** Waits (30 s at most) until a published workflow's webhook URL is registered. */
async function waitForWebhook({ hook, json, ctx }) {
	if (!hook.url) {
		ctx.log(
			`  ${json.name}: webhook "${hook.name}" of ${hook.node} has a path we cannot compute; not waiting for it`,
		);
		return;
	}
	const deadline = Date.now() + 30_000;
	while (!(await webhookRegistered(hook.url, hook.httpMethod))) {
		if (Date.now() > deadline) {
			const status = await waitForPublication(ctx.authed, json.id, {
				timeoutMs: 1,
				major: ctx.major,
			}).catch(() => null);
			const failures = publicationFailures(status, json);
			throw new Error(
				`webhook ${hook.httpMethod} ${hook.url} still 404 30 s after publishing "${json.name}"${status ? ` (publication status "${status.status}")` : ''}${
					failures.length ? `:\n  ${failures.join('\n  ')}` : ''
				}${errorLogLines(ctx.logs().slice(-20_000))}`,
			);
		}
		await sleep(150);
	}
}

/**
 * The restart of a handle: stops the server (as stop() does) and starts it again on the same user
 * folder, port and encryption key, logs in again (handle.cookie / handle.rest are replaced) and
 * waits until every production webhook of the published workflows is registered.
 */
async function restartServer({ handle, proc, owner, api, log }) {
	if (proc.stopped) throw new Error('n8n was stopped; it cannot be restarted');
	const t = Date.now();
	log('restarting n8n (same user folder)');
	await proc.kill();
	const stopMs = Date.now() - t;
	const bootMs = await proc.start();
	const r = await axios.post(
		`${handle.url}/rest/login`,
		{ emailOrLdapLoginId: owner.email, password: owner.password },
		{ timeout: 30_000, validateStatus: () => true },
	);
	if (r.status !== 200)
		throw new Error(`POST /rest/login after the restart: ${describeHttpError(r)}`);
	handle.cookie = cookieFrom(r);
	handle.rest = axios.create({
		baseURL: handle.url,
		timeout: 60_000,
		validateStatus: () => true,
		headers: { Cookie: handle.cookie },
	});
	for (const wf of handle.workflows) {
		// Published now (a test may have unpublished a workflow since the start)?
		const current = await api.get(`/workflows/${wf.id}`, { validateStatus: () => true });
		if (current.status !== 200 || !current.data?.active) continue;
		for (const hook of wf.webhookUrls.filter((h) => h.url))
			await waitForWebhookAfterRestart({ hook, wf, proc });
	}
	const readyMs = Date.now() - t;
	log(
		`n8n restarted: stopped in ${(stopMs / 1000).toFixed(1)} s, answering after ${(bootMs / 1000).toFixed(1)} s, webhooks registered after ${(readyMs / 1000).toFixed(1)} s`,
	);
	return { stopMs, startMs: bootMs, readyMs, cookie: handle.cookie };
}

async function waitForWebhookAfterRestart({ hook, wf, proc }) {
	const deadline = Date.now() + 60_000;
	while (!(await webhookRegistered(hook.url, hook.httpMethod).catch(() => false))) {
		const exitInfo = proc.exitInfo;
		if (exitInfo)
			throw new Error(
				`n8n exited after the restart (${exitInfo.signal ?? `exit ${exitInfo.code}`})${errorLogLines(proc.logs().slice(-20_000))}`,
			);
		if (Date.now() > deadline)
			throw new Error(
				`after the restart, webhook ${hook.httpMethod} ${hook.url} of "${wf.name}" is still not registered after 60 s${errorLogLines(proc.logs().slice(-20_000))}`,
			);
		await sleep(150);
	}
}

/** The object startN8n resolves (see startN8n). */
function instanceHandle({
	version,
	major,
	paths,
	inst,
	proc,
	session,
	types,
	tables,
	workflows,
	startMs,
	log,
}) {
	const { url, port, brokerPort } = inst;
	const cli = { nodeBin: paths.nodeBin, n8nBin: paths.n8nBin, env: inst.env };
	const { projectId, dataTables, setupRun } = tables;
	let restarting = null;
	const handle = {
		url,
		port,
		brokerPort,
		version,
		/** 1 or 2: where the harness (and tests) must take n8n 1.x's routes */
		major,
		/** the owner's personal project (n8n 1.x: the REST data-table routes need it; undefined on 2.x) */
		projectId,
		userFolder: inst.userFolder,
		encryptionKey: inst.encryptionKey,
		apiKey: session.apiKey,
		owner: { email: inst.owner.email, password: inst.owner.password },
		cookie: session.cookie,
		api: session.api,
		rest: session.authed,
		nodeTypes: types.nodeTypes,
		workflows,
		paths,
		cli,
		startMs,
		/** [{ id, name, created, columns }] of the tables of the setup workflow (`setupWorkflow`) */
		dataTables,
		/** n8n 2.x: { workflowId, executionId } of the setup workflow's run at start-up (else null) */
		dataTablesSetup: setupRun,
		/** the Data Tables of this instance, through the route its version has (rows(id, filter), list(), ...) */
		get tables() {
			return dataTablesClient({ major, api: session.apiAnyStatus, rest: handle.rest, projectId });
		},
		/** The current `n8n start` child process (e.g. to notice an unexpected exit; a restart replaces it). */
		get child() {
			return proc.child;
		},
		/** Runs a workflow with `n8n execute` (separate process, separate broker port). */
		execute: (workflowId, o = {}) =>
			executeWorkflowCli({ ...cli, workflowId, excludePorts: [port, brokerPort], ...o }),
		logs: proc.logs,
		/**
		 * Stops the server and starts it again on the same user folder, port and encryption key: the
		 * database (workflows, static data such as trigger cursors, Data Tables, executions) survives.
		 * n8n activates the published workflows itself at start-up (restartServer). Concurrent calls
		 * share one restart. Resolves { stopMs, startMs, readyMs, cookie }.
		 */
		restart: () => {
			restarting ??= restartServer({
				handle,
				proc,
				owner: inst.owner,
				api: session.api,
				log,
			}).finally(() => {
				restarting = null;
			});
			return restarting;
		},
		stop: proc.stop,
	};
	return handle;
}

/** startN8n's options with their defaults, and its `log` as a function. */
function startOptions(opts) {
	const o = {
		version: process.env.N8N_SESAMI_N8N_VERSION || DEFAULT_N8N_VERSION,
		credentials: [],
		publish: true,
		env: {},
		keep: false,
		apiKeyLabel: 'e2e harness',
		echoN8nLogs: false,
		startTimeoutMs: Number(process.env.N8N_START_TIMEOUT_MS) || 240_000,
		...opts,
	};
	const log = typeof o.log === 'function' ? o.log : o.log ? (m) => console.error(m) : () => {};
	return { ...o, log };
}

/**
 * Starts n8n with the package linked. Options:
 *  version       n8n version (default $N8N_SESAMI_N8N_VERSION or 2.41.1; 1.x runs on Node 22)
 *  packageDir    the repo root (dist/ + package.json); linked as a community package
 *  credentials   [{ id, name, type, data }] imported with the CLI (plaintext data)
 *  workflowsDir | workflowFiles   workflow JSON files imported with the CLI
 *  publish       publish every workflow with an activatable trigger (default true)
 *  env, port     extra env for every n8n process; server port (default: a free one)
 *  log           function(line) for harness progress, or true for stderr; n8n output goes to logs()
 *  echoN8nLogs   also pass n8n's own output to log
 *  keep          keep the temp user folder after stop()
 *  userFolder    use this (persistent) folder instead of a temp one; it is never deleted
 *  owner         { email, password, firstName, lastName } (default: random password)
 *  encryptionKey default: random per run for temp folders; none (n8n's own config) for persistent ones
 *  apiKeyLabel   label of the API key (keys with the same label are replaced)
 *  setupWorkflow the Data Tables setup workflow file (workflows/setup-data-tables.json): its tables
 *                are made before publishing. n8n 2.x: the workflow is imported (if the workflow
 *                files do not include it) and run once, as "Execute workflow" in the editor does;
 *                n8n 1.x: the same tables through the editor's REST API (see setUpDataTables)
 *  republishActive  unpublish and publish again the workflows that are already published (persistent
 *                folders): n8n 2.41 does not run a trigger's webhook checkExists/create at start-up
 *                (its webhook row is still in the database), so registrations held by a service that
 *                forgot them (a restarted simulator) are only made again this way
 *  skipImport    (workflowJson, file) => boolean; workflows for which it returns true are not imported
 *  logFile       also append n8n's output to this file
 *  skipPublish   (workflowJson, file) => boolean; workflows for which it returns true are imported, not published
 *  beforePublish async ({ url, api, apiKey, rest }) => void, run once the API key exists and the Data
 *                Tables are made, before publishing (e.g. to put the API key into an n8n API credential)
 *  startTimeoutMs  default 240000 (env N8N_START_TIMEOUT_MS)
 */
export async function startN8n(opts = {}) {
	const o = startOptions(opts);
	const { version, keep, log } = o;
	const major = n8nMajor(version);
	const t0 = Date.now();
	const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

	const paths = await provision({ version, log });
	const inst = await prepareInstance(o, { major, nodeDir: paths.nodeDir, keep, extraEnv: o.env });
	const proc = serverProcess({ ...o, paths, inst });
	try {
		// Link the package where the community-packages loader looks (linkPackage), then import.
		const { userFolder, url, owner } = inst;
		const packageName = o.packageDir ? linkPackage({ userFolder, packageDir: o.packageDir }) : null;
		const specs = o.setupWorkflow ? readSetupWorkflowTables(o.setupWorkflow) : [];
		const entries = workflowsToImport({ ...o, setupFile: o.setupWorkflow, major });
		const cliArgs = { paths, env: inst.env, append: proc.append, log, since };
		await importWithCli({ ...cliArgs, credentials: o.credentials, entries: entries.imported });

		log(`starting n8n ${version} on ${url} (user folder ${userFolder})`);
		const startMs = await proc.start();
		log(`n8n answers on ${url} after ${(startMs / 1000).toFixed(1)} s`);

		const session = await ownerSession({ url, owner, apiKeyLabel: o.apiKeyLabel, log });
		const types = await loadNodeTypes({ ...session, packageName, logs: proc.logs, log });
		const { setup: setupWorkflow, imported } = entries;
		// Queue mode with manual runs offloaded to workers (test:queue): a manual run of the setup
		// workflow would wait for a worker that starts only after main; the same tables, read from
		// the same file, are then made through the API.
		const offloaded =
			o.env?.EXECUTIONS_MODE === 'queue' && o.env?.OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS === 'true';
		const tables = await dataTablesStep({
			major,
			session,
			specs,
			setupWorkflow: offloaded ? null : setupWorkflow,
			imported,
			log,
		});
		const { api, apiKey, authed: rest } = session;
		if (o.beforePublish) await o.beforePublish({ url, api, apiKey, rest });

		const ctx = { ...session, url, major, describe: types.describe, logs: proc.logs, log };
		const workflows = await publishAll({ entries: entries.all, o, ctx });
		log(`n8n ready (${since()})`);
		const parts = { version, major, paths, inst, proc, session, types, tables };
		return instanceHandle({ ...parts, workflows, startMs, log });
	} catch (error) {
		await proc.stop();
		throw error;
	}
}
// ---------------------------------------------------------------------------------------------
/** A worker's ports (health server, task-runner broker) and environment: the main's, with its own folder. */
async function workerEnv({ main, userFolder, extraEnv }) {
	const exclude = [main.port, main.brokerPort];
	const healthPort = await freePort(exclude);
	const brokerPort = await freePort([...exclude, healthPort]);
	const env = {
		...main.cli.env,
		N8N_USER_FOLDER: userFolder,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		...extraEnv,
	};
	return { healthPort, env };
}

/** Polls a worker's /healthz/readiness (database and Redis reachable) until it answers 200. */
async function waitForWorkerReadiness({ name, healthPort, startTimeoutMs, exited, output }) {
	const t0 = Date.now();
	for (;;) {
		const exitInfo = exited();
		if (exitInfo)
			throw new Error(
				`n8n ${name} exited during startup (${exitInfo.signal ?? `exit ${exitInfo.code}`}):\n${output().slice(-4000)}`,
			);
		if (Date.now() - t0 > startTimeoutMs)
			throw new Error(
				`n8n ${name} not ready within ${startTimeoutMs / 1000} s:\n${output().slice(-4000)}`,
			);
		try {
			const r = await axios.get(`http://127.0.0.1:${healthPort}/healthz/readiness`, {
				timeout: 5000,
				validateStatus: () => true,
			});
			if (r.status === 200) return;
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
}

/** `signal` to a worker's process group, SIGKILL after `timeoutMs`; its task runner lives in the group. */
async function killWorker(c, signal, timeoutMs) {
	if (!c || c.exitCode !== null || c.signalCode !== null) return;
	const exited = new Promise((resolve) => c.once('exit', resolve));
	killGroup(c, signal);
	const done = await Promise.race([
		exited.then(() => true),
		idleTimer(timeoutMs).then(() => false),
	]);
	if (!done) {
		killGroup(c, 'SIGKILL');
		await Promise.race([exited, idleTimer(5000)]);
	}
	killGroup(c, 'SIGKILL'); // its task runner lives in the same process group
}

/**
 * Starts an `n8n worker` (queue mode) next to a main started with startN8n({ env: { EXECUTIONS_MODE:
 * 'queue', DB_TYPE: 'postgresdb', ... } }). The worker gets the main's environment (database, Redis,
 * encryption key) with its own user folder, where the package is linked again (every worker needs the
 * package on its own disk), its own task-runner broker port and its own health server port
 * (QUEUE_HEALTH_CHECK_PORT, default 5678 for every worker). Resolves once /healthz/readiness answers
 * 200 (database and Redis reachable), with { name, pid, port, kill(signal), start(), stop(), logs() }.
 * start() starts it again (same folder and ports) after a kill.
 */
export async function startN8nWorker({
	main,
	packageDir,
	name = 'worker',
	concurrency = 10,
	env: extraEnv = {},
	log = () => {},
	startTimeoutMs = 240_000,
}) {
	const { nodeBin, n8nBin } = main.paths;
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-${name}-`));
	installExitHooks();
	tempFolders.add(userFolder);
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	if (packageDir) linkPackage({ userFolder, packageDir });
	const { healthPort, env } = await workerEnv({ main, userFolder, extraEnv });
	let collected = '';
	let child = null;
	let exitInfo = null;
	const start = async () => {
		exitInfo = null;
		const c = track(
			spawn(nodeBin, [n8nBin, 'worker', `--concurrency=${concurrency}`], {
				env,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
			}),
		);
		child = c;
		const append = (d) => {
			collected += d;
			if (collected.length > 4_000_000) collected = collected.slice(-3_000_000);
		};
		c.stdout.on('data', append);
		c.stderr.on('data', append);
		c.once('exit', (code, signal) => {
			if (child === c) exitInfo = { code, signal };
		});
		const t0 = Date.now();
		await waitForWorkerReadiness({
			name,
			healthPort,
			startTimeoutMs,
			exited: () => exitInfo,
			output: () => collected,
		});
		log(
			`${name} ready (pid ${c.pid}, health port ${healthPort}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
		);
		return Date.now() - t0;
	};
	const kill = (signal = 'SIGTERM', { timeoutMs = 40_000 } = {}) =>
		killWorker(child, signal, timeoutMs);
	const stop = async () => {
		await kill('SIGTERM');
		fs.rmSync(userFolder, { recursive: true, force: true });
		tempFolders.delete(userFolder);
	};
	await start();
	return {
		name,
		get pid() {
			return child?.pid;
		},
		healthPort,
		userFolder,
		start,
		kill,
		stop,
		logs: () => collected,
	};
}

// ---------------------------------------------------------------------------------------------
/** The n8n API credential of workflows/n8n-execution-recovery.json (imported with a placeholder key). */
export const N8N_API_CREDENTIAL = Object.freeze({
	id: 'n8nApiSandbox001',
	name: 'n8n API (execution recovery)',
	type: 'n8nApi',
});

/**
 * Puts the API key the harness just created into the n8n API credential (startN8n's beforePublish):
 * `PATCH /api/v1/credentials/{id}`. n8n makes the key, so it cannot be imported with the credential.
 */
export async function setN8nApiKey(api, apiKey, url) {
	const r = await api.patch(
		`/credentials/${N8N_API_CREDENTIAL.id}`,
		{ ...N8N_API_CREDENTIAL, data: { apiKey, baseUrl: `${url}/api/v1` } },
		{ validateStatus: () => true },
	);
	if (r.status !== 200)
		throw new Error(
			`PATCH /api/v1/credentials/${N8N_API_CREDENTIAL.id} (the n8n API key of the recovery workflow): HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
		);
}
