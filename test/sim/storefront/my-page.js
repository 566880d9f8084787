'use strict';
/**
 * What the tests and the sandbox need around the storefront simulator for My Page (sesami-my-page-backend.json): the two
 * test customers, picked from the Sesami simulator's data, and that workflow's production webhook URL.
 */

const path = require('node:path');

/** Default passwords of the two test customers (documented in the README; test logins only). */
const DEFAULT_PASSWORDS = ['my-page-a', 'my-page-b'];

/**
 * The two test customers of the sandbox and the tests, from the Sesami simulator's data: A = the
 * shop's fixture customer (`fixtures.shops[i].customer`, the one with the most appointments), B = the
 * other Shopify customer of that shop with the most upcoming, uncancelled appointments (ties: the
 * lower externalId).
 * @param {{ fixtures: object, appointments: object[], now?: number, shopIndex?: number, passwords?: string[] }} input
 *   `appointments`: the simulator's internal records (sim.state.appointments or GET /__sim/state/appointments)
 * @returns {{ id: string, email: string, name: string, firstName: string, lastName: string, password: string, sesamiCustomerId: string }[]}
 */
function pickMyPageCustomers({
	fixtures,
	appointments,
	now = Date.now(),
	shopIndex = 0,
	passwords = DEFAULT_PASSWORDS,
}) {
	const shop = fixtures.shops[shopIndex];
	if (!shop?.customer?.externalId)
		throw new Error(`the Sesami simulator's shop ${shopIndex} has no fixture customer`);
	const mine = appointments.filter((a) => a.shopId === shop.id);
	const counts = new Map();
	for (const a of mine) {
		const ext = a.customer?.externalId;
		if (
			!ext ||
			ext === shop.customer.externalId ||
			a.status === 'CANCELLED' ||
			Date.parse(a.datetime) <= now
		)
			continue;
		const entry = counts.get(ext) ?? { n: 0, customer: a.customer };
		entry.n += 1;
		counts.set(ext, entry);
	}
	const [bId, b] =
		[...counts.entries()].sort((x, y) => y[1].n - x[1].n || (x[0] < y[0] ? -1 : 1))[0] ?? [];
	if (!bId)
		throw new Error(
			`the Sesami simulator's shop ${shopIndex} has no second customer with upcoming appointments`,
		);
	const aRecord =
		mine.find((x) => x.customer?.externalId === shop.customer.externalId)?.customer ?? {};
	const person = (c, fallbackName) => {
		const name = c.name || [c.firstName, c.lastName].filter(Boolean).join(' ') || fallbackName;
		return {
			name,
			firstName: c.firstName || name.split(' ')[0],
			lastName: c.lastName || name.split(' ').slice(1).join(' '),
		};
	};
	return [
		{
			id: String(shop.customer.externalId),
			email: shop.customer.email,
			...person({ ...aRecord, name: shop.customer.name }, 'Customer A'),
			password: passwords[0],
			sesamiCustomerId: shop.customer.id,
		},
		{
			id: String(bId),
			email: b.customer.email,
			...person(b.customer, 'Customer B'),
			password: passwords[1],
			sesamiCustomerId: b.customer.id,
		},
	];
}

/** The file name of the My Page workflow, the workflow behind the App Proxy. */
const MY_PAGE_WORKFLOW_FILE = 'sesami-my-page-backend.json';

/**
 * The production URL of the My Page workflow's My Page Trigger among the harness' workflow entries
 * (startN8n().workflows: [{ file, webhookUrls: [{ httpMethod, url }] }]); null when that workflow is not there.
 */
function myPageWebhookUrl(workflows) {
	const wf = (workflows || []).find((w) => path.basename(String(w.file)) === MY_PAGE_WORKFLOW_FILE);
	return wf?.webhookUrls?.find((h) => h.url)?.url ?? null;
}

module.exports = {
	pickMyPageCustomers,
	myPageWebhookUrl,
	MY_PAGE_WORKFLOW_FILE,
	DEFAULT_PASSWORDS,
};
