#!/usr/bin/env node
// `npm test`: build, unit tests (jest), e2e suite against a real n8n, then ONE summary line:
//   tests: N passed, N failed
// Exit code 0 only when nothing failed and no stage crashed (a crashed stage counts as >= 1 failure).
//
// Flags: --unit-only, --e2e-only, --keep (keep temp folders: n8n user folder, context file),
//        --no-build (skip `npm run build`; for quick local loops only).
// Env:   N8N_SESAMI_CACHE (provisioning cache), N8N_SESAMI_N8N_VERSION (default 2.41.1),
//        N8N_START_TIMEOUT_MS, E2E_ECHO_N8N_LOGS=1 (stream n8n's own output).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const unitOnly = args.has('--unit-only');
const e2eOnly = args.has('--e2e-only');
const keep = args.has('--keep');
const noBuild = args.has('--no-build');

const say = (m) => console.log(`[test] ${m}`);
const results = []; // { stage, passed, failed, crashed?, note }
const cleanups = []; // async functions, run in reverse order
const children = new Set();
let interrupted = false;

function runStreaming(cmd, cmdArgs, { env = process.env, onStdout } = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, cmdArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		child.stdout.on('data', (d) => {
			process.stdout.write(d);
			onStdout?.(d.toString());
		});
		child.stderr.on('data', (d) => process.stderr.write(d));
		child.on('error', (error) => {
			children.delete(child);
			resolve({ code: 127, error });
		});
		child.on('close', (code, signal) => {
			children.delete(child);
			resolve({ code: code ?? 128, signal });
		});
	});
}

async function cleanup() {
	while (cleanups.length) {
		const fn = cleanups.pop();
		try {
			await fn();
		} catch (error) {
			console.error(`[test] cleanup failed: ${error.message}`);
		}
	}
}

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		if (interrupted) return;
		interrupted = true;
		console.error(`\n[test] ${sig}: stopping everything…`);
		for (const c of children) c.kill('SIGTERM');
		cleanup().finally(() => {
			console.log('tests: 0 passed, 1 failed');
			process.exit(130);
		});
	});
}

// ---------------------------------------------------------------------------------------------
async function stageBuild() {
	say('build: npm run build');
	const r = await runStreaming('npm', ['run', 'build']);
	if (r.code !== 0) {
		results.push({ stage: 'build', passed: 0, failed: 1, crashed: true, note: `npm run build exited ${r.code}` });
		return false;
	}
	return true;
}

