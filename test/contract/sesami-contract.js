'use strict';
/**
 * OpenAPI contract validation of recorded Sesami Admin API exchanges.
 *
 *   const { createSesamiContract, KNOWN_SPEC_FAULTS } = require('./test/contract/sesami-contract');
 *   const contract = createSesamiContract();                 // or createSesamiContract({ specPath })
 *   contract.validateExchange(exchange)  -> [] | [{ kind: 'request'|'response', operationId, message }]
 *   contract.validateExchanges(list)     -> { checked, violations, byOperation, violationsByOperation, byKind }
 *     byOperation: exchanges checked per operationId ('(unmatched)' for none); violationsByOperation:
 *     violations per operationId; byKind: { request, response } violation counts.
 *
 * The contract is Sesami's own OpenAPI 3.0 document (shared/reference/sesami-openapi.json). Validation
 * uses openapi-backend's router (operation matching, path parameters) and the Ajv 8 that
 * openapi-backend bundles, with the same parameter/body/response schemas openapi-backend's own
 * validator builds. (openapi-backend's `OpenAPIValidator` itself cannot be loaded under jest: its
 * module imports the ESM-only @apidevtools/json-schema-ref-parser.) It is independent of the
 * simulator: nothing here is imported from test/sim.
 *
 * Request: the path must match an operation; path and query parameters (required ones, types,
 * enums, min/max, no undeclared query parameters) and the JSON body are validated against the
 * operation; a secured operation must carry `x-api-key`.
 * Response: the status must be declared by the operation (or `default` for a 2xx); a declared
 * JSON schema must validate; a status declared without content must come without a body; any
 * error status (>= 400) must carry the documented error array (https://sesami.dev/docs/sesami-api/errors).
 * Faulted exchanges (429, injected 500, dropped = status 0) are checked for the request only.
 *
 * The document's own faults (those found while writing the simulator against https://api.sesami.co/swagger) are
 * NOT reported; each is listed, with how it is handled, in KNOWN_SPEC_FAULTS below.
 */

const fs = require('node:fs');
const path = require('node:path');
// openapi-backend's router module only (its index also loads the ESM-only ref-parser)
const { OpenAPIRouter } = require('openapi-backend/router');
// the Ajv (v8) openapi-backend depends on, resolved from openapi-backend's own directory
const Ajv = (() => {
	const dir = path.dirname(require.resolve('openapi-backend/package.json'));
	const mod = require(require.resolve('ajv', { paths: [dir] }));
	return mod.default || mod;
})();

/**
 * Faults of the OpenAPI document itself, with the intended behaviour the validator applies instead.
 * Anything not listed here is a violation.
 */
