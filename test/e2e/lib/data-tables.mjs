// Harness: n8n's Data Tables, whatever the major version. n8n 2.x: the public API
// (/api/v1/data-tables, API key), and the tables are made by running the setup workflow
// (workflows/setup-data-tables.json) as a user clicks "Execute workflow". n8n 1.x: its public API
// has no data-table routes (404) and its Data Table node cannot create tables, so the editor's REST
// API is used (/rest/projects/{projectId}/data-tables, owner's session cookie, the owner's personal
// project), with the table definitions read from the same workflow file.
import fs from 'node:fs';
import { describeHttpError, listAllPublic, listAllRest } from './n8n-http.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One interface to the Data Tables of an instance, whatever its major version:
 *   list() -> [{ id, name }], create({ name, columns }) -> { status, table, res },
 *   columns(id) -> [{ name, type }], addColumn(id, { name, type }) -> res, rows(id, filter?) -> [row]
 * `filter` is n8n's filter object ({ type: 'and', filters: [{ columnName, condition, value }] }).
 * @param {{ major: number, api?: import('axios').AxiosInstance, rest?: import('axios').AxiosInstance, projectId?: string }} o
 *   api: /api/v1 with the API key (2.x); rest: baseURL = n8n's URL with the owner's cookie, and the
 *   owner's personal projectId (1.x). Neither may throw on status (validateStatus is set per call).
 */
export function dataTablesClient({ major, api, rest, projectId }) {
	const anyStatus = { validateStatus: () => true };
	if (major >= 2) {
		return {
			via: 'public API /api/v1/data-tables',
			list: () => listAllPublic(api, '/data-tables'),
			create: async (spec) => {
				const res = await api.post('/data-tables', spec, anyStatus);
				return { status: res.status, table: res.data, res };
			},
			columns: async (id) => {
				const r = await api.get(`/data-tables/${id}/columns`, anyStatus);
				if (r.status !== 200)
					throw new Error(`GET /api/v1/data-tables/${id}/columns: ${describeHttpError(r)}`);
				return Array.isArray(r.data) ? r.data : (r.data?.data ?? []);
			},
			addColumn: (id, column) => api.post(`/data-tables/${id}/columns`, column, anyStatus),
			rows: async (id, filter) => {
				const rows = [];
				let cursor;
				for (let page = 0; page < 500; page++) {
					// n8n insists on a fully percent-encoded filter (axios leaves `:` `,` `[` alone): build the query by hand.
					const query = [
						`limit=250`,
						filter ? `filter=${encodeURIComponent(JSON.stringify(filter))}` : '',
						cursor ? `cursor=${encodeURIComponent(cursor)}` : '',
					]
						.filter(Boolean)
						.join('&');
					const r = await api.get(`/data-tables/${id}/rows?${query}`, anyStatus);
					if (r.status !== 200)
						throw new Error(`GET /api/v1/data-tables/${id}/rows: ${describeHttpError(r)}`);
					rows.push(...r.data.data);
					cursor = r.data.nextCursor;
					if (!cursor) return rows;
				}
				throw new Error(`GET /api/v1/data-tables/${id}/rows: more than 500 pages`);
			},
		};
	}
	if (!projectId)
		throw new Error('dataTablesClient: n8n 1.x needs the projectId of the data tables');
	const base = `/rest/projects/${projectId}/data-tables`;
	return {
		via: `REST ${base}`,
		list: () => listAllRest(rest, base),
		create: async (spec) => {
			const res = await rest.post(base, spec, anyStatus);
			return { status: res.status, table: res.data?.data ?? res.data, res };
		},
		columns: async (id) => {
			const r = await rest.get(`${base}/${id}/columns`, anyStatus);
			if (r.status !== 200) throw new Error(`GET ${base}/${id}/columns: ${describeHttpError(r)}`);
			const body = r.data?.data ?? r.data;
			return Array.isArray(body) ? body : [];
		},
		addColumn: (id, column) => rest.post(`${base}/${id}/columns`, column, anyStatus),
		rows: (id, filter) =>
			listAllRest(rest, `${base}/${id}/rows`, filter ? { filter: JSON.stringify(filter) } : {}),
	};
}

