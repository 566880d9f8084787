// `npm start`, the Sesami App side (workflows/sesami-app-appointment-panel.json): with the Sesami
// simulator, the Sesami Admin simulator (test/sim/sesami-admin) plays Sesami Admin in front of the
// app: it loads the app's page in an iframe with signed parameters, speaks app-message's protocol,
// plays the install (authorization page, code, token exchange) and sends the uninstall webhook.
// Started the way the e2e suite starts it (test/e2e/lib/sesami-app.mjs), with fixed sandbox values
// and a consent page to click.
import { startSesamiAppHost } from '../../test/e2e/lib/sesami-app.mjs';

/** Fixed sandbox values, like the My Page app's (SESAMI_ADMIN_PORT moves the simulator). */
const SANDBOX_APP = {
	appId: 'sandbox-appointment-panel',
	clientId: 'sandbox-sesami-app',
	clientSecret: 'sandbox-sesami-app-client-secret',
	name: 'Appointment panel (sandbox)',
};

/**
 * Starts the Admin simulator (before n8n: the "Sesami App (sandbox)" credential needs its URL).
 * Returns null without the Sesami simulator.
 */
export async function startSesamiAppSide({ sim, root, n8nPort, publicBase, say }) {
	if (!sim) return null;
	const port = Number(process.env.SESAMI_ADMIN_PORT || 4030);
	return await startSesamiAppHost({
		sim,
		n8nPort,
		root,
		log: say,
		publicBase,
		port,
		consent: 'ask',
		app: SANDBOX_APP,
		credentialName: 'Sesami App (sandbox)',
	}).catch((error) => {
		throw new Error(
			`the Sesami Admin simulator could not start on port ${port} (${error.message}); set SESAMI_ADMIN_PORT to a free port`,
		);
	});
}

/** The banner lines: where the simulated Admin is and what to click. */
export function printBannerSesamiApp(side) {
	if (!side) return;
	const { admin, app, credential } = side;
	const shop = admin.state().shops[0]?.shopId;
	console.log(` Sesami App:   simulated Sesami Admin ${admin.url}/admin   (app URL ${app.appUrl})`);
	if (shop) {
		console.log(
			`               1. install: ${admin.url}/admin/${shop}/apps/${app.appId}/install   (once per start)`,
		);
		console.log(`               2. then open an appointment: ${admin.url}/admin/${shop}`);
	}
	console.log(
		`               credential "${credential.name}" (${credential.id}): client id ${credential.data.clientId}, client secret ${credential.data.clientSecret}`,
	);
}
