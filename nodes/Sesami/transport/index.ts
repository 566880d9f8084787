import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { NetworkError, RequestContext, RetriedResponse } from '../../shared/httpRetry';
import { requestWithRetry, succeeded } from '../../shared/httpRetry';
import { appWriteRefusal, getSesamiSettings } from './auth';
import { notReadAsList, sesamiCallError } from './errors';

export { sesamiCallError } from './errors';
export { getSesamiSettings, refuseAppWrite } from './auth';

export { parseRetryAfter } from '../../shared/httpRetry';

export const PAGE_SIZE_MAX = 100;

interface SesamiRequestOptions {
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/**
	 * Whether the request may be repeated after a 5xx answer or a dropped connection (the server
	 * may have carried it out). 429 is always retried: Sesami did not process the request.
	 */
	idempotent?: boolean;
	arrayFormat?: 'repeat' | 'comma' | 'brackets';
	timeoutMs?: number;
}

/** An answer of the Sesami Admin API, with the request it answers. */
export interface SesamiResponse extends RetriedResponse {
	method: IHttpRequestMethods;
	path: string;
	/** The shop of an app installation's call (its 401 / 403 are explained as such). */
	appShopId?: string;
}

/**
 * One Sesami Admin API call, the HTTP status returned, not thrown. `path` may contain `{shop}`,
 * replaced by the shop ID (the credential's, or the item's with App Installation: ./auth.ts, which
 * also sends the item's token; a write with an app installation is refused, nothing sent).
 * Retries 429 (honouring Retry-After), 5xx and dropped connections, bounded in attempts and time;
 * throws a NodeApiError (with `networkCode`) when the connection fails for good.
 *
 * Array query parameters: Sesami does not document their encoding
 * (https://api.sesami.co/swagger declares `ids` / `resources` as arrays with the OpenAPI default,
 * repeated keys). A server may not read a key sent once as a list (`ids=a` -> 400 is_array); when
 * Sesami answers so for a list the node sent, the call is repeated once with repeated keys, a
 * single value sent twice (`ids=a&ids=a`: the same list), whatever the List Query Format option.
 */
async function sesamiApiCall(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	options: SesamiRequestOptions = {},
): Promise<SesamiResponse> {
	const settings = await getSesamiSettings.call(this, options.itemIndex);
	const { baseUrl, shopId, appToken } = settings;
	if (appToken !== undefined && method !== 'GET' && method !== 'HEAD') {
		// The official backend sends only GET / HEAD with a read key, anything else with a write key:
		// https://github.com/sesamiapp/sesami-apps-boilerplate
		// (server/src/sesami/authentication/SesamiProxyAuth.ts)
		throw appWriteRefusal.call(this, `${method} ${path}`, options.itemIndex);
	}
	const resolvedPath = path.replace('{shop}', encodeURIComponent(shopId));
	const send = async (
		qs: IDataObject | undefined,
		arrayFormat: 'repeat' | 'comma' | 'brackets',
	) => {
		const request: IHttpRequestOptions = {
			method,
			url: `${baseUrl}${resolvedPath}`,
			json: true,
			arrayFormat,
			timeout: options.timeoutMs ?? 30_000,
			headers: {
				accept: 'application/json',
				...(appToken === undefined ? {} : { 'x-api-key': appToken, 'x-shop-id': shopId }),
			},
		};
		if (qs && Object.keys(qs).length) request.qs = qs;
		if (options.body !== undefined) request.body = options.body;
		return await requestWithRetry.call(this, settings.credentialType, request, {
			idempotent: options.idempotent ?? method !== 'POST',
			service: {
				name: 'Sesami',
				target: baseUrl,
				hint: 'Check the Base URL in the credential and the network.',
				itemIndex: options.itemIndex,
			},
		});
	};
	const format = options.arrayFormat ?? 'repeat';
	let response = await send(options.qs, format);
	if (response.statusCode === 400 && options.qs) {
		const lists = notReadAsList(response.body).filter((key) => {
			const value = options.qs?.[key];
			return Array.isArray(value) && value.length > 0;
		});
		if (lists.length) {
			const qs: IDataObject = { ...options.qs };
			for (const key of lists) {
				const value = qs[key] as unknown[];
				qs[key] = value.length === 1 ? [value[0], value[0]] : value;
			}
			const again = await send(qs, 'repeat');
			response = {
				...again,
				attempts: response.attempts + again.attempts,
				failures: [...response.failures, ...again.failures],
			};
		}
	}
	return {
		...response,
		method,
		path: resolvedPath,
		...(appToken === undefined ? {} : { appShopId: shopId }),
	};
}

/**
 * sesamiApiCall for writes whose answer may be lost: a connection that failed for good is
 * returned (a NetworkError with `networkCode`), not thrown, so the caller can check what
 * happened before repeating anything.
 */
export async function sesamiApiCallOrLost(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	options: SesamiRequestOptions = {},
): Promise<SesamiResponse | NetworkError> {
	return await sesamiApiCall.call(this, method, path, options).then(
		(answer) => answer,
		(error: Error) => {
			if ((error as NetworkError).networkCode) return error as NetworkError;
			if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
			throw new NodeOperationError(this.getNode(), error, { itemIndex: options.itemIndex });
		},
	);
}

/**
 * One Sesami Admin API call (sesamiApiCall); a status outside 2xx is thrown as a NodeApiError
 * in a merchant's words.
 */
export async function sesamiApiRequest<T = unknown>(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	options: SesamiRequestOptions = {},
): Promise<T> {
	const result = await sesamiApiCall.call(this, method, path, options);
	if (succeeded(result)) return (result.body === undefined ? {} : result.body) as T;
	throw sesamiCallError.call(this, result, options.itemIndex);
}

export interface SesamiPage {
	data?: IDataObject[];
	nextCursor?: string | null;
	remainingItems?: number;
	totalItems?: number;
}

/**
 * Walks a Sesami cursor-paginated list (`limit`, `after` / `nextCursor`) until `max` items are
 * collected (Infinity = all). Uses pages of 100 for "Return All", and pages no larger than the
 * items still wanted otherwise, so N items cost ceil(N / 100) calls.
 */
export async function sesamiApiRequestAllItems(
	this: RequestContext,
	path: string,
	qs: IDataObject,
	max: number,
	options: Omit<SesamiRequestOptions, 'qs'> = {},
): Promise<IDataObject[]> {
	const results: IDataObject[] = [];
	const seen = new Set<string>();
	let after: string | undefined;
	while (results.length < max) {
		const wanted = max - results.length;
		const limit = Math.max(
			1,
			Math.min(PAGE_SIZE_MAX, Number.isFinite(wanted) ? wanted : PAGE_SIZE_MAX),
		);
		const page = (await sesamiApiRequest.call(this, 'GET', path, {
			...options,
			qs: { ...qs, limit, ...(after ? { after } : {}) },
		})) as SesamiPage;
		const data = Array.isArray(page?.data) ? page.data : [];
		results.push(...data.slice(0, wanted));
		const next = page?.nextCursor ? String(page.nextCursor) : undefined;
		const remaining = typeof page?.remainingItems === 'number' ? page.remainingItems : undefined;
		if (!data.length || !next || remaining === 0 || seen.has(next)) break;
		seen.add(next);
		after = next;
	}
	return results;
}
