import type { IDataObject } from 'n8n-workflow';
import { createHash } from 'crypto';

import { idOf, typeOf } from '../helpers/jsonld';

export type IminEvent = 'checkoutSuccess' | 'customerDetailChange' | 'sellerOnboarding';

/**
 * Which imin webhook a body is: an Order (the Success Webhook, whose payload imin does not publish:
 * https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout/loading-the-checkout-via-firehose;
 * an Order as https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/orders/order-by-id
 * describes it), a CustomerAccount (Customer Detail Change:
 * https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks)
 * or a seller onboarding action (https://docs.imin.co/seller-onboarding/webhooks/).
 */
export function detectIminEvent(body: IDataObject): IminEvent | null {
	const type = typeOf(body);
	if (type === 'Order' || Array.isArray(body.orderedItem)) return 'checkoutSuccess';
	if (type === 'CustomerAccount') return 'customerDetailChange';
	const result = (body.result ?? body.object) as IDataObject | undefined;
	if (/^(Create|Update|Delete)Action$/.test(type ?? '') && typeOf(result) === 'imin:SellerOnboard')
		return 'sellerOnboarding';
	return null;
}

const isObject = (value: unknown): boolean =>
	Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const isIdText = (value: unknown): boolean =>
	(typeof value === 'string' && value.trim() !== '') ||
	(typeof value === 'number' && Number.isFinite(value));

/**
 * Why a body detected as `event` cannot be processed (undefined when it can): the fields the
 * workflow keys on must be there with the right types, so a wrong body is answered 400 rather than
 * starting an execution that stores nothing or fails.
 */
export function invalidIminBody(event: IminEvent, body: IDataObject): string | undefined {
	const ids = [body.identifier, body['@id'], body.id].filter(
		(value) => value !== undefined && value !== null,
	);
	if (ids.some((value) => !isIdText(value))) return 'identifier / @id must be a string';
	if (event === 'checkoutSuccess') {
		const items = body.orderedItem;
		if (!Array.isArray(items) || items.length === 0 || !items.every(isObject))
			return 'orderedItem must be a non-empty list of OrderItem objects';
		if (!ids.length) return 'the Order carries no identifier or @id';
		if (
			body.customer !== undefined &&
			body.customer !== null &&
			!isObject(body.customer) &&
			typeof body.customer !== 'string'
		) {
			return 'customer must be an object';
		}
	}
	if (event === 'customerDetailChange' && !ids.length)
		return 'the CustomerAccount carries no identifier or @id';
	return undefined;
}

function price(value: unknown): { price: number | null; priceCurrency: string | null } {
	if (!value || typeof value !== 'object') return { price: null, priceCurrency: null };
	const object = value as IDataObject;
	const amount = typeof object.price === 'number' ? object.price : Number(object.price);
	return {
		price: Number.isFinite(amount) ? amount : null,
		priceCurrency: object.priceCurrency ? String(object.priceCurrency) : null,
	};
}

/** The fields a broker shows the booker, from the Success webhook's Order. */
export function normalizeSuccess(order: IDataObject): IDataObject {
	const items = (Array.isArray(order.orderedItem) ? order.orderedItem : []) as IDataObject[];
	const first = items[0] ?? {};
	const opportunity = (first.orderedItem ?? {}) as IDataObject;
	const superEvent = (
		opportunity.superEvent && typeof opportunity.superEvent === 'object'
			? opportunity.superEvent
			: {}
	) as IDataObject;
	const seriesParent = (
		superEvent.superEvent && typeof superEvent.superEvent === 'object' ? superEvent.superEvent : {}
	) as IDataObject;
	const customer = (
		order.customer && typeof order.customer === 'object' ? order.customer : {}
	) as IDataObject;
	const offers = items.map((item) => price(item.acceptedOffer));
	const total = order.totalPaymentDue
		? price(order.totalPaymentDue)
		: offers.every((offer) => offer.price !== null)
			? {
					price: offers.reduce((sum, offer) => sum + (offer.price ?? 0), 0),
					priceCurrency: offers[0]?.priceCurrency ?? null,
				}
			: { price: null, priceCurrency: null };
	const rawUrl = order['@id'] ?? order.id;
	const orderUrl = isIdText(rawUrl) ? String(rawUrl) : null;
	const identifier = isIdText(order.identifier)
		? order.identifier
		: orderUrl
			? orderUrl.split('/').pop()
			: null;
	return {
		orderId: identifier === undefined || identifier === null ? null : String(identifier),
		orderUrl,
		confirmationNumber: order.confirmationNumber ?? null,
		orderDate: order.orderDate ?? null,
		customer: {
			email: customer.email ?? null,
			givenName: customer.givenName ?? null,
			familyName: customer.familyName ?? null,
			name:
				customer.name ??
				([customer.givenName, customer.familyName].filter((part) => part).join(' ') || null),
			identifier:
				customer.identifier ?? (typeof order.customer === 'string' ? order.customer : null),
		},
		session: {
			type: typeOf(opportunity) ?? null,
			id: idOf(opportunity) ?? null,
			identifier: opportunity.identifier ?? null,
			name: superEvent.name ?? seriesParent.name ?? opportunity.name ?? null,
			startDate: opportunity.startDate ?? null,
			endDate: opportunity.endDate ?? null,
		},
		start: opportunity.startDate ?? null,
		price: total.price,
		priceCurrency: total.priceCurrency,
		itemCount: items.length,
	};
}

