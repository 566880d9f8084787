#!/usr/bin/env node
// One harvest run in its own process (so its peak memory is its own): walks an RPDE feed from
// --url to its end, either through the package's Firehose code (walkFeed of the compiled imin
// transport, called through the unit tests' stand-in for n8n's request helper, which sends the
// request with --client: fetch like the bare loop, or axios like n8n) or with a bare
// fetch + JSON.parse loop. With --gc (and node --expose-gc) it collects garbage every 10 pages,
// so the peak RSS shows what the walk keeps, not how lazily V8 frees.
// Prints one JSON line: {"mode","client","items","ms","peakRssMb"}.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const { mode, url, key, client = 'fetch' } = args;
const collect = 'gc' in args && typeof global.gc === 'function';
let pages = 0;

let items = 0;
let peak = process.memoryUsage().rss;
const sample = () => {
	if (collect && ++pages % 10 === 0) global.gc();
	const rss = process.memoryUsage().rss;
	if (rss > peak) peak = rss;
};
let started = performance.now();

if (mode === 'node') {
	const { walkFeed } = require(path.join(root, 'dist/nodes/Imin/transport/index.js'));
	const { IminApi } = require(path.join(root, 'dist/credentials/IminApi.credentials.js'));
	const { createContext } = require(path.join(root, 'test/helpers/fake-n8n.js'));
	const context = createContext({
		parameters: {},
		nodeType: 'n8n-nodes-sesami-imin.iminFirehoseTrigger',
		credentials: { iminApi: { apiKey: key, firehoseBaseUrl: url } },
		credentialTypes: { iminApi: new IminApi() },
		client,
		recordRequests: false,
	});
	// Time the walk, not the loading of the modules.
	started = performance.now();
	const result = await walkFeed.call(context, url, Number.MAX_SAFE_INTEGER, (page) => {
		items += page.items.length;
		sample();
	});
	if (!result.reachedEnd) throw new Error(`did not reach the end: ${JSON.stringify(result)}`);
} else {
	let current = url;
	for (;;) {
		const response = await fetch(current, {
			headers: { 'X-API-KEY': key, accept: 'application/json' },
		});
		if (!response.ok) throw new Error(`HTTP ${response.status} for ${current}`);
		const page = JSON.parse(await response.text());
		items += page.items.length;
		sample();
		const next = new URL(page.next, current).toString();
		if (page.items.length === 0 && next === current) break;
		current = next;
	}
}
sample();
console.log(
	JSON.stringify({
		mode,
		client: mode === 'node' ? client : 'fetch',
		items,
		ms: Math.round(performance.now() - started),
		peakRssMb: +(peak / 1048576).toFixed(1),
	}),
);
