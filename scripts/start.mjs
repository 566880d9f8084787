#!/usr/bin/env node
// `npm start`: a local sandbox — n8n 2.41.1 with this package installed, the example workflows
// imported, and (unless real Sesami / imin values are configured) the Sesami and imin simulators behind
// the credentials.
//
//   npm start                   build, provision, start everything; Ctrl-C stops it all
//   npm start -- --no-build     skip `npm run build`
//   npm start -- --reimport     overwrite the imported example workflows and credential with the repo's files
//
// State lives in .sandbox/ (gitignored): n8n's user folder (.sandbox/n8n, survives restarts),
// owner.json (login), state.json (what was imported), n8n.log.
// Env (or .env, KEY=VALUE lines): N8N_PORT (5678), SESAMI_SIM_PORT (4010), WEBHOOK_URL, SMTP_PORT (2525),
// SMTP_INBOX_PORT (8025), SMTP_USER / SMTP_PASSWORD (n8n / n8n-sandbox), and for the real Sesami API:
// SESAMI_API_KEY, SESAMI_CLIENT_ID, SESAMI_SHOP_ID, SESAMI_BASE_URL, SESAMI_TIMEZONE; IMIN_SIM_PORT (4020), and for
// the real imin: IMIN_API_KEY, IMIN_FIREHOSE_BASE_URL, IMIN_CHECKOUT_BASE_URL, IMIN_BOOK_BASE_URL, IMIN_BROKER_NAME,
// IMIN_BROKER_URL; IMIN_WEBHOOK_KEY (the X-Api-Key imin sends to the imin Trigger, both modes).
//
// Also started: a real SMTP server (test/sim/smtp) behind the "Sandbox SMTP" credential, with an inbox
// page that shows every email the workflows send. The Data Tables are made by running the setup
// workflow workflows/setup-data-tables.json once at every start (it reuses existing tables).
// My Page (sesami-my-page-backend.json): with the Sesami simulator, the storefront simulator (test/sim/storefront) on STOREFRONT_PORT
// (8030) plays the Shopify store and its App Proxy, with two test customers; the "Shopify app (My Page)"
// credential gets SHOPIFY_SHOP_DOMAIN / SHOPIFY_CLIENT_ID / SHOPIFY_CLIENT_SECRET, or the sandbox values.
// Sesami App (sesami-app-appointment-panel.json): with the Sesami simulator, the Sesami Admin simulator
// (test/sim/sesami-admin) on SESAMI_ADMIN_PORT (4030) plays Sesami Admin (./start/sesami-app.mjs).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { provision } from '../test/e2e/lib/provision.mjs';
import { N8N_API_CREDENTIAL, setN8nApiKey, startN8n } from '../test/e2e/lib/n8n.mjs';
import { printBannerSesamiApp, startSesamiAppSide } from './start/sesami-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const sandbox = path.join(root, '.sandbox');
const say = (m) => console.log(`[start] ${m}`);

/** Minimal .env reader: KEY=VALUE lines, optional `export `, # comments, optional quotes. Real env wins. */
function loadDotEnv(file) {
	if (!fs.existsSync(file)) return [];
	const loaded = [];
	for (const raw of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
		const line = raw.trim();
		if (!line || line.startsWith('#')) continue;
		const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
		if (!m) continue;
		let value = m[2].trim();
		if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
		else value = value.replace(/\s+#.*$/, '');
		if (process.env[m[1]] === undefined) {
			process.env[m[1]] = value;
			loaded.push(m[1]);
		}
	}
	return loaded;
}

const readJson = (file, fallback) => {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return fallback;
	}
};
const writeJson = (file, value, mode = 0o600) =>
	fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode });
const hash = (value) =>
	crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** `npm run build` (unless --no-build) and the n8n install (cached). */
async function buildAndProvision() {
	if (!args.has('--no-build')) {
		say('npm run build');
		const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
		if (r.status !== 0) throw new Error('npm run build failed');
	}
	say('provisioning n8n (cached; the first run installs ~3 GB and takes ~5 min)');
	await provision({ log: say });
}

