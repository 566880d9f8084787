/**
 * Typed stand-ins for n8n's node contexts, so a test calls a node's entry point without casts:
 * `new Sesami().execute.call(executeContext({...}))`, `node.webhook.call(webhookContext({...}))`,
 * `node.poll.call(pollContext({...}))`, `listSearch.call(loadOptionsContext({...}))`,
 * `webhookMethods.default.create.call(hookContext({...}))`.
 *
 * They implement the part of each interface the nodes use (the interfaces of n8n-workflow are far
 * larger), with real HTTP to the simulators through the credential class's own `authenticate`,
 * like n8n's `helpers.httpRequestWithAuthentication`
 * (https://docs.n8n.io/integrations/creating-nodes/build/reference/http-helpers/). The one cast
 * from the partial implementation to n8n's interface is made here, once per context kind. The
 * implementation is plain JavaScript (./fake-n8n.js) because the benchmarks under bench/ require it.
 */
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	IPollFunctions,
	IWebhookFunctions,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { createContext, createWebhookContext } from './fake-n8n';

/** A request the node sent, as the fake helper saw it (before `baseURL` is prefixed). */
export interface RecordedRequest {
	method: string;
	url: string;
	headers?: IDataObject;
	body?: unknown;
}

/** What a webhook trigger answered through `getResponseObject()`. */
export interface RecordedResponse {
	statusCode?: number;
	body?: unknown;
	ended: boolean;
	headers?: Record<string, string>;
}

export interface ContextOptions {
	/** Node parameters: one object, or one per input item (execute only). */
	parameters?: IDataObject | IDataObject[];
	/** Credential data by credential type name. */
	credentials?: Record<string, IDataObject>;
	/** Credential class instances by type name; their `authenticate` is applied to each request. */
	credentialTypes?: Record<string, ICredentialType>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	nodeName?: string;
	nodeType?: string;
	typeVersion?: number;
	mode?: WorkflowExecuteMode;
	/** The HTTP client standing in for n8n's helper (n8n uses axios). */
	client?: 'axios' | 'fetch';
	recordRequests?: boolean;
}

export interface WebhookContextOptions extends ContextOptions {
	parameters?: IDataObject;
	method?: string;
	url?: string;
	headers?: Record<string, string>;
	query?: IDataObject;
	/** The raw body: text (sent as UTF-8) or a Buffer (exact bytes). */
	body?: string | Buffer;
	/** What n8n's `req.readRawBody()` throws instead of reading (e.g. raw-body's 413). */
	readRawBodyError?: unknown;
	staticData?: IDataObject;
	webhookUrl?: string;
	workflowId?: string;
}

export interface PollContextOptions extends ContextOptions {
	parameters?: IDataObject;
	staticData?: IDataObject;
}

interface Recorded {
	requests: RecordedRequest[];
}

export type TestExecuteContext = IExecuteFunctions & Recorded;
export type TestLoadOptionsContext = ILoadOptionsFunctions & Recorded;
/** Both trigger lifecycles at once: a test registers (IHookFunctions), then receives (IWebhookFunctions). */
export type TestWebhookContext = IWebhookFunctions &
	IHookFunctions &
	Recorded & { response: RecordedResponse; staticData: IDataObject };
export type TestHookContext = IHookFunctions &
	Recorded & { response: RecordedResponse; staticData: IDataObject };
export type TestPollContext = IPollFunctions & Recorded & { staticData: IDataObject };

/** IExecuteFunctions: `getNodeParameter(name, itemIndex, fallback?, { extractValue })`. */
export function executeContext(options: ContextOptions): TestExecuteContext {
	return createContext(options) as unknown as TestExecuteContext;
}

/**
 * `getNodeParameter(name, fallback?)` of the contexts without items (load options, poll): an
 * absent parameter gives the fallback (or undefined).
 */
function parameterWithFallback(parameters: IDataObject) {
	return (name: string, ...rest: unknown[]) => {
		const value = name
			.split('.')
			.reduce<unknown>(
				(object, key) => (object == null ? undefined : (object as Record<string, unknown>)[key]),
				parameters,
			);
		return value === undefined ? rest[0] : value;
	};
}

/**
 * ILoadOptionsFunctions (listSearch / loadOptions methods): no input items and
 * `getNodeParameter(name, fallback?)`, as in n8n.
 */
export function loadOptionsContext(options: ContextOptions): TestLoadOptionsContext {
	const context = createContext(options) as Record<string, unknown>;
	delete context.getInputData;
	context.getNodeParameter = parameterWithFallback((options.parameters ?? {}) as IDataObject);
	return context as unknown as TestLoadOptionsContext;
}

/** IWebhookFunctions: the request as n8n hands it to a trigger, and a recorded response. */
export function webhookContext(options: WebhookContextOptions): TestWebhookContext {
	return createWebhookContext(options) as unknown as TestWebhookContext;
}

/** IHookFunctions (webhookMethods create / checkExists / delete): webhook URL and static data. */
export function hookContext(options: WebhookContextOptions): TestHookContext {
	return createWebhookContext(options) as unknown as TestHookContext;
}

/**
 * IPollFunctions: `getNodeParameter(name, fallback?)` (no item index), the workflow's static
 * data (kept in `options.staticData` between polls) and `getMode()` ('trigger' unless told).
 */
export function pollContext(options: PollContextOptions): TestPollContext {
	const staticData = options.staticData ?? {};
	const base = createContext({ mode: 'trigger', ...options });
	const parameters = options.parameters ?? {};
	return Object.assign(base, {
		staticData,
		getWorkflowStaticData: () => staticData,
		getNodeParameter: parameterWithFallback(parameters),
	}) as unknown as TestPollContext;
}

/**
 * What n8n 2.41 / 1.123 do to the request of a version-2 webhook node before the node runs
 * (`parseRequestBody` / `parseBody`, packages/cli webhook-helpers.ts and body-parser.ts): for a
 * JSON, form or text Content-Type it reads the bytes into `req.rawBody` and parses them into
 * `req.body` (JSON strictly: a body that does not parse gets n8n's 422 and the node never runs,
 * returned here as `{ status: 422 }`). Other content types are left for the node to read.
 */
export async function parseLikeN8nV2(context: TestWebhookContext): Promise<{ status?: 422 }> {
	const req = context.getRequestObject() as unknown as {
		headers: Record<string, string>;
		rawBody?: Buffer;
		body?: unknown;
		readRawBody: () => Promise<void>;
	};
	const contentType = String(req.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	if (
		!['application/json', 'text/plain', 'application/x-www-form-urlencoded'].includes(contentType)
	)
		return {};
	await req.readRawBody();
	req.readRawBody = async () => {};
	const text = req.rawBody?.toString('utf8') ?? '';
	if (!text) return {};
	if (contentType === 'text/plain') req.body = text;
	else if (contentType === 'application/x-www-form-urlencoded')
		req.body = Object.fromEntries(new URLSearchParams(text));
	else {
		try {
			req.body = JSON.parse(text);
		} catch {
			return { status: 422 };
		}
	}
	return {};
}
