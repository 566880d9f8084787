import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from '../../shared/httpRetry';
import { isSesamiId } from '../helpers/constants';

/**
 * Who the Sesami node calls the Admin API as (its Authentication parameter):
 *
 * - `personalAccessToken` (the default, so saved workflows without the parameter keep working
 *   unchanged): the Sesami API credential (`sesamiApi`) holds the token, shop and Default Timezone.
 * - `appInstallation`: a Sesami App installed on many shops. The Sesami App credential
 *   (`sesamiAppApi`) gives the API base URL and adds `x-client-id`; the shop ID and its offline
 *   token come from each item (typically a row of the installations Data Table), sent as
 *   `x-shop-id` and `x-api-key` (https://sesami.dev/docs/sesami-api/make-a-request; the official
 *   backend sends the same three headers:
 *   https://github.com/sesamiapp/sesami-apps-boilerplate server/src/sesami/installation/Sesami.service.ts).
 *   App tokens are read-only (scope `Shop:Read`, https://sesami.dev/docs/sesami-apps/): writes are
 *   refused before anything is sent (`refuseAppWrite`, and every non-GET call in the transport).
 */
export const SESAMI_CREDENTIAL = 'sesamiApi';
export const SESAMI_APP_CREDENTIAL = 'sesamiAppApi';

export const AUTHENTICATION = {
	parameter: 'authentication',
	personal: 'personalAccessToken',
	app: 'appInstallation',
} as const;

/** The App Installation parameters of the Sesami node. */
export const APP_PARAMETERS = {
	shopId: 'appShopId',
	accessToken: 'appAccessToken',
	timezone: 'appTimezone',
} as const;

/** The Default Timezone of an app installation when the node leaves it empty. */
export const APP_DEFAULT_TIMEZONE = 'UTC';

const DEFAULT_BASE_URL = 'https://api.sesami.co/api/v1';

export interface SesamiSettings {
	/** The credential type every call is made with (httpRequestWithAuthentication). */
	credentialType: typeof SESAMI_CREDENTIAL | typeof SESAMI_APP_CREDENTIAL;
	baseUrl: string;
	shopId: string;
	timezone: string;
	/** App Installation only: the shop's offline token (x-api-key). Never logged or output. */
	appToken?: string;
}

function isExecute(context: RequestContext): context is IExecuteFunctions {
	return typeof (context as IExecuteFunctions).getInputData === 'function';
}

/** A node parameter in the execute (per item) or the other contexts (no item). */
function parameter(this: RequestContext, name: string, itemIndex: number | undefined): unknown {
	if (isExecute(this)) return this.getNodeParameter(name, itemIndex ?? 0, '');
	return (this as ILoadOptionsFunctions).getNodeParameter(name, '');
}

/** Whether this node calls Sesami as an app installation (only the Sesami node can). */
export function usesAppInstallation(this: RequestContext, itemIndex?: number): boolean {
	const value = isExecute(this)
		? this.getNodeParameter(AUTHENTICATION.parameter, itemIndex ?? 0, AUTHENTICATION.personal)
		: this.getNode().parameters?.[AUTHENTICATION.parameter];
	return value === AUTHENTICATION.app;
}

function baseUrlOf(value: unknown): string {
	return String(value || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** The item's shop ID and token, checked; the token is never part of a message. */
function appInstallation(this: RequestContext, itemIndex: number | undefined) {
	const node = this.getNode();
	// The editor's lists have no item: an expression on the item's row cannot be read there.
	const inEditor = isExecute(this)
		? ''
		: ' The lists in the editor need fixed values here: choose By ID when they are expressions.';
	const shopId = String(parameter.call(this, APP_PARAMETERS.shopId, itemIndex) ?? '').trim();
	const length = shopId.length;
	if (!isSesamiId(shopId)) {
		// The value is not repeated: a token pasted into the wrong field must not end up in the error.
		throw new NodeOperationError(
			node,
			length
				? `The Shop ID of the app installation is not a Sesami shop ID (${length} characters)`
				: 'The Shop ID of the app installation is empty',
			{
				itemIndex,
				description:
					'App Installation needs the Sesami Admin shop ID (24 hexadecimal characters) of ' +
					`the installation, e.g. {{ $json.shopId }} from the installations table row.${inEditor}`,
			},
		);
	}
	const appToken = String(parameter.call(this, APP_PARAMETERS.accessToken, itemIndex) ?? '').trim();
	if (!appToken) {
		throw new NodeOperationError(node, 'The Access Token of the app installation is empty', {
			itemIndex,
			description:
				`App Installation needs the offline token Sesami issued when shop ${shopId} installed ` +
				`the app, e.g. {{ $json.token }} from the installations table row.${inEditor}`,
		});
	}
	const timezone =
		String(parameter.call(this, APP_PARAMETERS.timezone, itemIndex) ?? '').trim() ||
		APP_DEFAULT_TIMEZONE;
	return { shopId, appToken, timezone };
}

/**
 * The Sesami account of this call: credential type, API base, shop, Default Timezone (and, for an
 * app installation, the item's token). `itemIndex` picks the item an app installation's shop and
 * token are read from.
 */
export async function getSesamiSettings(
	this: RequestContext,
	itemIndex?: number,
): Promise<SesamiSettings> {
	if (usesAppInstallation.call(this, itemIndex)) {
		const credentials = await this.getCredentials(SESAMI_APP_CREDENTIAL);
		return {
			credentialType: SESAMI_APP_CREDENTIAL,
			baseUrl: baseUrlOf(credentials.baseUrl),
			...appInstallation.call(this, itemIndex),
		};
	}
	const credentials = await this.getCredentials(SESAMI_CREDENTIAL);
	return {
		credentialType: SESAMI_CREDENTIAL,
		baseUrl: baseUrlOf(credentials.baseUrl),
		shopId: String(credentials.shopId ?? '').trim(),
		timezone: String(credentials.timezone || '').trim() || 'UTC',
	};
}

/** The refusal of a write with an app installation's read-only token. */
export function appWriteRefusal(
	this: RequestContext,
	what: string,
	itemIndex: number | undefined,
): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`${what} needs a Sesami personal access token with write permission: app installation tokens are read-only`,
		{
			itemIndex,
			description:
				'Sesami Apps get the Shop:Read scope only (https://sesami.dev/docs/sesami-apps/), so ' +
				'nothing was sent to Sesami. Set Authentication to Personal Access Token and choose a ' +
				'Sesami API credential whose token was created with write permission for this shop.',
		},
	);
}

/** Throws appWriteRefusal when this item is run with an app installation. */
export function refuseAppWrite(this: IExecuteFunctions, what: string, itemIndex: number): void {
	if (usesAppInstallation.call(this, itemIndex)) throw appWriteRefusal.call(this, what, itemIndex);
}