/** The Sesami side: the real API when configured, else the simulator on a fixed port. */
async function startSesamiSide() {
	const real = Boolean(process.env.SESAMI_API_KEY && process.env.SESAMI_SHOP_ID);
	let sim = null;
	let credentialData;
	if (real) {
		credentialData = {
			apiKey: process.env.SESAMI_API_KEY,
			clientId: process.env.SESAMI_CLIENT_ID ?? '',
			shopId: process.env.SESAMI_SHOP_ID,
			baseUrl: process.env.SESAMI_BASE_URL || 'https://api.sesami.co/api/v1',
			timezone: process.env.SESAMI_TIMEZONE || 'UTC',
		};
		say(`using the real Sesami API at ${credentialData.baseUrl} (shop ${credentialData.shopId})`);
		if (!process.env.WEBHOOK_URL) {
			say(
				"WARNING: WEBHOOK_URL is not set. The Sesami Trigger registers Flows whose target is this machine's",
			);
			say(
				'         local address, which Sesami cannot reach: set WEBHOOK_URL to a public https URL (e.g. a tunnel',
			);
			say('         to port 5678), or unpublish the trigger workflows in the editor.');
		}
	} else {
		const { startSesamiSimulator } = require('../test/sim/sesami');
		const simPort = Number(process.env.SESAMI_SIM_PORT || 4010);
		// SESAMI_SIM_VARIANTS=point=variant,...: play an unverified contract point (docs/unverified-contract.md)
		sim = await startSesamiSimulator({
			port: simPort,
			host: '127.0.0.1',
			variants: process.env.SESAMI_SIM_VARIANTS || undefined,
		});
		if (process.env.SESAMI_SIM_VARIANTS)
			say(`Sesami simulator variants: ${JSON.stringify(sim.variants.all())}`);
		const shop = sim.fixtures.shops[0];
		credentialData = {
			apiKey: shop.apiKey,
			clientId: shop.clientId,
			shopId: shop.id,
			baseUrl: sim.baseUrl,
			timezone: shop.timezone,
		};
	}

	return { sim, credentialData };
}

/**
 * The imin side: the real imin when IMIN_API_KEY is set, else the imin simulator on a fixed port.
 * The simulator's Success webhook goes to the imin Trigger's production URL (set once n8n is up).
 */
async function startIminSide() {
	const realImin = Boolean(process.env.IMIN_API_KEY);
	const iminWebhookKey = process.env.IMIN_WEBHOOK_KEY || 'imin-sandbox-webhook-key';
	let iminSim = null;
	let iminData;
	if (realImin) {
		iminData = {
			apiKey: process.env.IMIN_API_KEY,
			firehoseBaseUrl: process.env.IMIN_FIREHOSE_BASE_URL || 'https://firehose.imin.co/firehose/',
			checkoutBaseUrl: process.env.IMIN_CHECKOUT_BASE_URL || '',
			bookBaseUrl: process.env.IMIN_BOOK_BASE_URL || 'https://book.imin.co/api/v2/',
			brokerName: process.env.IMIN_BROKER_NAME || '',
			brokerUrl: process.env.IMIN_BROKER_URL || '',
		};
		say(`using the real imin Firehose at ${iminData.firehoseBaseUrl}`);
		if (!iminData.checkoutBaseUrl)
			say(
				'WARNING: IMIN_CHECKOUT_BASE_URL is not set: the imin node cannot build guest checkout links.',
			);
		if (!process.env.IMIN_WEBHOOK_KEY)
			say(
				'WARNING: IMIN_WEBHOOK_KEY is not set: the imin Trigger expects the sandbox key, which imin does not send.',
			);
	} else {
		const { startIminSimulator } = require('../test/sim/imin');
		const iminPort = Number(process.env.IMIN_SIM_PORT || 4020);
		// IMIN_SIM_VARIANTS=point=variant,...: play an unverified contract point (docs/unverified-contract.md)
		iminSim = await startIminSimulator({
			port: iminPort,
			host: '127.0.0.1',
			apiKey: 'imin-sandbox-api-key',
			variants: process.env.IMIN_SIM_VARIANTS || undefined,
		}).catch((error) => {
			throw new Error(
				`the imin simulator could not start on port ${iminPort} (${error.message}); set IMIN_SIM_PORT to a free port`,
			);
		});
		const broker = iminSim.fixtures.broker;
		iminData = {
			apiKey: 'imin-sandbox-api-key',
			firehoseBaseUrl: iminSim.firehoseBaseUrl,
			checkoutBaseUrl: iminSim.checkoutBaseUrl,
			bookBaseUrl: iminSim.bookBaseUrl,
			brokerName: process.env.IMIN_BROKER_NAME || broker.name,
			brokerUrl: process.env.IMIN_BROKER_URL || broker.url,
		};
	}

	return { iminSim, iminData, iminWebhookKey };
}

