#!/usr/bin/env node
// `npm run scan`: what @n8n/scan-community-package checks after publishing, done locally before:
// 1. the `npm pack` tarball (what users install): its compiled JS linted with the community-node
//    rules (`recommended`) plus no-console, and its package.json with the community rules and
//    eslint-plugin-n8n-nodes-base's `community` rule set;
// 2. the sources (`nodes/`, `credentials/`, package.json) with n8n's own strict config (n8n-node lint).
// Exits non-zero on any ESLint error. Prints "scan: clean" or the problems.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const fromCli = createRequire(path.join(root, 'node_modules/@n8n/node-cli/package.json'));
const { ESLint } = fromCli('eslint');
const { n8nCommunityNodesPlugin } = fromCli('@n8n/eslint-plugin-community-nodes');
const n8nNodesBase = fromCli('eslint-plugin-n8n-nodes-base');
const tseslint = fromCli('typescript-eslint');

const recommended = n8nCommunityNodesPlugin.configs.recommended;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
let problems = 0;

function report(label, results) {
	console.log(`${label}: ${results.length} files linted`);
	for (const result of results) {
		for (const message of result.messages) {
			if (message.severity < 2) continue;
			problems++;
			console.log(
				`${label}: ${path.relative(work, result.filePath) || result.filePath}:${message.line}:${message.column} ${message.message} (${message.ruleId})`,
			);
		}
	}
}

try {
	if (!fs.existsSync(path.join(root, 'dist')))
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	const tarball = path.join(work, packed[0].filename);
	execFileSync('tar', ['-xzf', tarball, '-C', work]);
	const pkgDir = path.join(work, 'package');
	const files = packed[0].files.map((f) => f.path);
	if (files.some((f) => /(^|\/)test\//.test(f) || f.endsWith('.test.js'))) {
		problems++;
		console.log('tarball: contains test files');
	}
	console.log(
		`tarball: ${packed[0].filename}, ${files.length} files, ${(packed[0].size / 1024).toFixed(1)} kB`,
	);

	const tarballLint = new ESLint({
		cwd: pkgDir,
		overrideConfigFile: true,
		overrideConfig: [
			{
				...recommended,
				files: ['**/*.js'],
				languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
			},
			{ files: ['**/*.js'], rules: { 'no-console': 'error' } },
			{
				...recommended,
				files: ['package.json'],
				plugins: { ...recommended.plugins, 'n8n-nodes-base': n8nNodesBase },
				rules: { ...recommended.rules, ...n8nNodesBase.configs.community.rules },
				languageOptions: {
					parser: tseslint.parser,
					parserOptions: { extraFileExtensions: ['.json'] },
				},
			},
		],
	});
	report('tarball', await tarballLint.lintFiles(['**/*.js', 'package.json']));

	const sourceLint = new ESLint({ cwd: root });
	report('sources', await sourceLint.lintFiles(['nodes', 'credentials', 'package.json']));
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
console.log(problems ? `scan: ${problems} problem(s)` : 'scan: clean');
process.exit(problems ? 1 : 0);
