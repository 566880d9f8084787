import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { idOf } from '../helpers/jsonld';
import { localCredentialTest, manualWebhookMethods } from '../../shared/manualWebhook';
import { RecentKeys, rawBodyParameter, readBody } from '../../shared/rawBody';
import { parseTolerantJson } from '../../shared/tolerantJson';
import { headerValue, safeEqual } from '../../shared/webhookAuth';
import {
	contentKey,
	guessIminEvent,
	invalidIminBody,
	normalizeSuccess,
	referencedOrder,
	unwrapIminBody,
} from './normalize';

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
		icon: { light: 'file:../imin.svg', dark: 'file:../imin.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when imin sends a webhook (Checkout Success, Customer Detail Change, Seller Onboarding)',
		defaults: { name: 'imin Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminWebhookApi', required: true, testedBy: 'iminWebhookKeyTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'imin',
			},
		],
		properties: [
			{
				displayName:
					"imin has no API to register webhooks: give your imin liaison this node's Production URL and the key of the credential (imin sends it in the X-Api-Key header).",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Checkout Success',
						value: 'checkoutSuccess',
						description: 'A booking was completed in imin Checkout',
					},
					{
						name: 'Customer Detail Change',
						value: 'customerDetailChange',
						description: 'A customer account changed (re-fetch it)',
					},
					{
						name: 'Seller Onboarding',
						value: 'sellerOnboarding',
						description: 'A seller onboarded, updated or was removed',
					},
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
						description:
							'Deliveries with the same content (the same order delivered again) within this window are marked "duplicate: true"; they are still emitted',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			// imin calls us, so there is nothing to call: check the key is usable as a shared secret.
			iminWebhookKeyTest: localCredentialTest(
				(data) =>
					String(data.apiKey ?? '').length < 16 ? 'Use a key of at least 16 characters' : undefined,
				'The key is usable',
			),
		},
	};

	// imin has no webhook registration API: the URL is given to imin by hand, so these are no-ops.
	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials('iminWebhookApi');
		const req = this.getRequestObject();
		if (
			!safeEqual(
				headerValue(req.headers as IDataObject, 'x-api-key'),
				String(credentials.apiKey ?? ''),
			)
		) {
			answer.call(this, 401, {
				error: 'unauthorized',
				reason: 'missing or wrong X-Api-Key header',
			});
			return { noWebhookResponse: true };
		}
		const read = await readBody.call(this);
		if (!read.ok) {
			answer.call(this, read.status, { error: read.error, reason: read.reason });
			return { noWebhookResponse: true };
		}
		const events = this.getNodeParameter('events', []) as string[];
		const settings = this.getNodeParameter('settings', {}) as IDataObject;
		const windowMs = Number(settings.duplicateWindowMinutes ?? 1440) * 60_000;
		const stored = this.getWorkflowStaticData('node') as { recent?: Record<string, number> };
		const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
		const emit = (item: IDataObject, content: unknown, text?: string): IWebhookResponseData => {
			const key = contentKey(content, text);
			const duplicate = recentDeliveries.seen(scope, key, windowMs, (stored.recent ??= {}));
			// imin expects a quick 204; the workflow runs after the answer.
			answer.call(this, 204);
			return {
				noWebhookResponse: true,
				workflowData: [
					this.helpers.returnJsonArray([
						{ ...item, duplicate, dedupeKey: key, receivedAt: new Date().toISOString() },
					]),
				],
			};
		};

		// From here on the sender holds the key: whatever it sent is answered 2xx and emitted, marked
		// `recognized: false` with the reason when its shape is not one this node knows. imin documents
		// the Customer Detail Change body only; the Success Webhook's payload is not published
		// (https://docs.imin.co/platform-products/firehose-and-checkout/loading-the-checkout-via-firehose),
		// so a shape we did not foresee must reach the workflow, not be refused.
		const parsed = parseTolerantJson(read.text);
		if (!parsed.ok) {
			const reason =
				read.text.trim() === '' ? 'the body is empty' : `the body is not JSON: ${parsed.reason}`;
			return emit(
				{ event: 'unknown', recognized: false, reason, raw: null, rawText: read.text },
				undefined,
				read.text,
			);
		}
		if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
			return emit(
				{
					event: 'unknown',
					recognized: false,
					reason: 'the body is JSON but not an object',
					raw: parsed.value as IDataObject,
				},
				parsed.value,
			);
		}
		const original = parsed.value as IDataObject;
		const { body, event, wrapper } = unwrapIminBody(original);
		if (!event) {
			const guess = guessIminEvent(original);
			const orderUrl = guess === 'checkoutSuccess' ? referencedOrder(original) : null;
			const reason =
				guess === 'checkoutSuccess'
					? `not an imin Order${orderUrl ? `: it names the order ${orderUrl} (fetch it with the imin node, Order > Get)` : ''}`
					: 'not an imin Order, CustomerAccount or seller onboarding action';
			return emit(
				{
					event: guess,
					recognized: false,
					reason,
					...(orderUrl ? { orderUrl } : {}),
					raw: original,
				},
				original,
			);
		}
		const invalid = invalidIminBody(event, body);
		if (!invalid && !events.includes(event)) {
			// Recognised, but not an event this workflow listens to: received (imin expects 204), nothing starts.
			answer.call(this, 204);
			return { noWebhookResponse: true };
		}
		// An Order whose fields are missing or of the wrong type is still emitted, with what could be read.
		const details = event === 'checkoutSuccess' ? normalizeSuccess(body) : {};
		return emit(
			{
				event,
				recognized: !invalid,
				...(invalid ? { reason: invalid } : {}),
				...(wrapper ? { unwrappedFrom: wrapper } : {}),
				...details,
				...(event === 'customerDetailChange'
					? { customerAccountUrl: idOf(body) ?? null, customerIdentifier: body.identifier ?? null }
					: {}),
				...(event === 'sellerOnboarding'
					? {
							action: String(body.type ?? body['@type'] ?? ''),
							sellerId: idOf(body.agent) ?? null,
							result: body.result ?? body.object ?? null,
						}
					: {}),
				raw: original,
			},
			body,
		);
	}
}
