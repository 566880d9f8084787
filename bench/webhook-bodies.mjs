#!/usr/bin/env node
// What a real n8n does with the body of a version-1 and a version-2 imin Trigger (issue 15): the
// answer to the same requests (well-formed JSON; broken JSON, broken gzip and an unknown encoding
// sent as application/json; a non-JSON body sent as text/plain and as application/octet-stream),
// and whether the trigger emitted the raw text. `npm run build` first; run under the n8n lock:
//   flock /tmp/n8n-run.lock node bench/webhook-bodies.mjs
//   N8N_SESAMI_N8N_VERSION=1.123.81 flock /tmp/n8n-run.lock node bench/webhook-bodies.mjs
// Prints a table, then one JSON line {"n8n": version, "cases": {name: {"v1": ..., "v2": ...}}}.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startN8n } from '../test/e2e/lib/n8n.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = crypto.randomBytes(24).toString('hex');
const log = (m) => console.error(`[bodies] ${m}`);

const workflowFor = (version) => ({
	id: `benchBodiesV${version}0000`.slice(0, 16),
	name: `bodies: imin Trigger v${version}`,
	nodes: [
		{
			id: crypto.randomUUID(),
			name: 'imin Trigger',
			type: 'n8n-nodes-sesami-imin.iminTrigger',
			typeVersion: version,
			position: [0, 0],
			webhookId: crypto.randomUUID(),
			parameters: { events: ['checkoutSuccess'], settings: {} },
			credentials: { iminWebhookApi: { id: 'benchBodiesKey01', name: 'bodies key' } },
		},
		{
			id: crypto.randomUUID(),
			name: 'No Operation',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [220, 0],
			parameters: {},
		},
	],
	connections: { 'imin Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	active: false,
});

const ORDER = JSON.stringify({ type: 'Order', identifier: 'bodies-1', orderedItem: [] });
const CASES = {
	'JSON (application/json)': { type: 'application/json', body: ORDER },
	'broken JSON (application/json)': { type: 'application/json', body: '{"type": "Order"' },
	'not JSON (text/plain)': { type: 'text/plain', body: 'type=Order; not json' },
	'not JSON (application/octet-stream)': { type: 'application/octet-stream', body: 'not json' },
	'broken gzip (application/json)': {
		type: 'application/json',
		body: zlib.gzipSync(ORDER).subarray(0, 12),
		encoding: 'gzip',
	},
	'unknown encoding br (application/json)': {
		type: 'application/json',
		body: ORDER,
		encoding: 'br',
	},
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bodies-wf-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
for (const version of [1, 2])
	fs.writeFileSync(path.join(dir, `v${version}.json`), JSON.stringify(workflowFor(version)));

const n8n = await startN8n({
	packageDir: root,
	credentials: [
		{ id: 'benchBodiesKey01', name: 'bodies key', type: 'iminWebhookApi', data: { apiKey: KEY } },
	],
	workflowsDir: dir,
	log,
	apiKeyLabel: 'bench bodies',
});
const results = {};
try {
	for (const version of [1, 2]) {
		const wf = n8n.workflows.find((w) => w.id === workflowFor(version).id);
		const url = wf?.webhookUrls.find((h) => h.url)?.url;
		if (!url) throw new Error(`v${version} is not published`);
		for (const [name, c] of Object.entries(CASES)) {
			const before = await executions(wf.id);
			const r = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': c.type,
					'x-api-key': KEY,
					...(c.encoding ? { 'content-encoding': c.encoding } : {}),
				},
				body: c.body,
			});
			const text = (await r.text()).replace(/\s+/g, ' ').slice(0, 90);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const emitted = (await executions(wf.id)) > before;
			results[name] ??= {};
			results[name][`v${version}`] = { status: r.status, emitted, answer: text };
		}
	}
} finally {
	await n8n.stop();
}

async function executions(workflowId) {
	const r = await n8n.api.get('/executions', { params: { workflowId, limit: 250 } });
	return r.data?.data?.length ?? 0;
}

console.log(`n8n ${n8n.version}: imin Trigger version 1 vs version 2, one request per case`);
console.table(
	Object.entries(results).map(([name, r]) => ({
		case: name,
		'v1 status': r.v1.status,
		'v1 emitted': r.v1.emitted,
		'v2 status': r.v2.status,
		'v2 emitted': r.v2.emitted,
		'v2 answer': r.v2.answer,
	})),
);
console.log(JSON.stringify({ n8n: n8n.version, cases: results }));