/** The owner's personal project id (GET /rest/projects/personal), where imported workflows and their tables live. */
export async function personalProjectId(rest) {
	const r = await rest.get('/rest/projects/personal', { validateStatus: () => true });
	const id = r.data?.data?.id;
	if (r.status !== 200 || !id)
		throw new Error(`GET /rest/projects/personal: ${describeHttpError(r)}`);
	return id;
}

/**
 * The Data Table specs of the setup workflow (workflows/setup-data-tables.json): one node of n8n's
 * Data Table node per table, resource "table", operation "create" (n8n 2.x), whose `tableName` and
 * `columns.column` [{ name, type }] are the table. The workflow is the one definition of the tables:
 * n8n 2.x runs it (runSetupWorkflow), n8n 1.x gets the same tables through its REST API.
 * @returns {{ name: string, columns: { name: string, type: string }[], node: string }[]}
 */
export function readSetupWorkflowTables(file) {
	let json;
	try {
		json = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		throw new Error(`setup workflow ${file}: ${error.message}`);
	}
	const tables = (json.nodes ?? [])
		.filter(
			(n) =>
				n.type === 'n8n-nodes-base.dataTable' &&
				n.parameters?.resource === 'table' &&
				n.parameters?.operation === 'create' &&
				!n.disabled,
		)
		.map((n) => ({
			name: n.parameters.tableName,
			columns: (n.parameters.columns?.column ?? []).map(({ name, type }) => ({
				name,
				type: type ?? 'string', // the node's default type
			})),
			node: n.name,
		}));
	if (!tables.length) throw new Error(`setup workflow ${file}: no Data Table node creates a table`);
	for (const t of tables)
		if (typeof t.name !== 'string' || !t.name || !t.columns.length)
			throw new Error(`setup workflow ${file}: node "${t.node}" needs a table name and columns`);
	return tables;
}

/** The trigger the setup workflow starts from (its Manual Trigger). */
export function setupWorkflowTrigger(json) {
	const trigger = (json.nodes ?? []).find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error(`"${json.name}": the setup workflow has no Manual Trigger`);
	return trigger.name;
}

/**
 * n8n's Data Table node finds a table "by name" with a case-insensitive SUBSTRING match and takes
 * the first hit, so an existing table whose name is contained in one of ours (or contains it) is an
 * error: the example workflows could read and write the wrong table.
 * @param {{ id: string, name: string }[]} existing  the tables of the instance
 * @param {{ name: string }[]} specs
 */
export function assertNoNameClash(existing, specs) {
	for (const spec of specs) {
		const lower = spec.name.toLowerCase();
		const clash = existing.find(
			(t) =>
				t.name !== spec.name &&
				(t.name.toLowerCase().includes(lower) || lower.includes(t.name.toLowerCase())),
		);
		if (clash)
			throw new Error(
				`Data Table "${spec.name}": n8n already has a table named "${clash.name}" (${clash.id}); the Data Table node looks tables up by a substring of the name, so it could pick the wrong one. Rename or delete "${clash.name}".`,
			);
	}
}

/**
 * Creates the Data Tables that do not exist yet (`create({ name, columns })` of a dataTablesClient:
 * the public API on n8n 2.x, the editor's REST API on 1.x), in the owner's personal project, where
 * the imported workflows live. Idempotent: tables are looked up by exact name first; an existing
 * table gets the columns it lacks, and a column of another type is reported, not changed.
 * A name contained in another table's name (or containing it) is an error (assertNoNameClash).
 * @param {ReturnType<typeof dataTablesClient>} client
 * @param {{ name: string, columns: { name: string, type: string }[] }[]} tables
 * @returns {Promise<{ id: string, name: string, created: boolean, columns: { name: string, type: string }[] }[]>}
 */
