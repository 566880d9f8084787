import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

/** The Sesami App credential's values, trimmed, URLs without a trailing slash. */
export interface AppCredentials {
	clientId: string;
	clientSecret: string;
	appUrl: string;
	baseUrl: string;
	adminUrl: string;
}

export const CREDENTIAL = 'sesamiAppApi';

const noSlash = (value: unknown, fallback: string) =>
	(String(value ?? '').trim() || fallback).replace(/\/+$/, '');

export async function appCredentials(context: IWebhookFunctions): Promise<AppCredentials> {
	const data = await context.getCredentials(CREDENTIAL);
	return {
		clientId: String(data.clientId ?? '').trim(),
		clientSecret: String(data.clientSecret ?? ''),
		appUrl: noSlash(data.appUrl, ''),
		baseUrl: noSlash(data.baseUrl, 'https://api.sesami.co/api/v1'),
		adminUrl: noSlash(data.adminUrl, 'https://admin.sesami.co'),
	};
}

/** Default of the Timestamp Window option: how old a signed `timestamp` may be, in seconds. */
export const DEFAULT_TIMESTAMP_WINDOW_SECONDS = 300;

export function timestampWindow(context: IWebhookFunctions): number {
	const settings = context.getNodeParameter('settings', {}) as IDataObject;
	const value = Number(settings.timestampWindowSeconds ?? DEFAULT_TIMESTAMP_WINDOW_SECONDS);
	return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMESTAMP_WINDOW_SECONDS;
}

/** One item for the workflow, with the time it was received. */
export function emit(context: IWebhookFunctions, json: IDataObject): INodeExecutionData[][] {
	return [context.helpers.returnJsonArray([{ ...json, receivedAt: new Date().toISOString() }])];
}
