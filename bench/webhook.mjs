#!/usr/bin/env node
// Webhook throughput of the package's triggers against n8n's own Webhook node, on ONE real n8n
// (2.41.1 on Node 24, SQLite, regular mode, started through the e2e harness with the package
// linked as a community package). `npm run build` first.
//
// Pairs (each trigger and its Webhook-node twin get byte-identical requests):
//   sesami  Sesami Trigger (Manual registration, secret header from a credential, no Fetch Full
//           Appointment) -> No Operation   vs   Webhook (POST, respond immediately) -> No Operation;
//           body: a Flow body rendered by the Sesami simulator (test/fixtures/flow-renderings.json,
//           the package's canonical template), with ?event=APPOINTMENT_CREATED and the secret header
//   imin    imin Trigger (X-Api-Key) -> No Operation   vs   Webhook (POST, immediately) -> No Operation;
//           body: a Checkout Success Order
//   mypage  My Page Trigger (App Proxy signature) -> Respond to Webhook   vs   Webhook (GET, "using
//           Respond to Webhook node") -> Respond to Webhook; each request signed afresh (autocannon
//           setupRequest), so the 90 s timestamp window never matters
// The sesami and imin pairs have a third side: the Webhook node with Header Auth on the same header
// (an n8n "Header Auth" credential), which reads a credential per request as the triggers do
// ("webhook_auth_rps", "ratio_vs_auth", "p99_ratio_vs_auth" in the JSON).
//
// Method: autocannon with a fixed number of connections; per run a warm-up (discarded) then a
// measured window; rounds alternate the order (A B, B A, A B, ...). Between runs the script waits
// until n8n has no running executions, so one side's backlog never runs during the other's window.
// Per side: req/s = all 2xx responses of the measured windows / (their total duration + the time n8n
// then took to finish the executions they started: a sustained rate, since a trigger that answers
// before its workflow has run could otherwise pile up a backlog that no window counts); p99 = median
// of the rounds' p99 (windows with no answer left out; a warning when a window holds < 100
// answers, and "min_window_requests" in the JSON). Any non-2xx answer or socket error fails the benchmark.
//
// Env: BENCH_CONNECTIONS (10), BENCH_WARMUP_S (3), BENCH_DURATION_S (15), BENCH_ROUNDS (2),
//      BENCH_PAIRS (sesami,imin,mypage), BENCH_UNIQUE=1 (a new appointment / order ID per request),
//      BENCH_CPU_PROF=<dir> (n8n writes V8 CPU profiles there on exit),
//      BENCH_ISOLATE_SKIP=0 (both sides on the same footing: see below),
//      BENCH_TRIGGER_VERSION=1 (every trigger at version 1, as saved workflows have them; by default
//      each trigger's default version: imin and My Page 2, Sesami 1).
//
// n8n 2.41 lends an expression isolate to every webhook request before the trigger runs, except
// when the start node is its own Webhook node (version 2+, static parameters): live-webhooks.js
// `webhookPhaseNeedsIsolate`. No community trigger can take that shortcut. With the default
// (BENCH_ISOLATE_SKIP unset) the figures compare against n8n's shortcut; with BENCH_ISOLATE_SKIP=0
// n8n runs with N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false, so the Webhook node pays
// the same isolate as the triggers and the ratio shows what the package itself costs.
// Prints tables, then one JSON line (Sesami pair at the top level, every pair under "rows"):
// {"trigger_rps","webhook_rps","ratio","trigger_p99_ms","webhook_p99_ms","p99_ratio","rows":{...}}
// Goals: ratio >= 0.95, p99_ratio <= 1.1.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startN8n } from '../test/e2e/lib/n8n.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'dist/nodes/Sesami/SesamiTrigger/SesamiTrigger.node.js'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const shopify = require(path.join(root, 'test/helpers/shopify.js'));
const corpus = require(path.join(root, 'test/fixtures/flow-renderings.json'));

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PAIRS = (process.env.BENCH_PAIRS ?? 'sesami,imin,mypage')
	.split(',')
	.map((s) => s.trim())
	.filter(Boolean);
