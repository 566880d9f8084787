#!/usr/bin/env node
// n8n start-to-ready with and without the package, on the e2e harness's n8n (2.41.1 on Node 24,
// SQLite, the harness's environment). `npm run build` first.
//
// Two user folders are made once: "with" has the package installed as n8n's own community-package
// installer leaves it: the `npm pack` tarball unpacked at .n8n/nodes/node_modules/n8n-nodes-sesami-imin,
// its dev and peer dependencies dropped from package.json and nothing installed beside it (the
// package has no dependencies), so `n8n-workflow` resolves to n8n's own copy as for users
// (BENCH_LINK=1 links the repository instead, as the e2e harness does: the package then loads the
// repository's own n8n-workflow, a second copy users do not get). "without" has none. Neither holds workflows or credentials, so the figure is what loading the
// package costs. The first start of each folder creates the database (migrations) and fills the OS
// file cache: it is a warm-up and is not counted. Then the folders are started again, reused,
// alternating (with, without / without, with / ...).
//
// Ready = spawn of `n8n start` -> first HTTP 200 from GET /healthz/readiness (polled every 100 ms):
// n8n answers 200 there once the database is connected and migrated and the HTTP server is up,
// which happens after every node package (community ones included) has been loaded. Shown too:
// spawn -> the "Editor is now accessible" log line (after n8n has activated published workflows;
// none here). After each start n8n gets SIGTERM and the next start waits for it to exit.
//
// Env: BENCH_STARTS (8 measured starts per folder), BENCH_LINK=1, N8N_SESAMI_N8N_VERSION.
// Prints a table, then one JSON line: {"with_s","without_s","ratio", ...}. Goal: ratio <= 1.05.
import crypto from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, killGroup, linkPackage, n8nEnv, track } from '../test/e2e/lib/n8n.mjs';
import { DEFAULT_N8N_VERSION, provision } from '../test/e2e/lib/provision.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'dist/nodes/Sesami/SesamiTrigger/SesamiTrigger.node.js'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const STARTS = Number(process.env.BENCH_STARTS ?? 8);
const LINK = process.env.BENCH_LINK === '1';
const TIMEOUT_MS = 240_000;
const version = process.env.N8N_SESAMI_N8N_VERSION || DEFAULT_N8N_VERSION;
const log = (m) => console.error(`[bench] ${m}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const paths = await provision({ version, log });
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
process.on('exit', () => fs.rmSync(base, { recursive: true, force: true }));
const folders = {};
for (const kind of ['with', 'without']) {
	const userFolder = path.join(base, kind);
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	if (kind === 'with') (LINK ? linkPackage : installPacked)({ userFolder, packageDir: root });
	folders[kind] = { userFolder, encryptionKey: crypto.randomBytes(24).toString('hex') };
}

/** The package as n8n's installer leaves it (community-packages.service: tarball, no dev/peer deps, npm install of none). */
function installPacked({ userFolder, packageDir }) {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', base], {
			cwd: packageDir,
			encoding: 'utf8',
		}),
	);
	const tarball = path.join(base, packed[0].filename);
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', pkg.name);
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = JSON.parse(
		fs.readFileSync(path.join(target, 'package.json'), 'utf8'),
	);
	if (Object.keys(kept.dependencies ?? {}).length)
		throw new Error('the package has dependencies: install them beside it first');
	fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(kept, null, 2));
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } },
			null,
			2,
		) + '\n',
	);
	fs.rmSync(tarball);
	log(
		`installed ${pkg.name}@${pkg.version} as n8n's installer does (${packed[0].entryCount} files, no node_modules)`,
	);
}

async function status(url) {
	try {
		const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await r.arrayBuffer();
		return r.status;
	} catch {
		return 0;
	}
}

