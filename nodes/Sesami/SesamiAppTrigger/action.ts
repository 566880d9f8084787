import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { headerValue } from '../../shared/headers';
import { readBodyOrRefuse } from '../../shared/webhook/rawBody';
import { WebhookRefusal, unauthorized } from '../../shared/webhook/refusal';
import { appCredentials, emit } from './app';
import { assertShopServed } from './installs';
import { verifyContext } from './page';
import { verifyAppToken } from './verify';

/**
 * `POST <app URL>/action` from the app's page (the bridge script's `SesamiApp.postAction`), as the
 * boilerplate's page calls its backend (client/api/api-handler.ts: `Authorization: Bearer` with
 * the token from app-message `getToken()`). The token is checked as a load's; the signed context
 * of the load names the shop (and the appointment, when the load URL carried it), and the user in
 * the token must be the one the page was loaded for. In the appointment drawer the Admin hands
 * the appointment ID to the page only through postMessage (app-message
 * admin-appointment-details.ts: `payload.extra.appointmentId`), so the page sends it in the body:
 * it is emitted with `appointmentIdSource: "page"` (the staff user may open any appointment of the
 * shop anyway).
 */

function readJsonObject(text: string): IDataObject {
	let value: unknown;
	let parsed = true;
	try {
		value = JSON.parse(text);
	} catch {
		parsed = false;
	}
	if (!parsed) throw new WebhookRefusal(400, 'invalid request', 'the body is not JSON');
	if (!value || typeof value !== 'object' || Array.isArray(value))
		throw new WebhookRefusal(400, 'invalid request', 'the body must be a JSON object');
	return value as IDataObject;
}

export async function receiveAction(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const authorization = headerValue(req.headers as IDataObject, 'authorization') ?? '';
	const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? '';
	const credentials = await appCredentials(this);
	const user = verifyAppToken(token, credentials.clientSecret, credentials.clientId);
	const body = readJsonObject(await readBodyOrRefuse.call(this, 'invalid request'));
	const context = verifyContext(body.context, credentials.clientSecret);
	if (user.shopId !== null && user.shopId !== context.shopId)
		throw unauthorized('token for another shop');
	if (context.userId !== null && user.userId !== context.userId)
		throw unauthorized('token for another user');
	assertShopServed(this, context.shopId);
	if (typeof body.action !== 'string' || !/^[\w.:-]{1,100}$/.test(body.action))
		throw new WebhookRefusal(
			400,
			'invalid request',
			'action must be a name (letters, digits, _ . : -)',
		);
	const fromPage = typeof body.appointmentId === 'string' && body.appointmentId !== '';
	const payload =
		body.payload && typeof body.payload === 'object' && !Array.isArray(body.payload)
			? body.payload
			: {};
	return {
		workflowData: emit(this, {
			event: 'action',
			action: body.action,
			payload,
			shopId: context.shopId,
			target: context.target,
			appointmentId: context.appointmentId ?? (fromPage ? body.appointmentId : null),
			appointmentIdSource: context.appointmentId ? 'load' : fromPage ? 'page' : null,
			user: { userId: user.userId, email: user.email },
		}),
	};
}