const KNOWN_SPEC_FAULTS = [
	{
		id: 'SECURITY_SCHEME_BEARER',
		where: 'components.securitySchemes.bearer, security of 51 operations',
		fault:
			'Operations declare an HTTP bearer (JWT) scheme, but the Admin API is called with x-api-key / x-client-id / x-shop-id headers (https://sesami.dev/docs/sesami-api/make-a-request); eight operations declare no security at all.',
		handling:
			'Authorization is not required; instead a secured operation must carry an x-api-key header. 401/403 answers are accepted (see UNDECLARED_ERROR_STATUSES).',
	},
	{
		id: 'CUSTOMER_PATH_TEMPLATE',
		where: "paths['/{shopId}/customers/:/customerId'] (GET, PATCH, DELETE)",
		fault:
			'Broken path template: a literal ":" segment and "customerId" without braces, although a customerId path parameter is declared.',
		handling: 'Matched as the intended /{shopId}/customers/{customerId}.',
	},
	{
		id: 'CUSTOMER_RESPONSES_WITHOUT_CONTENT',
		where: 'GET and PATCH /{shopId}/customers/{customerId} (200), POST /{shopId}/customers (201)',
		fault: 'The answers declare no content at all: a customer GET would return nothing.',
		handling:
			'GET and PATCH 200 bodies are validated against ReadCustomerResponse (the customer shape used everywhere else). POST 201 and DELETE 200 stay body-less.',
	},
	{
		id: 'RESERVATION_BY_ID_UNDER_201',
		where: 'GET /{shop}/reservations/{id}',
		fault:
			'The ReadReservationResponse body is declared under 201 (200 is declared without content).',
		handling:
			'Followed literally: a 201 with a ReadReservationResponse body is valid (the simulator answers 201).',
	},
	{
		id: 'AVAILABILITY_DEFAULT_RESPONSE',
		where: 'GET /availabilities/{shop}',
		fault:
			'The success answer is declared only as `default`, and the items of the required `ids` query array have no type.',
		handling:
			'`default` validates 2xx answers only; error statuses are checked against the documented error array. Untyped ids accept any string.',
	},
	{
		id: 'TEAM_MEMBER_OBJECT_TYPED_AS_SERVICE',
		where: 'PaginationAppointmentItemResponse.teamMemberObject',
		fault: 'Typed as ReadServiceResponse (a service), although it describes a team member.',
		handling:
			'Not patched: a teamMemberObject, when present, must still validate as the document says. The simulator omits it.',
	},
	{
		id: 'FLOW_CREATE_DELETE_201_NO_BODY',
		where: 'POST /{shop}/flows, DELETE /{shop}/flows/{id}',
		fault:
			'Both answer 201 with no body: a created Flow is not returned (find it again by listing), and a delete answers "Created".',
		handling: 'Followed literally: 201 without body is the valid answer.',
	},
	{
		id: 'LOCATION_DELETE_PARAM_NAME',
		where: 'DELETE /{shop}/locations/{id}',
		fault: 'The path parameter is declared as `locationId` while the template says `{id}`.',
		handling: 'The declared parameter is renamed to `id`.',
	},
	{
		id: 'ANY_SCALAR_TYPED_AS_OBJECT',
		where:
			'components.schemas.AnyScalar (availabilitiesRange.availableFrom/To.value, metaFields, UpdateSubscriberRequest.metadata)',
		fault:
			'A schema named AnyScalar is typed `object`, yet carries scalars (a number of days, a date, nothing for NOW/INDEFINITELY).',
		handling: 'AnyScalar accepts any JSON value.',
	},
	{
		id: 'UNDECLARED_ERROR_STATUSES',
		where: 'most operations',
		fault:
			'Error statuses are declared inconsistently (e.g. GET /{shop}/appointments declares no 401/403, GET /shops no 400, customers nothing but 2xx) although the documented error model (https://sesami.dev/docs/sesami-api/errors: 400, 401, 403, 404, 500) applies to every call.',
		handling:
			'An undeclared 400, 401, 403, 404 or 500 is accepted when its body is the documented error array. Other undeclared statuses are violations.',
	},
	{
		id: 'ARRAY_QUERY_ENCODING_UNSPECIFIED',
		where: 'query arrays: ids, resources, scopes',
		fault:
			'The serialisation of array query parameters is not specified beyond the OpenAPI default (the third-party client generated from https://api.sesami.co/swagger joins with commas).',
		handling:
			'Repeated keys (ids=a&ids=b), bracketed keys (ids[]=a, ids[0]=a) and comma-joined values (ids=a,b) are all accepted.',
	},
	{
		id: 'EMPTY_REQUEST_SCHEMAS',
		where: 'UpdateCustomerRequest, UpdateLocationRequest, ApiKeyRestRequest, AccessTokenResponse',
		fault: 'Empty object schemas (https://api.sesami.co/swagger).',
		handling: 'Not patched (any object validates).',
	},
	{
		id: 'DUPLICATE_USER_ROUTE',
		where: 'GET /users/{shop} and GET /users/{id}',
		fault: 'Two operations on the same route template.',
		handling: 'Not patched; the first declared wins. Not used by merchant integrations.',
	},
];

const ERROR_STATUSES = [400, 401, 403, 404, 500];

/**
 * @typedef {{ kind: 'request' | 'response', operationId: string | undefined, message: string }} Violation
 * @typedef {{ method: string, path: string, query?: Record<string, string | string[]>, headers?: Record<string, unknown>,
 *   requestBody?: unknown, rawRequestBody?: string, status: number, responseBody?: unknown, fault?: string }} Exchange
 * @typedef {{ checked: number,
 *   violations: Array<Violation & { method?: string, path?: string, status?: number }>,
 *   byOperation: Record<string, number>,
 *   violationsByOperation: Record<string, number>,
 *   byKind: { request: number, response: number } }} ValidationSummary
 */

