import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { localCredentialTest, manualWebhookMethods } from '../../shared/webhook/manualWebhook';
import { rawBodyParameter } from '../../shared/webhook/rawBody';
import { answerRefusals } from '../../shared/webhook/refusal';
import { DEFAULT_TIMESTAMP_WINDOW_SECONDS } from './app';
import { credentialProblem } from './credentialCheck';
import { CALLBACK_PATH, receiveCallback } from './install';
import { receiveAction } from './action';
import { receiveAppUrl } from './receive';
import { receiveAppWebhook } from './webhooks';

/**
 * Which of the trigger's webhooks a request came to: n8n names webhooks only 'default' or
 * 'setup', so the path (`<webhookId>/<path>` under the webhook or webhook-test root) tells.
 */
function routeOf(context: IWebhookFunctions): 'app' | 'callback' | 'webhooks' | 'action' {
	const req = context.getRequestObject() as unknown as { path?: string; url?: string };
	const path = String(req.path ?? req.url ?? '')
		.split('?')[0]
		.replace(/\/+$/, '');
	if (path.endsWith(`/${CALLBACK_PATH}`)) return 'callback';
	if (path.endsWith('/webhooks')) return 'webhooks';
	if (path.endsWith('/action')) return 'action';
	return 'app';
}

/**
 * Sesami App Trigger: the backend of a Sesami App (https://sesami.dev/docs/sesami-apps/), with
 * the routes of Sesami's official backend https://github.com/sesamiapp/sesami-apps-boilerplate
 * (server/src/application.ts) under the trigger's URL: the app URL (Admin loads, install start),
 * `oauth/call-back` (install callback), `webhooks` (uninstall) and `action` (the page's actions).
 */
export class SesamiAppTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sesami App Trigger',
		name: 'sesamiAppTrigger',
		icon: { light: 'file:../sesami.svg', dark: 'file:../sesami.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Shops: " + $parameter["shops"]}}',
		description:
			'Backend of a Sesami App: verifies Admin page loads, installs, the uninstall webhook ' +
			'and actions from the page, and emits each as an event',
		defaults: { name: 'Sesami App Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sesamiAppApi', required: true, testedBy: 'sesamiAppTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'responseNode',
				path: '',
				isFullPath: true,
			},
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: CALLBACK_PATH },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhooks' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'responseNode', path: 'action' },
		],
		properties: [
			{
				displayName:
					'Register the production URL of "default" as the app\'s URL in Sesami and ' +
					'<app URL>/oauth/call-back as its redirect URI; Sesami sends the uninstall webhook to ' +
					'<app URL>/webhooks. Events: load (answer with the page through Respond to Webhook: ' +
					'put {{ $json.page.bridgeScript }} in its head, or answer {{ $json.page.html }}), ' +
					'action (answer JSON through Respond to Webhook), installed (store shopId and token), ' +
					'uninstalled. Requests that fail a check get 401 and start no execution.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Shops',
				name: 'shops',
				type: 'options',
				options: [
					{
						name: 'Installed Through This Trigger',
						value: 'installed',
						description: 'A public app: loads are accepted for shops that installed it here',
					},
					{
						name: 'Listed Shops',
						value: 'listed',
						description: 'A private app: loads are accepted for the listed shop IDs',
					},
					{
						name: 'Any Shop',
						value: 'any',
						description: 'Any shop whose request Sesami signed for this app',
					},
				],
				default: 'installed',
				description:
					'Which shops the app serves. A shop that uninstalled the app is refused until it installs again.',
			},
			{
				displayName: 'Shop IDs',
				name: 'shopIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 64f0c2a1b2c3d4e5f6a7b8c9',
				description: 'Sesami shop IDs, separated by commas or spaces',
				displayOptions: { show: { shops: ['listed'] } },
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
						displayName: 'Timestamp Window (Seconds)',
						name: 'timestampWindowSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_TIMESTAMP_WINDOW_SECONDS,
						description:
							'Signed loads, install starts and callbacks whose timestamp is further than this from the clock are refused (replays)',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			// Sesami calls us and documents no endpoint to check the pair: check the values.
			sesamiAppTest: localCredentialTest(
				credentialProblem,
				'The values are well formed (Sesami offers no endpoint to check them against)',
			),
		},
	};

	// The app URL is registered by hand in Sesami Admin > Developer: nothing to register here.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const route = routeOf(this);
		return await answerRefusals.call(
			this,
			async () => {
				if (route === 'callback') return await receiveCallback.call(this);
				if (route === 'webhooks') return await receiveAppWebhook.call(this);
				if (route === 'action') return await receiveAction.call(this);
				return await receiveAppUrl.call(this);
			},
			{ 'Cache-Control': 'no-store' },
		);
	}
}
