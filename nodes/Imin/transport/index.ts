import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { headerOf, requestWithRetry } from '../../shared/httpRetry';
import type { RequestContext, RetriedResponse } from '../../shared/httpRetry';
import { normaliseBaseUrl } from '../helpers/checkout';
import { parseRpdeText, readRpdePage } from '../helpers/rpde';
import type { RpdePage } from '../helpers/rpde';

export const IMIN_CREDENTIAL = 'iminApi';

export async function getIminSettings(this: RequestContext) {
	const credentials = await this.getCredentials(IMIN_CREDENTIAL);
	return {
		firehoseBaseUrl: String(
			credentials.firehoseBaseUrl || 'https://firehose.imin.co/firehose/',
		).replace(/\/*$/, '/'),
		checkoutBaseUrl: normaliseBaseUrl(credentials.checkoutBaseUrl),
		bookBaseUrl: String(credentials.bookBaseUrl || 'https://book.imin.co/api/v2/').replace(
			/\/*$/,
			'/',
		),
		brokerName: String(credentials.brokerName ?? ''),
		brokerUrl: String(credentials.brokerUrl ?? ''),
	};
}

export interface IminRequestOptions {
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	idempotent?: boolean;
	/** Statuses returned to the caller instead of thrown (e.g. 503 / 404 / 410 for the Firehose trigger). */
	passStatuses?: number[];
	/** Whether 503 is retried inside the call (not for the Firehose: RPDE asks to come back much later). */
	retry503?: boolean;
	timeoutMs?: number;
	/**
	 * Read an RPDE page from its text, keeping every item's `modified` as a string of all its digits
	 * (it may exceed 2^53: https://developer.openactive.io/publishing-data/data-feeds/implementing-rpde-feeds).
	 */
	losslessModified?: boolean;
}

function describeIminBody(body: unknown): string {
	if (!body || typeof body !== 'object') return typeof body === 'string' ? body.slice(0, 300) : '';
	const object = body as IDataObject;
	const parts = [
		object['@type'] ?? object.type,
		object.description ?? object.message ?? object.error,
	]
		.filter((part) => part !== undefined && part !== null && part !== '')
		.map(String);
	return parts.join(': ');
}

export function iminApiError(
	this: RequestContext,
	response: RetriedResponse,
	what: string,
	itemIndex?: number,
): NodeApiError {
	const { statusCode, body, attempts } = response;
	const detail = describeIminBody(body);
	const after = attempts > 1 ? ` after ${attempts} attempts` : '';
	let message: string;
	let description: string;
	if (statusCode === 400) {
		message = `imin refused the request (400)${detail ? `: ${detail}` : ''}`;
		description = `imin answered 400 to ${what}. Check the values sent; for a checkout session this also means the opportunity is not bookable.`;
	} else if (statusCode === 401 || statusCode === 403) {
		message = `imin did not accept the API key (${statusCode})`;
		description =
			'Check the API key in the imin API credential: imin issues one key per product (Firehose, Checkout, Booking Platform).';
	} else if (statusCode === 404 || statusCode === 410) {
		message = `imin has no such resource (${statusCode})${detail ? `: ${detail}` : ''}`;
		description = `${what} does not exist. Check the ID or URL, and the base URLs in the imin API credential.`;
	} else if (statusCode === 429) {
		message = `imin is rate-limiting requests (429)${after}`;
		description =
			'Wait before trying again; on the Firehose poll the last page at most every 8 seconds.';
	} else if (statusCode === 503) {
		message = `imin is unavailable (503)${after}`;
		description = 'imin asks clients to come back later (RPDE: 60 to 120 minutes for feeds).';
	} else if (statusCode >= 500) {
		message = `imin had a server error (${statusCode})${after}`;
		description = 'Try again later; if it persists, contact imin.';
	} else {
		message = `imin answered with HTTP ${statusCode}${detail ? `: ${detail}` : ''}`;
		description = `Unexpected answer to ${what}.`;
	}
	return new NodeApiError(
		this.getNode(),
		{
			httpCode: String(statusCode),
			message,
			description,
			...(body && typeof body === 'object' ? { body: body as JsonObject } : {}),
		} as JsonObject,
		{ message, description, httpCode: String(statusCode), itemIndex },
	);
}

/** One imin API call to an absolute URL, retried like every transport of the package. */
export async function iminApiRequest(
	this: RequestContext,
	method: IHttpRequestMethods,
	url: string,
	options: IminRequestOptions = {},
): Promise<RetriedResponse> {
	const request: IHttpRequestOptions = {
		method,
		url,
		// the page as text (n8n's axios would parse JSON, and round integers above 2^53)
		...(options.losslessModified ? { json: false, encoding: 'text' as const } : { json: true }),
		timeout: options.timeoutMs ?? 30_000,
		headers: { accept: 'application/json, application/ld+json' },
	};
	if (options.qs && Object.keys(options.qs).length) request.qs = options.qs;
	if (options.body !== undefined) {
		request.body = options.body;
		request.headers = { ...request.headers, 'content-type': 'application/json' };
	}
	const response = await requestWithRetry.call(this, IMIN_CREDENTIAL, request, {
		idempotent: options.idempotent ?? method === 'GET',
		keepText: options.losslessModified === true,
		retryStatus: (status) => status >= 500 && (status !== 503 || options.retry503 === true),
		networkError: (error, code, attempts) => {
			const message = `Could not reach imin${code ? ` (${code})` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
			const apiError = new NodeApiError(
				this.getNode(),
				{ message, code: code ?? 'UNKNOWN' } as JsonObject,
				{
					message,
					description: `The connection to ${new URL(url).origin} failed: ${error.message}. Check the base URLs in the imin API credential.`,
					itemIndex: options.itemIndex,
				},
			);
			// NodeApiError swaps a message naming a network code (ECONNRESET...) for n8n's generic text,
			// which does not say which service failed: keep ours (the generic one stays in `messages`).
			apiError.message = message;
			return apiError;
		},
	});
	if (response.statusCode >= 200 && response.statusCode < 300) return response;
	if (options.passStatuses?.includes(response.statusCode)) return response;
	throw iminApiError.call(this, response, `${method} ${url}`, options.itemIndex);
}

export function locationHeader(response: RetriedResponse): string | undefined {
	const value = headerOf(response.headers, 'location');
	return value === undefined ? undefined : String(value);
}

/** Fetches and validates one RPDE page of the Firehose. */
export async function fetchRpdePage(
	this: RequestContext,
	url: string,
	options: IminRequestOptions = {},
): Promise<RpdePage & { statusCode: number }> {
	const response = await iminApiRequest.call(this, 'GET', url, options);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		return { url, next: url, items: [], reachedEnd: false, statusCode: response.statusCode };
	}
	try {
		const body =
			options.losslessModified && typeof response.body === 'string'
				? parseRpdeText(response.body)
				: response.body;
		return { ...readRpdePage(url, body), statusCode: response.statusCode };
	} catch (error) {
		throw new NodeApiError(this.getNode(), { message: (error as Error).message } as JsonObject, {
			message: `The feed page at ${url} is not valid RPDE: ${(error as Error).message}`,
			description:
				'Check the feed URL (Firehose base URL + feed name) in the node and the credential.',
			itemIndex: options.itemIndex,
		});
	}
}

/**
 * Walks a feed from `url`, following `next`, up to `maxPages` pages or the RPDE end, calling
 * `onPage` for every page (so memory stays flat however long the feed is).
 * Returns the URL to continue from and whether the end was reached.
 */
export async function walkFeed(
	this: RequestContext,
	url: string,
	maxPages: number,
	onPage: (page: RpdePage) => void | Promise<void>,
	options: IminRequestOptions = {},
): Promise<{ next: string; reachedEnd: boolean; pages: number; statusCode: number }> {
	let current = url;
	let pages = 0;
	while (pages < maxPages) {
		const page = await fetchRpdePage.call(this, current, options);
		if (page.statusCode < 200 || page.statusCode >= 300) {
			return { next: current, reachedEnd: false, pages, statusCode: page.statusCode };
		}
		pages++;
		await onPage(page);
		if (page.reachedEnd)
			return { next: page.next, reachedEnd: true, pages, statusCode: page.statusCode };
		current = page.next;
	}
	return { next: current, reachedEnd: false, pages, statusCode: 200 };
}
