// End-to-end: the package installed in a real n8n 2.41.1, talking to the Sesami simulator.
// Run through `npm run test:e2e` (test/run-all.mjs), which provides E2E_CONTEXT.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, test } from 'node:test';
import {
	executeWorkflow,
	fromN8n,
	getContext,
	n8nApi,
	n8nOwner,
	nodeOutput,
	sesamiContract,
	simExchanges,
	simListAll,
	simShop,
	workflowByFile,
} from './lib/context.mjs';

const PACKAGE = 'n8n-nodes-sesami-imin';
const NODE_TYPE = `${PACKAGE}.sesami`;
const CREDENTIAL_ID = 'sesamiSandbox001';
const REPORT_FILE = 'sesami-appointments-report.json';

const ctx = getContext();
const api = n8nApi();
const owner = n8nOwner();

// Operations the suite made n8n perform against the simulator ("METHOD /pattern").
const usedOperations = new Set();
let upcomingCount = 0;
const pattern = (p) => p.replace(/\/[0-9a-f]{24}(?=\/|$)/g, '/{id}');

describe('n8n knows the package', () => {
	test('credential type sesamiApi: the public API serves its schema with our fields', async () => {
		const r = await api.get('/credentials/schema/sesamiApi');
		assert.equal(r.status, 200, JSON.stringify(r.data));
		for (const field of ['apiKey', 'clientId', 'shopId', 'baseUrl', 'timezone']) {
			assert.ok(
				r.data.properties?.[field],
				`schema lacks ${field}: ${JSON.stringify(r.data.properties)}`,
			);
		}
		assert.equal(r.data.properties.apiKey.type, 'string');
	});

	test('credential type sesamiApi: listed in the editor types with its display name', async () => {
		const r = await owner.get('/types/credentials.json');
		assert.equal(r.status, 200);
		const cred = r.data.find((c) => c.name === 'sesamiApi');
		assert.ok(cred, 'sesamiApi missing from /types/credentials.json');
		assert.equal(cred.displayName, 'Sesami API');
		assert.ok(cred.test, 'the credential has a connection test');
	});

	test(`node type ${NODE_TYPE}: loaded as a community package with its operations`, async () => {
		const r = await owner.get('/types/nodes.json');
		assert.equal(r.status, 200);
		const node = r.data.find((d) => d.name === NODE_TYPE);
		assert.ok(
			node,
			`${NODE_TYPE} not in /types/nodes.json (package nodes: ${r.data.filter((d) => d.name.startsWith(PACKAGE)).map((d) => d.name)})`,
		);
		assert.equal(node.displayName, 'Sesami');
		// Personal Access Token (the default, as saved workflows have it) or App Installation
		assert.deepEqual(
			node.credentials.map((c) => [c.name, c.displayOptions?.show?.authentication]),
			[
				['sesamiApi', ['personalAccessToken']],
				['sesamiAppApi', ['appInstallation']],
			],
		);
		assert.equal(
			node.properties.find((p) => p.name === 'authentication')?.default,
			'personalAccessToken',
		);
		const resources = node.properties
			.find((p) => p.name === 'resource')
			.options.map((o) => o.value);
		assert.ok(resources.includes('appointment'), `resources: ${resources}`);
		const appointmentOps = node.properties
			.filter(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('appointment'),
			)
			.flatMap((p) => p.options.map((o) => o.value));
		for (const op of ['getAll', 'get', 'cancel', 'reschedule'])
			assert.ok(appointmentOps.includes(op), `appointment operations: ${appointmentOps}`);
	});

	test('n8n resolves the full type name to our node description (what a workflow uses)', async () => {
		const r = await owner.post('/rest/node-types', {
			nodeInfos: [{ name: NODE_TYPE, version: 1 }],
		});
		assert.equal(r.status, 200);
		const [desc] = r.data.data;
		// n8n answers with the node's own description, whose name is the package-local one.
		assert.equal(desc?.displayName, 'Sesami');
		assert.equal(desc?.name, 'sesami');
	});
});

describe('credential test through n8n', () => {
	test('the imported Sesami credential tests OK against the simulator', async () => {
		const r = await api.post(`/credentials/${CREDENTIAL_ID}/test`, {});
		assert.equal(r.status, 200, JSON.stringify(r.data));
		assert.equal(r.data.status, 'OK', `credential test said: ${JSON.stringify(r.data)}`);
		usedOperations.add(`GET /shops/{id}`);
	});

	test('a credential with a wrong API key fails the test', async () => {
		const shop = simShop(0);
		const created = await api.post('/credentials', {
			name: 'Sesami (wrong key)',
			type: 'sesamiApi',
			data: {
				apiKey: 'sesami_pat_not_a_real_key',
				clientId: shop.clientId,
				shopId: shop.id,
				baseUrl: ctx.simBaseUrl,
				timezone: shop.timezone,
			},
		});
		assert.equal(created.status, 200, JSON.stringify(created.data));
		try {
			const r = await api.post(`/credentials/${created.data.id}/test`, {});
			assert.equal(r.status, 200, JSON.stringify(r.data));
			assert.equal(
				r.data.status,
				'Error',
				`a wrong key must not test OK: ${JSON.stringify(r.data)}`,
			);
		} finally {
			const d = await api.delete(`/credentials/${created.data.id}`);
			assert.equal(d.status, 200);
		}
	});
});

