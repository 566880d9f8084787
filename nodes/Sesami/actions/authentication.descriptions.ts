import type { INodeProperties } from 'n8n-workflow';

import {
	APP_DEFAULT_TIMEZONE,
	APP_PARAMETERS,
	AUTHENTICATION,
	SESAMI_APP_CREDENTIAL,
	SESAMI_CREDENTIAL,
} from '../transport/auth';

const showForApp = { show: { [AUTHENTICATION.parameter]: [AUTHENTICATION.app] } };

/**
 * The Sesami node's credentials: the Sesami API credential (Personal Access Token) or the Sesami
 * App credential (App Installation), as n8n's nodes with several authentication types declare them.
 */
export const credentials = [
	{
		name: SESAMI_CREDENTIAL,
		required: true,
		displayOptions: { show: { [AUTHENTICATION.parameter]: [AUTHENTICATION.personal] } },
	},
	{ name: SESAMI_APP_CREDENTIAL, required: true, displayOptions: showForApp },
];

/**
 * Authentication, and the App Installation's shop, token and Default Timezone (per item, usually
 * expressions on a row of the installations table). Personal Access Token is the default, so
 * workflows saved before the parameter existed keep using the Sesami API credential.
 */
export const authenticationProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: AUTHENTICATION.parameter,
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Personal Access Token',
				value: AUTHENTICATION.personal,
				description: 'One shop, with the token of a Sesami API credential (can write)',
			},
			{
				name: 'App Installation',
				value: AUTHENTICATION.app,
				description:
					'Shops that installed your Sesami App: shop ID and token from each item (read-only)',
			},
		],
		default: 'personalAccessToken',
	},
	{
		displayName:
			'App installation tokens are read-only: cancel, reschedule, check-in, no-show, resend ' +
			'confirmation, customer create and Flow changes need a Personal Access Token',
		name: 'appInstallationNotice',
		type: 'notice',
		default: '',
		displayOptions: showForApp,
	},
	{
		displayName: 'Shop ID',
		name: APP_PARAMETERS.shopId,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.shopId }}',
		description:
			'Sesami Admin shop ID (24 hexadecimal characters) of the installation, usually from the ' +
			'installations table row of this item',
		displayOptions: showForApp,
	},
	{
		displayName: 'Access Token',
		name: APP_PARAMETERS.accessToken,
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			"The shop's offline token Sesami issued at install (sent as x-api-key), usually from the " +
			'installations table row of this item',
		displayOptions: showForApp,
	},
	{
		displayName: 'Default Timezone',
		name: APP_PARAMETERS.timezone,
		type: 'string',
		default: APP_DEFAULT_TIMEZONE,
		placeholder: 'e.g. Europe/London',
		description:
			"IANA timezone sent to Sesami when an operation sets none, and the fallback for the shop's " +
			'zone; may be an expression per item',
		displayOptions: showForApp,
	},
];
