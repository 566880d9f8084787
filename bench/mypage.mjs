#!/usr/bin/env node
// My Page list latency in small and big shops, through ONE real n8n (2.41.1 on Node 24, SQLite,
// regular mode, started through the e2e harness with the package linked) running the imported
// workflows/sesami-my-page-backend.json (W4) in front of the Sesami simulator (in this process).
// `npm run build` first.
//
// Setup per shop size (100, 1,000, 10,000 upcoming appointments, in the simulator's shop 0, booked
// "before the install": POST /__sim/appointments/bulk): 10 measured customers own 3 appointments
// each, the LATEST of the shop (the walk's worst case); the rest belong to 20 filler customers.
// The stored links index is filled through n8n's public API in bulk (POST /data-tables/{id}/rows,
// the columns workflows/sesami-stored-links-backfill.json writes, and its index-complete mark):
// the backfill workflow itself is measured by test/e2e/my-page-big-shop.test.mjs.
// Every Sesami API call is answered after an 80 ms delay (the simulator's 'slow' fault on every
// call: a realistic round trip to api.sesami.co).
//
// Measured: signed App Proxy list requests (as bench/webhook.mjs's mypage pair signs them), at 1 and
// 10 concurrent customers: latency p50 / p99 (ms), Sesami calls per list (counted at the
// simulator), `complete` (every answer lists exactly the customer's appointments). Then the old
// walk for comparison (the index mark removed: W4 walks, Max Pages 10).
// Prints a table, then one JSON line:
// {"upcoming":{"100":{"p50_ms","p99_ms","calls_per_list","complete",...},"1000":{...},"10000":{...}},"walk":{...}}
// (p50_ms / p99_ms / calls_per_list at the top of a size are the 10-customer figures; per
// concurrency under "c1" / "c10").
// Goals: calls_per_list <= 2 and complete at every size; p50 at 10,000 within 1.2x of p50 at 100.
//
// Env: BENCH_SIZES (100,1000,10000), BENCH_DELAY_MS (80), BENCH_REQUESTS (60 per concurrency),
//      BENCH_WALK=0 (skip the walk rows).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startN8n } from '../test/e2e/lib/n8n.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'dist/nodes/Sesami/Sesami.node.js'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const shopify = require(path.join(root, 'test/helpers/shopify.js'));
const { startSesamiSimulator } = require(path.join(root, 'test/sim/sesami/index.js'));

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 80);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const WALK = process.env.BENCH_WALK !== '0';
const CONCURRENCY = [1, 10];
const MEASURED = 10;
const PER_CUSTOMER = 3;
const FILLERS = 20;
const LINKS_TABLE = 'Sesami appointment links';
const SHOP_DOMAIN = 'bench-shop.myshopify.com';
const CLIENT_SECRET = crypto.randomBytes(24).toString('hex');
const log = (m) => console.error(`[bench] ${m}`);
const t0 = Date.now();

const sim = await startSesamiSimulator({ port: 0, appointments: 0, otherAppointments: 0 });
const shop = sim.fixtures.shops[0];
const customers = Array.from(
	{ length: MEASURED },
	(_, i) => `79000000000${String(i).padStart(2, '0')}`,
);
const fillers = Array.from(
	{ length: FILLERS },
	(_, i) => `78000000000${String(i).padStart(2, '0')}`,
);

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
		id: 'shopifyAppSbx001',
		name: 'Shopify app (My Page)',
		type: 'shopifyAppApi',
		data: { shopDomains: SHOP_DOMAIN, clientId: 'bench-client-id', clientSecret: CLIENT_SECRET },
	},
];

log('starting n8n with the package linked (harness: test/e2e/lib/n8n.mjs)');
const n8n = await startN8n({
	packageDir: root,
	credentials,
	workflowFiles: [path.join(root, 'workflows/sesami-my-page-backend.json')],
	setupWorkflow: path.join(root, 'workflows/setup-data-tables.json'),
	publish: true,
	log,
	apiKeyLabel: 'bench-mypage',
});

const quantile = (values, q) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};
const round1 = (x) => Math.round(x * 10) / 10;

