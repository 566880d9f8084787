import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { headerValue } from './headers';

/**
 * The retrying HTTP layer every transport of the package uses: one call through
 * `httpRequestWithAuthentication`, retried on 429 (honouring Retry-After), on 5xx and on dropped
 * connections, bounded in attempts and in total waiting time. HTTP error statuses are returned,
 * not thrown, so each service maps them to errors in its own words.
 */
export type RequestContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions
	| IPollFunctions;

const RETRY = {
	/** Attempts in all, the first one included. */
	maxAttempts: 4,
	/** First backoff; doubles each attempt. */
	baseDelayMs: 500,
	/** A single wait (backoff or Retry-After) never exceeds this. */
	maxDelayMs: 30_000,
	/** Total time spent waiting for one request never exceeds this. */
	maxTotalWaitMs: 60_000,
};

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = Array.isArray(value) ? String(value[0]) : String(value);
	if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

function backoffDelay(attempt: number): number {
	return Math.min(RETRY.maxDelayMs, RETRY.baseDelayMs * 2 ** (attempt - 1));
}

/** JSON text -> value; '' -> undefined; anything else as it is. */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

function networkCode(error: unknown): string | undefined {
	const e = error as { code?: string; cause?: { code?: string }; message?: string };
	if (e?.code) return e.code;
	if (e?.cause?.code) return e.cause.code;
	if (/socket hang up/i.test(e?.message ?? '')) return 'ECONNRESET';
	if (/timeout/i.test(e?.message ?? '')) return 'ETIMEDOUT';
	return undefined;
}

interface RetryOptions {
	/**
	 * Whether the request may be repeated after a 5xx answer or a dropped connection (the server
	 * may have carried it out). 429 is always retried: the request was not processed.
	 */
	idempotent: boolean;
	/** Statuses (besides 429) worth retrying; default: every 5xx. */
	retryStatus?: (statusCode: number) => boolean;
	/** Who is called, for the error thrown when the connection fails for good (unreachable()). */
	service: ServiceCall;
	/** Hand the body back as the text received (not parsed), e.g. to read large integers losslessly. */
	keepText?: boolean;
}

/** The service a request goes to, in the words of the error when it cannot be reached. */
interface ServiceCall {
	/** "Sesami", "imin" */
	name: string;
	/** The address named in the error (a base URL or an origin). */
	target: string;
	/** What to check, e.g. "Check the Base URL in the credential and the network." */
	hint: string;
	itemIndex?: number;
}

/** A connection that failed for good (no HTTP answer); `networkCode` says how (ECONNRESET...). */
export type NetworkError = NodeApiError & { networkCode: string };

/** The error of a connection that failed for good, after `attempts` attempts. */
function unreachable(
	this: RequestContext,
	service: ServiceCall,
	error: Error,
	code: string | undefined,
	attempts: number,
): NetworkError {
	const message = `Could not reach ${service.name}${code ? ` (${code})` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
	const apiError = new NodeApiError(
		this.getNode(),
		{ message, code: code ?? 'UNKNOWN' } as JsonObject,
		{
			message,
			description: `The connection to ${service.target} failed: ${error.message}. ${service.hint}`,
			itemIndex: service.itemIndex,
		},
	) as NetworkError;
	// NodeApiError swaps a message naming a network code (ECONNRESET...) for n8n's generic text,
	// which does not say which service failed: keep ours (the generic one stays in `messages`).
	apiError.message = message;
	apiError.networkCode = code ?? 'UNKNOWN';
	return apiError;
}

/** Whether an answer is a success (2xx). */
export function succeeded(response: { statusCode: number }): boolean {
	return response.statusCode >= 200 && response.statusCode < 300;
}

export interface RetriedResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
	attempts: number;
	/** What each retried attempt got before this answer: a status ('502') or a network code. */
	failures: string[];
}

export async function requestWithRetry(
	this: RequestContext,
	credentialType: string,
	request: IHttpRequestOptions,
	options: RetryOptions,
): Promise<RetriedResponse> {
	const retryStatus = options.retryStatus ?? ((status: number) => status >= 500);
	const full: IHttpRequestOptions = {
		...request,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	let waited = 0;
	const failures: string[] = [];
	for (let attempt = 1; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				credentialType,
				full,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			const code = networkCode(error);
			const delay = backoffDelay(attempt);
			if (
				options.idempotent &&
				code &&
				RETRYABLE_NETWORK_CODES.has(code) &&
				attempt < RETRY.maxAttempts &&
				waited + delay <= RETRY.maxTotalWaitMs
			) {
				waited += delay;
				failures.push(code);
				await sleep(delay);
				continue;
			}
			throw unreachable.call(this, options.service, error as Error, code, attempt);
		}
		const statusCode = Number(response.statusCode);
		const headers = (response.headers ?? {}) as IDataObject;
		const retryable = statusCode === 429 || (options.idempotent && retryStatus(statusCode));
		if (retryable && attempt < RETRY.maxAttempts) {
			const delay = parseRetryAfter(headerValue(headers, 'retry-after')) ?? backoffDelay(attempt);
			if (delay <= RETRY.maxDelayMs && waited + delay <= RETRY.maxTotalWaitMs) {
				waited += delay;
				failures.push(String(statusCode));
				await sleep(delay);
				continue;
			}
		}
		return {
			statusCode,
			headers,
			body: options.keepText ? response.body : parseBody(response.body),
			attempts: attempt,
			failures,
		};
	}
}
