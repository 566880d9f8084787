'use strict';
/**
 * The Booking Platform: orders and customer accounts.
 *
 *   GET /api/v2/orders/:id   (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/orders/order-by-id)
 *   GET /api/v2/orders?customerIdentifier=&page=
 *        (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/orders/order-history)
 *   GET /api/v2/customer-accounts/:id
 *        (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/customer-management/create-customer)
 * X-API-KEY required; any other method is a 405 (cancellation is not simulated).
 */

const { SimError, json, requireKey } = require('../common');

/** GET /api/v2/orders?customerIdentifier=&page=: a customer's orders, newest first, 10 a page. */
function listOrders(s, { headers, query }) {
	requireKey(s, headers, false);
	const customerIdentifier = query.customerIdentifier;
	if (typeof customerIdentifier !== 'string' || customerIdentifier === '')
		throw new SimError(400, 'InvalidRequestError', 'customerIdentifier is required.');
	const pageText = query.page === undefined ? '1' : query.page;
	if (typeof pageText !== 'string' || !/^[1-9]\d*$/.test(pageText))
		throw new SimError(400, 'InvalidRequestError', 'page must be a positive integer.');
	const page = Number(pageText);
	const size = s.opts.orderHistoryPageSize;
	const all = [...s.orders.values()]
		.filter((o) => o.customer.identifier === customerIdentifier)
		.sort((a, b) => (a.orderDate < b.orderDate ? 1 : a.orderDate > b.orderDate ? -1 : 0));
	const totalPages = Math.max(1, Math.ceil(all.length / size));
	const base = `${s.sim.bookBaseUrl}orders?customerIdentifier=${encodeURIComponent(customerIdentifier)}&page=`;
	const view = {
		type: 'PartialCollectionView',
		id: `${base}${page}`,
		first: `${base}1`,
		last: `${base}${totalPages}`,
		urlTemplate: `${base}{page}`,
		'imin:currentPage': page,
		'imin:itemsPerPage': size,
		'imin:totalPages': totalPages,
	};
	if (page < totalPages) view.next = `${base}${page + 1}`;
	if (page > 1) view.previous = `${base}${Math.min(page - 1, totalPages)}`;
	return json(200, {
		'@context': ['https://openactive.io/', 'https://openactive.io/ns-beta'],
		type: 'imin:RestrictedCollection',
		'imin:totalItems': all.length,
		view,
		'imin:item': all.slice((page - 1) * size, page * size),
	});
}

/** GET /api/v2/orders/:id: one order, as the Success webhook carried it. */
function getOrder(s, { headers, params }) {
	requireKey(s, headers, false);
	const order = s.orders.get(decodeURIComponent(params.id));
	if (!order)
		throw new SimError(404, 'UnknownOrderError', `No order "${decodeURIComponent(params.id)}".`);
	return json(200, order);
}

/** GET /api/v2/customer-accounts/:id: a Customer Account and its person. */
function getCustomerAccount(s, { headers, params }) {
	requireKey(s, headers, false);
	const identifier = decodeURIComponent(params.id);
	const p = s.customers.get(identifier);
	if (!p) throw new SimError(404, 'NotFoundError', `No customer account "${identifier}".`);
	const customer = {
		'@type': 'Person',
		email: p.email,
		givenName: p.givenName,
		familyName: p.familyName,
		telephone: p.telephone,
	};
	return json(200, {
		'@context': 'https://openactive.io/',
		'@type': 'CustomerAccount',
		'@id': `${s.sim.bookBaseUrl}customer-accounts/${identifier}`,
		identifier,
		customer,
	});
}

const notAllowed = (description) => () => {
	throw new SimError(405, 'MethodNotAllowedError', description);
};

const ROUTES = [
	{ method: 'GET', path: '/api/v2/orders/?', handler: listOrders },
	{ method: '*', path: '/api/v2/orders/?', handler: notAllowed('GET only.') },
	{ method: 'GET', path: '/api/v2/orders/:id', handler: getOrder },
	{
		method: '*',
		path: '/api/v2/orders/:id',
		handler: notAllowed('GET only (cancellation is not simulated).'),
	},
	{ method: 'GET', path: '/api/v2/customer-accounts/:id', handler: getCustomerAccount },
	{ method: '*', path: '/api/v2/customer-accounts/:id', handler: notAllowed('GET only.') },
];

module.exports = { ROUTES };
