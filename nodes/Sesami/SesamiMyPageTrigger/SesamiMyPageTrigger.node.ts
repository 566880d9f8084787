import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { localCredentialTest, manualWebhookMethods } from '../../shared/webhook/manualWebhook';
import { rawBodyParameterV1 } from '../../shared/webhook/rawBody';
import { answerRefusals } from '../../shared/webhook/refusal';
import { receiveMyPageRequest, refusalHeaders } from './receive';
import { APP_PROXY_MAX_SKEW_SECONDS, shopDomains } from './shopifyAuth';

export class SesamiMyPageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sesami My Page Trigger',
		name: 'sesamiMyPageTrigger',
		icon: { light: 'file:../sesami.svg', dark: 'file:../sesami.dark.svg' },
		group: ['trigger'],
		// 2: n8n parses the body (no per-request binaryData evaluation; see rawBodyParameterV1)
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["verification"] === "sessionToken" ? "Session token" : "App Proxy"}}',
		description:
			'Backend of a Shopify "My Page": verifies that a request comes from the ' +
			'logged-in customer (App Proxy signature or session token) before the workflow ' +
			'lists, reschedules or cancels their Sesami appointments',
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
							'Theme pages call the app proxy path (/apps/your-subpath); Shopify signs the ' +
							'query and adds logged_in_customer_ID',
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
					'Answer with a "Respond to Webhook" node. Requests that fail verification get ' +
					'401 (403 for another shop, 400 for a repeated shop, timestamp or signature) ' +
					'and start no execution; malformed actions get 400.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			rawBodyParameterV1,
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
		return await answerRefusals.call(
			this,
			async () => await receiveMyPageRequest.call(this, verification),
			refusalHeaders(verification),
		);
	}
}