async function tableId() {
	const r = await n8n.api.get('/data-tables', { params: { limit: 250 } });
	const hit = (r.data?.data ?? []).find((t) => t.name === LINKS_TABLE);
	if (!hit) throw new Error(`no Data Table "${LINKS_TABLE}"`);
	return hit.id;
}

async function clearTable(id) {
	const filter = encodeURIComponent(
		JSON.stringify({
			type: 'and',
			filters: [{ columnName: 'shopId', condition: 'eq', value: shop.id }],
		}),
	);
	const r = await n8n.api.delete(`/data-tables/${id}/rows/delete?filter=${filter}`, {
		validateStatus: () => true,
	});
	if (r.status !== 200) throw new Error(`DELETE rows: HTTP ${r.status} ${JSON.stringify(r.data)}`);
}

async function insertRows(id, rows) {
	for (let at = 0; at < rows.length; at += 1000) {
		const r = await n8n.api.post(
			`/data-tables/${id}/rows`,
			{ data: rows.slice(at, at + 1000), returnType: 'count' },
			{ validateStatus: () => true },
		);
		if (r.status !== 200) throw new Error(`POST rows: HTTP ${r.status} ${JSON.stringify(r.data)}`);
	}
}

/** A shop with `size` upcoming appointments; the measured customers' are the latest. */
async function seedShop(size, previous) {
	if (previous.length)
		await fetch(`${sim.url}/__sim/appointments/bulk`, {
			method: 'DELETE',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ids: previous }),
		});
	const start = Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000;
	const fillerCount = size - MEASURED * PER_CUSTOMER;
	const owners = [
		...Array.from({ length: fillerCount }, (_, i) => fillers[i % FILLERS]),
		...Array.from({ length: MEASURED * PER_CUSTOMER }, (_, i) => customers[i % MEASURED]),
	];
	const appointments = owners.map((externalId, i) => ({
		serviceId: shop.services.standard,
		resourceId: shop.resourceIds[0],
		datetime: new Date(start + i * 15 * 60_000).toISOString(),
		customer: { firstName: 'Bench', lastName: externalId.slice(-2), externalId },
	}));
	const r = await fetch(`${sim.url}/__sim/appointments/bulk`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ shopId: shop.id, appointments }),
	});
	if (r.status !== 201) throw new Error(`POST /__sim/appointments/bulk: HTTP ${r.status}`);
	const { ids } = await r.json();
	const expected = new Map(customers.map((c) => [c, []]));
	ids.forEach((id, i) => expected.get(owners[i])?.push(id));
	for (const list of expected.values()) list.sort();
	const rows = ids.map((appointmentId, i) => ({
		appointmentId,
		shopId: shop.id,
		customerId: owners[i],
		status: 'BOOKED',
		cancelled: false,
		startUtc: appointments[i].datetime,
		lastEvent: 'BACKFILL',
		storedAt: new Date().toISOString(),
	}));
	return { ids, rows, expected };
}

const markRow = () => ({
	appointmentId: `index-complete:${shop.id}`,
	shopId: shop.id,
	status: 'INDEX_COMPLETE',
	lastEvent: 'INDEX_COMPLETE',
	storedAt: new Date().toISOString(),
});

const wf = n8n.workflows.find((w) => w.file.endsWith('sesami-my-page-backend.json'));
const hookUrl = new URL(wf.webhookUrls.find((h) => h.url).url);

/** One signed App Proxy list request: latency and the listed ids. */
async function listOnce(customerId) {
	const query = shopify.signAppProxyQuery(
		shopify.proxyPairs({ shop: SHOP_DOMAIN, customerId, extra: [['op', 'list']] }),
		CLIENT_SECRET,
	);
	const started = performance.now();
	const r = await fetch(`${hookUrl.origin}${hookUrl.pathname}?${query}`, {
		headers: { accept: 'application/json' },
	});
	const body = await r.text();
	const ms = performance.now() - started;
	if (r.status !== 200)
		throw new Error(`list as ${customerId}: HTTP ${r.status} ${body.slice(0, 200)}`);
	return { ms, ids: (JSON.parse(body).appointments ?? []).map((a) => a.id).sort() };
}