const UNIQUE = process.env.BENCH_UNIQUE === '1';
/**
 * The trigger node versions benchmarked: each trigger's default version (imin and My Page 2: n8n
 * parses the body; Sesami 1: raw body), or BENCH_TRIGGER_VERSION=1 for every trigger's version 1
 * (what saved workflows use, for comparison).
 */
const V1_ONLY = process.env.BENCH_TRIGGER_VERSION === '1';
const TRIGGER_VERSIONS = V1_ONLY
	? { sesami: 1, imin: 1, mypage: 1 }
	: { sesami: 1, imin: 2, mypage: 2 };
/** Fewer answers than this in one measured window and its p99 means little: the script warns. */
const MIN_REQUESTS = 100;
const log = (m) => console.error(`[bench] ${m}`);

// ---------------------------------------------------------------------------------------------
// Inputs

const FLOW_SECRET = crypto.randomBytes(24).toString('hex');
const IMIN_KEY = crypto.randomBytes(24).toString('hex');
const SHOP = 'bench-shop.myshopify.com';
const CLIENT_ID = 'bench-client-id';
const CLIENT_SECRET = crypto.randomBytes(24).toString('hex');
const CUSTOMER_ID = '7986735013289';

const flowFixture = corpus.find((entry) => entry.name.startsWith('canonical:') && entry.expect.ok);
const FLOW_BODY = flowFixture.body;
const FLOW_EVENT = flowFixture.trigger;
const APPOINTMENT_ID = JSON.parse(FLOW_BODY).appointmentId;

/** A Checkout Success webhook as imin sends it (the Booking Platform Order; cf. test/sim/imin/checkout.js). */
const IMIN_ORDER = JSON.stringify({
	'@context': ['https://openactive.io/', 'https://openactive.io/ns-beta'],
	type: 'Order',
	id: 'https://book.imin.co/api/v2/orders/9f0c2a7e-4b1d-4e55-9b1e-2f6d0c1a7e01',
	identifier: '9f0c2a7e-4b1d-4e55-9b1e-2f6d0c1a7e01',
	orderDate: '2026-11-23T10:00:00Z',
	confirmationNumber: 'IMN-4821',
	seller: {
		type: 'Organization',
		id: 'https://opendata.example.org/organisers/1',
		name: 'Riverside Leisure',
	},
	customer: {
		type: 'Person',
		identifier: 'cust-1042',
		email: 'ada.lovelace@example.com',
		givenName: 'Ada',
		familyName: 'Lovelace',
		telephone: '+447700900123',
	},
	orderedItem: [
		{
			type: 'OrderItem',
			id: 'https://book.imin.co/api/v2/orders/9f0c2a7e-4b1d-4e55-9b1e-2f6d0c1a7e01#/orderedItems/1',
			orderItemStatus: 'https://openactive.io/OrderItemConfirmed',
			orderedItem: {
				type: 'ScheduledSession',
				id: 'https://opendata.example.org/scheduled-sessions/3321',
				identifier: '3321',
				startDate: '2026-12-10T18:00:00Z',
				endDate: '2026-12-10T19:00:00Z',
				superEvent: {
					type: 'SessionSeries',
					id: 'https://opendata.example.org/session-series/88',
					name: 'Club Night Badminton',
				},
			},
			acceptedOffer: {
				type: 'Offer',
				id: 'https://opendata.example.org/session-series/88#/offers/adult',
				price: 8.5,
				priceCurrency: 'GBP',
			},
			attendee: { type: 'Person', givenName: 'Ada', familyName: 'Lovelace' },
		},
	],
	totalPaymentDue: { type: 'PriceSpecification', price: 8.5, priceCurrency: 'GBP' },
});
const IMIN_ORDER_ID = JSON.parse(IMIN_ORDER).identifier;

let counter = 0;
/** The same body with a new appointment / order ID per request (BENCH_UNIQUE=1). */
const uniqueBody = (body, id) =>
	body.split(id).join(`${id.slice(0, -8)}${(++counter).toString(16).padStart(8, '0')}`);

// ---------------------------------------------------------------------------------------------
// Workflows

