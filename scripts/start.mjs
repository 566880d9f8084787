#!/usr/bin/env node
// `npm start`: a local sandbox — n8n 2.41.1 with this package installed, the example workflows
// imported, and (unless real Sesami values are configured) the Sesami simulator behind the credential.
//
//   npm start                   build, provision, start everything; Ctrl-C stops it all
//   npm start -- --no-build     skip `npm run build`
//   npm start -- --reimport     overwrite the imported example workflows and credential with the repo's files
//
// State lives in .sandbox/ (gitignored): n8n's user folder (.sandbox/n8n, survives restarts),
// owner.json (login), state.json (what was imported), n8n.log.
// Env (or .env, KEY=VALUE lines): N8N_PORT (5678), SESAMI_SIM_PORT (4010), WEBHOOK_URL, and for the
// real Sesami API: SESAMI_API_KEY, SESAMI_CLIENT_ID, SESAMI_SHOP_ID, SESAMI_BASE_URL, SESAMI_TIMEZONE.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { provision } from '../test/e2e/lib/provision.mjs';
import { startN8n } from '../test/e2e/lib/n8n.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const sandbox = path.join(root, '.sandbox');
const say = (m) => console.log(`[start] ${m}`);

/** Minimal .env reader: KEY=VALUE lines, optional `export `, # comments, optional quotes. Real env wins. */
function loadDotEnv(file) {
	if (!fs.existsSync(file)) return [];
	const loaded = [];
	for (const raw of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
		const line = raw.trim();
		if (!line || line.startsWith('#')) continue;
		const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
		if (!m) continue;
		let value = m[2].trim();
		if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
		else value = value.replace(/\s+#.*$/, '');
		if (process.env[m[1]] === undefined) {
			process.env[m[1]] = value;
			loaded.push(m[1]);
		}
	}
	return loaded;
}

const readJson = (file, fallback) => {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return fallback;
	}
};
const writeJson = (file, value, mode = 0o600) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode });
const hash = (value) => crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

async function main() {
	const loaded = loadDotEnv(path.join(root, '.env'));
	if (loaded.length) say(`read .env: ${loaded.join(', ')}`);
	fs.mkdirSync(sandbox, { recursive: true });

	if (!args.has('--no-build')) {
		say('npm run build');
		const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
		if (r.status !== 0) throw new Error('npm run build failed');
	}
	say('provisioning n8n (cached; the first run installs ~3 GB and takes ~5 min)');
	await provision({ log: say });

	// The Sesami side: the real API when configured, else the simulator on a fixed port.
	const real = Boolean(process.env.SESAMI_API_KEY && process.env.SESAMI_SHOP_ID);
	let sim = null;
	let credentialData;
	if (real) {
		credentialData = {
			apiKey: process.env.SESAMI_API_KEY,
			clientId: process.env.SESAMI_CLIENT_ID ?? '',
			shopId: process.env.SESAMI_SHOP_ID,
			baseUrl: process.env.SESAMI_BASE_URL || 'https://api.sesami.co/api/v1',
			timezone: process.env.SESAMI_TIMEZONE || 'UTC',
		};
		say(`using the real Sesami API at ${credentialData.baseUrl} (shop ${credentialData.shopId})`);
	} else {
		const { startSesamiSimulator } = require('../test/sim/sesami');
		const simPort = Number(process.env.SESAMI_SIM_PORT || 4010);
		sim = await startSesamiSimulator({ port: simPort, host: '127.0.0.1' });
		const shop = sim.fixtures.shops[0];
		credentialData = { apiKey: shop.apiKey, clientId: shop.clientId, shopId: shop.id, baseUrl: sim.baseUrl, timezone: shop.timezone };
	}

	// Import only what is new (or everything with --reimport), so edits made in the editor survive restarts.
	const stateFile = path.join(sandbox, 'state.json');
	const state = readJson(stateFile, { credentialHash: null, workflows: {} });
	const reimport = args.has('--reimport');
	const credential = { id: 'sesamiSandbox001', name: 'Sesami account', type: 'sesamiApi', data: credentialData };
	const credentialHash = hash(credential);
	const importCredential = reimport || state.credentialHash !== credentialHash;
	if (importCredential && state.credentialHash) say('the Sesami credential settings changed: re-importing the "Sesami account" credential');

	const ownerFile = path.join(sandbox, 'owner.json');
	const owner = readJson(ownerFile, null) ?? {
		email: 'owner@example.com',
		firstName: 'Sandbox',
		lastName: 'Owner',
		password: `Sandbox-${crypto.randomBytes(6).toString('base64url')}7`,
	};
	writeJson(ownerFile, owner);

	const changedFiles = [];
	const imported = [];
	const n8n = await startN8n({
		packageDir: root,
		userFolder: path.join(sandbox, 'n8n'),
		port: Number(process.env.N8N_PORT || 5678),
		owner,
		credentials: importCredential ? [credential] : [],
		workflowsDir: path.join(root, 'workflows'),
		skipImport: (json) => {
			const h = hash(json);
			const seen = state.workflows[json.id];
			if (!seen || reimport) {
				imported.push(json);
				return false;
			}
			if (seen !== h) changedFiles.push(json.name);
			return true;
		},
		publish: true,
		apiKeyLabel: 'npm start',
		log: say,
		logFile: path.join(sandbox, 'n8n.log'),
		env: process.env.WEBHOOK_URL ? { WEBHOOK_URL: process.env.WEBHOOK_URL } : {},
	});
	state.credentialHash = credentialHash;
	for (const json of imported) state.workflows[json.id] = hash(json);
	writeJson(stateFile, state);

	let stopping = false;
	const shutdown = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		say('stopping…');
		await n8n.stop();
		if (sim) await sim.close();
		say('stopped');
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(0));
	process.on('SIGTERM', () => shutdown(0));
	n8n.child.once('exit', (code, signal) => {
		if (stopping) return;
		console.error(`[start] n8n exited unexpectedly (${signal ?? `exit ${code}`}); see ${path.join(sandbox, 'n8n.log')}`);
		shutdown(1);
	});

	console.log('');
	console.log('==============================================================================');
	console.log(` n8n editor:   ${n8n.url}/   (also http://localhost:${n8n.port}/)`);
	console.log(` login:        ${owner.email} / ${owner.password}   (stored in .sandbox/owner.json)`);
	if (sim) {
		console.log(` Sesami:       simulator ${sim.url}  (API ${sim.baseUrl}, shop ${credentialData.shopId})`);
		console.log(`               inspect with ${sim.url}/__sim/exchanges and ${sim.url}/__sim/fixtures`);
	} else console.log(` Sesami:       real API ${credentialData.baseUrl} (shop ${credentialData.shopId})`);
	console.log(` credential:   "Sesami account" (sesamiSandbox001)`);
	for (const wf of n8n.workflows) {
		console.log(` workflow:     ${wf.name}  ${n8n.url}/workflow/${wf.id}${wf.active ? '  [published]' : ''}`);
		for (const h of wf.webhookUrls) console.log(`   webhook:    ${h.httpMethod} ${h.url ?? `(path unknown, node ${h.node})`}`);
	}
	if (changedFiles.length)
		console.log(` note:         changed in workflows/ since the first import (kept your n8n copy): ${changedFiles.join(', ')}; npm start -- --reimport overwrites`);
	console.log(` n8n log:      ${path.join(sandbox, 'n8n.log')}`);
	console.log(' Ctrl-C stops n8n and the simulator. Delete .sandbox/ to start from scratch.');
	console.log('==============================================================================');
}

main().catch((error) => {
	console.error(`[start] ${error.message}`);
	process.exit(1);
});
