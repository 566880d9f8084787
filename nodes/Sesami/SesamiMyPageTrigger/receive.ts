import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { headerValue } from '../../shared/headers';
import { parseTolerantJson } from '../../shared/tolerantJson';
import { checkWithCredential } from '../../shared/webhook/credentialCache';
import { readBodyOrRefuse } from '../../shared/webhook/rawBody';
import { WebhookRefusal } from '../../shared/webhook/refusal';
import { customerGid } from '../helpers/constants';
import { readAction } from './actions';
import {
	appProxyWindowSeconds,
	shopDomains,
	verifyAppProxy,
	verifySessionToken,
} from './shopifyAuth';

/**
 * What the My Page Trigger does with one request: verify the logged-in customer, read the action
 * asked for, and emit one item; a step that refuses the request throws a WebhookRefusal (answered
 * by the node's webhook() with refusalHeaders).
 */

/** A customer-account extension calls from another origin: the browser needs these. */
const CORS_HEADERS: Record<string, string> = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Allow-Headers': 'Authorization, Content-Type',
	'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
	'Access-Control-Max-Age': '600',
};

/** The headers of a refusal: never cached; with the CORS headers for a session-token request. */
export function refusalHeaders(verification: string): Record<string, string> {
	return {
		...(verification === 'sessionToken' ? CORS_HEADERS : {}),
		'Cache-Control': 'no-store',
	};
}

/** 400 / 401 / 403 of a request that failed verification, in the word for its status. */
function verificationRefusal(status: number, reason: string): WebhookRefusal {
	const error = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'invalid request';
	return new WebhookRefusal(status, error, reason);
}

interface MyPageIdentity {
	shop: string;
	customerId: string;
	customerGid: string;
	pathPrefix: string | null;
}

/** The logged-in customer the request comes from, proven by a session token or an App Proxy signature. */
async function verifyCustomer(
	this: IWebhookFunctions,
	verification: string,
): Promise<MyPageIdentity> {
	const req = this.getRequestObject();
	const settings = this.getNodeParameter('settings', {}) as IDataObject;
	const url = String((req as unknown as { originalUrl?: string }).originalUrl ?? req.url ?? '');
	// the credential read is cached briefly (nodes/shared/webhook/credentialCache.ts)
	return await checkWithCredential(this, 'shopifyAppApi', (credentials) => {
		const shops = shopDomains(credentials.shopDomains);
		const secret = String(credentials.clientSecret ?? '');
		if (verification === 'sessionToken') {
			const authorization = headerValue(req.headers as IDataObject, 'authorization') ?? '';
			const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? '';
			const verified = verifySessionToken(token, secret, String(credentials.clientId ?? ''), shops);
			if (!verified.ok) throw verificationRefusal(verified.status, verified.reason);
			return { ...verified.value, pathPrefix: null };
		}
		const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
		// a configured window above the maximum is clamped (appProxyWindowSeconds)
		const verified = verifyAppProxy(rawQuery, secret, shops, {
			maxSkewSeconds: appProxyWindowSeconds(settings.maxSkewSeconds ?? 90),
		});
		if (!verified.ok) throw verificationRefusal(verified.status, verified.reason);
		return {
			shop: verified.value.shop,
			customerId: verified.value.customerId,
			customerGid: customerGid(verified.value.customerId),
			pathPrefix: verified.value.pathPrefix,
		};
	});
}

/** The JSON object a POST carries (empty for a GET or an empty body). */
async function readActionBody(this: IWebhookFunctions, method: string): Promise<IDataObject> {
	if (method === 'GET') return {};
	const text = await readBodyOrRefuse.call(this, 'invalid request');
	if (!text.trim()) return {};
	const parsed = parseTolerantJson(text);
	if (
		!parsed.ok ||
		!parsed.value ||
		typeof parsed.value !== 'object' ||
		Array.isArray(parsed.value)
	) {
		throw new WebhookRefusal(
			400,
			'invalid request',
			parsed.ok ? 'the body must be a JSON object' : `the body is not JSON: ${parsed.reason}`,
		);
	}
	return parsed.value as IDataObject;
}

/** One My Page request: the verified customer and the action asked for, or a refusal. */
export async function receiveMyPageRequest(
	this: IWebhookFunctions,
	verification: string,
): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const identity = await verifyCustomer.call(this, verification);
	const method = String(req.method ?? 'POST').toUpperCase();
	const body = await readActionBody.call(this, method);
	const action = readAction((req.query ?? {}) as IDataObject, body, method);
	if (!action.ok) throw new WebhookRefusal(400, 'invalid request', action.reason);
	if (verification === 'sessionToken') {
		const res = this.getResponseObject();
		for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
	}
	return {
		workflowData: [
			this.helpers.returnJsonArray([
				{
					verification,
					shop: identity.shop,
					customerId: identity.customerId,
					customerGid: identity.customerGid,
					action: action.action,
					params: action.params,
					pathPrefix: identity.pathPrefix,
					receivedAt: new Date().toISOString(),
				},
			]),
		],
	};
}