/** Object keys a sender may wrap the webhook's payload in (`{"data": Order}`, `{"event": ..., "payload": Order}`). */
const WRAPPER_KEYS = ['data', 'payload', 'order', 'object', 'body', 'resource', 'result', 'event'];

/**
 * The imin webhook inside a body: the body itself when it is one, else the first object under a
 * wrapper key (`data`, `payload`, ...) that is a processable imin webhook. imin documents that a
 * Success Webhook is sent, not its envelope
 * (https://docs.imin.co/platform-products/firehose-and-checkout/loading-the-checkout-via-firehose).
 */
export function unwrapIminBody(body: IDataObject): {
	body: IDataObject;
	event: IminEvent | null;
	wrapper?: string;
} {
	const event = detectIminEvent(body);
	if (event) return { body, event };
	for (const key of WRAPPER_KEYS) {
		const inner = body[key];
		if (!inner || typeof inner !== 'object' || Array.isArray(inner)) continue;
		const innerEvent = detectIminEvent(inner as IDataObject);
		if (innerEvent && !invalidIminBody(innerEvent, inner as IDataObject))
			return { body: inner as IDataObject, event: innerEvent, wrapper: key };
	}
	return { body, event: null };
}

/**
 * The most likely webhook of a body no rule recognised (for the output's `event`, so a workflow can
 * route it): a type or key naming an order, a customer account or a seller; otherwise 'unknown'.
 */
export function guessIminEvent(body: IDataObject): IminEvent | 'unknown' {
	const type = typeOf(body) ?? '';
	const keys = Object.keys(body).join(' ');
	if (/order/i.test(type) || /\border(Id|Url|Identifier)?\b/i.test(keys)) return 'checkoutSuccess';
	if (/customer/i.test(type) || /\bcustomer(Account)?\b/i.test(keys)) return 'customerDetailChange';
	if (/seller|onboard/i.test(`${type} ${JSON.stringify(body.result ?? body.object ?? '')}`))
		return 'sellerOnboarding';
	return 'unknown';
}

/** The URL / identifier of an order a notification names (`{"order": {"@id": ...}}`, `orderId`, ...). */
export function referencedOrder(body: IDataObject): string | null {
	const order = body.order ?? body.orderUrl ?? body.orderId ?? body.orderIdentifier;
	const id =
		idOf(order) ??
		(order && typeof order === 'object' ? (order as IDataObject).identifier : undefined);
	return id === undefined || id === null || typeof id === 'object' ? null : String(id);
}

/** JSON with object keys sorted at every level: equal content, equal text. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const object = value as IDataObject;
		return `{${Object.keys(object)
			.filter((key) => object[key] !== undefined)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * What a delivery is keyed by for "duplicate": a hash of its content (the canonical JSON of the
 * webhook, unwrapped; the text when it is not JSON). Keying by the customer's `@id` would mark a
 * second real Customer Detail Change as a repeat: imin sends one per change, for an `@id` that never
 * changes (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks).
 */
export function contentKey(value: unknown, text?: string): string {
	return createHash('sha256')
		.update(value === undefined ? String(text ?? '') : canonicalJson(value))
		.digest('hex');
}