/** A real SMTP server on fixed ports, behind the "Sandbox SMTP" credential of the email workflows. */
function startSandboxSmtp() {
	const { startSmtpServer } = require('../test/sim/smtp');
	return startSmtpServer({
		host: '127.0.0.1',
		port: Number(process.env.SMTP_PORT || 2525),
		httpPort: Number(process.env.SMTP_INBOX_PORT || 8025),
		user: process.env.SMTP_USER || 'n8n',
		password: process.env.SMTP_PASSWORD || 'n8n-sandbox',
	}).catch((error) => {
		throw new Error(
			`the sandbox SMTP server could not start (${error.message}); set SMTP_PORT / SMTP_INBOX_PORT to free ports`,
		);
	});
}

/**
 * sesami-my-page-backend.json (My Page): the Shopify app whose App Proxy signs the storefront's requests. Fixed sandbox values
 * (README "My Page"); SHOPIFY_SHOP_DOMAIN / SHOPIFY_CLIENT_ID / SHOPIFY_CLIENT_SECRET for a real store.
 */
function myPageAppSettings(sim) {
	return {
		shopDomain:
			process.env.SHOPIFY_SHOP_DOMAIN ||
			(sim ? sim.fixtures.shops[0].domain : 'your-store.myshopify.com'),
		clientId: process.env.SHOPIFY_CLIENT_ID || 'sandbox-my-page-app',
		clientSecret: process.env.SHOPIFY_CLIENT_SECRET || 'sandbox-my-page-client-secret',
	};
}

