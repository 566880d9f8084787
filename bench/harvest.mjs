#!/usr/bin/env node
// Firehose harvesting speed and memory. Walks a 100,000-item local RPDE feed (the imin simulator's
// synthetic scheduled-sessions feed, pages of 500) through the package's Firehose code and, side
// by side in the same run, with a bare fetch + JSON.parse loop; rounds alternate. The package's
// walker is called through the unit tests' stand-in for n8n's request helper, once with fetch (the
// same HTTP client as the bare loop: the ratio measures the package's own cost) and once with
// axios (the client n8n itself uses; shown for reference). Then the walker's peak RSS for 10k and
// 100k items, collecting garbage every 10 pages (memory flat in feed length = what it keeps does
// not grow). Each walk runs in its own process. `npm run build` first.
// Prints tables, then one JSON line:
// {"items","node_items_per_s","bare_items_per_s","ratio","peak_rss_mb_10k","peak_rss_mb_100k"}
// Goals: ratio >= 0.8, peak_rss_mb_100k close to peak_rss_mb_10k.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist/nodes/Imin/transport/index.js'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const { startIminSimulator } = require(path.join(root, 'test/sim/imin'));

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KEY = 'bench-imin-key';
const ITEMS = 100_000;

function walk(mode, url, { client = 'fetch', gc = false } = {}) {
	const args = [
		...(gc ? ['--expose-gc'] : []),
		path.join(root, 'bench/harvest-worker.mjs'),
		`--mode=${mode}`,
		`--client=${client}`,
		`--url=${url}`,
		`--key=${KEY}`,
		...(gc ? ['--gc'] : []),
	];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('close', (code) =>
			code === 0
				? resolve(JSON.parse(out.trim().split('\n').pop()))
				: reject(new Error(`${mode} walk exited ${code}`)),
		);
	});
}

async function withFeed(items, fn) {
	const sim = await startIminSimulator({
		port: 0,
		apiKey: KEY,
		syntheticItems: items,
		pageSize: 500,
		recordRequests: false,
	});
	try {
		return await fn(`${sim.firehoseBaseUrl}scheduled-sessions`);
	} finally {
		await sim.close();
	}
}

const runs = await withFeed(ITEMS, async (url) => {
	const list = [];
	const kinds = [
		['node', 'fetch'],
		['bare', 'fetch'],
		['node', 'axios'],
	];
	for (let round = 1; round <= ROUNDS; round++) {
		for (const [mode, client] of round % 2 ? kinds : [...kinds].reverse()) {
			const run = await walk(mode, url, { client });
			if (run.items !== ITEMS) throw new Error(`${mode}/${client} read ${run.items} items`);
			list.push({ round, ...run, itemsPerS: Math.round((run.items / run.ms) * 1000) });
		}
	}
	return list;
});
const memory10k = await withFeed(10_000, (url) => walk('node', url, { gc: true }));
const memory100k = await withFeed(ITEMS, (url) => walk('node', url, { gc: true }));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rate = (mode, client) =>
	median(runs.filter((r) => r.mode === mode && r.client === client).map((r) => r.itemsPerS));
const nodeRate = rate('node', 'fetch');
const axiosRate = rate('node', 'axios');
const bareRate = rate('bare', 'fetch');

console.log(
	`Firehose harvest: ${ITEMS.toLocaleString('en')} items, pages of 500, local simulator; ${os.cpus().length} cores, Node ${process.version}`,
);
console.table(
	runs.map(({ round, mode, client, items, ms, itemsPerS, peakRssMb }) => ({
		round,
		walker: mode === 'node' ? `package (${client})` : 'bare fetch+JSON.parse',
		items,
		ms,
		'items/s': itemsPerS,
		'peak RSS MB': peakRssMb,
	})),
);
console.table([
	{
		walker: 'package walker, fetch',
		'items/s (median)': nodeRate,
		'vs bare': +(nodeRate / bareRate).toFixed(3),
	},
	{
		walker: 'package walker, axios (as in n8n)',
		'items/s (median)': axiosRate,
		'vs bare': +(axiosRate / bareRate).toFixed(3),
	},
	{ walker: 'bare fetch + JSON.parse', 'items/s (median)': bareRate, 'vs bare': 1 },
]);
console.table([
	{ feed: '10,000 items', 'peak RSS MB (GC every 10 pages)': memory10k.peakRssMb },
	{ feed: '100,000 items', 'peak RSS MB (GC every 10 pages)': memory100k.peakRssMb },
]);
console.log(
	JSON.stringify({
		items: ITEMS,
		node_items_per_s: nodeRate,
		bare_items_per_s: bareRate,
		ratio: +(nodeRate / bareRate).toFixed(3),
		peak_rss_mb_10k: memory10k.peakRssMb,
		peak_rss_mb_100k: memory100k.peakRssMb,
	}),
);