/** One `n8n start` on a folder: ms to readiness and to the editor line; then stops it. */
async function startOnce(kind) {
	const { userFolder, encryptionKey } = folders[kind];
	const port = await freePort();
	const brokerPort = await freePort([port]);
	const env = n8nEnv({
		nodeDir: paths.nodeDir,
		userFolder,
		encryptionKey,
		port,
		extra: { N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
	});
	const url = `http://127.0.0.1:${port}`;
	let output = '';
	let editorMs = null;
	const t0 = performance.now();
	const child = track(
		spawn(paths.nodeBin, [paths.n8nBin, 'start'], {
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		}),
	);
	const onData = (d) => {
		output += d;
		if (editorMs === null && output.includes('Editor is now accessible'))
			editorMs = performance.now() - t0;
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = null;
	const exit = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve((exited = { code, signal }))),
	);
	let readyMs = null;
	while (readyMs === null) {
		if (exited)
			throw new Error(
				`n8n (${kind}) exited during start-up (${exited.signal ?? exited.code}):\n${output.slice(-3000)}`,
			);
		if (performance.now() - t0 > TIMEOUT_MS)
			throw new Error(
				`n8n (${kind}) not ready after ${TIMEOUT_MS / 1000} s:\n${output.slice(-3000)}`,
			);
		if ((await status(`${url}/healthz/readiness`)) === 200) readyMs = performance.now() - t0;
		else await sleep(100);
	}
	while (editorMs === null && !exited && performance.now() - t0 < TIMEOUT_MS) await sleep(50);
	// The package's node types are in the list the editor loads (or, without it, absent).
	const types = await fetch(`${url}/types/nodes.json`).then(
		(r) => (r.ok ? r.text() : ''),
		() => '',
	);
	const loaded = types.includes('"n8n-nodes-sesami-imin.sesamiTrigger"');
	if (types && loaded !== (kind === 'with'))
		throw new Error(`n8n (${kind}) ${loaded ? 'loaded' : 'did not load'} the package`);
	killGroup(child, 'SIGTERM');
	const stopped = await Promise.race([exit.then(() => true), sleep(20_000).then(() => false)]);
	if (!stopped) {
		killGroup(child, 'SIGKILL');
		await exit;
	}
	killGroup(child, 'SIGKILL'); // task runners left in the group
	return { readyMs, editorMs, packageCheck: types ? (loaded ? 'loaded' : 'absent') : 'n/a' };
}

const t0 = Date.now();
const rows = [];
const runs = { with: [], without: [] };
for (const kind of ['with', 'without']) {
	log(`warm-up start (${kind}): creates the database`);
	const r = await startOnce(kind);
	rows.push({
		run: 'warm-up',
		package: kind,
		'ready s': +(r.readyMs / 1000).toFixed(2),
		'editor s': r.editorMs === null ? null : +(r.editorMs / 1000).toFixed(2),
		package_check: r.packageCheck,
	});
}
for (let i = 1; i <= STARTS; i++) {
	for (const kind of i % 2 ? ['with', 'without'] : ['without', 'with']) {
		const r = await startOnce(kind);
		runs[kind].push(r);
		rows.push({
			run: i,
			package: kind,
			'ready s': +(r.readyMs / 1000).toFixed(2),
			'editor s': r.editorMs === null ? null : +(r.editorMs / 1000).toFixed(2),
			package_check: r.packageCheck,
		});
		log(`start ${i} (${kind}): ready after ${(r.readyMs / 1000).toFixed(2)} s`);
	}
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const s = (ms) => Math.round(ms) / 1000;
const withS = s(median(runs.with.map((r) => r.readyMs)));
const withoutS = s(median(runs.without.map((r) => r.readyMs)));
const editorWith = s(median(runs.with.map((r) => r.editorMs ?? NaN)));
const editorWithout = s(median(runs.without.map((r) => r.editorMs ?? NaN)));

console.log(
	`n8n start-to-ready (spawn -> GET /healthz/readiness 200): n8n ${version} on Node 24, SQLite, package ${LINK ? 'linked (repository)' : "installed as n8n's installer does"}, reused user folders, ${STARTS} alternating starts each after one warm-up; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os
		.loadavg()
		.map((x) => x.toFixed(1))
		.join(' ')}; ${Math.round((Date.now() - t0) / 1000)} s in all`,
);
console.table(rows);
console.table([
	{ package: 'with', 'ready s (median)': withS, 'editor s (median)': editorWith },
	{ package: 'without', 'ready s (median)': withoutS, 'editor s (median)': editorWithout },
]);
console.log('Goal: ratio (with / without) <= 1.05');
console.log(
	JSON.stringify({
		with_s: withS,
		without_s: withoutS,
		ratio: Math.round((withS / withoutS) * 1000) / 1000,
		editor_with_s: editorWith,
		editor_without_s: editorWithout,
		starts: STARTS,
		install: LINK ? 'linked' : 'packed',
	}),
);