/** The credentials of the sandbox, with the values of the Sesami / imin side, SMTP and My Page. */
function sandboxCredentials({
	credentialData,
	smtp,
	iminData,
	iminWebhookKey,
	myPageApp,
	n8nPort,
}) {
	return [
		{ id: 'sesamiSandbox001', name: 'Sesami account', type: 'sesamiApi', data: credentialData },
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
		{ id: 'iminSandbox00001', name: 'imin account', type: 'iminApi', data: iminData },
		{
			id: 'iminWebhookSbx01',
			name: 'imin webhook key',
			type: 'iminWebhookApi',
			data: { apiKey: iminWebhookKey },
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
		// workflows/n8n-execution-recovery.json calls n8n's own API: the key is made at every start and
		// put into this credential before publishing (beforePublish below).
		{
			...N8N_API_CREDENTIAL,
			data: { apiKey: 'set-once-n8n-runs', baseUrl: `http://127.0.0.1:${n8nPort}/api/v1` },
		},
	];
}

/** The sandbox's state file: what was imported, by hash (only what is new is imported again). */
function readState() {
	const stateFile = path.join(sandbox, 'state.json');
	const state = readJson(stateFile, { credentials: {}, workflows: {} });
	state.credentials ??= {};
	if (state.credentialHash && !state.credentials.sesamiSandbox001)
		state.credentials.sesamiSandbox001 = state.credentialHash; // older state files
	delete state.credentialHash;
	return { stateFile, state };
}

/** The owner login of the sandbox (made once, kept in .sandbox/owner.json). */
function sandboxOwner() {
	const ownerFile = path.join(sandbox, 'owner.json');
	const owner = readJson(ownerFile, null) ?? {
		email: 'owner@example.com',
		firstName: 'Sandbox',
		lastName: 'Owner',
		password: `Sandbox-${crypto.randomBytes(6).toString('base64url')}7`,
	};
	writeJson(ownerFile, owner);

	return owner;
}

/**
 * n8n on the persistent folder, importing only what is new (or everything with --reimport), so
 * edits made in the editor survive restarts. The setup workflow makes the Data Tables (n8n 2.x).
 */
async function startSandboxN8n({ credentials, sim, n8nPort }) {
	const reimport = args.has('--reimport');
	const { stateFile, state } = readState();
	const credentialsToImport = credentials.filter(
		(c) => reimport || state.credentials[c.id] !== hash(c),
	);
	for (const c of credentialsToImport)
		if (state.credentials[c.id] && !reimport)
			say(`the settings of the "${c.name}" credential changed: re-importing it`);

	const owner = sandboxOwner();
	const changedFiles = [];
	const imported = [];
	const n8n = await startN8n({
		packageDir: root,
		userFolder: path.join(sandbox, 'n8n'),
		port: n8nPort,
		owner,
		beforePublish: ({ api, apiKey, url }) => setN8nApiKey(api, apiKey, url),
		credentials: credentialsToImport,
		workflowsDir: path.join(root, 'workflows'),
		setupWorkflow: path.join(root, 'workflows', 'setup-data-tables.json'),
		skipImport: (json) => {
			const h = hash(json);
			const seen = state.workflows[json.id];
			if (!seen || reimport) {
				imported.push(json);
				return false;
			}
			if (seen !== h) changedFiles.push(json.name);
			return true;
		},
		publish: true,
		// The simulator starts empty: triggers that registered something in it (the Sesami Trigger's
		// Flows) must do it again, which n8n does not do on its own for already published workflows.
		republishActive: Boolean(sim),
		apiKeyLabel: 'npm start',
		log: say,
		logFile: path.join(sandbox, 'n8n.log'),
		env: process.env.WEBHOOK_URL ? { WEBHOOK_URL: process.env.WEBHOOK_URL } : {},
	});
	for (const c of credentials) state.credentials[c.id] = hash(c);
	for (const json of imported) state.workflows[json.id] = hash(json);
	writeJson(stateFile, state);

	return { n8n, owner, changedFiles };
}

/**
 * My Page: the storefront simulator (test/sim/storefront) in front of sesami-my-page-backend.json, with the Sesami
 * simulator's customers A and B (only with the simulator: a real Sesami shop has other customers).
 */
async function startMyPageStorefront({ sim, n8n, myPageApp }) {
	const {
		startStorefront,
		pickMyPageCustomers,
		myPageWebhookUrl,
	} = require('../test/sim/storefront');
	const myPageUrl = myPageWebhookUrl(n8n.workflows);
	let storefront = null;
	if (sim && myPageUrl) {
		const storefrontPort = Number(process.env.STOREFRONT_PORT || 8030);
		storefront = await startStorefront({
			port: storefrontPort,
			shopDomain: myPageApp.shopDomain,
			shopName: sim.fixtures.shops[0].name,
			appProxy: { prefix: 'apps', subpath: 'bookings', url: myPageUrl },
			clientSecret: myPageApp.clientSecret,
			customers: pickMyPageCustomers({
				fixtures: sim.fixtures,
				appointments: sim.state.appointments,
				now: sim.now(),
			}),
		}).catch((error) => {
			throw new Error(
				`the storefront simulator could not start on port ${storefrontPort} (${error.message}); set STOREFRONT_PORT to a free port`,
			);
		});
	}

	return { storefront, myPageUrl };
}

/** Ctrl-C / SIGTERM stop everything; an unexpected exit of n8n stops the rest (exit 1). */
function installShutdown({ n8n, smtp, sim, iminSim, storefront, admin }) {
	let stopping = false;
	const shutdown = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		say('stopping…');
		await n8n.stop();
		await smtp.close();
		if (sim) await sim.close();
		if (iminSim) await iminSim.close();
		if (storefront) await storefront.close();
		if (admin) await admin.close();
		say('stopped');
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(0));
	process.on('SIGTERM', () => shutdown(0));
	n8n.child.once('exit', (code, signal) => {
		if (stopping) return;
		console.error(
			`[start] n8n exited unexpectedly (${signal ?? `exit ${code}`}); see ${path.join(sandbox, 'n8n.log')}`,
		);
		shutdown(1);
	});
}

