// The Sesami App of workflows/sesami-app-appointment-panel.json in the e2e suite: the runner starts
// the Sesami Admin host simulator (test/sim/sesami-admin) in front of the Sesami API simulator and
// registers the app there with the trigger's production URL as its app URL (known before n8n
// starts: the port is chosen first and the trigger's webhookId is fixed in the file); the tests
// drive installs, uninstalls and signed loads through the simulator and read the installations
// table. Everything Sesami signs comes from the simulator's sign.js (written from Sesami's code),
// never from the package.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import axios from 'axios';
import {
	dataTableId,
	dataTableRows,
	executionsSince,
	getContext,
	lastExecutionId,
	waitFor,
	workflowByFile,
} from './context.mjs';

const require = createRequire(import.meta.url);

export const APP_FILE = 'sesami-app-appointment-panel.json';
export const APP_TRIGGER_TYPE = 'n8n-nodes-sesami-imin.sesamiAppTrigger';
export const INSTALLATIONS_TABLE = 'Sesami app installations';
export const LINKS_TABLE = 'Sesami appointment links';
export const EMAILS_TABLE = 'Sesami portal emails sent';
export const APP_CREDENTIAL_ID = 'sesamiAppSbx0001';

/** The simulator's signing helpers (test/sim/sesami-admin/sign.js). */
export const sign = () => require('../../sim/sesami-admin/sign.js');

/** The app URL of the workflow's trigger: <n8n>/webhook/<webhookId> (isFullPath, empty path). */
export function appUrlOf(workflowFile, n8nUrl) {
	const json = JSON.parse(fs.readFileSync(workflowFile, 'utf8'));
	const trigger = json.nodes.find((n) => n.type === APP_TRIGGER_TYPE);
	if (!trigger?.webhookId)
		throw new Error(`${workflowFile}: no Sesami App Trigger with a webhookId`);
	return `${n8nUrl}/webhook/${trigger.webhookId}`;
}

/**
 * Runner side: starts the Sesami Admin simulator for the example app, before n8n (the credential
 * needs its URL). Issued offline tokens are registered with the Sesami API simulator
 * (POST /__sim/app-tokens) and revoked there at uninstall, as Sesami does.
 * Resolves { admin, credential, context } (context goes into the e2e context as `sesamiApp`).
 */
