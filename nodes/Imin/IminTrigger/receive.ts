import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { headerValue } from '../../shared/headers';
import { parseTolerantJson } from '../../shared/tolerantJson';
import { checkWithCredential } from '../../shared/webhook/credentialCache';
import { RecentKeys } from '../../shared/webhook/duplicates';
import { readBodyOrRefuse } from '../../shared/webhook/rawBody';
import { unauthorized } from '../../shared/webhook/refusal';
import { safeEqual } from '../../shared/webhook/safeEqual';
import { idOf } from '../helpers/jsonld';
import {
	contentKey,
	guessIminEvent,
	invalidIminBody,
	normalizeSuccess,
	referencedOrder,
	unwrapIminBody,
} from './normalize';
import type { IminEvent } from './normalize';

/**
 * What the imin Trigger does with one delivery: check imin's key, read the body, recognise the
 * webhook, mark repeats, answer 204 and emit one item; a missing or wrong key or an unreadable body
 * throws a WebhookRefusal (answered by the node's webhook()).
 */

/** Deliveries seen recently (duplicate marking). */
const recentDeliveries = new RecentKeys();

/** imin expects a quick 204 for every delivery it authenticated; the workflow runs after the answer. */
function acknowledge(this: IWebhookFunctions): void {
	this.getResponseObject().status(204).end();
}

/**
 * What one delivery becomes: the item to emit and the content it is keyed by for "duplicate".
 * From here on the sender holds the key: whatever it sent is emitted, marked `recognized: false`
 * with the reason when its shape is not one this node knows. imin documents the Customer Detail
 * Change body only; the Success Webhook's payload is not published
 * (https://docs.imin.co/platform-products/firehose-and-checkout/loading-the-checkout-via-firehose),
 * so a shape we did not foresee must reach the workflow, not be refused. `null`: a recognised
 * event this workflow does not listen to.
 */
function readDelivery(
	text: string,
	events: string[],
): { item: IDataObject; content: unknown } | null {
	const parsed = parseTolerantJson(text);
	if (!parsed.ok) {
		const reason =
			text.trim() === '' ? 'the body is empty' : `the body is not JSON: ${parsed.reason}`;
		return {
			item: { event: 'unknown', recognized: false, reason, raw: null, rawText: text },
			content: undefined,
		};
	}
	if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
		return {
			item: {
				event: 'unknown',
				recognized: false,
				reason: 'the body is JSON but not an object',
				raw: parsed.value as IDataObject,
			},
			content: parsed.value,
		};
	}
	const original = parsed.value as IDataObject;
	const { body, event, wrapper } = unwrapIminBody(original);
	if (!event) return { item: unrecognized(original), content: original };
	const invalid = invalidIminBody(event, body);
	// Recognised, but not an event this workflow listens to: received, nothing starts.
	if (!invalid && !events.includes(event)) return null;
	// An Order whose fields are missing or of the wrong type is still emitted, with what could be read.
	const item: IDataObject = {
		event,
		recognized: !invalid,
		...(invalid ? { reason: invalid } : {}),
		...(wrapper ? { unwrappedFrom: wrapper } : {}),
		...eventDetails(event, body),
		raw: original,
	};
	return { item, content: body };
}

/** A JSON object no rule recognised, with the event it most likely is. */
function unrecognized(original: IDataObject): IDataObject {
	const guess = guessIminEvent(original);
	const orderUrl = guess === 'checkoutSuccess' ? referencedOrder(original) : null;
	const reason =
		guess === 'checkoutSuccess'
			? `not an imin Order${orderUrl ? `: it names the order ${orderUrl} (fetch it with the imin node, Order > Get)` : ''}`
			: 'not an imin Order, CustomerAccount or seller onboarding action';
	return {
		event: guess,
		recognized: false,
		reason,
		...(orderUrl ? { orderUrl } : {}),
		raw: original,
	};
}

/** The fields of a recognised webhook the workflow keys on. */
function eventDetails(event: IminEvent, body: IDataObject): IDataObject {
	if (event === 'checkoutSuccess') return normalizeSuccess(body);
	if (event === 'customerDetailChange')
		return { customerAccountUrl: idOf(body) ?? null, customerIdentifier: body.identifier ?? null };
	return {
		action: String(body.type ?? body['@type'] ?? ''),
		sellerId: idOf(body.agent) ?? null,
		result: body.result ?? body.object ?? null,
	};
}

/** One imin delivery: authenticated, acknowledged with 204 and emitted (marked when repeated). */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const key = headerValue(req.headers as IDataObject, 'x-api-key');
	await checkWithCredential(this, 'iminWebhookApi', (credentials) => {
		if (!safeEqual(key, String(credentials.apiKey ?? '')))
			throw unauthorized('missing or wrong X-Api-Key header');
	});
	const text = await readBodyOrRefuse.call(this);
	const delivery = readDelivery(text, this.getNodeParameter('events', []) as string[]);
	if (!delivery) {
		acknowledge.call(this);
		return { noWebhookResponse: true };
	}
	const dedupeKey = contentKey(delivery.content, text);
	const duplicate = recentDeliveries.seenBy(this, dedupeKey, 1440);
	acknowledge.call(this);
	return {
		noWebhookResponse: true,
		workflowData: [
			this.helpers.returnJsonArray([
				{ ...delivery.item, duplicate, dedupeKey, receivedAt: new Date().toISOString() },
			]),
		],
	};
}
