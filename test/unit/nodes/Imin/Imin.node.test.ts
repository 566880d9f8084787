import type { IDataObject } from 'n8n-workflow';

import { useIminSimulator } from '../../../helpers/setup';

/** The parts of the simulator's fixtures these tests use. */
interface Sample {
	id: string;
	identifier: string;
	guestUrl: string;
	acceptedOffer: string;
	bookable: boolean;
	reason: string | null;
	item: IDataObject;
	parent: IDataObject | null;
}
interface Fixtures {
	scheduledSessions: {
		bookable: Sample;
		notBookable: Record<string, Sample>;
		specialCharacters: Record<string, Sample>;
	};
	customerAccounts: Array<{ identifier: string }>;
	orders: { customerIdentifier: string; count: number };
}
const fixtures = () => sim.fixtures as unknown as Fixtures;

const WEBHOOK_KEY = ['imin', 'sends', 'this', 'value', '0123456789'].join('-');

const { sim, run } = useIminSimulator(
	{
		apiKey: 'unit-imin-key',
		webhook: { url: 'http://127.0.0.1:9/unused', apiKey: WEBHOOK_KEY },
	},
	{ brokerName: 'Unit Broker', brokerUrl: 'https://broker.example.com' },
);

describe('imin node against the imin simulator', () => {
	it("Check agrees with the simulator's own truth for every kind of sample", async () => {
		const sessions = fixtures().scheduledSessions;
		const samples = [sessions.bookable, ...Object.values(sessions.notBookable)];
		for (const sample of samples) {
			const [item] = await run({
				resource: 'bookability',
				operation: 'check',
				occurrence: sample.item,
				parent: sample.parent ?? '',
			});
			expect([sample.id, item.json.bookable]).toEqual([sample.id, sample.bookable]);
			if (!sample.bookable) expect(item.json.reasons).toContain(sample.reason);
		}
	});

	it('Get Guest URL builds the link the simulator serves, for awkward identifiers too', async () => {
		for (const sample of Object.values(fixtures().scheduledSessions.specialCharacters)) {
			const [item] = await run({
				resource: 'checkout',
				operation: 'getGuestUrl',
				identifier: sample.identifier,
				kind: 'ScheduledSession',
			});
			expect(item.json.checkoutUrl).toBe(sample.guestUrl);
		}
	});

	it('Create Checkout Session returns the checkout URL and the session id; the body validates at imin', async () => {
		const sample = fixtures().scheduledSessions.bookable;
		const [item] = await run({
			resource: 'checkout',
			operation: 'createSession',
			identifier: sample.identifier,
			kind: 'ScheduledSession',
			acceptedOffer: sample.acceptedOffer,
			customerType: 'person',
			email: 'ada@example.com',
			givenName: 'Ada',
			familyName: 'Lovelace',
			additionalFields: { backToBrokerUrl: 'https://broker.example.com/activities' },
		});
		expect(String(item.json.checkoutUrl)).toMatch(new RegExp(`^${sim.checkoutBaseUrl}/opendata/`));
		expect(item.json.sessionId).toBeTruthy();
		expect(String(item.json.checkoutUrl)).toContain(String(item.json.sessionId));
	});

	it('a not-bookable session: a clear error from imin, or a refusal before calling imin', async () => {
		const sample = fixtures().scheduledSessions.notBookable['occurrence-not-bookable'];
		const params = {
			resource: 'checkout',
			operation: 'createSession',
			identifier: sample.identifier,
			kind: 'ScheduledSession',
			acceptedOffer: sample.acceptedOffer,
			customerType: 'account',
			customerAccountId: fixtures().customerAccounts[0].identifier,
		};
		const [fromImin] = await run(params, { continueOnFail: true });
		expect(fromImin.json.httpCode).toBe('400');
		expect(String(fromImin.json.error)).toMatch(/imin refused the request \(400\).*not bookable/i);
		const before = (sim.checkoutSessions as unknown[]).length;
		const [refused] = await run(
			{ ...params, checkBookability: true, occurrence: sample.item, parent: sample.parent },
			{ continueOnFail: true },
		);
		expect(String(refused.json.error)).toMatch(/^Not bookable: /);
		expect((sim.checkoutSessions as unknown[]).length).toBe(before);
	});

	it('Firehose Get Many walks a feed to its RPDE end; deleted items only on request', async () => {
		const all = await run({
			resource: 'firehose',
			operation: 'getAll',
			feed: 'session-series',
			maxPages: 1000,
			includeDeleted: true,
		});
		const feed = sim.feedItems('session-series') as IDataObject[];
		expect(all.map((item) => item.json.id)).toEqual(feed.map((item) => item.id));
		for (const item of all) {
			expect(Object.keys(item.json)).toEqual(
				expect.arrayContaining(['state', 'kind', 'id', 'modified', 'rpdeNext']),
			);
			if (item.json.state === 'deleted') expect(item.json.data).toBeUndefined();
		}
		const updatedOnly = await run({
			resource: 'firehose',
			operation: 'getAll',
			feed: 'session-series',
			maxPages: 1000,
		});
		expect(updatedOnly.every((item) => item.json.state === 'updated')).toBe(true);
	});

	it('Firehose Get Page: following "next" page by page reads exactly what Get Many reads', async () => {
		const everything = await run({
			resource: 'firehose',
			operation: 'getAll',
			feed: 'scheduled-sessions',
			includeDeleted: true,
			maxPages: 1000,
		});
		const seen: string[] = [];
		let url = '';
		let reachedEnd = false;
		let lastModified = -Infinity;
		for (let pages = 0; !reachedEnd && pages < 1000; pages++) {
			const [page] = await run({
				resource: 'firehose',
				operation: 'getPage',
				feed: 'scheduled-sessions',
				url,
				includeDeleted: true,
				output: 'page',
			});
			const items = page.json.items as IDataObject[];
			expect(page.json.itemCount).toBe(items.length);
			if (!page.json.reachedEnd) expect(String(page.json.next)).toMatch(/afterTimestamp=/);
			for (const item of items) {
				// RPDE pages are ordered by modified, then id.
				expect(Number(item.modified)).toBeGreaterThanOrEqual(lastModified);
				lastModified = Number(item.modified);
				seen.push(String(item.id));
			}
			reachedEnd = page.json.reachedEnd === true;
			url = String(page.json.next);
		}
		expect(reachedEnd).toBe(true);
		expect(seen).toEqual(everything.map((item) => String(item.json.id)));
		expect(seen.length).toBeGreaterThan(0);
	});

	it('Firehose Get Page, one item per feed item: deleted items only when asked, each with the next URL', async () => {
		const [page] = await run({
			resource: 'firehose',
			operation: 'getPage',
			feed: 'scheduled-sessions',
			output: 'page',
			includeDeleted: true,
		});
		const items = await run({
			resource: 'firehose',
			operation: 'getPage',
			feed: 'scheduled-sessions',
			includeDeleted: true,
		});
		expect(items.map((item) => item.json.id)).toEqual(
			(page.json.items as IDataObject[]).map((item) => item.id),
		);
		expect(items.every((item) => item.json.rpdeNext === page.json.next)).toBe(true);
		const updatedOnly = await run({
			resource: 'firehose',
			operation: 'getPage',
			feed: 'scheduled-sessions',
		});
		expect(updatedOnly.map((item) => item.json.id)).toEqual(
			items.filter((item) => item.json.state === 'updated').map((item) => item.json.id),
		);
	});

	it('Order Get History walks every page of the customer, newest first; Get reads one by ID or URL', async () => {
		const { orders } = fixtures();
		const history = await run({
			resource: 'order',
			operation: 'getHistory',
			customerIdentifier: orders.customerIdentifier,
			returnAll: true,
		});
		expect(history.length).toBe(orders.count);
		const ids = history.map((order) => String(order.json.identifier));
		expect(new Set(ids).size).toBe(ids.length);
		const limited = await run({
			resource: 'order',
			operation: 'getHistory',
			customerIdentifier: orders.customerIdentifier,
			returnAll: false,
			limit: 3,
		});
		expect(limited.map((order) => order.json.identifier)).toEqual(ids.slice(0, 3));

		const [byId] = await run({ resource: 'order', operation: 'get', orderId: ids[0] });
		expect(byId.json).toEqual(history[0].json);
		const url = `${sim.bookBaseUrl}orders/${encodeURIComponent(ids[0])}`;
		const [byUrl] = await run({ resource: 'order', operation: 'get', orderId: url });
		expect(byUrl.json).toEqual(byId.json);
	});
});
