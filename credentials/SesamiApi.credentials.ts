import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * Sesami Admin API (https://api.sesami.co/api/v1).
 *
 * Sesami authenticates with three headers: `x-api-key` (a Personal Access Token or an app's
 * offline token), `x-client-id` (shown next to the token) and `x-shop-id` (the Sesami Admin shop
 * id, a Mongo ObjectId — not the Shopify shop id). A newer docs revision shows only `x-api-key`,
 * so the client id is sent only when it is filled in.
 */
export class SesamiApi implements ICredentialType {
	name = 'sesamiApi';

	displayName = 'Sesami API';

	icon: Icon = {
		light: 'file:../nodes/Sesami/sesami.svg',
		dark: 'file:../nodes/Sesami/sesami.dark.svg',
	};

	documentationUrl = 'https://sesami.dev/docs/sesami-api/make-a-request';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Personal Access Token from Sesami Admin > Tokens (sent as the x-api-key ' +
				'header). Cancel, reschedule and Flow changes need a token with write ' +
				'permission.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description: 'Client ID shown together with the token (sent as x-client-id when set)',
		},
		{
			displayName: 'Sesami Shop ID',
			name: 'shopId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 64f1c2a9b7e4d3a1c2b3d4e5',
			description:
				'The Sesami Admin shop ID (a 24-character ID from the shop menu in Sesami ' +
				'Admin), not the Shopify shop ID. Sent as x-shop-id and used in every request ' +
				'path.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.sesami.co/api/v1',
			description: 'Root of the Sesami Admin REST API',
		},
		{
			displayName: 'Default Timezone',
			name: 'timezone',
			type: 'string',
			default: 'UTC',
			placeholder: 'e.g. Europe/London',
			description:
				'IANA timezone sent to Sesami when a node does not set one (Sesami renders ' +
				'appointment times in it)',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers: Record<string, string> = {
			...((requestOptions.headers as Record<string, string>) ?? {}),
			'x-api-key': String(credentials.apiKey ?? ''),
			'x-shop-id': String(credentials.shopId ?? '').trim(),
		};
		const clientId = String(credentials.clientId ?? '').trim();
		if (clientId) headers['x-client-id'] = clientId;
		return { ...requestOptions, headers };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/shops/{{encodeURIComponent($credentials.shopId.trim())}}',
			method: 'GET',
		},
	};
}
