import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { idOf } from '../Imin/helpers/jsonld';
import { localCredentialTest, manualWebhookMethods } from '../shared/manualWebhook';
import { RecentKeys, rawBodyParameter, readBody } from '../shared/rawBody';
import { parseTolerantJson } from '../shared/tolerantJson';
import { headerValue, safeEqual } from '../shared/webhookAuth';
import { detectIminEvent, invalidIminBody, normalizeSuccess } from './normalize';

const recentDeliveries = new RecentKeys();

function answer(this: IWebhookFunctions, status: number, body?: IDataObject): void {
	const res = this.getResponseObject();
	if (body) res.status(status).json(body);
	else res.status(status).end();
}

export class IminTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'imin Trigger',
		name: 'iminTrigger',
		icon: { light: 'file:../Imin/imin.svg', dark: 'file:../Imin/imin.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when imin sends a webhook (Checkout Success, Customer Detail Change, Seller Onboarding)',
		defaults: { name: 'imin Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminWebhookApi', required: true, testedBy: 'iminWebhookKeyTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'imin' }],
		properties: [
			{
				displayName:
					'imin has no API to register webhooks: give your imin liaison this node\'s Production URL and the key of the credential (imin sends it in the X-Api-Key header).',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Checkout Success', value: 'checkoutSuccess', description: 'A booking was completed in imin Checkout' },
					{ name: 'Customer Detail Change', value: 'customerDetailChange', description: 'A customer account changed (re-fetch it)' },
					{ name: 'Seller Onboarding', value: 'sellerOnboarding', description: 'A seller onboarded, updated or was removed' },
				],
				default: ['checkoutSuccess'],
				required: true,
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
						displayName: 'Duplicate Window (Minutes)',
						name: 'duplicateWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 1440,
						description: 'Deliveries of the same order (or the same @ID) within this window are marked "duplicate: true"',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			// imin calls us, so there is nothing to call: check the key is usable as a shared secret.
			iminWebhookKeyTest: localCredentialTest(
				(data) => (String(data.apiKey ?? '').length < 16 ? 'Use a key of at least 16 characters' : undefined),
				'The key is usable',
			),
		},
	};

	// imin has no webhook registration API: the URL is given to imin by hand, so these are no-ops.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials('iminWebhookApi');
		const req = this.getRequestObject();
		if (!safeEqual(headerValue(req.headers as IDataObject, 'x-api-key'), String(credentials.apiKey ?? ''))) {
			answer.call(this, 401, { error: 'unauthorized', reason: 'missing or wrong X-Api-Key header' });
			return { noWebhookResponse: true };
		}
		const read = await readBody.call(this);
		if (!read.ok) {
			answer.call(this, read.status, { error: read.error, reason: read.reason });
			return { noWebhookResponse: true };
		}
		const parsed = parseTolerantJson(read.text);
		if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
			answer.call(this, 400, { error: 'invalid body', reason: parsed.ok ? 'the body must be a JSON object' : parsed.reason });
			return { noWebhookResponse: true };
		}
		const body = parsed.value as IDataObject;
		const event = detectIminEvent(body);
		if (!event) {
			answer.call(this, 400, { error: 'invalid body', reason: 'not an imin Order, CustomerAccount or seller onboarding action' });
			return { noWebhookResponse: true };
		}
		const invalid = invalidIminBody(event, body);
		if (invalid) {
			answer.call(this, 400, { error: 'invalid body', reason: invalid });
			return { noWebhookResponse: true };
		}
		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(event)) {
			// Received (imin expects 204) but not for this workflow: start nothing.
			answer.call(this, 204);
			return { noWebhookResponse: true };
		}

		const details = event === 'checkoutSuccess' ? normalizeSuccess(body) : {};
		const key = String(details.orderId ?? idOf(body) ?? body.identifier ?? JSON.stringify(body));
		const settings = this.getNodeParameter('settings', {}) as IDataObject;
		const windowMs = Number(settings.duplicateWindowMinutes ?? 1440) * 60_000;
		const stored = this.getWorkflowStaticData('node') as { recent?: Record<string, number> };
		const duplicate = recentDeliveries.seen(`${this.getWorkflow().id ?? ''}:${this.getNode().name}`, `${event}|${key}`, windowMs, (stored.recent ??= {}));

		// imin expects a quick 204; the workflow runs after the answer.
		answer.call(this, 204);
		return {
			noWebhookResponse: true,
			workflowData: [
				this.helpers.returnJsonArray([
					{
						event,
						...details,
						...(event === 'customerDetailChange' ? { customerAccountUrl: idOf(body) ?? null, customerIdentifier: body.identifier ?? null } : {}),
						...(event === 'sellerOnboarding'
							? { action: String(body.type ?? body['@type'] ?? ''), sellerId: idOf(body.agent) ?? null, result: body.result ?? body.object ?? null }
							: {}),
						duplicate,
						dedupeKey: key,
						receivedAt: new Date().toISOString(),
						raw: body,
					},
				]),
			],
		};
	}
}
