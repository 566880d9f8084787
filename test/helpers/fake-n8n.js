'use strict';
/**
 * A small stand-in for n8n's execution context (IExecuteFunctions / ILoadOptionsFunctions) for
 * unit tests (typed for TypeScript tests by test/helpers/n8n-context.ts; the benchmarks under
 * bench/ require this file from plain JavaScript). Requests go over real HTTP (to the simulators),
 * with the same semantics as n8n's `helpers.httpRequestWithAuthentication`: the credential class's
 * own `authenticate` is applied, `qs` is serialised with `arrayFormat`, JSON bodies,
 * `returnFullResponse`, `ignoreHttpStatusErrors`, `timeout`. The e2e suite runs the same code inside a real n8n.
 */
const axios = require('axios');

function serializeQuery(qs, arrayFormat = 'indices') {
	const parts = [];
	const enc = encodeURIComponent;
	for (const [key, value] of Object.entries(qs || {})) {
		if (value === undefined) continue;
		if (Array.isArray(value)) {
			if (arrayFormat === 'comma')
				parts.push(`${enc(key)}=${value.map((v) => enc(String(v))).join(',')}`);
			else if (arrayFormat === 'repeat')
				for (const v of value) parts.push(`${enc(key)}=${enc(String(v))}`);
			else if (arrayFormat === 'brackets')
				for (const v of value) parts.push(`${enc(key)}%5B%5D=${enc(String(v))}`);
			else value.forEach((v, i) => parts.push(`${enc(key)}%5B${i}%5D=${enc(String(v))}`));
		} else if (value !== null && typeof value === 'object') {
			parts.push(`${enc(key)}=${enc(JSON.stringify(value))}`);
		} else {
			parts.push(`${enc(key)}=${enc(String(value))}`);
		}
	}
	return parts.join('&');
}

function getPath(object, path) {
	return path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);
}

/**
 * @param {object} options
 * @param {object|object[]} [options.parameters]  node parameters (one object, or one per item)
 * @param {Record<string, object>} [options.credentials]  credential data by type name
 * @param {Record<string, object>} [options.credentialTypes]  credential class instances by type name
 * @param {object[]} [options.items]
 * @param {boolean} [options.continueOnFail]
 * @param {'continueRegularOutput'|'continueErrorOutput'} [options.onError]  the node's On Error setting
 * @param {'axios'|'fetch'} [options.client]  HTTP client standing in for n8n's helper (n8n uses axios)
 * @param {boolean} [options.recordRequests]  keep a log of the requests (default true)
 * @param {number} [options.typeVersion]  the node's version (default 1)
 * @param {string} [options.mode]  what getMode() answers (default 'manual')
 */
