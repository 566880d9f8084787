// `npm start`, the Sesami App side (workflows/sesami-app-appointment-panel.json): with the Sesami
// simulator, the Sesami Admin simulator (test/sim/sesami-admin) plays Sesami Admin in front of the
// app: it loads the app's page in an iframe with signed parameters, speaks app-message's protocol,
// plays the install (authorization page, code, token exchange) and sends the uninstall webhook.
// Tokens it issues are registered with the Sesami API simulator, which then answers the app's reads.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Fixed sandbox values, like the My Page app's (SESAMI_ADMIN_PORT moves the simulator). */
const SANDBOX_APP = {
	appId: 'sandbox-appointment-panel',
	clientId: 'sandbox-sesami-app',
	clientSecret: 'sandbox-sesami-app-client-secret',
	name: 'Appointment panel (sandbox)',
};

/** The production URL of the Sesami App Trigger in the example workflows (fixed webhookId). */
function appTriggerUrl(workflowsDir, publicBase) {
	for (const file of fs.readdirSync(workflowsDir).filter((f) => f.endsWith('.json'))) {
		const json = JSON.parse(fs.readFileSync(path.join(workflowsDir, file), 'utf8'));
		const node = (json.nodes ?? []).find(
			(n) => n.type === 'n8n-nodes-sesami-imin.sesamiAppTrigger',
		);
		if (node?.webhookId) return { url: `${publicBase}webhook/${node.webhookId}`, file };
	}
	return null;
}

/**
 * Starts the Admin simulator (before n8n: the "Sesami App (sandbox)" credential needs its URL).
 * Returns null without the Sesami simulator or without the example workflow.
 */
export async function startSesamiAppSide({ sim, workflowsDir, publicBase, say }) {
	const trigger = sim && appTriggerUrl(workflowsDir, publicBase);
	if (!trigger) return null;
	const { startSesamiAdmin } = require('../../test/sim/sesami-admin');
	const port = Number(process.env.SESAMI_ADMIN_PORT || 4030);
	const admin = await startSesamiAdmin({
		port,
		host: '127.0.0.1',
		apps: [
			{
				...SANDBOX_APP,
				appUrl: trigger.url,
				redirectUris: [`${trigger.url}/oauth/call-back`],
				installedShops: [], // every start: install from the Admin page (the simulators start empty)
			},
		],
		shops: sim.fixtures.shops.map((s) => ({ shopId: s.id, name: s.name })),
		appointments: sandboxAppointments(sim),
		consent: 'ask',
		apiUpstream: sim.url,
		onTokenIssued: (t) =>
			fetch(`${sim.url}/__sim/app-tokens`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ token: t.token, shopId: t.shopId, clientId: t.clientId }),
			}).catch((error) => say(`Sesami simulator: app token not registered (${error.message})`)),
	}).catch((error) => {
		throw new Error(
			`the Sesami Admin simulator could not start on port ${port} (${error.message}); set SESAMI_ADMIN_PORT to a free port`,
		);
	});
	const credential = {
		id: 'sesamiAppSbx0001',
		name: 'Sesami App (sandbox)',
		type: 'sesamiAppApi',
		data: {
			clientId: SANDBOX_APP.clientId,
			clientSecret: SANDBOX_APP.clientSecret,
			appUrl: trigger.url,
			baseUrl: `${admin.url}/api/v1`,
			adminUrl: admin.url,
		},
	};

	return { admin, credential, trigger };
}

/** Up to eight upcoming appointments per shop, titled as the Admin lists them. */
function sandboxAppointments(sim) {
	const now = sim.now();
	const byShop = {};
	for (const a of sim.state.appointments) {
		if (a.cancelled || Date.parse(a.datetime) < now) continue;
		const list = (byShop[a.shopId] ??= []);
		if (list.length < 8)
			list.push({ id: a.id, title: `${a.customer?.name ?? 'customer'}, ${a.datetime}` });
	}

	return byShop;
}

/** The banner lines: where the simulated Admin is and what to click. */
export function printBannerSesamiApp(side) {
	if (!side) return;
	const { admin, trigger, credential } = side;
	const shop = [...Object.keys(admin.state().appointments ?? {})][0];
	console.log(
		` Sesami App:   simulated Sesami Admin ${admin.url}/admin   (${trigger.file}; app URL ${trigger.url})`,
	);
	if (shop) {
		console.log(
			`               1. install: ${admin.url}/admin/${shop}/apps/${SANDBOX_APP.appId}/install`,
		);
		console.log(`               2. then open an appointment: ${admin.url}/admin/${shop}`);
	}
	console.log(
		`               credential "${credential.name}" (${credential.id}): client id ${credential.data.clientId}, client secret ${credential.data.clientSecret}`,
	);
}
