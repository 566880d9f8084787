#!/usr/bin/env node
// Firehose harvesting speed and memory: walks a 100,000-item local RPDE feed (the imin simulator's
// synthetic scheduled-sessions feed) through the package's Firehose code and, side by side in the
// same run, with a bare fetch + JSON.parse loop; rounds alternate. Then peak memory of the
// package's walker for 10k vs 100k items. Each walk runs in its own process.
// Prints a table, then one JSON line:
// {"items","node_items_per_s","bare_items_per_s","ratio","peak_rss_mb_10k","peak_rss_mb_100k"}
// Goal: ratio >= 0.8, memory flat in feed length. `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
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

function walk(mode, url) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(root, 'bench/harvest-worker.mjs'), `--mode=${mode}`, `--url=${url}`, `--key=${KEY}`], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${mode} walk exited ${code}`))));
	});
}

async function feedOf(items) {
	const sim = await startIminSimulator({ port: 0, apiKey: KEY, syntheticItems: items, pageSize: 500 });
	return { sim, url: `${sim.firehoseBaseUrl}scheduled-sessions` };
}

const big = await feedOf(100_000);
const runs = [];
try {
	for (let round = 1; round <= ROUNDS; round++) {
		for (const mode of round % 2 ? ['node', 'bare'] : ['bare', 'node']) {
			const run = await walk(mode, big.url);
			if (run.items !== 100_000) throw new Error(`${mode} read ${run.items} items`);
			runs.push({ round, ...run, itemsPerS: Math.round((run.items / run.ms) * 1000) });
		}
	}
} finally {
	await big.sim.close();
}
const small = await feedOf(10_000);
let rss10k;
try {
	rss10k = await walk('node', small.url);
} finally {
	await small.sim.close();
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const nodeRate = median(runs.filter((r) => r.mode === 'node').map((r) => r.itemsPerS));
const bareRate = median(runs.filter((r) => r.mode === 'bare').map((r) => r.itemsPerS));
const rss100k = Math.max(...runs.filter((r) => r.mode === 'node').map((r) => r.peakRssMb));

console.log('Firehose harvest: 100,000 items, pages of 500, local simulator (each walk in its own process)');
console.table(runs.map(({ round, mode, items, ms, itemsPerS, peakRssMb }) => ({ round, mode, items, ms, 'items/s': itemsPerS, 'peak RSS MB': peakRssMb })));
console.table([
	{ measure: 'items/s (median)', 'package walker': nodeRate, 'bare fetch+JSON.parse': bareRate, ratio: +(nodeRate / bareRate).toFixed(3) },
	{ measure: 'peak RSS MB, package walker', 'package walker': `10k: ${rss10k.peakRssMb}`, 'bare fetch+JSON.parse': '', ratio: `100k: ${rss100k}` },
]);
console.log(
	JSON.stringify({
		items: 100_000,
		node_items_per_s: nodeRate,
		bare_items_per_s: bareRate,
		ratio: +(nodeRate / bareRate).toFixed(3),
		peak_rss_mb_10k: rss10k.peakRssMb,
		peak_rss_mb_100k: rss100k,
	}),
);
