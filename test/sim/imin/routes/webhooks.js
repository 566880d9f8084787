'use strict';
/**
 * Control endpoints for the webhooks imin sends to the broker (the Success webhook after a booking,
 * Customer Detail Change, Seller Onboarding; bodies: ../notifications.js, delivery: ../webhooks.js):
 *
 *   GET|POST|DELETE /__sim/webhook-delivery   body: {url?, apiKey?, targets?, repeat?, repeatDelayMs?,
 *        concurrent?, retryOnFailure?, delayMs?, timeoutMs?}
 *   GET|DELETE /__sim/webhook-deliveries[?wait=1][&event=]   (wait: until nothing is pending, at most 10 s)
 *   POST /__sim/customer-detail-change {identifier, url?, apiKey?}
 *   POST /__sim/seller-onboarding {sellerId, action: create|update|delete, stripeNeeded?, termsAgreed?, url?, apiKey?}
 * Handlers as in ./admin.js: (s, r) -> {status, body}, or undefined when they answer r.res themselves.
 */

const { fireCustomerDetailChange, fireSellerOnboarding } = require('../notifications');

const ok = (body, status = 200) => ({ status, body });

function deliveries(s, r) {
	const filter = () => {
		const ev = r.url.searchParams.get('event');
		return ev ? s.webhooks.deliveries.filter((d) => d.event === ev) : s.webhooks.deliveries;
	};
	const wait = r.url.searchParams.get('wait');
	if (wait && wait !== '0' && wait !== 'false') {
		s.webhooks.idle(10000).then((idle) => {
			if (!r.res.writableEnded)
				r.write(
					200,
					{ 'content-type': 'application/json; charset=utf-8', 'x-sim-idle': String(idle) },
					JSON.stringify(filter()),
				);
		});
		return undefined;
	}
	return ok(filter());
}

const ROUTES = [
	{
		method: 'POST',
		path: '/__sim/webhook-delivery',
		handler: (s, r) => ok({ settings: s.sim.setWebhookDelivery(r.body()) }),
	},
	{
		method: 'DELETE',
		path: '/__sim/webhook-delivery',
		handler: (s) => ok({ settings: s.webhooks.resetBehaviour() }),
	},
	{
		method: 'GET',
		path: '/__sim/webhook-delivery',
		handler: (s) =>
			ok({
				settings: s.webhooks.settings,
				pending: s.webhooks.pending,
				problems: s.webhooks.problems,
			}),
	},
	{ method: 'GET', path: '/__sim/webhook-deliveries', handler: deliveries },
	{
		method: 'DELETE',
		path: '/__sim/webhook-deliveries',
		handler: (s) => ok({ cleared: s.webhooks.clearDeliveries() }),
	},
	{
		method: 'POST',
		path: '/__sim/customer-detail-change/*?',
		handler: (s, r) => ok(fireCustomerDetailChange(s, r.body()), 202),
	},
	{
		method: 'POST',
		path: '/__sim/seller-onboarding/*?',
		handler: (s, r) => ok(fireSellerOnboarding(s, r.body()), 202),
	},
];

module.exports = { ROUTES };
