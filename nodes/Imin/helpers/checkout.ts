import type { IDataObject } from 'n8n-workflow';

/** "checkout.example.com" or "https://checkout.example.com/" -> "https://checkout.example.com". */
export function normaliseBaseUrl(value: unknown): string {
	const text = String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!text) return '';
	return /^https?:\/\//i.test(text) ? text : `https://${text}`;
}

/**
 * The guest Checkout link of a ScheduledSession: the publisher's `identifier`, URI-encoded, after
 * `/v1/scheduled-sessions/`
 * (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout/loading-the-checkout-via-firehose).
 * Slots (beta there; their URL is not published) use `/v1/slots/` by analogy.
 */
export function guestCheckoutUrl(
	checkoutBaseUrl: string,
	identifier: string,
	kind: 'ScheduledSession' | 'Slot' = 'ScheduledSession',
): string {
	const path = kind === 'Slot' ? 'slots' : 'scheduled-sessions';
	return `${normaliseBaseUrl(checkoutBaseUrl)}/v1/${path}/${encodeURIComponent(identifier)}`;
}

interface CheckoutSessionInput {
	identifier: string;
	kind: 'ScheduledSession' | 'Slot';
	acceptedOffer: string;
	customer:
		| string
		| {
				email: string;
				givenName: string;
				familyName: string;
				identifier?: string;
				is13OrOver?: boolean;
		  };
	broker: { name: string; url?: string };
	backToBrokerUrl?: string;
	backToProfileUrl?: string;
}

/**
 * The documented `imin:CheckoutSession` request body
 * (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/imin-authenticated-checkout).
 */
export function checkoutSessionBody(input: CheckoutSessionInput): IDataObject {
	const customer =
		typeof input.customer === 'string'
			? input.customer
			: {
					type: 'Person',
					...(input.customer.identifier ? { identifier: input.customer.identifier } : {}),
					email: input.customer.email,
					givenName: input.customer.givenName,
					familyName: input.customer.familyName,
					...(input.customer.is13OrOver === undefined
						? {}
						: { 'imin:is13OrOver': input.customer.is13OrOver }),
				};
	const links: IDataObject[] = [];
	if (input.backToBrokerUrl) {
		links.push({
			type: 'WebPage',
			name: 'Back to Broker',
			'imin:linkType': 'https://imin.co/BackToBrokerLink',
			url: input.backToBrokerUrl,
		});
	}
	if (input.backToProfileUrl) {
		links.push({
			type: 'WebPage',
			name: 'Back to Broker User Profile',
			'imin:linkType': 'https://imin.co/BackToBrokerUserProfileLink',
			url: input.backToProfileUrl,
		});
	}
	return {
		'@context': ['https://openactive.io/', 'https://imin.co/'],
		type: 'imin:CheckoutSession',
		'imin:initialOrder': {
			type: 'OrderQuote',
			customer,
			broker: {
				type: 'Organization',
				name: input.broker.name,
				...(input.broker.url ? { url: input.broker.url } : {}),
			},
			orderedItem: [
				{
					type: 'OrderItem',
					orderedItem: { type: input.kind, identifier: input.identifier },
					acceptedOffer: input.acceptedOffer,
				},
			],
		},
		...(links.length ? { 'imin:navigationLinks': links } : {}),
	};
}

/** `potentialAction[].target` of the Response Webhook, and the session id from `Location`. */
export function readCheckoutSessionResponse(
	body: IDataObject,
	location: string | undefined,
): IDataObject {
	const actions = Array.isArray(body.potentialAction)
		? (body.potentialAction as IDataObject[])
		: [];
	const target =
		actions.map((action) => action.target).find((value) => typeof value === 'string') ?? null;
	const sessionId = location
		? decodeURIComponent(location.split('?')[0].replace(/\/+$/, '').split('/').pop() ?? '') || null
		: null;
	return { checkoutUrl: target, sessionId, location: location ?? null, response: body };
}
