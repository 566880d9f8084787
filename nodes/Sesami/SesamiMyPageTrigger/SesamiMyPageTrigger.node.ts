import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { localCredentialTest, manualWebhookMethods } from '../../shared/webhook/manualWebhook';
import { rawBodyParameter, readBodyOrRefuse } from '../../shared/webhook/rawBody';
import { WebhookRefusal, answerRefusals } from '../../shared/webhook/refusal';
import { headerValue } from '../../shared/headers';
import { parseTolerantJson } from '../../shared/tolerantJson';
import {
	APP_PROXY_MAX_SKEW_SECONDS,
	appProxyWindowSeconds,
	shopDomains,
	verifyAppProxy,
	verifySessionToken,
} from './shopifyAuth';
import { customerGid } from '../helpers/constants';
import { readAction } from './actions';

const CORS_HEADERS: Record<string, string> = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Allow-Headers': 'Authorization, Content-Type',
	'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
	'Access-Control-Max-Age': '600',
};

export class SesamiMyPageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sesami My Page Trigger',
		name: 'sesamiMyPageTrigger',
		icon: { light: 'file:../sesami.svg', dark: 'file:../sesami.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["verification"] === "sessionToken" ? "Session token" : "App Proxy"}}',
		description:
			'Backend of a Shopify "My Page": verifies that a request comes from the logged-in customer (App Proxy signature or session token) before the workflow lists, reschedules or cancels their Sesami appointments',
		defaults: { name: 'My Page Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'shopifyAppApi', required: true, testedBy: 'shopifyAppTest' }],
		webhooks: [
			{ name: 'default', httpMethod: 'GET', responseMode: 'responseNode', path: 'my-page' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'responseNode', path: 'my-page' },
		],
		properties: [
			{
				displayName: 'Verification',
				name: 'verification',
				type: 'options',
				options: [
					{
						name: 'Shopify App Proxy',
						value: 'appProxy',
						description:
							'Theme pages call the app proxy path (/apps/your-subpath); Shopify signs the query and adds logged_in_customer_ID',
					},
					{
						name: 'Customer Account Session Token',
						value: 'sessionToken',
						description:
							'A customer-account UI extension sends its session token as Authorization: Bearer',
					},
				],
				default: 'appProxy',
			},
			{
				displayName:
					'Answer with a "Respond to Webhook" node. Requests that fail verification get 401 (403 for another shop, 400 for a repeated shop, timestamp or signature) and start no execution; malformed actions get 400.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			rawBodyParameter,
			{
				displayName: 'Options',
				name: 'settings',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Timestamp Skew (Seconds)',
						name: 'maxSkewSeconds',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: APP_PROXY_MAX_SKEW_SECONDS },
						default: 90,
						description: `App Proxy requests whose timestamp is older than this are refused (replays). At most ${APP_PROXY_MAX_SKEW_SECONDS} s: a larger value is used as ${APP_PROXY_MAX_SKEW_SECONDS} s. A timestamp more than 90 s ahead is always refused.`,
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			// Shopify calls us: check the values can verify its requests.
			shopifyAppTest: localCredentialTest(
				(data) => {
					const shops = shopDomains(data.shopDomains);
					if (
						!shops.length ||
						!shops.every((shop) => /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop))
					) {
						return 'Enter the shop domain(s) as your-store.myshopify.com';
					}
					if (!String(data.clientId ?? '').trim()) return "Enter the app's client ID";
					if (String(data.clientSecret ?? '').length < 16) return "Enter the app's client secret";
					return undefined;
				},
				(data) => `Requests from ${shopDomains(data.shopDomains).join(', ')} can be verified`,
			),
		},
	};

	// Shopify calls the URL configured in the app (App Proxy URL / extension code): nothing to register.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const verification = this.getNodeParameter('verification') as string;
		// Refusals are never cached; a browser reads them only with the CORS headers (session token).
		const refusalHeaders = {
			...(verification === 'sessionToken' ? CORS_HEADERS : {}),
			'Cache-Control': 'no-store',
		};
		return await answerRefusals.call(
			this,
			async () => await receiveMyPageRequest.call(this, verification),
			refusalHeaders,
		);
	}
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
	const credentials = await this.getCredentials('shopifyAppApi');
	const shops = shopDomains(credentials.shopDomains);
	const secret = String(credentials.clientSecret ?? '');
	if (verification === 'sessionToken') {
		const authorization = headerValue(req.headers as IDataObject, 'authorization') ?? '';
		const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? '';
		const verified = verifySessionToken(token, secret, String(credentials.clientId ?? ''), shops);
		if (!verified.ok) throw verificationRefusal(verified.status, verified.reason);
		return { ...verified.value, pathPrefix: null };
	}
	const url = String((req as unknown as { originalUrl?: string }).originalUrl ?? req.url ?? '');
	const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
	const settings = this.getNodeParameter('settings', {}) as IDataObject;
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
async function receiveMyPageRequest(
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
