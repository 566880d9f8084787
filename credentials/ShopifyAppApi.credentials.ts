import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The Shopify app whose App Proxy and customer-account extension call the "My Page" backend:
 * its client secret signs App Proxy requests and session tokens.
 */
export class ShopifyAppApi implements ICredentialType {
	name = 'shopifyAppApi';

	displayName = 'Shopify App API';

	icon: Icon = {
		light: 'file:../nodes/Sesami/sesami.svg',
		dark: 'file:../nodes/Sesami/sesami.dark.svg',
	};

	documentationUrl =
		'https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Domains',
			name: 'shopDomains',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. your-store.myshopify.com',
			description: 'The store(s) allowed to call, as *.myshopify.com domains (comma-separated)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description: "The app's client ID (API key): session tokens must be issued for it (aud)",
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The app's client secret (API secret key): it signs App Proxy requests and session tokens",
		},
	];
}