// RFC 3339 date-time, as OpenAPI's `format: date-time`
const DATE_TIME =
	/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function resolveSpecPath(specPath) {
	const candidates = [];
	if (specPath) candidates.push(specPath);
	if (process.env.SESAMI_OPENAPI) candidates.push(process.env.SESAMI_OPENAPI);
	// An unchanged copy of Sesami's document, kept in the repo so a clone is self-contained
	// (test/unit/contract-spec.test.ts checks it still equals shared/reference when that is present).
	candidates.push(path.join(__dirname, 'sesami-openapi.json'));
	for (const c of candidates) if (fs.existsSync(c)) return c;
	throw new Error(
		`sesami-openapi.json not found (tried ${candidates.join(', ')}); set SESAMI_OPENAPI`,
	);
}

/** Resolve local `#/...` $refs in place (the document has no external refs and no recursion). */
function dereference(doc) {
	const resolvePointer = (ref) =>
		ref
			.slice(2)
			.split('/')
			.reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
	const memo = new Map();
	const walk = (node, stack) => {
		if (Array.isArray(node)) return node.map((n) => walk(n, stack));
		if (!node || typeof node !== 'object') return node;
		if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
			const ref = node.$ref;
			if (stack.includes(ref)) throw new Error(`recursive $ref ${ref}`);
			if (!memo.has(ref)) memo.set(ref, walk(resolvePointer(ref), stack.concat(ref)));
			return memo.get(ref);
		}
		const out = {};
		for (const [k, v] of Object.entries(node)) out[k] = walk(v, stack);
		return out;
	};
	return { ...doc, paths: walk(doc.paths, []), components: walk(doc.components, []) };
}

/** Apply the KNOWN_SPEC_FAULTS patches to a copy of the document (before dereferencing). */
function patchDocument(original) {
	const doc = JSON.parse(JSON.stringify(original));
	// CUSTOMER_PATH_TEMPLATE + CUSTOMER_RESPONSES_WITHOUT_CONTENT
	const broken = '/{shopId}/customers/:/customerId';
	if (doc.paths[broken]) {
		const item = doc.paths[broken];
		delete doc.paths[broken];
		doc.paths['/{shopId}/customers/{customerId}'] = item;
		for (const m of ['get', 'patch']) {
			const ok = item[m] && item[m].responses && item[m].responses['200'];
			if (ok && !ok.content)
				ok.content = {
					'application/json': { schema: { $ref: '#/components/schemas/ReadCustomerResponse' } },
				};
		}
	}
	// LOCATION_DELETE_PARAM_NAME
	const locDelete =
		doc.paths['/{shop}/locations/{id}'] && doc.paths['/{shop}/locations/{id}'].delete;
	if (locDelete)
		for (const p of locDelete.parameters || [])
			if (p.in === 'path' && p.name === 'locationId') p.name = 'id';
	// ANY_SCALAR_TYPED_AS_OBJECT
	if (doc.components.schemas.AnyScalar) doc.components.schemas.AnyScalar = {};
	return doc;
}

/** Normalise array query parameters (ARRAY_QUERY_ENCODING_UNSPECIFIED). */
function normaliseQuery(query, operation) {
	const out = {};
	const arrayParams = new Set(
		(operation.parameters || [])
			.filter((p) => p.in === 'query' && p.schema && p.schema.type === 'array')
			.map((p) => p.name),
	);
	for (const [rawKey, value] of Object.entries(query || {})) {
		const m = /^(.+?)\[(\d*)\]$/.exec(rawKey);
		const key = m && arrayParams.has(m[1]) ? m[1] : rawKey;
		if (arrayParams.has(key)) {
			const items = [];
			for (const v of [].concat(value))
				for (const part of String(v).split(',')) if (part !== '') items.push(part);
			out[key] = (out[key] || []).concat(items);
		} else {
			out[key] = value;
		}
	}
	return out;
}