export async function ensureDataTables(client, tables, { log = () => {} } = {}) {
	if (!tables?.length) return [];
	const existing = await client.list();
	const result = [];
	for (const spec of tables) {
		assertNoNameClash(existing, [spec]);
		const columns = spec.columns.map(({ name, type }) => ({ name, type }));
		let table = existing.find((t) => t.name === spec.name);
		let created = false;
		if (!table) {
			const r = await client.create({ name: spec.name, columns });
			if (r.status === 200 || r.status === 201) {
				table = r.table;
				created = true;
			} else if (r.status === 409) {
				// created meanwhile (another process): take it
				table = (await client.list()).find((t) => t.name === spec.name);
			}
			if (!table?.id)
				throw new Error(
					`creating the Data Table "${spec.name}" (${client.via}) failed: ${describeHttpError(r.res)}`,
				);
			existing.push(table);
			log(`created Data Table "${spec.name}" (${table.id}) with ${columns.length} columns`);
		}
		if (!created) {
			const have = new Map((await client.columns(table.id)).map((c) => [c.name, c.type]));
			const added = [];
			for (const c of columns) {
				if (!have.has(c.name)) {
					const a = await client.addColumn(table.id, c);
					if (a.status !== 200 && a.status !== 201)
						throw new Error(
							`adding column ${c.name} to the Data Table "${spec.name}": ${describeHttpError(a)}`,
						);
					added.push(c.name);
				} else if (have.get(c.name) !== c.type) {
					log(
						`  Data Table "${spec.name}": column ${c.name} is ${have.get(c.name)} in n8n, ${c.type} in the setup file (left as it is)`,
					);
				}
			}
			log(
				`Data Table "${spec.name}" (${table.id}) exists${added.length ? `; added columns ${added.join(', ')}` : ''}`,
			);
		}
		result.push({ id: table.id, name: spec.name, created, columns });
	}
	return result;
}

/**
 * n8n 1.x's Data Table node (n8n-nodes-base.dataTable) has version 1 only, and its table locator
 * has no "by name" mode: 1.123.81 takes the value as a table id ("Could not find the data table").
 * The example workflows name their tables (`{ mode: "name" }`, version 1.1), which n8n 2.x resolves.
 * For 1.x this returns a copy of the workflow with those nodes pointing at the tables by id
 * (`{ mode: "id" }`, version 1): what a 1.x user does by picking the table in the editor.
 * @param {object} workflowJson
 * @param {{ id: string, name: string }[]} tables  the tables of the instance (exact names)
 * @returns {{ workflow: object, changes: string[] }}  changes: one line per node changed
 */
export function dataTableNodesForN8n1(workflowJson, tables) {
	const changes = [];
	const nodes = (workflowJson.nodes ?? []).map((node) => {
		if (node.type !== 'n8n-nodes-base.dataTable') return node;
		const locator = node.parameters?.dataTableId;
		const copy = { ...node, parameters: { ...node.parameters }, typeVersion: 1 };
		const what = [];
		if (node.typeVersion !== 1) what.push(`version ${node.typeVersion} -> 1`);
		if (locator && typeof locator === 'object' && locator.mode === 'name') {
			const table = tables.find((t) => t.name === locator.value);
			if (!table)
				throw new Error(
					`"${workflowJson.name}": Data Table node "${node.name}" names the table "${locator.value}", which does not exist`,
				);
			copy.parameters.dataTableId = { __rl: true, mode: 'id', value: table.id };
			what.push(`table "${locator.value}" by id ${table.id}`);
		}
		if (!what.length) return node;
		changes.push(`"${node.name}": ${what.join(', ')}`);
		return copy;
	});
	return { workflow: { ...workflowJson, nodes }, changes };
}

/**
 * Runs the setup workflow once in the server, as "Execute workflow" in the editor does: the
 * editor's REST route `POST /rest/workflows/{id}/run` with `{ triggerToStartFrom: { name } }`
 * (n8n 2.41's ManualRunDto; the answer is `{ executionId }`), then polls the public API
 * `GET /api/v1/executions/{id}?includeData=true` until the execution has finished.
 * @param {{ rest: import('axios').AxiosInstance, api: import('axios').AxiosInstance, workflowId: string, trigger: string, timeoutMs?: number }} o
 *   rest: baseURL = n8n's URL with the owner's cookie; api: /api/v1 with the API key; neither throws on status
 * @returns {Promise<{ executionId: string, status: string, execution: object }>}
 */
