#!/usr/bin/env node
/**
 * Run the Sesami Admin host simulator on its own, in front of a Sesami App (e.g. an n8n workflow).
 *
 *   node test/sim/sesami-admin/cli.mjs --app-url http://127.0.0.1:5678/webhook/<id>/sesami-app \
 *        --client-id <id> --client-secret <secret> [--app-id panel] [--name "Appointment panel"] \
 *        [--redirect-uri URL ...] [--webhook-url URL] [--sesami-sim http://127.0.0.1:4010] \
 *        [--port 8040] [--host 127.0.0.1] [--consent ask|accept|deny]
 *
 * Shops and appointments come from the Sesami API simulator's control API (--sesami-sim), which also
 * serves every other /api/v1/* path through this simulator. Variants: SESAMI_ADMIN_SIM_VARIANTS
 * ("hmacTimestamp=number,timestampUnit=seconds"). Prints exactly one JSON line on stdout:
 * { url, apiUrl, apps: [{appId, clientId}], admin: [<URL of each shop's Admin page>] }.
 * Stops on SIGINT / SIGTERM.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSesamiAdmin } = require('./index.js');

function parseArgs(argv) {
	const opts = { port: 8040, host: '127.0.0.1', appId: 'panel', redirectUris: [], consent: 'ask' };
	const names = {
		'--port': 'port',
		'--host': 'host',
		'--app-url': 'appUrl',
		'--app-id': 'appId',
		'--client-id': 'clientId',
		'--client-secret': 'clientSecret',
		'--name': 'name',
		'--webhook-url': 'webhookUrl',
		'--sesami-sim': 'sesamiSim',
		'--consent': 'consent',
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--help' || flag === '-h') {
			process.stderr.write(
				'usage: cli.mjs --app-url URL --client-id ID --client-secret SECRET [--app-id ID] [--name NAME] [--redirect-uri URL ...] [--webhook-url URL] [--sesami-sim URL] [--port 8040] [--host H] [--consent ask|accept|deny]\n',
			);
			process.exit(0);
		} else if (flag === '--redirect-uri') opts.redirectUris.push(value());
		else if (names[flag]) opts[names[flag]] = value();
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	opts.port = Number(opts.port);
	if (!Number.isInteger(opts.port) || opts.port < 0) throw new Error('--port needs a port number');
	for (const k of ['appUrl', 'clientId', 'clientSecret'])
		if (!opts[k])
			throw new Error(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is required`);
	return opts;
}

async function getJson(url) {
	const r = await fetch(url);
	if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
	return r.json();
}

let admin;
try {
	const opts = parseArgs(process.argv.slice(2));
	let shops;
	let appointments;
	if (opts.sesamiSim) {
		const sim = opts.sesamiSim.replace(/\/+$/, '');
		const fixtures = await getJson(`${sim}/__sim/fixtures`);
		shops = fixtures.shops.map((s) => ({ shopId: s.id, name: s.name }));
		appointments = Object.fromEntries(
			fixtures.shops.map((s) => [s.id, [...new Set(Object.values(s.appointments || {}))]]),
		);
	}
	admin = await startSesamiAdmin({
		port: opts.port,
		host: opts.host,
		shops,
		appointments,
		consent: opts.consent,
		apiUpstream: opts.sesamiSim,
		variants: process.env.SESAMI_ADMIN_SIM_VARIANTS || undefined,
		apps: [
			{
				appId: opts.appId,
				clientId: opts.clientId,
				clientSecret: opts.clientSecret,
				name: opts.name,
				appUrl: opts.appUrl,
				redirectUris: opts.redirectUris,
				webhookUrl: opts.webhookUrl,
			},
		],
	});
} catch (e) {
	process.stderr.write(`sesami admin simulator: ${e.message}\n`);
	process.exit(1);
}

const state = admin.state();
process.stdout.write(
	JSON.stringify({
		url: admin.url,
		apiUrl: admin.apiUrl,
		apps: state.apps.map((a) => ({ appId: a.appId, clientId: a.clientId })),
		admin: state.shops.map((s) => admin.adminUrl(s.shopId)),
	}) + '\n',
);
for (const sig of ['SIGINT', 'SIGTERM'])
	process.on(sig, () => admin.close().then(() => process.exit(0)));