export async function startSesamiAppHost({
	sim,
	n8nPort,
	root,
	log = () => {},
	publicBase = `http://127.0.0.1:${n8nPort}`,
	port = 0,
	consent = 'accept',
	app: fixed = {},
	credentialName = 'Sesami App (panel)',
}) {
	const { startSesamiAdmin } = require('../../sim/sesami-admin/index.js');
	const appUrl = appUrlOf(path.join(root, 'workflows', APP_FILE), publicBase.replace(/\/+$/, ''));
	const app = {
		appId: `e2e-panel-${crypto.randomBytes(3).toString('hex')}`,
		clientId: `e2e-app-${crypto.randomBytes(6).toString('hex')}`,
		clientSecret: crypto.randomBytes(32).toString('hex'),
		name: 'Portal emails (e2e)',
		...fixed,
		appUrl,
		redirectUris: [`${appUrl}/oauth/call-back`],
		installedShops: [],
	};
	const simApi = axios.create({
		baseURL: `${sim.url}/__sim`,
		timeout: 15_000,
		validateStatus: () => true,
	});
	const pending = new Set();
	const track = (promise) => {
		pending.add(promise);
		promise.finally(() => pending.delete(promise));
	};
	const admin = await startSesamiAdmin({
		port,
		host: '127.0.0.1',
		apps: [app],
		shops: sim.fixtures.shops.map((s) => ({ shopId: s.id, name: s.name })),
		consent,
		apiUpstream: sim.url,
		onTokenIssued: ({ token, shopId, clientId }) =>
			track(
				simApi.post('/app-tokens', { token, shopId, clientId }).then((r) => {
					if (r.status !== 201)
						log(`Sesami simulator: app token for ${shopId} not registered (HTTP ${r.status})`);
				}),
			),
		onUninstall: ({ shopId, appId }) => {
			for (const t of admin.issuedTokens({ all: true }))
				if (t.appId === appId && t.shopId === shopId)
					track(simApi.delete(`/app-tokens/${encodeURIComponent(t.token)}`));
		},
	});
	const credential = {
		id: APP_CREDENTIAL_ID,
		name: credentialName,
		type: 'sesamiAppApi',
		data: {
			clientId: app.clientId,
			clientSecret: app.clientSecret,
			appUrl,
			baseUrl: `${admin.url}/api/v1`,
			adminUrl: admin.url, // the trigger sends the merchant to {adminUrl}/apps/{appId} after installing
		},
	};
	return {
		admin,
		credential,
		settled: () => Promise.all([...pending]),
		app,
		context: {
			adminUrl: admin.url,
			appId: app.appId,
			clientId: app.clientId,
			clientSecret: app.clientSecret,
			appUrl,
			credentialId: APP_CREDENTIAL_ID,
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Test side

/** The runner's `sesamiApp` context: { adminUrl, appId, clientId, clientSecret, appUrl }. */
export function sesamiApp() {
	const app = getContext().sesamiApp;
	if (!app?.adminUrl)
		throw new Error('the e2e context has no sesamiApp section (run through test/run-all.mjs)');
	return app;
}

/** The app as sign.js wants it ({appId, clientId, clientSecret, appUrl}). */
export const signingApp = () => {
	const a = sesamiApp();
	return { appId: a.appId, clientId: a.clientId, clientSecret: a.clientSecret, appUrl: a.appUrl };
};

/** axios on the Admin simulator (its control routes under /__sim). Never throws on status. */
export function adminSim() {
	return axios.create({
		baseURL: sesamiApp().adminUrl,
		timeout: 30_000,
		validateStatus: () => true,
		maxRedirects: 0,
	});
}

/** sesami-app-appointment-panel.json as imported and published by the runner. */
export function appWorkflow() {
	const wf = workflowByFile(APP_FILE);
	assert.ok(wf.active, `${APP_FILE} is published`);
	return wf;
}

/** A GET or POST without following redirects; never throws on status. */
export function call(url, { method = 'GET', body, headers = {} } = {}) {
	return axios.request({
		url,
		method,
		data: body,
		headers,
		maxRedirects: 0,
		timeout: 30_000,
		validateStatus: () => true,
		transformResponse: [(d) => d],
	});
}

/**
 * A merchant installs the app on a shop, as Sesami Admin plays it: the Install button (signed
 * install URL) -> the trigger redirects to Sesami's authorization page -> consent (auto-accept) ->
 * the callback with the code -> the trigger exchanges it and redirects back to the Admin.
 * Resolves the statuses of each hop.
 */
export async function installShop(shopId) {
	const { appId, appUrl } = sesamiApp();
	const start = await adminSim().post(`/__sim/apps/${appId}/install`, { shopId });
	assert.equal(start.status, 303, `install start: ${JSON.stringify(start.data)}`);
	const installUrl = start.headers.location;
	assert.ok(installUrl.startsWith(`${appUrl}?`), installUrl);
	const toConsent = await call(installUrl);
	assert.equal(
		toConsent.status,
		302,
		`the trigger's install start: HTTP ${toConsent.status} ${toConsent.data}`,
	);
	const consent = await call(toConsent.headers.location);
	assert.equal(
		consent.status,
		302,
		`Sesami's authorization: HTTP ${consent.status} ${consent.data}`,
	);
	const callbackUrl = consent.headers.location;
	assert.ok(callbackUrl.startsWith(`${appUrl}/oauth/call-back?`), callbackUrl);
	const back = await call(callbackUrl);
	assert.equal(back.status, 302, `the trigger's callback: HTTP ${back.status} ${back.data}`);
	return {
		installUrl,
		consentUrl: toConsent.headers.location,
		callbackUrl,
		adminRedirect: back.headers.location,
	};
}

/** Sesami sends the signed uninstall_app webhook (tamper / replay through the simulator). */
export async function uninstallShop(shopId, options = {}) {
	const r = await adminSim().post(`/__sim/apps/${sesamiApp().appId}/uninstall`, {
		shopId,
		...options,
	});
	assert.equal(r.status, 200, JSON.stringify(r.data));
	return r.data; // {status, body, url, sent}
}

export async function replayUninstall() {
	const r = await adminSim().post(`/__sim/apps/${sesamiApp().appId}/uninstall/replay`, {});
	assert.equal(r.status, 200, JSON.stringify(r.data));
	return r.data;
}

/** Rows of the installations table for a shop. */
export async function installationRows(shopId) {
	const id = await dataTableId(INSTALLATIONS_TABLE);
	return dataTableRows(id, {
		type: 'and',
		filters: [{ columnName: 'shopId', condition: 'eq', value: shopId }],
	});
}

/** Waits until the shop has `count` installation rows. */
export async function waitForInstallationRows(shopId, count, timeoutMs = 20_000) {
	let rows = [];
	await waitFor(
		async () => {
			rows = await installationRows(shopId);
			return rows.length === count;
		},
		{ timeoutMs, message: `${count} installation row(s) of ${shopId} (have ${rows.length})` },
	);
	return rows;
}

/** The Sesami API simulator's registered app tokens ([{shopId, clientId}]). */
export async function apiSimAppTokens() {
	const r = await axios.get(`${getContext().simUrl}/__sim/app-tokens`, {
		timeout: 15_000,
		validateStatus: () => true,
	});
	return r.status === 200 ? r.data : null;
}

/**
 * Runs `fn` and asserts it started no execution of the workflow: the last execution id before and
 * after, with a settle for an execution n8n might still be starting.
 */
export async function assertNoNewExecution(workflowId, fn, { settleMs = 600 } = {}) {
	const mark = await lastExecutionId(workflowId);
	const result = await fn();
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	const since = await executionsSince(workflowId, mark);
	assert.deepEqual(
		since.map((e) => `#${e.id} ${e.status}`),
		[],
		'no new execution',
	);
	return result;
}