export async function runSetupWorkflow({ rest, api, workflowId, trigger, timeoutMs = 120_000 }) {
	const started = await rest.post(`/rest/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: trigger },
	});
	const executionId = started.data?.data?.executionId;
	if (started.status !== 200 || !executionId)
		throw new Error(
			`POST /rest/workflows/${workflowId}/run (the Data Tables setup workflow): ${describeHttpError(started)}`,
		);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await api.get(`/executions/${executionId}`, { params: { includeData: true } });
		const status = r.data?.status;
		if (r.status === 200 && status && !['new', 'running', 'waiting'].includes(status)) {
			if (status !== 'success') {
				const error = r.data?.data?.resultData?.error;
				throw new Error(
					`the Data Tables setup workflow (execution ${executionId}) ended "${status}": ${error?.message ?? 'no error message'}${error?.node?.name ? ` (node "${error.node.name}")` : ''}`,
				);
			}
			return { executionId: String(executionId), status, execution: r.data };
		}
		if (r.status !== 200 && r.status !== 404)
			throw new Error(`GET /api/v1/executions/${executionId}: ${describeHttpError(r)}`);
		if (Date.now() > deadline)
			throw new Error(
				`the Data Tables setup workflow (execution ${executionId}) did not finish within ${timeoutMs / 1000} s`,
			);
		await sleep(250);
	}
}

/**
 * The Data Tables step of startN8n, before anything is published (a published workflow may run at
 * once). n8n 2.x with a setup workflow: checks the names (assertNoNameClash), runs the workflow
 * (runSetupWorkflow), then ensureDataTables finds every table and adds the columns an older table
 * lacks (the node's "Reuse Existing Tables" returns an existing table as it is). Otherwise (n8n 1.x,
 * or no setup workflow): ensureDataTables creates them through the client.
 * @returns {Promise<{ dataTables: Awaited<ReturnType<typeof ensureDataTables>>, setupRun: { workflowId: string, executionId: string } | null }>}
 */
export async function setUpDataTables({ client, specs, setupWorkflow, rest, api, log }) {
	if (!specs.length) return { dataTables: [], setupRun: null };
	if (!setupWorkflow)
		return { dataTables: await ensureDataTables(client, specs, { log }), setupRun: null };
	const stored = await api.get(`/workflows/${setupWorkflow.id}`);
	if (stored.status === 404) {
		// Deleted in the editor of a persistent folder: make the same tables through the API instead.
		log(
			`"${setupWorkflow.name}" is not in n8n (deleted in the editor?); creating the tables through the API`,
		);
		return { dataTables: await ensureDataTables(client, specs, { log }), setupRun: null };
	}
	const before = await client.list();
	assertNoNameClash(before, specs);
	const { executionId } = await runSetupWorkflow({
		rest,
		api,
		workflowId: setupWorkflow.id,
		trigger: setupWorkflowTrigger(setupWorkflow),
	});
	log(`ran "${setupWorkflow.name}" (execution ${executionId})`);
	const existedBefore = new Set(before.map((t) => t.name));
	const dataTables = (await ensureDataTables(client, specs, { log })).map((t) => ({
		...t,
		created: t.created || !existedBefore.has(t.name),
	}));
	return { dataTables, setupRun: { workflowId: setupWorkflow.id, executionId } };
}

/**
 * n8n 1.x: points the Data Table nodes of the imported workflows at their tables by id, version 1
 * (dataTableNodesForN8n1), through `PUT /api/v1/workflows/{id}`.
 * @param {{ api: import('axios').AxiosInstance, client: ReturnType<typeof dataTablesClient>, workflows: object[], log: (line: string) => void }} o
 *   api: /api/v1 with the API key, not throwing on status; workflows: the imported workflow JSONs
 */
export async function dataTableNodesByIdForN8n1({ api, client, workflows, log }) {
	const all = await client.list();
	for (const json of workflows) {
		const { workflow, changes } = dataTableNodesForN8n1(json, all);
		if (!changes.length) continue;
		const body = {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? {},
		};
		const r = await api.put(`/workflows/${json.id}`, body);
		if (r.status === 404) continue; // deleted in the editor (persistent folders): the publish step says so
		if (r.status !== 200)
			throw new Error(
				`PUT /api/v1/workflows/${json.id} ("${json.name}", Data Table nodes for n8n 1.x): ${describeHttpError(r)}`,
			);
		log(`n8n 1.x: "${json.name}": ${changes.join('; ')}`);
	}
}
