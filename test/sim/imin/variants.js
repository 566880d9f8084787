'use strict';
/**
 * The points of imin's webhook contract no public source settles, and the answers the simulator
 * can play (see ../lib/variants.js; docs/unverified-contract.md). imin documents that a Success
 * Webhook is sent, not its payload
 * (https://docs.imin.co/platform-products/firehose-and-checkout/loading-the-checkout-via-firehose);
 * the Customer Detail Change webhook may cover several changes of one customer
 * (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/webhooks).
 */

const IMIN_VARIANTS = {
	successShape: {
		values: ['order', 'not-order', 'no-ordered-item', 'wrapped'],
		default: 'order',
		doc:
			'The Success webhook body. order: the Booking Platform Order. not-order: a notification naming the order ' +
			'({"@type": "OrderNotification"|..., "order": {"@id"}}) and no Order. no-ordered-item: an Order without orderedItem. ' +
			'wrapped: the Order inside a wrapper object ({"event": "checkout.success", "data": Order}).',
	},
	customerDetailChange: {
		values: ['once', 'twice-different'],
		default: 'once',
		doc: 'twice-different: each Customer Detail Change is sent twice for one customer, with different content (two real changes: each body carries its own dateModified; the second follows 300 ms later).',
	},
};

module.exports = { IMIN_VARIANTS };