function createContext(options) {
	const items = options.items ?? [{ json: {} }];
	const perItem = Array.isArray(options.parameters) ? options.parameters : null;
	const requests = [];
	const node = {
		id: 'unit-test-node',
		name: options.nodeName ?? 'Sesami',
		type: options.nodeType ?? 'n8n-nodes-sesami-imin.sesami',
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: perItem ? perItem[0] : options.parameters,
		...(options.onError ? { onError: options.onError } : {}),
	};
	const params = (itemIndex) =>
		(perItem ? (perItem[itemIndex] ?? perItem[0]) : options.parameters) ?? {};

	async function httpRequest(request) {
		const url =
			request.qs && Object.keys(request.qs).length
				? `${request.url}${request.url.includes('?') ? '&' : '?'}${serializeQuery(request.qs, request.arrayFormat)}`
				: request.url;
		if (options.recordRequests !== false) {
			requests.push({
				method: request.method ?? 'GET',
				url,
				headers: request.headers,
				body: request.body,
			});
		}
		if (options.client === 'fetch') return await fetchRequest(request, url);
		const response = await axios({
			method: request.method ?? 'GET',
			url: request.baseURL ? `${request.baseURL}${url}` : url,
			headers: request.headers,
			data: request.body,
			timeout: request.timeout,
			validateStatus: request.ignoreHttpStatusErrors ? () => true : (s) => s >= 200 && s < 300,
			responseType: request.encoding ?? (request.json === false ? 'text' : 'json'),
			transitional: { silentJSONParsing: true },
		});
		if (request.returnFullResponse) {
			return {
				body: response.data,
				headers: response.headers,
				statusCode: response.status,
				statusMessage: response.statusText,
			};
		}
		return response.data;
	}

	/** The same request with Node's fetch (undici) instead of axios, for benchmarks. */
	async function fetchRequest(request, url) {
		const controller = request.timeout ? AbortSignal.timeout(request.timeout) : undefined;
		const hasBody = request.body !== undefined;
		const response = await fetch(request.baseURL ? `${request.baseURL}${url}` : url, {
			method: request.method ?? 'GET',
			headers: {
				...(request.headers ?? {}),
				...(hasBody ? { 'content-type': 'application/json' } : {}),
			},
			body: hasBody ? JSON.stringify(request.body) : undefined,
			signal: controller,
		});
		const text = await response.text();
		let body = text;
		if (request.json !== false && text) {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
		if (!request.ignoreHttpStatusErrors && !response.ok) {
			const error = new Error(`Request failed with status code ${response.status}`);
			error.response = { status: response.status, data: body };
			throw error;
		}
		if (request.returnFullResponse) {
			return {
				body,
				headers: Object.fromEntries(response.headers),
				statusCode: response.status,
				statusMessage: response.statusText,
			};
		}
		return body;
	}

	const context = {
		requests,
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail === true,
		getMode: () => options.mode ?? 'manual',
		getTimezone: () => 'UTC',
		getNodeParameter(name, itemIndex = 0, fallback, extra = {}) {
			let value = getPath(params(itemIndex), name);
			if (value === undefined) {
				if (arguments.length >= 3) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			if (value && typeof value === 'object' && value.__rl)
				value = extra.extractValue ? value.value : value;
			return value;
		},
		async getCredentials(type) {
			const data = options.credentials?.[type];
			if (!data) throw new Error(`Node does not have any credentials set for "${type}"`);
			return data;
		},
		helpers: {
			async httpRequestWithAuthentication(type, request) {
				const credentials = await context.getCredentials(type);
				const credentialType = options.credentialTypes?.[type];
				const authenticated = credentialType?.authenticate
					? await credentialType.authenticate(credentials, { ...request })
					: request;
				return await httpRequest(authenticated);
			},
			httpRequest,
			returnJsonArray: (data) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	};
	return context;
}

module.exports = { createContext, serializeQuery };

/**
 * A stand-in for n8n's IWebhookFunctions: the request as n8n hands it to a trigger (headers,
 * query, raw body left unparsed), a response object that records what the trigger answered,
 * node parameters, credentials and the workflow's static data.
 */
function createWebhookContext(options) {
	const staticData = options.staticData ?? {};
	const response = { statusCode: undefined, body: undefined, ended: false };
	const res = {
		status(code) {
			response.statusCode = code;
			return res;
		},
		json(body) {
			response.body = body;
			response.ended = true;
			return res;
		},
		send(body) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end() {
			response.ended = true;
			return res;
		},
		setHeader(name, value) {
			response.headers = { ...(response.headers ?? {}), [String(name).toLowerCase()]: value };
			return res;
		},
	};
	// options.body: text (sent as UTF-8) or a Buffer (exact bytes); options.readRawBodyError: what
	// n8n's req.readRawBody() throws instead (e.g. raw-body's 413 or a zlib error).
	const rawBody = Buffer.isBuffer(options.body)
		? options.body
		: Buffer.from(options.body ?? '', 'utf8');
	const req = {
		method: options.method ?? 'POST',
		url: options.url,
		headers: Object.fromEntries(
			Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
		),
		query: options.query ?? {},
		body: {},
		rawBody: undefined,
		async readRawBody() {
			if (options.readRawBodyError) throw options.readRawBodyError;
			req.rawBody = rawBody;
		},
	};
	const base = createContext({ ...options, items: [] });
	return {
		...base,
		response,
		staticData,
		getRequestObject: () => req,
		getResponseObject: () => res,
		// IWebhookFunctions.getNodeParameter(name, fallbackValue?, options?): no item index.
		getNodeParameter(name, ...rest) {
			const value = getPath(options.parameters ?? {}, name);
			if (value === undefined) {
				if (rest.length >= 1) return rest[0];
				throw new Error(`Could not get parameter "${name}"`);
			}
			return value;
		},
		getHeaderData: () => req.headers,
		getQueryData: () => req.query,
		getBodyData: () => req.body,
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-unit', name: 'unit test', active: true }),
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => options.webhookUrl ?? 'http://127.0.0.1:5678/webhook/unit/hook',
		logger: { warn() {}, info() {}, debug() {}, error() {} },
	};
}

module.exports.createWebhookContext = createWebhookContext;
