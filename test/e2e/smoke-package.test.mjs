// Smoke (runs on every n8n the package supports: `npm test` on 2.41.1, `npm run test:n8n1` on
// 1.123.81): the package loads. Every node and credential type the package declares is known to
// n8n under its community-package name, and every node of the imported example workflows, as n8n
// holds them, is a type and version this n8n has (n8n's own nodes included: the Data Table node is
// 1.1 on 2.x; 1.x has only version 1, which the runner switches to there, see dataTableNodesForN8n1).
// Run through test/run-all.mjs, which provides E2E_CONTEXT.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { getContext, n8nApi, n8nOwner } from './lib/context.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const ctx = getContext();

/**
 * `name` of the class each compiled file declares (node description name or credential name): the
 * export named like the file (`SesamiTrigger.node.js` -> `SesamiTrigger`), as n8n's loader finds it;
 * a file may export helpers besides.
 */
function declaredNames(files) {
	return files.map((file) => {
		const className = path.basename(file).split('.')[0];
		const C = require(path.join(root, file))[className];
		assert.equal(typeof C, 'function', `${file} exports a class ${className}`);
		const instance = new C();
		return instance.description?.name ?? instance.name;
	});
}

let nodeTypes;
let credentialTypes;

before(async () => {
	const owner = n8nOwner();
	const nodes = await owner.get('/types/nodes.json');
	assert.equal(nodes.status, 200, `GET /types/nodes.json: HTTP ${nodes.status}`);
	nodeTypes = nodes.data;
	const credentials = await owner.get('/types/credentials.json');
	assert.equal(credentials.status, 200, `GET /types/credentials.json: HTTP ${credentials.status}`);
	credentialTypes = credentials.data;
	assert.ok(
		Array.isArray(nodeTypes) && Array.isArray(credentialTypes),
		'n8n lists node and credential types',
	);
});

test(`n8n ${ctx.n8nVersion} knows every node type of ${pkg.name}`, () => {
	const declared = declaredNames(pkg.n8n.nodes).map((n) => `${pkg.name}.${n}`);
	assert.equal(declared.length, pkg.n8n.nodes.length, 'one node class per listed file');
	const known = new Set(nodeTypes.map((d) => d.name));
	const missing = declared.filter((n) => !known.has(n));
	assert.deepEqual(missing, [], `unknown to n8n ${ctx.n8nVersion}: ${missing.join(', ')}`);
});

test(`n8n ${ctx.n8nVersion} knows every credential type of ${pkg.name}`, () => {
	const declared = declaredNames(pkg.n8n.credentials);
	assert.equal(declared.length, pkg.n8n.credentials.length, 'one credential class per listed file');
	const known = new Set(credentialTypes.map((c) => c.name));
	const missing = declared.filter((n) => !known.has(n));
	assert.deepEqual(missing, [], `unknown to n8n ${ctx.n8nVersion}: ${missing.join(', ')}`);
});

test('every node of the imported example workflows, as n8n holds them, is a type and version this n8n has', async () => {
	const versions = new Map();
	for (const d of nodeTypes)
		versions.set(d.name, [...(versions.get(d.name) ?? []), ...[].concat(d.version)]);
	const problems = [];
	assert.ok(ctx.workflows.length > 0, 'the runner imported workflows');
	for (const wf of ctx.workflows) {
		// What n8n runs: on 1.x the runner pointed the Data Table nodes at their tables by id, version 1.
		const r = await n8nApi().get(`/workflows/${wf.id}`);
		assert.equal(r.status, 200, `GET /api/v1/workflows/${wf.id}: HTTP ${r.status}`);
		for (const node of r.data.nodes) {
			const have = versions.get(node.type);
			if (!have)
				problems.push(`${path.basename(wf.file)}: "${node.name}" is ${node.type}, unknown`);
			else if (!have.includes(node.typeVersion))
				problems.push(
					`${path.basename(wf.file)}: "${node.name}" ${node.type} v${node.typeVersion} (n8n has ${have.join(', ')})`,
				);
		}
	}
	assert.deepEqual(problems, [], problems.join('\n'));
});
