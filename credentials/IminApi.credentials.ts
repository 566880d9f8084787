import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * imin (Firehose, Checkout, Booking Platform). imin issues one API key per product; it is sent as
 * `X-API-KEY` on every call, server side only.
 */
export class IminApi implements ICredentialType {
	name = 'iminApi';

	displayName = 'Imin API';

	icon: Icon = { light: 'file:../nodes/Imin/imin.svg', dark: 'file:../nodes/Imin/imin.dark.svg' };

	documentationUrl = 'https://docs.imin.co/using-the-platform/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key imin issued for this product (sent as the X-API-KEY header)',
		},
		{
			displayName: 'Firehose Base URL',
			name: 'firehoseBaseUrl',
			type: 'string',
			default: 'https://firehose.imin.co/firehose/',
			description:
				'Base of the Firehose feeds; feed names (session-series, ' +
				'scheduled-sessions...) are appended. Some accounts use ' +
				'https://firehose.imin.co/firehose/standard/.',
		},
		{
			displayName: 'Checkout Base URL',
			name: 'checkoutBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://checkout.example.com',
			description: 'Your imin-hosted Checkout (the sub-domain agreed with imin)',
		},
		{
			displayName: 'Booking Platform Base URL',
			name: 'bookBaseUrl',
			type: 'string',
			default: 'https://book.imin.co/api/v2/',
			description: 'imin Booking Platform API (orders, customer accounts)',
		},
		{
			displayName: 'Broker Name',
			name: 'brokerName',
			type: 'string',
			default: '',
			description: 'Your broker name, as agreed with imin (sent in checkout sessions)',
		},
		{
			displayName: 'Broker Home Page URL',
			name: 'brokerUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://www.example.com',
			description: 'Sent as the broker URL in checkout sessions',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...((requestOptions.headers as Record<string, string>) ?? {}),
				'X-API-KEY': String(credentials.apiKey ?? ''),
			},
		};
	}

	// The first page of the SessionSeries feed: any valid key can read it.
	test: ICredentialTestRequest = {
		request: {
			url: '={{$credentials.firehoseBaseUrl.replace(/\\/*$/, "/")}}session-series',
			method: 'GET',
		},
	};
}
