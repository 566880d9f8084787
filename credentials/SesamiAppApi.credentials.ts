import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * Sesami App: the client ID and client secret Sesami shows when an app is registered (Sesami
 * Admin > Developer > "Register a new app": name, domain, redirect URIs), and where the app is
 * served. https://sesami.dev/docs/sesami-apps/ ; the official backend
 * https://github.com/sesamiapp/sesami-apps-boilerplate (server/src/sesami/).
 *
 * The client secret keys every signature Sesami makes for the app: the HMAC over a load's query
 * parameters, the install and callback parameters and the uninstall webhook's `data`, and the
 * HS256 token the Admin hands to the app's page. There is no documented endpoint to check the pair
 * against, so the credential test checks that the values are well formed (see the nodes'
 * `credentialTest`). API calls made with an app installation send the shop's offline token
 * (`x-api-key`) and the shop (`x-shop-id`) from the item; this credential adds `x-client-id`.
 */
export class SesamiAppApi implements ICredentialType {
	name = 'sesamiAppApi';

	displayName = 'Sesami App API';

	icon: Icon = {
		light: 'file:../nodes/Sesami/sesami.svg',
		dark: 'file:../nodes/Sesami/sesami.dark.svg',
	};

	documentationUrl = 'https://sesami.dev/docs/sesami-apps/';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description: 'Client ID Sesami shows for the registered app',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Client secret Sesami shows for the registered app. It verifies every signature ' +
				'Sesami makes for the app.',
		},
		{
			displayName: 'App URL',
			name: 'appUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://n8n.example.com/webhook/sesami-app',
			description:
				"The app's address as registered in Sesami (its domain): the Sesami App Trigger's " +
				'production URL',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.sesami.co/api/v1',
			description: 'Root of the Sesami API (authorization page, token exchange, Admin API)',
		},
		{
			displayName: 'Admin URL',
			name: 'adminUrl',
			type: 'string',
			default: 'https://admin.sesami.co',
			description: 'Sesami Admin, where the merchant returns after installing the app',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// The shop's token and shop ID come from the item (the node sets them); the app is this one.
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				'x-client-id': String(credentials.clientId ?? '').trim(),
			},
		};
	}
}
