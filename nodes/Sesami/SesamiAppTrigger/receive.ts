import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { unauthorized } from '../../shared/webhook/refusal';
import { appCredentials, emit, timestampWindow } from './app';
import { startInstall } from './install';
import { assertShopServed, rememberAppId } from './installs';
import { bridgeScript, CONTEXT_LIFETIME_SECONDS, examplePage, signContext } from './page';
import {
	requireParams,
	singleParams,
	verifyAppToken,
	verifyParamsHmac,
	verifyTimestamp,
	withoutKeys,
} from './verify';

/**
 * The app's URL (the trigger's base production URL): the Admin loads the app's page there, and
 * Sesami starts an install there (sesami-apps-boilerplate server/src/application.ts `GET /`).
 */

/** The eight parameters of every Admin load (boilerplate server/src/sesami/authentication/helper.ts). */
export const LOAD_PARAMS = [
	'appId',
	'locale',
	'messageId',
	'shopId',
	'target',
	'timestamp',
	'token',
	'hmac',
] as const;

/** The Admin targets that load an app page (app-message src/types/app-target.type.ts). */
export const ADMIN_TARGETS = ['ADMIN_APP_LOADER', 'ADMIN_APPOINTMENT_DETAILS'];

/**
 * GET on the app URL: an install when it carries none of a load's own parameters (`token`,
 * `messageId`, `target`, `appId`; Sesami sends `shopId`, `timestamp`, `hmac`), else a load, which
 * needs all eight parameters.
 */
export async function receiveAppUrl(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const params = singleParams(this.getRequestObject().query);
	const isInstall = !params.token && !params.messageId && !params.target && !params.appId;
	if (isInstall) return await startInstall.call(this, params);
	return await receiveLoad.call(this, params);
}

/**
 * An Admin load: all eight parameters; the HMAC over every other parameter (extra ones such as an
 * `appointmentId` included, as the boilerplate signs the whole query); a fresh timestamp; the
 * token (HS256, this client, this shop); a shop the trigger serves. Emits `load` with what the
 * page needs; the workflow answers with a Respond to Webhook node.
 */
async function receiveLoad(
	this: IWebhookFunctions,
	params: Record<string, string>,
): Promise<IWebhookResponseData> {
	requireParams(params, LOAD_PARAMS);
	const credentials = await appCredentials(this);
	verifyParamsHmac(params, params.hmac, credentials.clientSecret);
	verifyTimestamp(params.timestamp, timestampWindow(this));
	const user = verifyAppToken(
		params.token,
		credentials.clientSecret,
		credentials.clientId,
		params.shopId,
	);
	if (!ADMIN_TARGETS.includes(params.target)) throw unauthorized('unknown target');
	assertShopServed(this, params.shopId);
	rememberAppId(this, params.appId);
	const appointmentId = params.appointmentId || null;
	const context = signContext(
		{
			shopId: params.shopId,
			appointmentId,
			target: params.target,
			userId: user.userId,
			exp: Math.floor(Date.now() / 1000) + CONTEXT_LIFETIME_SECONDS,
		},
		credentials.clientSecret,
	);
	const script = bridgeScript(context);
	const query = withoutKeys(params, ['hmac', 'token']);
	return {
		workflowData: emit(this, {
			event: 'load',
			target: params.target,
			shopId: params.shopId,
			appointmentId,
			locale: params.locale,
			appId: params.appId,
			messageId: params.messageId,
			user: { userId: user.userId, email: user.email },
			query,
			page: { bridgeScript: script, context, html: examplePage(script, 'Sesami App') },
		}),
	};
}