/** The banner: the editor, login and the Sesami side. */
function printBannerHead({ n8n, owner, sim, credentialData }) {
	console.log('');
	console.log('==============================================================================');
	console.log(` n8n editor:   ${n8n.url}/   (also http://localhost:${n8n.port}/)`);
	console.log(
		` login:        ${owner.email} / ${owner.password}   (stored in .sandbox/owner.json)`,
	);
	if (sim) {
		console.log(
			` Sesami:       simulator ${sim.url}  (API ${sim.baseUrl}, shop ${credentialData.shopId})`,
		);
		console.log(
			`               inspect with ${sim.url}/__sim/exchanges and ${sim.url}/__sim/fixtures`,
		);
	} else
		console.log(
			` Sesami:       real API ${credentialData.baseUrl} (shop ${credentialData.shopId})`,
		);
}

/** The banner: the imin side. */
function printBannerImin({ iminSim, iminData, iminHook, publicBase }) {
	if (iminSim) {
		const sample = iminSim.expectedBookable().scheduledSessions[0];
		const body = JSON.stringify({
			identifier: sample?.identifier ?? '<a data.identifier from the scheduled-sessions feed>',
			customer: { email: 'booker@example.com', givenName: 'Sam', familyName: 'Booker' },
		});
		console.log(
			` imin:         simulator ${iminSim.url}  (Firehose ${iminSim.firehoseBaseUrl}, X-API-KEY ${iminData.apiKey}; control ${iminSim.url}/__sim)`,
		);
		console.log(
			`               bookable now: ${iminSim.url}/__sim/expected/bookable   Success webhook -> ${iminHook ? iminHook.url : '(no published imin Trigger)'}`,
		);
		console.log(
			'               complete a booking (fires the Success webhook; the booker gets the confirmation email):',
		);
		console.log(
			`               curl -s -X POST ${iminSim.url}/__sim/bookings -H 'content-type: application/json' -d '${body.replace(/'/g, "'\\''")}'`,
		);
		console.log(
			'               (the simulator starts afresh at every npm start, while the Firehose Triggers keep their feed position in',
		);
		console.log(
			'               n8n: to walk the new feeds from their start, delete .sandbox/ or duplicate the Firehose workflow)',
		);
	} else {
		console.log(
			` imin:         real Firehose ${iminData.firehoseBaseUrl}, checkout ${iminData.checkoutBaseUrl || '(IMIN_CHECKOUT_BASE_URL not set)'}`,
		);
		if (iminHook)
			console.log(
				`               give imin the Success webhook URL ${publicBase}webhook/${iminHook.path} and the key IMIN_WEBHOOK_KEY (sent as X-Api-Key)`,
			);
	}
}

/** The banner: My Page, credentials, inbox. */
function printBannerMyPage({ storefront, myPageUrl, myPageApp, smtp }) {
	if (storefront) {
		console.log(
			` My Page:      storefront ${storefront.url}/pages/my-bookings   (App Proxy ${storefront.pathPrefix} -> ${storefront.appProxyUrl})`,
		);
		for (const [i, c] of storefront.customers.entries())
			console.log(
				`               log in as ${'AB'[i]}: ${c.email} / ${c.password}   (${c.name}, Shopify customer ${c.id})`,
			);
	} else
		console.log(
			` My Page:      ${myPageUrl ? `App Proxy URL for your Shopify app: ${myPageUrl}` : 'sesami-my-page-backend.json is not published'} (storefront simulator only with the Sesami simulator)`,
		);
	console.log(
		`               credential "Shopify app (My Page)" (shopifyAppSbx001): shop ${myPageApp.shopDomain}, client id ${myPageApp.clientId}, client secret ${process.env.SHOPIFY_CLIENT_SECRET ? '(SHOPIFY_CLIENT_SECRET)' : myPageApp.clientSecret}`,
	);
	console.log(
		` credentials:  "Sesami account" (sesamiSandbox001), "Sandbox SMTP" (smtpSandbox00001), "imin account" (iminSandbox00001), "imin webhook key" (iminWebhookSbx01), "n8n API (execution recovery)" (n8nApiSandbox001)`,
	);
	console.log(
		` email inbox:  ${smtp.httpUrl}/   (SMTP ${smtp.host}:${smtp.port}, user ${smtp.user}; every email n8n sends lands here)`,
	);
}

