// workflows/setup-data-tables.json, the one-click Data Tables setup ("Set up the Data Tables"):
// Manual Trigger -> one n8n Data Table node per table (resource Table, operation Create, option
// "Reuse Existing Tables"). The runner started n8n on a fresh, empty user folder and made the tables
// by running this workflow, as a user clicks "Execute workflow" (lib/data-tables.mjs
// runSetupWorkflow: POST /rest/workflows/{id}/run). This file checks that run, then runs the
// workflow again: nothing may change (same ids, same columns, same rows, no second table).
// n8n 2.x only (n8n 1.x's Data Table node has no Table -> Create; the runner takes the REST path there).
// Run through test/run-all.mjs, which provides E2E_CONTEXT.
//
// Leaves behind: one more successful manual execution of the setup workflow.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import { describe, test } from 'node:test';
import {
	dataTableRows,
	dataTables,
	executionNodeOutput,
	executionWithData,
	getContext,
	n8nApi,
	workflowByFile,
} from './lib/context.mjs';
import { readSetupWorkflowTables, runSetupWorkflow } from './lib/n8n.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SETUP_FILE = 'setup-data-tables.json';
const setupPath = path.join(root, 'workflows', SETUP_FILE);
const setupJson = JSON.parse(fs.readFileSync(setupPath, 'utf8'));
const specs = readSetupWorkflowTables(setupPath);
const ctx = getContext();

/** Every table name the example workflows' Data Table nodes name (`{ mode: "name" }`), by file. */
function tablesNamedByExampleWorkflows() {
	const named = [];
	for (const file of fs
		.readdirSync(path.join(root, 'workflows'))
		.filter((f) => f.endsWith('.json'))) {
		const json = JSON.parse(fs.readFileSync(path.join(root, 'workflows', file), 'utf8'));
		for (const node of json.nodes ?? []) {
			const locator = node.parameters?.dataTableId;
			if (node.type === 'n8n-nodes-base.dataTable' && locator?.mode === 'name')
				named.push({ file, node: node.name, table: locator.value });
		}
	}
	return named;
}

/** The tables of n8n with their columns (id, name, type, in order) and row ids, sorted by name. */
async function snapshot() {
	const client = dataTables();
	const tables = await client.list();
	const result = [];
	for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) {
		const columns = (await client.columns(t.id))
			.sort((a, b) => a.index - b.index)
			.map((c) => ({ id: c.id, name: c.name, type: c.type }));
		const rowIds = (await dataTableRows(t.id)).map((r) => r.id);
		result.push({ id: t.id, name: t.name, columns, rowIds });
	}
	return result;
}

/** axios on n8n's URL as the owner, logged in now (the context's cookie may predate a restart). */
async function ownerSession() {
	const r = await axios.post(
		`${ctx.n8nUrl}/rest/login`,
		{ emailOrLdapLoginId: ctx.owner.email, password: ctx.owner.password },
		{ timeout: 30_000, validateStatus: () => true },
	);
	assert.equal(r.status, 200, `POST /rest/login: HTTP ${r.status}`);
	const cookie = (r.headers['set-cookie'] ?? [])
		.map((s) => s.split(';')[0])
		.find((s) => s.startsWith('n8n-auth='));
	return axios.create({
		baseURL: ctx.n8nUrl,
		headers: { Cookie: cookie },
		timeout: 60_000,
		validateStatus: () => true,
	});
}

describe(`${SETUP_FILE} ("${setupJson.name}")`, () => {
	test('its Data Table nodes create every table the example workflows name', () => {
		const have = new Set(specs.map((s) => s.name));
		const missing = tablesNamedByExampleWorkflows().filter((n) => !have.has(n.table));
		assert.deepEqual(
			missing.map((m) => `${m.file}: "${m.node}" names "${m.table}"`),
			[],
			'tables no setup node creates',
		);
		for (const node of setupJson.nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable'))
			assert.equal(
				node.parameters.options?.createIfNotExists,
				true,
				`"${node.name}": Reuse Existing Tables is on (running it twice changes nothing)`,
			);
	});

	test('in the fresh n8n, the runner made the tables by running it once', async () => {
		assert.ok(ctx.dataTablesSetup?.executionId, 'the runner recorded the setup execution');
		assert.equal(ctx.dataTablesSetup.workflowId, workflowByFile(SETUP_FILE).id);
		for (const t of ctx.dataTables)
			assert.equal(t.created, true, `"${t.name}" did not exist before the setup workflow ran`);
		const execution = await executionWithData(ctx.dataTablesSetup.executionId);
		assert.equal(execution.status, 'success', 'the setup execution succeeded');
		assert.equal(execution.mode, 'manual', 'run as "Execute workflow" runs it');
		const now = await snapshot();
		for (const spec of specs) {
			const [made] = executionNodeOutput(execution, spec.node) ?? [];
			assert.equal(made?.name, spec.name, `"${spec.node}" returned the table "${spec.name}"`);
			const table = now.find((t) => t.name === spec.name);
			assert.ok(table, `n8n has the Data Table "${spec.name}"`);
			assert.equal(made.id, table.id, `"${spec.name}": the table the node made is the one in n8n`);
			assert.deepEqual(
				table.columns.map(({ name, type }) => ({ name, type })),
				spec.columns,
				`"${spec.name}": the columns of the workflow, in its order, with its types`,
			);
		}
	});

	test('running it again changes nothing: same tables, ids and columns, every row kept, no second table', async () => {
		const before = await snapshot();
		const owner = await ownerSession();
		const trigger = setupJson.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger').name;
		const run = await runSetupWorkflow({
			rest: owner,
			api: n8nApi(),
			workflowId: workflowByFile(SETUP_FILE).id,
			trigger,
		});
		assert.equal(run.status, 'success');
		const after = await snapshot();
		// The published example workflows keep writing meanwhile (the Firehose polls every minute), so
		// rows may be added; none may be lost.
		const shape = (tables) => tables.map(({ rowIds, ...table }) => table);
		assert.deepEqual(shape(after), shape(before), 'the same tables, ids and columns');
		for (const table of before) {
			const kept = new Set(after.find((t) => t.id === table.id).rowIds);
			const lost = table.rowIds.filter((id) => !kept.has(id));
			assert.deepEqual(lost, [], `"${table.name}": every row is still there`);
		}
		const names = after.map((t) => t.name);
		assert.deepEqual(names, [...new Set(names)], 'no table name twice');
		for (const spec of specs) {
			const [returned] = executionNodeOutput(run.execution, spec.node) ?? [];
			assert.equal(
				returned?.id,
				before.find((t) => t.name === spec.name).id,
				`"${spec.node}" returned the existing table`,
			);
		}
	});
});
