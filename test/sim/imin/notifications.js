'use strict';
/**
 * The bodies of the webhooks imin sends to the broker, and firing the Customer Detail Change
 * (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks)
 * and Seller Onboarding (https://docs.imin.co/imin-and-booking-systems/seller-onboarding/api) ones;
 * the Success webhook goes out when a booking completes (./bookings.js). Delivery: ./webhooks.js.
 */

const D = require('./data');
const { SimError } = require('./common');

/**
 * The Success webhook's body for an order, as the `successShape` variant plays it (./variants.js):
 * imin documents that the webhook is sent, not its payload
 * (https://docs.imin.co/platform-products/firehose-and-checkout/loading-the-checkout-via-firehose).
 */
function successBody(s, order) {
	const copy = JSON.parse(JSON.stringify(order));
	switch (s.variants.get('successShape')) {
		case 'not-order':
			// a notification that names the order (its Booking Platform URL) and carries none of it
			return {
				'@context': 'https://openactive.io/',
				'@type': 'OrderNotification',
				order: { '@id': copy.id },
			};
		case 'no-ordered-item':
			delete copy.orderedItem;
			return copy;
		case 'wrapped':
			return { event: 'checkout.success', data: copy };
		default:
			return copy;
	}
}

function fireCustomerDetailChange(s, input = {}) {
	const identifier =
		input.identifier === undefined ? [...s.customers.keys()][0] : String(input.identifier);
	if (!identifier) throw new SimError(400, 'InvalidRequestError', 'identifier is required');
	const body = {
		'@context': 'https://openactive.io/',
		'@type': 'CustomerAccount',
		'@id': `${s.sim.bookBaseUrl}customer-accounts/${identifier}`,
		identifier,
	};
	const target = { url: input.url, apiKey: input.apiKey };
	if (s.variants.get('customerDetailChange') === 'twice-different') {
		// Two real changes of one customer (one webhook "may cover" several, and several may follow one
		// another: https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks):
		// same @id and identifier, different content (when each change happened); the second is sent
		// after the first.
		const at = s.clock();
		const bodies = [0, 1].map((i) => ({
			...body,
			dateModified: new Date(at + i * 1000).toISOString(),
		}));
		const scheduled =
			s.webhooks.send('customer-detail-change', bodies[0], target) +
			s.webhooks.send('customer-detail-change', bodies[1], target, { delayMs: 300 });
		return { body: bodies[0], bodies, scheduled };
	}
	const scheduled = s.webhooks.send('customer-detail-change', body, target);
	return { body, bodies: [body], scheduled };
}

function fireSellerOnboarding(s, input = {}) {
	const action = String(input.action || 'create').toLowerCase();
	const types = { create: 'CreateAction', update: 'UpdateAction', delete: 'DeleteAction' };
	if (!types[action])
		throw new SimError(400, 'InvalidRequestError', 'action must be create, update or delete');
	const sellerId = input.sellerId === undefined ? D.PUBLISHERS[0].sellerId : String(input.sellerId);
	const body = {
		context: ['https://schema.org', 'https://imin.co'],
		type: types[action],
		agent: { type: 'Organization', id: sellerId },
	};
	if (action === 'delete') body.object = { type: 'imin:SellerOnboard' };
	else
		body.result = {
			type: 'imin:SellerOnboard',
			'imin:stripeNeeded': input.stripeNeeded === undefined ? false : !!input.stripeNeeded,
			'imin:termsAgreed': input.termsAgreed === undefined ? true : !!input.termsAgreed,
		};
	const scheduled = s.webhooks.send('seller-onboarding', body, {
		url: input.url,
		apiKey: input.apiKey,
	});
	return { body, scheduled };
}

module.exports = { successBody, fireCustomerDetailChange, fireSellerOnboarding };
