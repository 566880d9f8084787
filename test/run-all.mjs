#!/usr/bin/env node
// `npm test`: build, unit tests (jest), e2e suite against a real n8n, then ONE summary line:
//   tests: N passed, N failed
// Exit code 0 only when nothing failed and no stage crashed (a crashed stage counts as >= 1 failure).
//
// Flags: --unit-only, --e2e-only, --keep (keep temp folders: n8n user folder, context file),
//        --no-build (skip `npm run build`; for quick local loops only),
//        --only=<text>[,<text>...] (only the e2e files whose name contains one of them; for quick local loops only),
//        --smoke (only test/e2e/smoke-*.test.mjs, with only the workflows they use: SMOKE_WORKFLOWS),
//        --n8n=<version> (the n8n to test against; default $N8N_SESAMI_N8N_VERSION or 2.41.1).
//        `npm run test:n8n1` = --e2e-only --smoke --n8n=1.123.81 (the last n8n 1.x, on Node 22).
// Env:   N8N_SESAMI_CACHE (provisioning cache), N8N_SESAMI_N8N_VERSION (default 2.41.1),
//        N8N_START_TIMEOUT_MS, E2E_ECHO_N8N_LOGS=1 (stream n8n's own output).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCleanups } from './e2e/lib/cleanups.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const unitOnly = args.has('--unit-only');
const e2eOnly = args.has('--e2e-only');
const keep = args.has('--keep');
const noBuild = args.has('--no-build');
const only = process.argv
	.slice(2)
	.find((a) => a.startsWith('--only='))
	?.slice('--only='.length);
const smoke = args.has('--smoke');
const n8nVersionArg = process.argv
	.slice(2)
	.find((a) => a.startsWith('--n8n='))
	?.slice('--n8n='.length);
// One place for the version: provision(), startN8n() and `npm start` all read this variable.
if (n8nVersionArg) process.env.N8N_SESAMI_N8N_VERSION = n8nVersionArg;
/** The example workflows the smoke files (test/e2e/smoke-*.test.mjs) use: sesami-flows-to-stored-links.json and imin-success-webhook.json. */
const SMOKE_WORKFLOWS = ['sesami-flows-to-stored-links.json', 'imin-success-webhook.json'];

const say = (m) => console.log(`[test] ${m}`);
const results = []; // { stage, passed, failed, crashed?, note }
const cleanups = createCleanups((error) =>
	console.error(`[test] cleanup failed: ${error.message}`),
);
const children = new Set();
let interrupted = false;

function runStreaming(cmd, cmdArgs, { env = process.env, onStdout } = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, cmdArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		child.stdout.on('data', (d) => {
			process.stdout.write(d);
			onStdout?.(d.toString());
		});
		child.stderr.on('data', (d) => process.stderr.write(d));
		child.on('error', (error) => {
			children.delete(child);
			resolve({ code: 127, error });
		});
		child.on('close', (code, signal) => {
			children.delete(child);
			resolve({ code: code ?? 128, signal });
		});
	});
}

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		if (interrupted) return;
		interrupted = true;
		console.error(`\n[test] ${sig}: stopping everything…`);
		for (const c of children) c.kill('SIGTERM');
		cleanups.run().finally(() => {
			console.log('tests: 0 passed, 1 failed');
			process.exit(130);
		});
	});
}

/**
 * A loopback HTTP endpoint through which the e2e tests (another process) ask the runner to restart
 * n8n: POST /restart-n8n with the header x-e2e-control-token -> 200 { stopMs, startMs, readyMs,
 * cookie } once n8n answers again and its webhooks are registered, 500 { error } otherwise.
 */
