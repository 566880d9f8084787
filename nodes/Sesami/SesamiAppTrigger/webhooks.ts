import { createHash, createHmac } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { readBodyOrRefuse } from '../../shared/webhook/rawBody';
import { unauthorized } from '../../shared/webhook/refusal';
import { appCredentials, emit } from './app';
import { acceptUninstall } from './installs';
import { hmacMatchesAny, sesamiHmac } from './verify';

/**
 * `POST <app URL>/webhooks` with `{event, data, hmac}`, `hmac` over `data` with Sesami's algorithm
 * (https://github.com/sesamiapp/sesami-apps-boilerplate server/src/sesami/api/webhook/
 * Webhook.handler.ts, Webhook.type.ts: the one event `uninstall_app`, the shop in `data.shopId`).
 * The boilerplate recomputes the HMAC over the parsed and re-serialised `data`; here the HMAC
 * must match the exact bytes of `data` as received, or `JSON.stringify(data)` with its keys as
 * received or sorted (Sesami's own serialisation of the same object): each is a serialisation of
 * the very object that is emitted, so nothing unsigned reaches the workflow.
 */

export const UNINSTALL_EVENT = 'uninstall_app';

/** Where the value of the top-level `"data"` member starts and ends in the raw body, if found. */
export function rawDataSpan(text: string): string | undefined {
	const key = /^\s*\{(?:[^"]|"(?:[^"\\]|\\.)*")*?"data"\s*:\s*/s;
	const match = key.exec(text);
	if (!match) return undefined;
	let depth = 0;
	let inString = false;
	for (let i = match[0].length; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return text.slice(match[0].length, i + 1);
		}
	}
	return undefined;
}

/** Whether `raw` is JSON for exactly `value` (the raw bytes may then be what was signed). */
function sameJson(raw: string, value: IDataObject): boolean {
	try {
		return JSON.stringify(JSON.parse(raw)) === JSON.stringify(value);
	} catch {
		return false;
	}
}

/** `{event, data, hmac}`, each of the right type, or a 401 refusal. */
function parseWebhookBody(text: string): { event: string; data: IDataObject; hmac: string } {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw unauthorized('the body is not JSON');
	}
	const { event, data, hmac } = (body ?? {}) as IDataObject;
	if (typeof event !== 'string' || !event) throw unauthorized('missing event');
	if (!data || typeof data !== 'object' || Array.isArray(data)) throw unauthorized('missing data');
	if (typeof hmac !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hmac))
		throw unauthorized('missing or malformed hmac');
	return { event, data: data as IDataObject, hmac };
}

/** An app webhook: verified, replays of an uninstall refused; answered 200 and emitted. */
export async function receiveAppWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const text = await readBodyOrRefuse.call(this);
	const { event, data, hmac } = parseWebhookBody(text);
	const { clientSecret } = await appCredentials(this);
	const mac = (message: string) =>
		createHmac('sha256', clientSecret).update(message, 'utf8').digest('hex');
	const candidates = [sesamiHmac(data, clientSecret), mac(JSON.stringify(data))];
	const raw = rawDataSpan(text);
	if (raw !== undefined && sameJson(raw, data)) candidates.push(mac(raw));
	if (!hmacMatchesAny(hmac, candidates)) throw unauthorized('hmac does not match');
	const shopId = typeof data.shopId === 'string' ? data.shopId : String(data.shopId ?? '');
	if (event === UNINSTALL_EVENT) {
		if (!shopId) throw unauthorized('missing data.shopId');
		const digest = createHash('sha256').update(hmac.toLowerCase()).digest('hex').slice(0, 32);
		acceptUninstall(this, shopId, digest);
	}
	const res = this.getResponseObject();
	res.status(200).json({ message: `webhook: ${event} received` });
	return {
		noWebhookResponse: true,
		workflowData: emit(this, {
			event: event === UNINSTALL_EVENT ? 'uninstalled' : 'webhook',
			webhookEvent: event,
			shopId: shopId || null,
			data,
		}),
	};
}
