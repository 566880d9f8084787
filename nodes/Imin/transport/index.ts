import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { headerValue } from '../../shared/headers';
import type { RequestContext, RetriedResponse } from '../../shared/httpRetry';
import { requestWithRetry, succeeded } from '../../shared/httpRetry';
import { normaliseBaseUrl } from '../helpers/checkout';
import type { RpdePage } from '../helpers/rpde';
import { parseRpdeText, readRpdePage } from '../helpers/rpde';

const IMIN_CREDENTIAL = 'iminApi';

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

interface IminRequestOptions {
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	idempotent?: boolean;
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

/** An answer of an imin API, with the request it answers. */
interface IminResponse extends RetriedResponse {
	method: IHttpRequestMethods;
	url: string;
}

/** The error of a failed call (status outside 2xx), in a broker's words. */
export function iminCallError(
	this: RequestContext,
	response: IminResponse,
	itemIndex?: number,
): NodeApiError {
	const { statusCode, body, attempts } = response;
	const what = `${response.method} ${response.url}`;
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
			'Check the API key in the imin API credential: imin issues one key per product ' +
			'(Firehose, Checkout, Booking Platform).';
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

/**
 * One imin API call to an absolute URL, the HTTP status returned, not thrown; retried like every
 * transport of the package (shared/httpRetry.ts).
 */
export async function iminApiCall(
	this: RequestContext,
	method: IHttpRequestMethods,
	url: string,
	options: IminRequestOptions = {},
): Promise<IminResponse> {
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
		service: {
			name: 'imin',
			target: new URL(url).origin,
			hint: 'Check the base URLs in the imin API credential.',
			itemIndex: options.itemIndex,
		},
	});
	return { ...response, method, url };
}

/**
 * One imin API call (iminApiCall); the body of the answer, a status outside 2xx thrown as a
 * NodeApiError in a broker's words.
 */
export async function iminApiRequest<T = unknown>(
	this: RequestContext,
	method: IHttpRequestMethods,
	url: string,
	options: IminRequestOptions = {},
): Promise<T> {
	const response = await iminApiCall.call(this, method, url, options);
	if (succeeded(response)) return (response.body === undefined ? {} : response.body) as T;
	throw iminCallError.call(this, response, options.itemIndex);
}

export function locationHeader(response: RetriedResponse): string | undefined {
	return headerValue(response.headers, 'location');
}

/** How a feed is read: statuses returned as an empty page instead of thrown (429 / 503 for the trigger). */
interface FeedOptions extends IminRequestOptions {
	passStatuses?: number[];
}

/** Fetches and validates one RPDE page of the Firehose. */
export async function fetchRpdePage(
	this: RequestContext,
	url: string,
	options: FeedOptions = {},
): Promise<RpdePage & { statusCode: number }> {
	const response = await iminApiCall.call(this, 'GET', url, options);
	if (!succeeded(response)) {
		if (!options.passStatuses?.includes(response.statusCode))
			throw iminCallError.call(this, response, options.itemIndex);
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
	options: FeedOptions = {},
): Promise<{ next: string; reachedEnd: boolean; pages: number; statusCode: number }> {
	let current = url;
	let pages = 0;
	while (pages < maxPages) {
		const page = await fetchRpdePage.call(this, current, options);
		if (!succeeded(page)) {
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