async function startControlServer({ restartN8n }) {
	const token = crypto.randomBytes(24).toString('hex');
	const server = http.createServer((req, res) => {
		const reply = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		req.resume();
		const given = Buffer.from(String(req.headers['x-e2e-control-token'] ?? ''));
		if (given.length !== token.length || !crypto.timingSafeEqual(given, Buffer.from(token)))
			return reply(403, { error: 'wrong or missing x-e2e-control-token' });
		if (req.method === 'POST' && req.url === '/restart-n8n') {
			say('e2e: a test asked for an n8n restart');
			restartN8n().then(
				(r) => reply(200, r),
				(error) => reply(500, { error: error.message }),
			);
			return undefined;
		}
		return reply(404, { error: `unknown control request ${req.method} ${req.url}` });
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		token,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

// ---------------------------------------------------------------------------------------------
async function stageBuild() {
	say('build: npm run build');
	const r = await runStreaming('npm', ['run', 'build']);
	if (r.code !== 0) {
		results.push({
			stage: 'build',
			passed: 0,
			failed: 1,
			crashed: true,
			note: `npm run build exited ${r.code}`,
		});
		return false;
	}
	return true;
}

async function stageUnit() {
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jest-')), 'results.json');
	cleanups.push(async () => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
	say('unit: jest');
	const r = await runStreaming('npx', [
		'--no-install',
		'jest',
		'--ci',
		'--passWithNoTests',
		'--json',
		`--outputFile=${out}`,
	]);
	if (!fs.existsSync(out)) {
		results.push({
			stage: 'unit',
			passed: 0,
			failed: 1,
			crashed: true,
			note: `jest exited ${r.code} without a JSON report`,
		});
		return;
	}
	const j = JSON.parse(fs.readFileSync(out, 'utf8'));
	// Suites that could not run (syntax/type errors) have no test results: count each as a failure.
	const brokenSuites = j.numRuntimeErrorTestSuites ?? 0;
	const failed = (j.numFailedTests ?? 0) + brokenSuites;
	const entry = {
		stage: 'unit',
		passed: j.numPassedTests ?? 0,
		failed,
		note: `${j.numTotalTestSuites} suites${brokenSuites ? `, ${brokenSuites} failed to run` : ''}`,
	};
	if (r.code !== 0 && failed === 0) {
		entry.failed = 1;
		entry.crashed = true;
		entry.note += `; jest exited ${r.code}`;
	}
	results.push(entry);
}

/** `npm run scan`: the community-package scanner's rules over the packed tarball and the sources. */
async function stageScan() {
	say('scan: npm run scan');
	const r = await runStreaming(process.execPath, [path.join(root, 'scripts', 'scan.mjs')]);
	results.push({
		stage: 'scan',
		passed: r.code === 0 ? 1 : 0,
		failed: r.code === 0 ? 0 : 1,
		note: r.code === 0 ? 'clean' : 'problems (see above)',
	});
}

/**
 * After the e2e files: no secret in n8n's log output, and no credential secret in any execution's
 * data (management links may be there: storing and sending them is what the workflows do; their
 * tokens must not be in the logs).
 */
const NOT_SECRET_HEADERS = new Set(['content-type', 'accept', 'user-agent']);

async function checkSecrets(n8n, credentials, sim) {
	const { findLeaks, managementTokens } = await import('./e2e/lib/secrets.mjs');
	const secretFields = ['apiKey', 'clientSecret', 'password', 'secret'];
	const secrets = credentials.flatMap((c) =>
		secretFields
			.filter((f) => c.data?.[f])
			.map((f) => ({ name: `${c.name} ${f}`, value: String(c.data[f]) })),
	);
	for (const flow of sim.state.flows) {
		try {
			for (const [header, value] of Object.entries(JSON.parse(flow.template?.headers || '{}')))
				// Content-Type / Accept say "application/json", as any page or request may (not secrets)
				if (!NOT_SECRET_HEADERS.has(header.toLowerCase()))
					secrets.push({ name: `Flow header ${header}`, value: String(value) });
		} catch {
			// a Flow with unreadable headers carries no secret of ours
		}
		// the same secret rides in the Flow's target URL (?token=), for a Sesami that drops Flow headers
		try {
			const token = new URL(flow.target).searchParams.get('token');
			if (token) secrets.push({ name: 'Flow URL token', value: token });
		} catch {
			// an EMAIL Flow's target is an address, not a URL
		}
	}
	const tokens = sim.state.appointments
		.flatMap((a) => managementTokens(a.customerManagementLink))
		.map((t) => ({ name: 'management link token', value: t }));
	const executions = [];
	let cursor;
	for (let page = 0; page < 200; page++) {
		const r = await n8n.api.get('/executions', {
			params: { includeData: true, limit: 100, ...(cursor ? { cursor } : {}) },
		});
		if (r.status !== 200) throw new Error(`GET /executions answered ${r.status}`);
		executions.push(...r.data.data);
		cursor = r.data.nextCursor;
		if (!cursor) break;
	}
	const logs = [{ name: "n8n's log output", text: n8n.logs() }];
	const data = [
		{ name: `data of ${executions.length} executions`, text: JSON.stringify(executions) },
	];
	const leaks = [...findLeaks([...secrets, ...tokens], logs), ...findLeaks(secrets, data)];
	const checks = secrets.length + tokens.length + secrets.length;
	for (const leak of leaks) say(`secrets: ${leak.secret} appears in ${leak.source}`);
	results.push({
		stage: 'secrets',
		passed: leaks.length ? 0 : 1,
		failed: leaks.length ? 1 : 0,
		note: `${secrets.length} secrets and ${tokens.length} link tokens checked against the logs, the secrets against ${executions.length} executions (${checks} checks)`,
	});
}

async function stageE2e() {
	const t0 = Date.now();
	const { provision, DEFAULT_N8N_VERSION, n8nMajor } = await import('./e2e/lib/provision.mjs');
	const { startN8n, freePort, N8N_API_CREDENTIAL, setN8nApiKey } =
		await import('./e2e/lib/n8n.mjs');
	const version = process.env.N8N_SESAMI_N8N_VERSION || DEFAULT_N8N_VERSION;
	say(`e2e: provisioning n8n ${version} (cached; the first run installs ~3 GB and takes ~5 min)`);
	const log = (m) => say(`e2e: ${m}`);
	const tProvision = Date.now();
	await provision({ version, log });
	log(
		`n8n ${version} provisioned (${((Date.now() - tProvision) / 1000).toFixed(0)} s; seconds when cached)`,
	);

	const { startSesamiSimulator } = require('./sim/sesami');
	const sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1' });
	cleanups.push(() => sim.close());
	const shop = sim.fixtures.shops[0];
	log(`Sesami simulator on ${sim.url} (shop ${shop.id})`);

	// A real SMTP server for the Send Email nodes (workflows/sesami-portal-emails.json); the tests read
	// the received messages through its HTTP inbox (they run in another process).
	const { startSmtpServer } = require('./sim/smtp');
	const smtp = await startSmtpServer({
		port: 0,
		httpPort: 0,
		host: '127.0.0.1',
		user: 'n8n-e2e',
		password: `smtp-${crypto.randomBytes(9).toString('hex')}`,
	});
	cleanups.push(() => smtp.close());
	log(`SMTP server on ${smtp.host}:${smtp.port} (inbox ${smtp.httpUrl})`);

	// The imin sandbox (test/sim/imin): Firehose feeds, Checkout, Booking Platform and the Success
	// webhook, with an API key and a webhook key made up for this run. The webhook target (imin-success-webhook.json's
	// production URL) is set once n8n is up (below).
	const { startIminSimulator } = require('./sim/imin');
	const iminKeys = {
		apiKey: `imin-e2e-${crypto.randomBytes(12).toString('hex')}`,
		webhookKey: `imin-hook-${crypto.randomBytes(16).toString('hex')}`,
	};
	const imin = await startIminSimulator({ port: 0, host: '127.0.0.1', apiKey: iminKeys.apiKey });
	cleanups.push(() => imin.close());
	const iminBroker = imin.fixtures.broker;
	log(`imin simulator on ${imin.url} (Firehose ${imin.firehoseBaseUrl})`);

	// sesami-my-page-backend.json (My Page): the Shopify app whose App Proxy the storefront simulator plays (started once n8n is
	// up, below); its shop is the Sesami simulator's shop 0, with a client id and secret made up for this run.
	const myPageApp = {
		shopDomain: shop.domain,
		clientId: `e2e-my-page-${crypto.randomBytes(4).toString('hex')}`,
		clientSecret: crypto.randomBytes(32).toString('hex'),
	};

	const n8nPort = await freePort();
	// sesami-app-appointment-panel.json (Sesami App): the Sesami Admin host simulator in front of the
	// Sesami API simulator, with the app registered at the trigger's production URL (lib/sesami-app.mjs).
	const { startSesamiAppHost } = await import('./e2e/lib/sesami-app.mjs');
	const sesamiApp = await startSesamiAppHost({ sim, n8nPort, root, log });
	cleanups.push(() => sesamiApp.admin.close());
	log(`Sesami Admin simulator on ${sesamiApp.admin.url} (app URL ${sesamiApp.context.appUrl})`);
	const credentials = [
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
		{
			id: 'iminSandbox00001',
			name: 'imin account',
			type: 'iminApi',
			data: {
				apiKey: iminKeys.apiKey,
				firehoseBaseUrl: imin.firehoseBaseUrl,
				checkoutBaseUrl: imin.checkoutBaseUrl,
				bookBaseUrl: imin.bookBaseUrl,
				brokerName: iminBroker.name,
				brokerUrl: iminBroker.url,
			},
		},
		{
			id: 'iminWebhookSbx01',
			name: 'imin webhook key',
			type: 'iminWebhookApi',
			data: { apiKey: iminKeys.webhookKey },
		},
		{
			id: 'shopifyAppSbx001',
			name: 'Shopify app (My Page)',
			type: 'shopifyAppApi',
			data: {
				shopDomains: myPageApp.shopDomain,
				clientId: myPageApp.clientId,
				clientSecret: myPageApp.clientSecret,
			},
		},
		sesamiApp.credential,
		// The recovery workflow's n8n API credential: the key exists once n8n runs (beforePublish).
		{
			...N8N_API_CREDENTIAL,
			data: { apiKey: 'set-once-n8n-runs', baseUrl: `http://127.0.0.1:${n8nPort}/api/v1` },
		},
	];
	// Publishing the Flow workflows runs the Sesami Trigger's create(), which calls the simulator's
	// Flows API: the simulator is up (above) before n8n starts. The recovery workflow is imported (its
	// import and credential are checked) but not published: its schedule would retry executions the
	// tests count. `npm run test:queue` runs it.
	const n8n = await startN8n({
		version,
		port: n8nPort,
		skipPublish: (json, file) => path.basename(file) === 'n8n-execution-recovery.json',
		// (the smoke imports no recovery workflow: nothing needs the key there, also on n8n 1.x)
		...(smoke ? {} : { beforePublish: ({ api, apiKey, url }) => setN8nApiKey(api, apiKey, url) }),
		packageDir: root,
		credentials,
		...(smoke
			? { workflowFiles: SMOKE_WORKFLOWS.map((f) => path.join(root, 'workflows', f)) }
			: { workflowsDir: path.join(root, 'workflows') }),
		setupWorkflow: path.join(root, 'workflows', 'setup-data-tables.json'),
		publish: true,
		keep,
		log,
		echoN8nLogs: process.env.E2E_ECHO_N8N_LOGS === '1',
		apiKeyLabel: 'e2e suite',
	});
	const logFile = path.join(os.tmpdir(), `n8n-e2e-${process.pid}.log`);
	cleanups.push(async () => {
		// Keep n8n's output when something failed or --keep was given; it is the first thing to read.
		const e2e = results.find((r) => r.stage === 'e2e');
		if (keep || !e2e || e2e.failed) {
			fs.writeFileSync(logFile, n8n.logs());
			say(`e2e: n8n output saved to ${logFile}`);
		}
		await n8n.stop();
	});
	log(
		`n8n ${n8n.version} up in ${((Date.now() - t0) / 1000).toFixed(1)} s (server start ${(n8n.startMs / 1000).toFixed(1)} s)`,
	);

	// imin's Success webhook goes to the production URL of the published workflow's imin Trigger
	// (imin-success-webhook.json: <n8nUrl>/webhook/<webhookId>/imin), with this run's webhook key in X-Api-Key.
	const iminHook = n8n.workflows
		.filter((w) => w.active)
		.flatMap((w) => w.webhookUrls.map((h) => ({ ...h, workflowId: w.id })))
		.find((h) => h.type === 'n8n-nodes-sesami-imin.iminTrigger' && h.url);
	if (iminHook) {
		imin.setWebhookDelivery({ url: iminHook.url, apiKey: iminKeys.webhookKey });
		log(`imin Success webhook -> ${iminHook.url}`);
	} else log('no published workflow has an imin Trigger: the imin simulator sends no webhooks');

	// The storefront simulator (test/sim/storefront): logs the two test customers in, renders the My
	// Page snippet and forwards /apps/bookings to sesami-my-page-backend.json's production URL, signed as Shopify's App Proxy.
	const { startStorefront, pickMyPageCustomers, myPageWebhookUrl } = require('./sim/storefront');
	const storefront = await startStorefront({
		port: 0,
		shopDomain: myPageApp.shopDomain,
		shopName: shop.name,
		appProxy: { prefix: 'apps', subpath: 'bookings', url: myPageWebhookUrl(n8n.workflows) },
		clientSecret: myPageApp.clientSecret,
		customers: pickMyPageCustomers({
			fixtures: sim.fixtures,
			appointments: sim.state.appointments,
			now: sim.now(),
		}),
	});
	cleanups.push(() => storefront.close());
	log(
		`storefront simulator on ${storefront.url} (App Proxy ${storefront.pathPrefix} -> ${storefront.appProxyUrl ?? 'sesami-my-page-backend.json not imported'})`,
	);

	// Restarting n8n is the runner's job (it owns the process and cleans it up): tests ask for it over
	// a loopback HTTP endpoint with a per-run token (context.control; lib/context.mjs restartN8n()).
	const control = await startControlServer({ restartN8n: () => n8n.restart() });
	cleanups.push(() => control.close());

	const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-ctx-'));
	fs.chmodSync(ctxDir, 0o700);
	if (!keep) cleanups.push(async () => fs.rmSync(ctxDir, { recursive: true, force: true }));
	const contextFile = path.join(ctxDir, 'context.json');
	const context = {
		n8nUrl: n8n.url,
		n8nPort: n8n.port,
		apiKey: n8n.apiKey,
		ownerCookie: n8n.cookie,
		owner: n8n.owner,
		simUrl: sim.url,
		simBaseUrl: sim.baseUrl,
		fixtures: sim.fixtures,
		workflows: n8n.workflows,
		userFolder: n8n.userFolder,
		n8nVersion: n8n.version,
		n8nMajor: n8nMajor(n8n.version),
		projectId: n8n.projectId,
		n8nBin: n8n.paths.n8nBin,
		nodeBin: n8n.paths.nodeBin,
		nodeDir: n8n.paths.nodeDir,
		credentialIds: credentials.map((c) => c.id),
		cli: n8n.cli,
		dataTables: n8n.dataTables,
		dataTablesSetup: n8n.dataTablesSetup,
		smtp: {
			host: smtp.host,
			port: smtp.port,
			user: smtp.user,
			password: smtp.password,
			httpUrl: smtp.httpUrl,
			credentialId: 'smtpSandbox00001',
		},
		imin: {
			simUrl: imin.url,
			apiKey: iminKeys.apiKey,
			webhookKey: iminKeys.webhookKey,
			firehoseBaseUrl: imin.firehoseBaseUrl,
			checkoutBaseUrl: imin.checkoutBaseUrl,
			bookBaseUrl: imin.bookBaseUrl,
			brokerName: iminBroker.name,
			brokerUrl: iminBroker.url,
			webhookUrl: iminHook?.url ?? null,
			credentialId: 'iminSandbox00001',
			webhookCredentialId: 'iminWebhookSbx01',
		},
		control: { url: control.url, token: control.token },
		sesamiApp: sesamiApp.context,
		myPage: {
			...myPageApp,
			credentialId: 'shopifyAppSbx001',
			storefrontUrl: storefront.url,
			pathPrefix: storefront.pathPrefix,
			appProxyUrl: storefront.appProxyUrl,
			customers: storefront.customers,
		},
	};
	fs.writeFileSync(contextFile, JSON.stringify(context, null, 2), { mode: 0o600 });
	if (keep) say(`e2e: context file ${contextFile} (kept)`);

	const e2eDir = path.join(root, 'test', 'e2e');
	const files = fs
		.readdirSync(e2eDir)
		.filter(
			(f) =>
				f.endsWith('.test.mjs') &&
				(!only || only.split(',').some((o) => f.includes(o))) &&
				(!smoke || f.startsWith('smoke-')),
		)
		.sort()
		.map((f) => path.join('test', 'e2e', f));
	if (!files.length) {
		results.push({
			stage: 'e2e',
			passed: 0,
			failed: 1,
			crashed: true,
			note: 'no test/e2e/*.test.mjs files',
		});
		return;
	}
	say(`e2e: node --test ${files.join(' ')}`);
	let tap = '';
	const r = await runStreaming(
		process.execPath,
		['--test', '--test-reporter=tap', '--test-concurrency=1', ...files],
		{
			env: { ...process.env, E2E_CONTEXT: contextFile },
			onStdout: (s) => (tap += s),
		},
	);
	const count = (name) => {
		const m = [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].pop();
		return m ? Number(m[1]) : null;
	};
	const passed = count('pass');
	const failed = count('fail');
	const cancelled = count('cancelled') ?? 0;
	const todo = count('todo') ?? 0; // known defects written down as `todo` tests: shown, not counted
	if (passed === null || failed === null) {
		results.push({
			stage: 'e2e',
			passed: passed ?? 0,
			failed: Math.max(1, failed ?? 0),
			crashed: true,
			note: `node --test exited ${r.code} without a TAP summary`,
		});
		return;
	}
	try {
		await checkSecrets(n8n, credentials, sim);
	} catch (error) {
		results.push({ stage: 'secrets', passed: 0, failed: 1, crashed: true, note: error.message });
	}
	const entry = {
		stage: 'e2e',
		passed,
		failed: failed + cancelled,
		note: `n8n ${n8n.version}, ${files.length} file(s)${cancelled ? `, ${cancelled} cancelled` : ''}${todo ? `, ${todo} todo (known defects, see the TAP)` : ''}`,
	};
	if (r.code !== 0 && entry.failed === 0) {
		entry.failed = 1;
		entry.crashed = true;
		entry.note += `; node --test exited ${r.code}`;
	}
	results.push(entry);
}

// ---------------------------------------------------------------------------------------------
async function main() {
	const t0 = Date.now();
	let built = true;
	if (!noBuild) built = await stageBuild();
	if (!e2eOnly && !interrupted) {
		try {
			await stageUnit();
		} catch (error) {
			console.error(error);
			results.push({ stage: 'unit', passed: 0, failed: 1, crashed: true, note: error.message });
		}
		if (built && !interrupted) await stageScan();
	}
	if (!unitOnly && !interrupted) {
		if (!built)
			results.push({
				stage: 'e2e',
				passed: 0,
				failed: 1,
				crashed: true,
				note: 'not run: the build failed',
			});
		else {
			try {
				await stageE2e();
			} catch (error) {
				console.error(`[test] e2e crashed: ${error.stack || error.message}`);
				results.push({
					stage: 'e2e',
					passed: 0,
					failed: 1,
					crashed: true,
					note: error.message.split('\n')[0],
				});
			} finally {
				await cleanups.run();
			}
		}
	}
	await cleanups.run();
	const passed = results.reduce((n, r) => n + r.passed, 0);
	const failed = results.reduce((n, r) => n + r.failed, 0);
	console.log('');
	for (const r of results)
		console.log(
			`[test] ${r.stage}: ${r.passed} passed, ${r.failed} failed${r.crashed ? ' (CRASHED)' : ''}${r.note ? ` — ${r.note}` : ''}`,
		);
	console.log(`[test] total time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	console.log(`tests: ${passed} passed, ${failed} failed`);
	process.exitCode = failed > 0 ? 1 : 0;
}

main().catch(async (error) => {
	console.error(error);
	await cleanups.run();
	console.log('tests: 0 passed, 1 failed');
	process.exit(1);
});