const TYPE = 'n8n-nodes-sesami-imin';
const uuid = () => crypto.randomUUID();
function workflow(id, name, trigger, next) {
	const triggerNode = {
		id: uuid(),
		name: trigger.name,
		position: [0, 0],
		webhookId: uuid(),
		...trigger,
	};
	const nextNode = { id: uuid(), position: [220, 0], parameters: {}, ...next };
	return {
		id,
		name,
		nodes: [triggerNode, nextNode],
		connections: {
			[triggerNode.name]: { main: [[{ node: nextNode.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}
const noOp = { name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1 };
const respond = {
	name: 'Respond',
	type: 'n8n-nodes-base.respondToWebhook',
	typeVersion: 1,
	parameters: { respondWith: 'text', responseBody: 'ok', options: {} },
};
const webhookNode = (pathName, httpMethod, responseMode) => ({
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	parameters: { httpMethod, path: pathName, responseMode, options: {} },
});
/** The Webhook node checking a header against an n8n "Header Auth" credential (reads a credential per request, as the triggers do). */
const webhookHeaderAuthNode = (pathName, credentialId) => ({
	...webhookNode(pathName, 'POST', 'onReceived'),
	parameters: {
		httpMethod: 'POST',
		path: pathName,
		responseMode: 'onReceived',
		authentication: 'headerAuth',
		options: {},
	},
	credentials: { httpHeaderAuth: { id: credentialId, name: `bench header auth ${credentialId}` } },
});

const PAIR_DEFS = {
	sesami: {
		label: 'Sesami Trigger (Manual, secret header) vs Webhook node',
		trigger: workflow(
			'benchSesamiTrig1',
			'bench: Sesami Trigger -> No-op',
			{
				name: 'Sesami Trigger',
				type: `${TYPE}.sesamiTrigger`,
				typeVersion: TRIGGER_VERSIONS.sesami,
				parameters: {
					events: ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED', 'APPOINTMENT_CANCELLED'],
					registration: 'manual',
					settings: {},
				},
				credentials: {
					sesamiFlowsWebhookApi: { id: 'benchFlowSecret1', name: 'bench Flows secret' },
				},
			},
			noOp,
		),
		webhook: workflow(
			'benchSesamiHook1',
			'bench: Webhook (Flows body) -> No-op',
			webhookNode('bench-flows', 'POST', 'onReceived'),
			noOp,
		),
		webhookAuth: workflow(
			'benchSesamiAuth1',
			'bench: Webhook + Header Auth (Flows body) -> No-op',
			webhookHeaderAuthNode('bench-flows-auth', 'benchHeaderAuth1'),
			noOp,
		),
		request: (url) => ({
			url: `${url}?event=${FLOW_EVENT}`,
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-sesami-flow-secret': FLOW_SECRET,
				'user-agent': 'Sesami-Flows',
			},
			body: FLOW_BODY,
			setup: UNIQUE
				? (req) => ({ ...req, body: uniqueBody(FLOW_BODY, APPOINTMENT_ID) })
				: undefined,
		}),
		expect: 200,
	},
	imin: {
		label: 'imin Trigger (X-Api-Key) vs Webhook node',
		trigger: workflow(
			'benchIminTrig001',
			'bench: imin Trigger -> No-op',
			{
				name: 'imin Trigger',
				type: `${TYPE}.iminTrigger`,
				typeVersion: TRIGGER_VERSIONS.imin,
				parameters: { events: ['checkoutSuccess'], settings: {} },
				credentials: { iminWebhookApi: { id: 'benchIminKey0001', name: 'bench imin key' } },
			},
			noOp,
		),
		webhook: workflow(
			'benchIminHook001',
			'bench: Webhook (imin body) -> No-op',
			webhookNode('bench-imin', 'POST', 'onReceived'),
			noOp,
		),
		webhookAuth: workflow(
			'benchIminAuth001',
			'bench: Webhook + Header Auth (imin body) -> No-op',
			webhookHeaderAuthNode('bench-imin-auth', 'benchHeaderAuth2'),
			noOp,
		),
		request: (url) => ({
			url,
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': IMIN_KEY },
			body: IMIN_ORDER,
			setup: UNIQUE
				? (req) => ({ ...req, body: uniqueBody(IMIN_ORDER, IMIN_ORDER_ID) })
				: undefined,
		}),
		expect: [200, 204],
	},
	mypage: {
		label: 'My Page Trigger (App Proxy signature) vs Webhook node, both -> Respond to Webhook',
		trigger: workflow(
			'benchMyPageTrig1',
			'bench: My Page Trigger -> Respond',
			{
				name: 'My Page Trigger',
				type: `${TYPE}.sesamiMyPageTrigger`,
				typeVersion: TRIGGER_VERSIONS.mypage,
				parameters: { verification: 'appProxy', settings: {} },
				credentials: { shopifyAppApi: { id: 'benchShopifyApp1', name: 'bench Shopify app' } },
			},
			respond,
		),
		webhook: workflow(
			'benchMyPageHook1',
			'bench: Webhook (GET) -> Respond',
			webhookNode('bench-my-page', 'GET', 'responseNode'),
			respond,
		),
		request: (url) => {
			const target = new URL(url);
			const sign = () =>
				`${target.pathname}?${shopify.signAppProxyQuery(shopify.proxyPairs({ shop: SHOP, customerId: CUSTOMER_ID, extra: [['op', 'list']] }), CLIENT_SECRET)}`;
			return {
				url,
				method: 'GET',
				headers: { accept: 'application/json' },
				path: sign(),
				setup: (req) => ({ ...req, path: sign() }),
			};
		},
		expect: 200,
	},
};
for (const name of PAIRS)
	if (!PAIR_DEFS[name])
		throw new Error(`unknown pair ${name} (use ${Object.keys(PAIR_DEFS).join(', ')})`);

const credentials = [
	{
		id: 'benchFlowSecret1',
		name: 'bench Flows secret',
		type: 'sesamiFlowsWebhookApi',
		data: { headerName: 'x-sesami-flow-secret', secret: FLOW_SECRET },
	},
	{
		id: 'benchIminKey0001',
		name: 'bench imin key',
		type: 'iminWebhookApi',
		data: { apiKey: IMIN_KEY },
	},
	{
		id: 'benchShopifyApp1',
		name: 'bench Shopify app',
		type: 'shopifyAppApi',
		data: { shopDomains: SHOP, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
	},
	{
		id: 'benchHeaderAuth1',
		name: 'bench header auth benchHeaderAuth1',
		type: 'httpHeaderAuth',
		data: { name: 'x-sesami-flow-secret', value: FLOW_SECRET },
	},
	{
		id: 'benchHeaderAuth2',
		name: 'bench header auth benchHeaderAuth2',
		type: 'httpHeaderAuth',
		data: { name: 'x-api-key', value: IMIN_KEY },
	},
];

// ---------------------------------------------------------------------------------------------
// Load

/** One autocannon run against one side; resolves autocannon's result. */
function cannon(spec, seconds) {
	const { url, method, headers, body, path: firstPath, setup } = spec;
	return autocannon({
		url,
		connections: CONNECTIONS,
		duration: seconds,
		method,
		headers,
		body,
		...(firstPath || setup
			? {
					requests: [
						{
							method,
							headers,
							body,
							...(firstPath ? { path: firstPath } : {}),
							...(setup ? { setupRequest: setup } : {}),
						},
					],
				}
			: {}),
		timeout: 30,
	});
}

/** Waits until n8n runs no execution (so one side's backlog does not fall into the other's window). */
async function drain(n8n, { timeoutMs = 120_000 } = {}) {
	const t0 = Date.now();
	for (;;) {
		let busy = 0;
		for (const status of ['new', 'running']) {
			const r = await n8n.api.get('/executions', {
				params: { status, limit: 1 },
				validateStatus: () => true,
			});
			if (r.status !== 200)
				throw new Error(`GET /api/v1/executions?status=${status}: HTTP ${r.status}`);
			busy += r.data?.data?.length ?? 0;
		}
		if (!busy) return Date.now() - t0;
		if (Date.now() - t0 > timeoutMs)
			throw new Error(`n8n still runs executions ${timeoutMs / 1000} s after the load stopped`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** One request with fetch, to check the answer before loading an endpoint. */
async function probe(spec) {
	const request = spec.setup ? spec.setup({ path: spec.path, body: spec.body }) : spec;
	const target = request.path ? new URL(request.path, spec.url) : new URL(spec.url);
	const r = await fetch(target, { method: spec.method, headers: spec.headers, body: request.body });
	return { status: r.status, text: (await r.text()).slice(0, 300) };
}

const median = (values) => {
	if (!values.length) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round2 = (x) => Math.round(x * 100) / 100;
const round3 = (x) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// Run

const workflowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-webhook-wf-'));
process.on('exit', () => fs.rmSync(workflowsDir, { recursive: true, force: true }));
for (const name of PAIRS) {
	for (const side of ['trigger', 'webhook', 'webhookAuth']) {
		const wf = PAIR_DEFS[name][side];
		if (!wf) continue;
		fs.writeFileSync(path.join(workflowsDir, `${wf.id}.json`), JSON.stringify(wf));
	}
}

const t0 = Date.now();
log('starting n8n with the package linked (harness: test/e2e/lib/n8n.mjs)');
// BENCH_CPU_PROF=<dir>: n8n's processes write V8 CPU profiles there when they exit (for profiling).
const profEnv = process.env.BENCH_CPU_PROF
	? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}` }
	: {};
const ISOLATE_SKIP = process.env.BENCH_ISOLATE_SKIP !== '0';
const isolateEnv = ISOLATE_SKIP
	? {}
	: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' };
const n8n = await startN8n({
	packageDir: root,
	credentials,
	workflowsDir,
	log,
	apiKeyLabel: 'bench',
	env: { ...profEnv, ...isolateEnv },
});
const results = {};
const runsTable = [];
try {
	const urlOf = (id) => {
		const wf = n8n.workflows.find((w) => w.id === id);
		const hook = wf?.webhookUrls.find((h) => h.url);
		if (!wf?.active || !hook) throw new Error(`workflow ${id} is not published with a webhook URL`);
		return hook.url;
	};
	for (const name of PAIRS) {
		const def = PAIR_DEFS[name];
		const sides = {
			trigger: def.request(urlOf(def.trigger.id)),
			webhook: def.request(urlOf(def.webhook.id)),
		};
		if (def.webhookAuth) sides.webhookAuth = def.request(urlOf(def.webhookAuth.id));
		for (const [side, spec] of Object.entries(sides)) {
			const r = await probe(spec);
			const ok =
				[].concat(def.expect).includes(r.status) || (side !== 'trigger' && r.status === 200);
			if (!ok) throw new Error(`${name}/${side}: a single request got HTTP ${r.status} ${r.text}`);
			log(
				`${name}/${side}: ${spec.method} ${spec.url} -> ${r.status} ${r.text.replace(/\s+/g, ' ').slice(0, 80)}`,
			);
		}
		await drain(n8n);
		const measured = Object.fromEntries(Object.keys(sides).map((side) => [side, []]));
		for (let round = 1; round <= ROUNDS; round++) {
			const order = round % 2 ? Object.keys(sides) : Object.keys(sides).reverse();
			for (const side of order) {
				if (WARMUP_S > 0) {
					await cannon(sides[side], WARMUP_S);
					await drain(n8n);
				}
				const result = await cannon(sides[side], DURATION_S);
				const drainMs = await drain(n8n);
				const bad = result.non2xx + result.errors + result.timeouts;
				if (bad)
					throw new Error(
						`${name}/${side} round ${round}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
					);
				const ok2xx = result['2xx'];
				// Sustained rate: the window plus the time n8n then needed to finish the executions the
				// window started (an answer sent before the workflow ran is not yet work done).
				const seconds = result.duration + drainMs / 1000;
				measured[side].push({
					count: ok2xx,
					seconds,
					p99: result.latency.p99,
					p50: result.latency.p50,
				});
				runsTable.push({
					pair: name,
					round,
					side,
					'req/s': Math.round(ok2xx / seconds),
					'p50 ms': result.latency.p50,
					'p99 ms': result.latency.p99,
					'max ms': result.latency.max,
					requests: ok2xx,
					'drain s': round2(drainMs / 1000),
				});
				log(
					`${name} round ${round} ${side}: ${Math.round(ok2xx / seconds)} req/s, p99 ${result.latency.p99} ms (drained in ${(drainMs / 1000).toFixed(1)} s)`,
				);
			}
		}
		const rps = (side) =>
			measured[side].reduce((a, r) => a + r.count, 0) /
			measured[side].reduce((a, r) => a + r.seconds, 0);
		// A window without a single answer has no p99 (autocannon reports 0): leave it out.
		const p99 = (side) =>
			median(measured[side].filter((r) => r.count > 0).map((r) => r.p99)) ?? null;
		const fewest = Math.min(
			...Object.values(measured)
				.flat()
				.map((r) => r.count),
		);
		if (fewest < MIN_REQUESTS)
			log(
				`${name}: a measured window holds only ${fewest} answers (< ${MIN_REQUESTS}): its p99 and ratio are noise (machine too busy, or windows too short)`,
			);
		const triggerRps = rps('trigger');
		const webhookRps = rps('webhook');
		results[name] = {
			trigger_version: TRIGGER_VERSIONS[name],
			trigger_rps: Math.round(triggerRps),
			webhook_rps: Math.round(webhookRps),
			ratio: round3(triggerRps / webhookRps),
			trigger_p99_ms: p99('trigger'),
			webhook_p99_ms: p99('webhook'),
			p99_ratio: p99('trigger') && p99('webhook') ? round3(p99('trigger') / p99('webhook')) : null,
			min_window_requests: fewest,
		};
		if (sides.webhookAuth) {
			// Third side: n8n's Webhook node with Header Auth (a credential read per request, as in the triggers).
			const authRps = rps('webhookAuth');
			Object.assign(results[name], {
				webhook_auth_rps: Math.round(authRps),
				ratio_vs_auth: round3(triggerRps / authRps),
				webhook_auth_p99_ms: p99('webhookAuth'),
				p99_ratio_vs_auth:
					p99('trigger') && p99('webhookAuth') ? round3(p99('trigger') / p99('webhookAuth')) : null,
			});
		}
	}
} finally {
	await n8n.stop();
}

console.log(
	`Webhook throughput: n8n ${n8n.version} (Node 24, SQLite, regular mode), ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s measured per run, ${ROUNDS} alternating rounds${
		UNIQUE ? ', a new ID per request' : ''
	}; trigger versions ${PAIRS.map((name) => `${name} v${TRIGGER_VERSIONS[name]}`).join(', ')}; Webhook node ${ISOLATE_SKIP ? "with n8n's isolate shortcut (default)" : 'without the isolate shortcut (same footing)'}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os
		.loadavg()
		.map((x) => x.toFixed(1))
		.join(' ')}; ${Math.round((Date.now() - t0) / 1000)} s in all`,
);
console.table(runsTable);
console.table(
	PAIRS.map((name) => ({
		pair: PAIR_DEFS[name].label,
		'trigger req/s': results[name].trigger_rps,
		'webhook req/s': results[name].webhook_rps,
		ratio: results[name].ratio,
		'trigger p99 ms': results[name].trigger_p99_ms,
		'webhook p99 ms': results[name].webhook_p99_ms,
		'p99 ratio': results[name].p99_ratio,
		'webhook + Header Auth req/s': results[name].webhook_auth_rps ?? '–',
		'ratio vs Header Auth': results[name].ratio_vs_auth ?? '–',
		'p99 ratio vs Header Auth': results[name].p99_ratio_vs_auth ?? '–',
		'trigger version': results[name].trigger_version,
	})),
);
console.log('Goals: ratio >= 0.95, p99 ratio <= 1.1');
for (const name of PAIRS)
	if (results[name].min_window_requests < MIN_REQUESTS)
		console.log(
			`Warning: ${name}: a measured window holds only ${results[name].min_window_requests} answers; the figures are noise.`,
		);
console.log(
	JSON.stringify({ ...(results.sesami ?? {}), webhook_isolate_skip: ISOLATE_SKIP, rows: results }),
);