/** The banner: Data Tables, workflows and their webhooks, notes. */
function printBannerN8n({ n8n, changedFiles }) {
	if (n8n.dataTablesSetup)
		console.log(
			` data tables:  made by the workflow "Set up the Data Tables" (execution ${n8n.dataTablesSetup.executionId})`,
		);
	for (const t of n8n.dataTables)
		console.log(` data table:   ${t.name}  (${t.id}${t.created ? ', created now' : ''})`);
	for (const wf of n8n.workflows) {
		console.log(
			` workflow:     ${wf.name}  ${n8n.url}/workflow/${wf.id}${wf.active ? '  [published]' : ''}`,
		);
		for (const h of wf.webhookUrls)
			console.log(`   webhook:    ${h.httpMethod} ${h.url ?? `(path unknown, node ${h.node})`}`);
	}
	if (changedFiles.length)
		console.log(
			` note:         changed in workflows/ since the first import (kept your n8n copy): ${changedFiles.join(', ')}; npm start -- --reimport overwrites`,
		);
	console.log(` n8n log:      ${path.join(sandbox, 'n8n.log')}`);
	console.log(' Ctrl-C stops n8n and the simulators. Delete .sandbox/ to start from scratch.');
	console.log('==============================================================================');
}

async function main() {
	const loaded = loadDotEnv(path.join(root, '.env'));
	if (loaded.length) say(`read .env: ${loaded.join(', ')}`);
	fs.mkdirSync(sandbox, { recursive: true });
	await buildAndProvision();
	const { sim, credentialData } = await startSesamiSide();
	const { iminSim, iminData, iminWebhookKey } = await startIminSide();
	const smtp = await startSandboxSmtp();
	const myPageApp = myPageAppSettings(sim);
	const n8nPort = Number(process.env.N8N_PORT || 5678);
	const sesamiApp = await startSesamiAppSide({
		sim,
		root,
		n8nPort,
		publicBase: process.env.WEBHOOK_URL || `http://127.0.0.1:${n8nPort}`,
		say,
	});
	const credentials = sandboxCredentials({
		credentialData,
		smtp,
		iminData,
		iminWebhookKey,
		myPageApp,
		n8nPort,
	});
	if (sesamiApp) credentials.push(sesamiApp.credential);
	const { n8n, owner, changedFiles } = await startSandboxN8n({ credentials, sim, n8nPort });

	// The production URL of the (published) imin Trigger: where imin, or the simulator, sends Success webhooks.
	const iminHook = n8n.workflows
		.filter((w) => w.active)
		.flatMap((w) => w.webhookUrls)
		.find((h) => h.type === 'n8n-nodes-sesami-imin.iminTrigger' && h.url);
	const publicBase = (process.env.WEBHOOK_URL || `${n8n.url}/`).replace(/\/*$/, '/');
	if (iminSim && iminHook)
		iminSim.setWebhookDelivery({ url: iminHook.url, apiKey: iminWebhookKey });

	const { storefront, myPageUrl } = await startMyPageStorefront({ sim, n8n, myPageApp });
	installShutdown({ n8n, smtp, sim, iminSim, storefront, admin: sesamiApp?.admin });
	printBannerHead({ n8n, owner, sim, credentialData });
	printBannerImin({ iminSim, iminData, iminHook, publicBase });
	printBannerMyPage({ storefront, myPageUrl, myPageApp, smtp });
	printBannerSesamiApp(sesamiApp);
	printBannerN8n({ n8n, changedFiles });
}

main().catch((error) => {
	console.error(`[start] ${error.message}`);
	process.exit(1);
});