async function stageUnit() {
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jest-')), 'results.json');
	cleanups.push(async () => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
	say('unit: jest');
	const r = await runStreaming('npx', ['--no-install', 'jest', '--ci', '--passWithNoTests', '--json', `--outputFile=${out}`]);
	if (!fs.existsSync(out)) {
		results.push({ stage: 'unit', passed: 0, failed: 1, crashed: true, note: `jest exited ${r.code} without a JSON report` });
		return;
	}
	const j = JSON.parse(fs.readFileSync(out, 'utf8'));
	// Suites that could not run (syntax/type errors) have no test results: count each as a failure.
	const brokenSuites = j.numRuntimeErrorTestSuites ?? 0;
	const failed = (j.numFailedTests ?? 0) + brokenSuites;
	const entry = { stage: 'unit', passed: j.numPassedTests ?? 0, failed, note: `${j.numTotalTestSuites} suites${brokenSuites ? `, ${brokenSuites} failed to run` : ''}` };
	if (r.code !== 0 && failed === 0) {
		entry.failed = 1;
		entry.crashed = true;
		entry.note += `; jest exited ${r.code}`;
	}
	results.push(entry);
}

async function stageE2e() {
	const t0 = Date.now();
	const { provision } = await import('./e2e/lib/provision.mjs');
	const { startN8n, readDataTablesFile } = await import('./e2e/lib/n8n.mjs');
	say('e2e: provisioning n8n (cached; the first run installs ~3 GB and takes ~5 min)');
	const log = (m) => say(`e2e: ${m}`);
	await provision({ log });

	const { startSesamiSimulator } = require('./sim/sesami');
	const sim = await startSesamiSimulator({ port: 0, host: '127.0.0.1' });
	cleanups.push(() => sim.close());
	const shop = sim.fixtures.shops[0];
	log(`Sesami simulator on ${sim.url} (shop ${shop.id})`);

	// A real SMTP server for the Send Email nodes (workflows/sesami-portal-emails.json); the tests read
	// the received messages through its HTTP inbox (they run in another process).
	const { startSmtpServer } = require('./sim/smtp');
	const smtp = await startSmtpServer({ port: 0, httpPort: 0, host: '127.0.0.1', user: 'n8n-e2e', password: `smtp-${crypto.randomBytes(9).toString('hex')}` });
	cleanups.push(() => smtp.close());
	log(`SMTP server on ${smtp.host}:${smtp.port} (inbox ${smtp.httpUrl})`);

	const credentials = [
		{
			id: 'sesamiSandbox001',
			name: 'Sesami account',
			type: 'sesamiApi',
			data: { apiKey: shop.apiKey, clientId: shop.clientId, shopId: shop.id, baseUrl: sim.baseUrl, timezone: shop.timezone },
		},
		{
			id: 'smtpSandbox00001',
			name: 'Sandbox SMTP',
			type: 'smtp',
			data: { user: smtp.user, password: smtp.password, host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
		},
	];
	// Publishing the Flow workflows runs the Sesami Trigger's create(), which calls the simulator's
	// Flows API: the simulator is up (above) before n8n starts.
	const n8n = await startN8n({
		packageDir: root,
		credentials,
		workflowsDir: path.join(root, 'workflows'),
		dataTables: readDataTablesFile(path.join(root, 'workflows', 'setup', 'data-tables.json')),
		publish: true,
		keep,
		log,
		echoN8nLogs: process.env.E2E_ECHO_N8N_LOGS === '1',
		apiKeyLabel: 'e2e suite',
	});
	const logFile = path.join(os.tmpdir(), `n8n-e2e-${process.pid}.log`);
	cleanups.push(async () => {
		// Keep n8n's output when something failed or --keep was given; it is the first thing to read.
		const e2e = results.find((r) => r.stage === 'e2e');
		if (keep || !e2e || e2e.failed) {
			fs.writeFileSync(logFile, n8n.logs());
			say(`e2e: n8n output saved to ${logFile}`);
		}
		await n8n.stop();
	});
	log(`n8n ${n8n.version} up in ${((Date.now() - t0) / 1000).toFixed(1)} s (server start ${(n8n.startMs / 1000).toFixed(1)} s)`);

	const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-ctx-'));
	fs.chmodSync(ctxDir, 0o700);
	if (!keep) cleanups.push(async () => fs.rmSync(ctxDir, { recursive: true, force: true }));
	const contextFile = path.join(ctxDir, 'context.json');
	const context = {
		n8nUrl: n8n.url,
		n8nPort: n8n.port,
		apiKey: n8n.apiKey,
		ownerCookie: n8n.cookie,
		owner: n8n.owner,
		simUrl: sim.url,
		simBaseUrl: sim.baseUrl,
		fixtures: sim.fixtures,
		workflows: n8n.workflows,
		userFolder: n8n.userFolder,
		n8nVersion: n8n.version,
		n8nBin: n8n.paths.n8nBin,
		nodeBin: n8n.paths.nodeBin,
		nodeDir: n8n.paths.nodeDir,
		credentialIds: credentials.map((c) => c.id),
		cli: n8n.cli,
		dataTables: n8n.dataTables,
		smtp: { host: smtp.host, port: smtp.port, user: smtp.user, password: smtp.password, httpUrl: smtp.httpUrl, credentialId: 'smtpSandbox00001' },
	};
	fs.writeFileSync(contextFile, JSON.stringify(context, null, 2), { mode: 0o600 });
	if (keep) say(`e2e: context file ${contextFile} (kept)`);

	const e2eDir = path.join(root, 'test', 'e2e');
	const files = fs
		.readdirSync(e2eDir)
		.filter((f) => f.endsWith('.test.mjs'))
		.sort()
		.map((f) => path.join('test', 'e2e', f));
	if (!files.length) {
		results.push({ stage: 'e2e', passed: 0, failed: 1, crashed: true, note: 'no test/e2e/*.test.mjs files' });
		return;
	}
	say(`e2e: node --test ${files.join(' ')}`);
	let tap = '';
	const r = await runStreaming(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=1', ...files], {
		env: { ...process.env, E2E_CONTEXT: contextFile },
		onStdout: (s) => (tap += s),
	});
	const count = (name) => {
		const m = [...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].pop();
		return m ? Number(m[1]) : null;
	};
	const passed = count('pass');
	const failed = count('fail');
	const cancelled = count('cancelled') ?? 0;
	const todo = count('todo') ?? 0; // known defects written down as `todo` tests: shown, not counted
	if (passed === null || failed === null) {
		results.push({ stage: 'e2e', passed: passed ?? 0, failed: Math.max(1, failed ?? 0), crashed: true, note: `node --test exited ${r.code} without a TAP summary` });
		return;
	}
	const entry = { stage: 'e2e', passed, failed: failed + cancelled, note: `${files.length} file(s)${cancelled ? `, ${cancelled} cancelled` : ''}${todo ? `, ${todo} todo (known defects, see the TAP)` : ''}` };
	if (r.code !== 0 && entry.failed === 0) {
		entry.failed = 1;
		entry.crashed = true;
		entry.note += `; node --test exited ${r.code}`;
	}
	results.push(entry);
}

// ---------------------------------------------------------------------------------------------
async function main() {
	const t0 = Date.now();
	let built = true;
	if (!noBuild) built = await stageBuild();
	if (!e2eOnly && !interrupted) {
		try {
			await stageUnit();
		} catch (error) {
			console.error(error);
			results.push({ stage: 'unit', passed: 0, failed: 1, crashed: true, note: error.message });
		}
	}
	if (!unitOnly && !interrupted) {
		if (!built) results.push({ stage: 'e2e', passed: 0, failed: 1, crashed: true, note: 'not run: the build failed' });
		else {
			try {
				await stageE2e();
			} catch (error) {
				console.error(`[test] e2e crashed: ${error.stack || error.message}`);
				results.push({ stage: 'e2e', passed: 0, failed: 1, crashed: true, note: error.message.split('\n')[0] });
			} finally {
				await cleanup();
			}
		}
	}
	await cleanup();
	const passed = results.reduce((n, r) => n + r.passed, 0);
	const failed = results.reduce((n, r) => n + r.failed, 0);
	console.log('');
	for (const r of results) console.log(`[test] ${r.stage}: ${r.passed} passed, ${r.failed} failed${r.crashed ? ' (CRASHED)' : ''}${r.note ? ` — ${r.note}` : ''}`);
	console.log(`[test] total time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	console.log(`tests: ${passed} passed, ${failed} failed`);
	process.exitCode = failed > 0 ? 1 : 0;
}

main().catch(async (error) => {
	console.error(error);
	await cleanup();
	console.log('tests: 0 passed, 1 failed');
	process.exit(1);
});
