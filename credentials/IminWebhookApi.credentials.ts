import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The key imin sends to you in the `X-Api-Key` header of its webhooks (Checkout Success, Customer
 * Detail Change, Seller Onboarding). It is agreed with your imin liaison and is NOT your imin API key.
 */
export class IminWebhookApi implements ICredentialType {
	name = 'iminWebhookApi';

	displayName = 'Imin Webhook API';

	icon: Icon = { light: 'file:../nodes/Imin/imin.svg', dark: 'file:../nodes/Imin/imin.dark.svg' };

	documentationUrl =
		'https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The value imin sends in the X-Api-Key header of its webhooks to you (agreed with imin)',
		},
	];
}
