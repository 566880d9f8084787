#!/usr/bin/env node
/**
 * Run the storefront simulator on its own, in front of a running n8n with sesami-my-page-backend.json published.
 *
 *   node test/sim/storefront/cli.mjs --app-proxy-url http://127.0.0.1:5678/webhook/<webhookId>/my-page \
 *        --client-secret <the "Shopify app (My Page)" credential's client secret> \
 *        [--sesami-sim http://127.0.0.1:4010] [--port 8030] [--host 127.0.0.1] [--shop-domain x.myshopify.com]
 *        [--prefix apps] [--subpath bookings]
 *
 * The two test customers (A = the Sesami simulator's shop 0 fixture customer, B = another customer
 * with upcoming appointments) and the shop domain come from the Sesami simulator's control API
 * (--sesami-sim). Prints exactly one JSON line on stdout: { url, shopDomain, pathPrefix, appProxyUrl,
 * customers: [{ id, email, name, password }] }. Stops on SIGINT / SIGTERM.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startStorefront, pickMyPageCustomers } = require('./index.js');

function parseArgs(argv) {
	const opts = {
		port: 8030,
		host: '127.0.0.1',
		sesamiSim: 'http://127.0.0.1:4010',
		prefix: 'apps',
		subpath: 'bookings',
	};
	const names = {
		'--port': 'port',
		'--host': 'host',
		'--app-proxy-url': 'appProxyUrl',
		'--client-secret': 'clientSecret',
		'--sesami-sim': 'sesamiSim',
		'--shop-domain': 'shopDomain',
		'--prefix': 'prefix',
		'--subpath': 'subpath',
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === '--help' || flag === '-h') {
			process.stderr.write(
				'usage: cli.mjs --app-proxy-url URL --client-secret SECRET [--sesami-sim URL] [--port 8030] [--host H] [--shop-domain D] [--prefix apps] [--subpath bookings]\n',
			);
			process.exit(0);
		}
		if (!names[flag]) throw new Error(`unknown argument ${argv[i]}`);
		opts[names[flag]] = inline !== undefined ? inline : argv[++i];
	}
	opts.port = Number(opts.port);
	if (!Number.isInteger(opts.port) || opts.port < 0) throw new Error('--port needs a port number');
	if (!opts.appProxyUrl)
		throw new Error(
			'--app-proxy-url is required (the production URL of the My Page Trigger of sesami-my-page-backend.json)',
		);
	if (!opts.clientSecret) throw new Error('--client-secret is required');
	return opts;
}

async function getJson(url) {
	const r = await fetch(url);
	if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
	return r.json();
}

let store;
try {
	const opts = parseArgs(process.argv.slice(2));
	const sim = opts.sesamiSim.replace(/\/+$/, '');
	const fixtures = await getJson(`${sim}/__sim/fixtures`);
	const appointments = await getJson(
		`${sim}/__sim/state/appointments?shopId=${encodeURIComponent(fixtures.shops[0].id)}`,
	);
	store = await startStorefront({
		port: opts.port,
		host: opts.host,
		shopDomain: opts.shopDomain || fixtures.shops[0].domain,
		shopName: fixtures.shops[0].name,
		appProxy: { prefix: opts.prefix, subpath: opts.subpath, url: opts.appProxyUrl },
		clientSecret: opts.clientSecret,
		customers: pickMyPageCustomers({ fixtures, appointments }),
	});
} catch (e) {
	process.stderr.write(`storefront simulator: ${e.message}\n`);
	process.exit(1);
}

process.stdout.write(
	JSON.stringify({
		url: store.url,
		shopDomain: store.shopDomain,
		pathPrefix: store.pathPrefix,
		appProxyUrl: store.appProxyUrl,
		customers: store.customers,
	}) + '\n',
);
for (const sig of ['SIGINT', 'SIGTERM'])
	process.on(sig, () => store.close().then(() => process.exit(0)));