describe(`example workflow ${REPORT_FILE}`, () => {
	const file = JSON.parse(
		fs.readFileSync(new URL(`../../workflows/${REPORT_FILE}`, import.meta.url), 'utf8'),
	);
	const sesamiNode = file.nodes.find((n) => n.type === NODE_TYPE);
	const summaryNode = file.nodes.find((n) => n.type === 'n8n-nodes-base.code');
	let result;
	let upcomingBefore;
	let upcomingAfter;

	before(async () => {
		const shop = simShop(0);
		// What the simulator holds, through its own API with the fixture key. Counted before and after
		// the run: an appointment can start (stop being upcoming) in between.
		upcomingBefore = await simListAll(`/${shop.id}/appointments`, { filterType: 'UPCOMING' });
		result = await executeWorkflow(workflowByFile(REPORT_FILE).id);
		upcomingAfter = await simListAll(`/${shop.id}/appointments`, { filterType: 'UPCOMING' });
		upcomingCount = upcomingBefore.length;
	});

	test('is imported into n8n with the Sesami node and the fixed credential', async () => {
		const wf = workflowByFile(REPORT_FILE);
		const r = await api.get(`/workflows/${wf.id}`);
		assert.equal(r.status, 200);
		const node = r.data.nodes.find((n) => n.type === NODE_TYPE);
		assert.ok(node, 'the workflow in n8n has no Sesami node');
		assert.equal(node.credentials?.sesamiApi?.id, CREDENTIAL_ID);
		assert.equal(node.parameters.operation, 'getAll');
	});

	test('runs to success with `n8n execute`', () => {
		assert.ok(sesamiNode && summaryNode, 'workflow file has a Sesami node and a Code node');
		const err = result.run?.data?.resultData?.error;
		assert.equal(
			result.status,
			'success',
			`status ${result.status}, exit ${result.code}: ${err?.message ?? ''} ${err?.description ?? ''}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
		);
		assert.equal(result.code, 0);
		assert.equal(result.run.finished, true);
	});

	test('the Sesami node returned every upcoming appointment of the shop', () => {
		assert.ok(upcomingBefore.length > 0, 'the simulator has upcoming appointments for shop 0');
		const items = nodeOutput(result.run, sesamiNode.name);
		assert.ok(Array.isArray(items), `no output for ${sesamiNode.name}`);
		const ids = items.map((i) => i.id);
		assert.equal(new Set(ids).size, ids.length, 'no appointment twice');
		const before = new Set(upcomingBefore.map((a) => a.id));
		for (const a of upcomingAfter)
			assert.ok(ids.includes(a.id), `appointment ${a.id} is missing from the node output`);
		for (const id of ids)
			assert.ok(before.has(id), `the node returned ${id}, which is not an upcoming appointment`);
		assert.ok(items.length >= upcomingAfter.length && items.length <= upcomingBefore.length);
		// Return All over 260 appointments needs several pages of at most 100.
		usedOperations.add('GET /{id}/appointments');
	});

	test('the summary item counts them and lists every appointment', () => {
		const out = nodeOutput(result.run, summaryNode.name);
		assert.equal(out?.length, 1, `${summaryNode.name} outputs one item`);
		const summary = out[0];
		assert.ok(
			summary.total >= upcomingAfter.length && summary.total <= upcomingBefore.length,
			`total ${summary.total}, simulator ${upcomingBefore.length}`,
		);
		if (upcomingBefore.length === upcomingAfter.length)
			assert.equal(summary.total, upcomingBefore.length);
		assert.equal(summary.lines.length, summary.total);
		assert.equal(
			Object.values(summary.byStatus).reduce((a, b) => a + b, 0),
			summary.total,
			'byStatus adds up to total',
		);
		assert.equal(
			Object.values(summary.byService).reduce((a, b) => a + b, 0),
			summary.total,
			'byService adds up to total',
		);
		assert.match(summary.text, new RegExp(`^${summary.total} upcoming appointments`));
		const listed = summary.ids ?? [];
		for (const a of upcomingAfter)
			assert.ok(listed.includes(a.id), `appointment ${a.id} is not in the summary`);
	});

	test('n8n recorded the run as a successful execution', async () => {
		const wf = workflowByFile(REPORT_FILE);
		const r = await api.get('/executions', { params: { workflowId: wf.id, limit: 5 } });
		assert.equal(r.status, 200);
		assert.ok(
			r.data.data.some((e) => e.status === 'success'),
			`executions: ${JSON.stringify(r.data.data.map((e) => ({ id: e.id, status: e.status, mode: e.mode })))}`,
		);
	});
});

describe('On Error: "Continue (using error output)"', () => {
	let result;
	let workflowId;
	before(async () => {
		const shop = simShop(0);
		const sesami = JSON.parse(
			fs.readFileSync(new URL(`../../workflows/${REPORT_FILE}`, import.meta.url), 'utf8'),
		).nodes.find((n) => n.type === NODE_TYPE);
		const created = await api.post('/workflows', {
			name: 'e2e: Sesami error output',
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'e1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'e2',
					name: 'Get Appointment',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [220, 0],
					onError: 'continueErrorOutput',
					credentials: sesami.credentials,
					// An id the shop does not have: Sesami answers 404.
					parameters: {
						resource: 'appointment',
						operation: 'get',
						appointmentId: { __rl: true, mode: 'id', value: `${shop.id.slice(0, 12)}ffffffffffff` },
					},
				},
				{
					id: 'e3',
					name: 'Found',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [440, -100],
					parameters: {},
				},
				{
					id: 'e4',
					name: 'Failed',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [440, 100],
					parameters: {},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Get Appointment', type: 'main', index: 0 }]] },
				'Get Appointment': {
					main: [
						[{ node: 'Found', type: 'main', index: 0 }],
						[{ node: 'Failed', type: 'main', index: 0 }],
					],
				},
			},
		});
		assert.equal(created.status, 200, JSON.stringify(created.data));
		workflowId = created.data.id;
		result = await executeWorkflow(workflowId);
		await api.delete(`/workflows/${workflowId}`);
	});

	test('the failed item goes to the error output with the error, the HTTP status and the reason', () => {
		assert.equal(
			result.status,
			'success',
			`${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}`,
		);
		assert.equal(nodeOutput(result.run, 'Found'), undefined, 'the success branch must not run');
		const failed = nodeOutput(result.run, 'Failed');
		assert.equal(
			failed?.length,
			1,
			JSON.stringify(result.run?.data?.resultData?.runData?.['Get Appointment']),
		);
		assert.match(String(failed[0].error), /could not find|not found/i);
		assert.equal(failed[0].details?.httpCode, '404');
		usedOperations.add('GET /{id}/appointments/{id}');
	});
});

describe('contract', () => {
	let exchanges;
	let report;
	before(async () => {
		exchanges = await simExchanges();
		report = sesamiContract().validateExchanges(exchanges);
	});

	test('every request n8n sent and every answer the simulator gave matches the Sesami OpenAPI document', () => {
		assert.deepEqual(
			report.violations,
			[],
			`${report.violations.length} contract violation(s):\n${JSON.stringify(report.violations.slice(0, 10), null, 2)}`,
		);
		assert.equal(report.checked, exchanges.length);
	});

	test('the check is not vacuous: the operations n8n used were matched and validated', () => {
		const n8nExchanges = fromN8n(exchanges);
		assert.ok(n8nExchanges.length > 0, 'the simulator recorded requests from n8n');
		assert.ok(
			!report.byOperation['(unmatched)'],
			`exchanges that match no documented operation: ${report.byOperation['(unmatched)']}`,
		);
		const seen = new Set(exchanges.map((e) => `${e.method} ${pattern(e.path)}`));
		for (const op of usedOperations)
			assert.ok(seen.has(op), `no recorded exchange for ${op} (seen: ${[...seen].join(', ')})`);
		const contract = sesamiContract();
		const n8nOps = new Set(n8nExchanges.map((e) => contract.operationIdOf(e)));
		assert.ok(n8nOps.size >= 2, `operations n8n used: ${[...n8nOps]}`);
		for (const op of n8nOps) assert.ok(report.byOperation[op] > 0, `${op} was not checked`);
		const pages = n8nExchanges.filter(
			(e) =>
				e.method === 'GET' &&
				/^\/[0-9a-f]{24}\/appointments$/.test(e.path) &&
				e.query.filterType === 'UPCOMING',
		);
		for (const e of pages) assert.ok(Number(e.query.limit) <= 100, `page limit ${e.query.limit}`);
		// Return All has to page: at least ceil(n / 100) requests for n upcoming appointments.
		assert.ok(
			pages.length >= Math.ceil(upcomingCount / 100),
			`the node fetched ${upcomingCount} appointments in ${pages.length} page(s)`,
		);
	});
});