/** `total` lists at `concurrency`, customers in turn: p50, p99, calls per list, complete. */
async function measure(expected, concurrency, total) {
	sim.clearExchanges();
	const latencies = [];
	let complete = true;
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < total) {
				const customerId = customers[next++ % MEASURED];
				const { ms, ids } = await listOnce(customerId);
				latencies.push(ms);
				if (JSON.stringify(ids) !== JSON.stringify(expected.get(customerId))) complete = false;
			}
		}),
	);
	return {
		p50_ms: round1(quantile(latencies, 0.5)),
		p99_ms: round1(quantile(latencies, 0.99)),
		calls_per_list: round1(sim.exchanges.length / total),
		complete,
		requests: total,
	};
}

const upcoming = {};
const walk = {};
const table = [];
let previous = [];
try {
	const id = await tableId();
	for (const size of SIZES) {
		sim.clearFaults();
		const seedStart = Date.now();
		const { ids, rows, expected } = await seedShop(size, previous);
		previous = ids;
		await clearTable(id);
		const fillStart = Date.now();
		await insertRows(id, [...rows, markRow()]);
		log(
			`${size}: shop seeded in ${fillStart - seedStart} ms, index filled (${rows.length} rows, API bulk) in ${Date.now() - fillStart} ms`,
		);
		sim.setFaults({ mode: 'slow', count: -1, delayMs: DELAY_MS });
		await measure(expected, 2, 4); // warm-up
		const figures = {};
		for (const c of CONCURRENCY) {
			figures[`c${c}`] = await measure(expected, c, c === 1 ? Math.ceil(REQUESTS / 2) : REQUESTS);
			table.push({ path: 'index', upcoming: size, concurrent: c, ...figures[`c${c}`] });
			log(`${size} index c${c}: ${JSON.stringify(figures[`c${c}`])}`);
		}
		upcoming[size] = {
			p50_ms: figures.c10.p50_ms,
			p99_ms: figures.c10.p99_ms,
			calls_per_list: Math.max(figures.c1.calls_per_list, figures.c10.calls_per_list),
			complete: figures.c1.complete && figures.c10.complete,
			...figures,
		};
		if (WALK) {
			// the old path: no index mark, so W4 walks the shop (Max Pages 10 x 100)
			const mark = encodeURIComponent(
				JSON.stringify({
					type: 'and',
					filters: [{ columnName: 'lastEvent', condition: 'eq', value: 'INDEX_COMPLETE' }],
				}),
			);
			await n8n.api.delete(`/data-tables/${id}/rows/delete?filter=${mark}`);
			walk[size] = await measure(expected, 1, 6);
			table.push({ path: 'walk', upcoming: size, concurrent: 1, ...walk[size] });
			log(`${size} walk c1: ${JSON.stringify(walk[size])}`);
		}
	}
} finally {
	await n8n.stop();
	await sim.close();
}

console.log(
	`My Page list: n8n ${n8n.version} (Node 24, SQLite, regular mode) running workflows/sesami-my-page-backend.json; Sesami simulator answering every call after ${DELAY_MS} ms; measured customers own ${PER_CUSTOMER} appointments each, the latest of the shop; index filled through the Data Table API in bulk; ${os.cpus().length} cores, Node ${process.version} (bench), ${Math.round((Date.now() - t0) / 1000)} s in all`,
);
console.table(table);
const small = upcoming[SIZES[0]];
const big = upcoming[SIZES[SIZES.length - 1]];
console.log(
	`Goals: calls_per_list <= 2 and complete at every size; p50 at ${SIZES[SIZES.length - 1]} within 1.2x of p50 at ${SIZES[0]} (measured ${small && big ? round1(big.p50_ms / small.p50_ms) : '?'}x at 10 concurrent, ${small && big ? round1(big.c1.p50_ms / small.c1.p50_ms) : '?'}x at 1)`,
);
console.log(JSON.stringify({ upcoming, walk, delay_ms: DELAY_MS }));