function ajvMessage(e, where) {
	const loc = (e.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || where;
	let msg = `${loc} ${e.message}`;
	if (e.keyword === 'enum' && e.params && e.params.allowedValues)
		msg += ` (${e.params.allowedValues.join(', ')})`;
	if (e.keyword === 'additionalProperties' && e.params) msg += `: ${e.params.additionalProperty}`;
	return msg;
}

/** The documented error body: an array of { property, constraints: [{ name, payload? }] } (https://sesami.dev/docs/sesami-api/errors). */
function errorBodyProblems(body) {
	if (!Array.isArray(body) || body.length === 0)
		return ['error body is not a non-empty array of {property, constraints}'];
	const problems = [];
	body.forEach((e, i) => {
		if (!e || typeof e !== 'object' || Array.isArray(e))
			problems.push(`error[${i}] is not an object`);
		else {
			if (typeof e.property !== 'string') problems.push(`error[${i}].property is not a string`);
			if (!Array.isArray(e.constraints) || e.constraints.length === 0)
				problems.push(`error[${i}].constraints is not a non-empty array`);
			else
				e.constraints.forEach((c, j) => {
					if (!c || typeof c.name !== 'string')
						problems.push(`error[${i}].constraints[${j}].name is not a string`);
				});
		}
	});
	return problems;
}

/**
 * Exchanges whose answer is not the API's: injected faults, and a gateway's 502 after a write that
 * was carried out (the simulator's variant writeGatewayError = apply-then-502). Their requests
 * are still validated.
 */
function isFaulted(ex) {
	return (
		ex.status === 0 ||
		ex.status === 429 ||
		ex.fault === '429' ||
		ex.fault === '500' ||
		ex.fault === 'drop' ||
		ex.fault === 'gateway-502'
	);
}

/**
 * @param {{ specPath?: string }} [options]
 */
function createSesamiContract(options = {}) {
	const specPath = resolveSpecPath(options.specPath);
	const original = JSON.parse(fs.readFileSync(specPath, 'utf8'));
	const definition = dereference(patchDocument(original));
	const router = new OpenAPIRouter({ definition, apiRoot: '/' });
	const addFormats = (ajv) => {
		ajv.addFormat('date-time', {
			type: 'string',
			validate: (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.toUpperCase())),
		});
		ajv.addFormat('date', { type: 'string', validate: (s) => DATE.test(s) });
		return ajv;
	};
	// parameters are strings on the wire: coerce them like openapi-backend does
	const paramsAjv = addFormats(new Ajv({ strict: false, allErrors: true, coerceTypes: true }));
	const bodyAjv = addFormats(new Ajv({ strict: false, allErrors: true }));
	const cache = new Map();
	const compiled = (key, ajv, schema) => {
		if (!cache.has(key)) cache.set(key, ajv.compile(schema));
		return cache.get(key);
	};

	/** The parameters schema openapi-backend builds: path and query closed, header open. */
	function paramsSchema(operation) {
		const schema = {
			type: 'object',
			properties: {
				path: { type: 'object', additionalProperties: false, properties: {}, required: [] },
				query: { type: 'object', additionalProperties: false, properties: {}, required: [] },
				header: { type: 'object', additionalProperties: true, properties: {}, required: [] },
			},
			required: ['path', 'query', 'header'],
		};
		for (const p of operation.parameters || []) {
			const target = schema.properties[p.in];
			if (!target) continue;
			const name = p.in === 'header' ? p.name.toLowerCase() : p.name;
			target.properties[name] = p.schema || {};
			if (p.required) target.required.push(name);
		}
		return schema;
	}

	const validator = {
		validateParams(operation, parameters) {
			const validate = compiled(
				`params:${operation.operationId}`,
				paramsAjv,
				paramsSchema(operation),
			);
			validate(parameters);
			return validate.errors || [];
		},
		validateBody(operation, body) {
			const content =
				operation.requestBody &&
				operation.requestBody.content &&
				operation.requestBody.content['application/json'];
			if (!content || !content.schema) return [];
			const validate = compiled(`body:${operation.operationId}`, bodyAjv, {
				type: 'object',
				properties: { requestBody: content.schema },
			});
			validate({ requestBody: body });
			return validate.errors || [];
		},
		validateResponse(operation, statusKey, schema, body) {
			const validate = compiled(`response:${operation.operationId}:${statusKey}`, bodyAjv, schema);
			validate(body);
			return validate.errors || [];
		},
	};

	function match(method, p) {
		try {
			return router.matchOperation({ method: method.toLowerCase(), path: p, headers: {} });
		} catch {
			return undefined;
		}
	}

	function validateRequest(ex, operation) {
		const out = [];
		const opId = operation.operationId;
		const v = (message) => out.push({ kind: 'request', operationId: opId, message });
		const headers = { ...(ex.headers || {}) };
		const secured = Array.isArray(operation.security) && operation.security.length > 0;
		if (secured && !headers['x-api-key'])
			v(
				'missing x-api-key header (the Admin API authenticates with x-api-key: https://sesami.dev/docs/sesami-api/make-a-request)',
			);
		let body = ex.requestBody;
		if (body === undefined && typeof ex.rawRequestBody === 'string' && ex.rawRequestBody !== '') {
			try {
				body = JSON.parse(ex.rawRequestBody);
			} catch (e) {
				v(`request body is not JSON: ${e.message}`);
				body = undefined;
			}
		}
		const parsed = router.parseRequest(
			{ method: operation.method, path: ex.path, headers, query: {} },
			operation,
		);
		const parameters = {
			path: { ...(parsed.params || {}) },
			query: normaliseQuery(ex.query, operation),
			header: headers,
		};
		for (const e of validator.validateParams(operation, parameters)) v(ajvMessage(e, 'request'));
		if (body !== undefined) {
			if (!operation.requestBody) v('a body was sent to an operation that declares none');
			else for (const e of validator.validateBody(operation, body)) v(ajvMessage(e, 'requestBody'));
		}
		return out;
	}

	function validateResponse(ex, operation) {
		const out = [];
		const opId = operation.operationId;
		const v = (message) => out.push({ kind: 'response', operationId: opId, message });
		const responses = operation.responses || {};
		const status = Number(ex.status);
		const key = String(status);
		const body = ex.responseBody;
		if (status >= 400) {
			const declared = responses[key] || responses[`${key[0]}XX`];
			if (!declared && !ERROR_STATUSES.includes(status)) v(`status ${status} is not declared`);
			for (const p of errorBodyProblems(body)) v(`${status}: ${p}`);
			return out;
		}
		let declaredKey = responses[key] ? key : responses[`${key[0]}XX`] ? `${key[0]}XX` : undefined;
		if (!declaredKey && status >= 200 && status < 300 && responses.default) declaredKey = 'default';
		if (!declaredKey) {
			v(`status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})`);
			return out;
		}
		const declared = responses[declaredKey];
		const schema =
			declared.content &&
			declared.content['application/json'] &&
			declared.content['application/json'].schema;
		if (!schema) {
			if (body !== undefined) v(`status ${status} declares no body, but one was sent`);
			return out;
		}
		if (body === undefined) {
			v(`status ${status} declares a body, none was sent`);
			return out;
		}
		for (const e of validator.validateResponse(operation, declaredKey, schema, body))
			v(ajvMessage(e, 'body'));
		return out;
	}

	/**
	 * @param {Exchange} ex one recorded exchange (sim.exchanges entry)
	 * @returns {Violation[]}
	 */
	function validateExchange(ex) {
		if (!ex || typeof ex.method !== 'string' || typeof ex.path !== 'string') {
			return [
				{
					kind: 'request',
					operationId: undefined,
					message: 'not an exchange (method/path missing)',
				},
			];
		}
		const operation = match(ex.method, ex.path);
		if (!operation) {
			return [
				{
					kind: 'request',
					operationId: undefined,
					message: `no operation matches ${ex.method.toUpperCase()} ${ex.path}`,
				},
			];
		}
		const violations = validateRequest(ex, operation);
		if (!isFaulted(ex)) violations.push(...validateResponse(ex, operation));
		return violations;
	}

	/**
	 * @param {Exchange[]} list
	 * @returns {ValidationSummary}
	 */
	function validateExchanges(list) {
		const violations = [];
		/** @type {Record<string, number>} */
		const byOperation = {};
		/** @type {Record<string, number>} */
		const violationsByOperation = {};
		const byKind = { request: 0, response: 0 };
		let checked = 0;
		for (const ex of list || []) {
			checked += 1;
			const op = ex && typeof ex.method === 'string' ? match(ex.method, ex.path) : undefined;
			const opId = op ? op.operationId : '(unmatched)';
			byOperation[opId] = (byOperation[opId] || 0) + 1;
			for (const vio of validateExchange(ex)) {
				violations.push({
					...vio,
					method: ex && ex.method,
					path: ex && ex.path,
					status: ex && ex.status,
				});
				violationsByOperation[opId] = (violationsByOperation[opId] || 0) + 1;
				byKind[vio.kind] += 1;
			}
		}
		return { checked, violations, byOperation, violationsByOperation, byKind };
	}

	return {
		specPath,
		definition,
		/** operationId of the operation an exchange maps to (undefined when none) */
		operationIdOf(ex) {
			const op = match(ex.method, ex.path);
			return op ? op.operationId : undefined;
		},
		validateExchange,
		validateExchanges,
	};
}

module.exports = { createSesamiContract, KNOWN_SPEC_FAULTS };
