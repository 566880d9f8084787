import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { duplicateWindowOption } from '../../shared/webhook/duplicates';
import { localCredentialTest, manualWebhookMethods } from '../../shared/webhook/manualWebhook';
import { rawBodyParameterV1 } from '../../shared/webhook/rawBody';
import { answerRefusals } from '../../shared/webhook/refusal';
import { receiveDelivery } from './receive';

export class IminTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'imin Trigger',
		name: 'iminTrigger',
		icon: { light: 'file:../imin.svg', dark: 'file:../imin.dark.svg' },
		group: ['trigger'],
		// 2: n8n parses the body (no per-request binaryData evaluation; see rawBodyParameterV1)
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when imin sends a webhook (Checkout Success, Customer ' +
			'Detail Change, Seller Onboarding)',
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
					"imin has no API to register webhooks: give your imin liaison this node's " +
					'Production URL and the key of the credential (imin sends it in the X-Api-Key ' +
					'header).',
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
			rawBodyParameterV1,
			{
				displayName: 'Options',
				name: 'settings',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					duplicateWindowOption(
						1440,
						'Deliveries with the same content (the same order delivered again) within this window are marked "duplicate: true"; they are still emitted',
					),
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
		return await answerRefusals.call(this, async () => await receiveDelivery.call(this));
	}
}
