import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { WebhookRefusal, unauthorized } from '../../shared/webhook/refusal';
import { appCredentials, CREDENTIAL, emit, timestampWindow } from './app';
import {
	installPending,
	installState,
	markInstallStarted,
	setShopStatus,
	shopIdList,
} from './installs';
import type { SignedParams } from './verify';
import {
	hmacMatchesAny,
	requireParams,
	sesamiHmac,
	singleParams,
	verifyTimestamp,
	withoutKeys,
} from './verify';

/**
 * The install of a public app, as Sesami's official backend runs it
 * (https://github.com/sesamiapp/sesami-apps-boilerplate server/src/sesami/api/installation/
 * Installation.controller.ts, installation/Installation.service.ts, Sesami.service.ts):
 * `GET <app URL>?shopId&timestamp&hmac` (HMAC over {shopId, timestamp}) -> redirect to
 * `<API>/oauth/authorization?clientId&shopId&scopes[]=Shop:Read&redirectUri=<app URL>/oauth/call-back`
 * -> `GET <app URL>/oauth/call-back?shopId&code&timestamp&hmac` (HMAC over {code, shopId,
 * timestamp}) -> `POST <API>/oauth/access-token {code, shopId, clientId, clientSecret}` ->
 * `{token, clientId, expireAt, name}`: the shop's offline token, emitted for the workflow to store.
 * Unlike the boilerplate, both timestamps must be fresh and the HMACs are compared in constant time.
 */

/** The scope apps get (boilerplate CURRENT_APP_PERMISSIONS; apps are read-only, sesami.md §7.4). */
export const APP_SCOPE = 'Shop:Read';

/** The callback's path under the app URL (boilerplate `oauth/call-back`). */
export const CALLBACK_PATH = 'oauth/call-back';

/**
 * The HMAC over exactly `names` (as the boilerplate builds the object) or, if Sesami adds and
 * signs more parameters, over all of them; constant time either way.
 */
function verifyNamedHmac(params: SignedParams, names: string[], secret: string): void {
	const hmac = params.hmac ?? '';
	if (!/^[0-9a-fA-F]{64}$/.test(hmac)) throw unauthorized('missing or malformed hmac');
	const all = withoutKeys(params, ['hmac']);
	const named = Object.fromEntries(names.map((name) => [name, params[name]]));
	if (!hmacMatchesAny(hmac, [sesamiHmac(named, secret), sesamiHmac(all, secret)]))
		throw unauthorized('hmac does not match');
}

function redirect(context: IWebhookFunctions, location: string): void {
	const res = context.getResponseObject();
	res.setHeader('Location', location);
	res.setHeader('Cache-Control', 'no-store');
	res.status(302).end();
}

/** Private apps (Shops: listed) install only for the listed shops. */
function assertInstallAllowed(context: IWebhookFunctions, shopId: string): void {
	const mode = context.getNodeParameter('shops', 'installed') as string;
	if (mode === 'listed' && !shopIdList(context.getNodeParameter('shopIds', '')).includes(shopId))
		throw unauthorized('shop not allowed');
}

/** `GET <app URL>?shopId&timestamp&hmac`: checked, then the merchant goes to Sesami's consent page. */
export async function startInstall(
	this: IWebhookFunctions,
	params: SignedParams,
): Promise<IWebhookResponseData> {
	requireParams(params, ['shopId', 'timestamp', 'hmac']);
	const credentials = await appCredentials(this);
	verifyNamedHmac(params, ['shopId', 'timestamp'], credentials.clientSecret);
	verifyTimestamp(params.timestamp, timestampWindow(this));
	assertInstallAllowed(this, params.shopId);
	markInstallStarted(this, params.shopId);
	const url = new URL(`${credentials.baseUrl}/oauth/authorization`);
	url.searchParams.set('clientId', credentials.clientId);
	url.searchParams.set('shopId', params.shopId);
	url.searchParams.append('scopes[]', APP_SCOPE);
	url.searchParams.set('redirectUri', `${credentials.appUrl}/${CALLBACK_PATH}`);
	redirect(this, url.toString());
	return { noWebhookResponse: true };
}

/** `POST <API>/oauth/access-token` through the credential; the offline token or a 502 refusal. */
async function exchangeCode(
	this: IWebhookFunctions,
	code: string,
	shopId: string,
): Promise<IDataObject> {
	const credentials = await appCredentials(this);
	let answer: unknown;
	let failure: number | undefined;
	try {
		answer = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
			method: 'POST',
			url: `${credentials.baseUrl}/oauth/access-token`,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: {
				code,
				shopId,
				clientId: credentials.clientId,
				clientSecret: credentials.clientSecret,
			},
			json: true,
		});
	} catch (error) {
		failure = (error as { response?: { status?: number } }).response?.status ?? 0;
	}
	if (failure !== undefined)
		throw new WebhookRefusal(
			502,
			'token exchange failed',
			`Sesami did not exchange the code${failure ? ` (HTTP ${failure})` : ''}`,
		);
	const body = (answer ?? {}) as IDataObject;
	if (typeof body.token !== 'string' || !body.token)
		throw new WebhookRefusal(502, 'token exchange failed', 'Sesami answered without a token');
	if (body.clientId !== undefined && String(body.clientId) !== credentials.clientId)
		throw new WebhookRefusal(502, 'token exchange failed', 'the token is for another client');
	return body;
}

/**
 * `GET <app URL>/oauth/call-back?shopId&code&timestamp&hmac`: checked (the shop must have started
 * an install here, as the boilerplate requires INITIATED), the code exchanged, `installed`
 * emitted with the token, the shop marked installed, and the merchant sent back to the Admin.
 */
export async function receiveCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const params = singleParams(this.getRequestObject().query);
	requireParams(params, ['shopId', 'code', 'timestamp', 'hmac']);
	const credentials = await appCredentials(this);
	verifyNamedHmac(params, ['code', 'shopId', 'timestamp'], credentials.clientSecret);
	verifyTimestamp(params.timestamp, timestampWindow(this));
	assertInstallAllowed(this, params.shopId);
	if (!installPending(this, params.shopId))
		throw unauthorized('no install was started for this shop');
	const answer = await exchangeCode.call(this, params.code, params.shopId);
	setShopStatus(this, params.shopId, 'installed', {
		name: typeof answer.name === 'string' ? answer.name : undefined,
	});
	const appId = installState(this).appId;
	redirect(this, `${credentials.adminUrl}/apps${appId ? `/${encodeURIComponent(appId)}` : ''}`);
	return {
		noWebhookResponse: true,
		workflowData: emit(this, {
			event: 'installed',
			shopId: params.shopId,
			token: answer.token as string,
			clientId: credentials.clientId,
			name: answer.name ?? null,
			expireAt: answer.expireAt ?? null,
			scopes: [APP_SCOPE],
		}),
	};
}
