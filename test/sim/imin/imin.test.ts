/**
 * The imin simulator (test/sim/imin), checked over real HTTP with axios the way a broker would use
 * imin: Firehose RPDE feeds (with @openactive/rpde-validator's page checks), the bookability truth
 * it publishes (against a second, independent implementation of imin's bookability rules written here), the
 * checkout endpoints, bookings and the webhooks they fire, and the fault switches.
 */
import axios, { AxiosInstance, AxiosResponse } from 'axios';

import { startIminSimulator } from './index';
import { startReceiver } from '../lib/receiver';
import { createPageChecker, memoryUsageMb, requiredFieldsMissing } from './rpde-check';

type Sim = Awaited<ReturnType<typeof startIminSimulator>>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
type Json = Record<string, unknown>;
type FeedItem = {
	state: 'updated' | 'deleted';
	kind: string;
	id: string;
	modified: number;
	data?: Json;
};
type FeedPage = { next: string; items: FeedItem[]; license: string };
type WalkedPage = {
	url: string;
	status: number;
	body: FeedPage;
	contentType: string;
	cacheControl: string;
};
type ErrorBody = { '@context': string; '@type': string; name: string; description: string };

const FEEDS = ['session-series', 'scheduled-sessions', 'facility-uses', 'slots'] as const;
const KIND: Record<(typeof FEEDS)[number], string> = {
	'session-series': 'SessionSeries',
	'scheduled-sessions': 'ScheduledSession',
	'facility-uses': 'FacilityUse',
	slots: 'Slot',
};
const KEY = 'imin-test-key';
const WEBHOOK_KEY = 'key-imin-sends-to-us';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const http: AxiosInstance = axios.create({
	validateStatus: () => true,
	timeout: 30_000,
	maxRedirects: 0,
});

const get = (url: string, headers: Record<string, string> = { 'X-API-KEY': KEY }) =>
	http.get(url, { headers });

/** Follow `next` to the RPDE end (items [] and next === the URL requested). */
async function walk(
	startUrl: string,
	options: { key?: string; maxPages?: number } = {},
): Promise<{ pages: WalkedPage[]; items: FeedItem[]; endUrl: string }> {
	const pages: WalkedPage[] = [];
	const items: FeedItem[] = [];
	let url = startUrl;
	for (let i = 0; i < (options.maxPages ?? 10_000); i++) {
		const res = await get(url, { 'X-API-KEY': options.key ?? KEY });
		expect(res.status).toBe(200);
		const body = res.data as FeedPage;
		pages.push({
			url,
			status: res.status,
			body,
			contentType: String(res.headers['content-type']),
			cacheControl: String(res.headers['cache-control']),
		});
		items.push(...body.items);
		if (body.items.length === 0 && body.next === url) return { pages, items, endUrl: url };
		url = body.next;
	}
	throw new Error(`no RPDE end after ${options.maxPages} pages`);
}

const before = (a: FeedItem, b: FeedItem) =>
	a.modified < b.modified || (a.modified === b.modified && a.id < b.id);
const typeOf = (o: Json | undefined) => (o ? (o['@type'] ?? o.type) : undefined);
const idOf = (o: unknown): string | undefined =>
	typeof o === 'string'
		? o
		: o && typeof o === 'object'
			? (((o as Json)['@id'] ?? (o as Json).id) as string | undefined)
			: undefined;

// ---------------------------------------------------------------------------------------------
// A second implementation of imin's bookability rules
// (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout), independent of the simulator's

const flag = (o: Json | undefined) =>
	o ? (o['imin:isPotentiallyBookable'] ?? o['_imin:isPotentiallyBookable']) : undefined;

/** ISO duration -> ms for the forms imin uses (weeks, days, hours, minutes) */
function durationMs(d: string): number {
	const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(d);
	if (!m) throw new Error(`unexpected duration ${d}`);
	const [w, dd, h, mm] = m.slice(1).map((x) => Number(x ?? 0));
	return ((w * 7 + dd) * 24 + h) * HOUR + mm * 60_000;
}

function isBookable(occurrence: Json, parent: Json | undefined, now: number): boolean {
	if (!parent || flag(occurrence) !== true) return false;
	const adult = (parent['imin:aggregateOffer'] as Json | undefined)?.publicAdult as
		| Json
		| undefined;
	if (!adult || flag(adult) !== true) return false;
	const start = Date.parse(String(occurrence.startDate));
	if (!(now < start)) return false;
	const from = adult.validFromBeforeStartDate as string | undefined;
	return from === undefined || now >= start - durationMs(from);
}

function bookableIds(
	occurrences: FeedItem[],
	parents: FeedItem[],
	kind: 'ScheduledSession' | 'Slot',
	now: number,
): string[] {
	const byId = new Map<string, Json>();
	for (const p of parents) {
		if (p.state !== 'updated' || !p.data) continue;
		byId.set(idOf(p.data)!, p.data);
		for (const ifu of (p.data.individualFacilityUse as Json[] | undefined) ?? [])
			byId.set(idOf(ifu)!, p.data);
	}
	const out: string[] = [];
	for (const o of occurrences) {
		if (o.state !== 'updated' || !o.data) continue;
		const ref = kind === 'Slot' ? o.data.facilityUse : o.data.superEvent;
		const parent = ref && typeof ref === 'object' ? (ref as Json) : byId.get(String(ref));
		if (isBookable(o.data, parent, now)) out.push(o.id);
	}
	return out.sort();
}

// ---------------------------------------------------------------------------------------------

let sim: Sim;

beforeAll(async () => {
	sim = await startIminSimulator({ port: 0, seed: 7, apiKey: KEY, sessions: 400, pageSize: 50 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.setFaults(null);
});

describe('Firehose authentication', () => {
	it('401 JSON without X-API-KEY and with a wrong one, on every feed and under /standard/', async () => {
		for (const feed of FEEDS) {
			for (const base of [sim.firehoseBaseUrl, `${sim.firehoseBaseUrl}standard/`]) {
				const none = await get(`${base}${feed}`, {});
				expect(none.status).toBe(401);
				expect(String(none.headers['content-type'])).toMatch(/^application\/json/);
				expect((none.data as ErrorBody)['@type']).toBe('NoAPITokenError');
				const wrong = await get(`${base}${feed}`, { 'X-API-KEY': sim.fixtures.invalidApiKey });
				expect(wrong.status).toBe(401);
				expect((wrong.data as ErrorBody)['@type']).toBe('InvalidAPITokenError');
			}
		}
	});

	it('accepts the key in any header case', async () => {
		for (const header of ['X-API-KEY', 'x-api-key', 'X-Api-Key']) {
			const res = await get(`${sim.firehoseBaseUrl}session-series`, { [header]: KEY });
			expect(res.status).toBe(200);
		}
	});

	it('records requests with the key redacted', async () => {
		sim.clearRequests();
		await get(`${sim.firehoseBaseUrl}slots?afterTimestamp=1&afterId=a`);
		const [r] = sim.requests;
		expect(r.method).toBe('GET');
		expect(r.path).toBe('/firehose/slots');
		expect(r.query).toEqual({ afterTimestamp: '1', afterId: 'a' });
		expect(r.headers['x-api-key']).toBe('***');
		expect(JSON.stringify(sim.requests)).not.toContain(KEY);
		expect(r.status).toBe(200);
	});
});

describe('Firehose RPDE feeds', () => {
	const walks: Partial<Record<(typeof FEEDS)[number], Awaited<ReturnType<typeof walk>>>> = {};

	beforeAll(async () => {
		for (const feed of FEEDS) walks[feed] = await walk(`${sim.firehoseBaseUrl}${feed}`);
	});

	it.each(FEEDS)(
		'%s: every item exactly once, in (modified, id) order, to the RPDE end',
		(feed) => {
			const { pages, items, endUrl } = walks[feed]!;
			const expected = sim.fixtures.feeds[feed];
			expect(items).toHaveLength(expected.items);
			expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
			for (let i = 1; i < items.length; i++) expect(before(items[i - 1], items[i])).toBe(true);
			for (const item of items) {
				expect(item.kind).toBe(KIND[feed]);
				expect(Number.isInteger(item.modified)).toBe(true);
				expect(typeof item.id).toBe('string');
				if (item.state === 'deleted') expect(item).not.toHaveProperty('data');
				else {
					expect(item.state).toBe('updated');
					expect(typeOf(item.data)).toBe(KIND[feed]);
				}
			}
			expect(items.filter((i) => i.state === 'deleted')).toHaveLength(expected.deleted);
			// page sizes, absolute next URLs with the cursor of the page's last item, the end page
			for (const p of pages.slice(0, -1)) {
				expect(p.body.items.length).toBeGreaterThan(0);
				expect(p.body.items.length).toBeLessThanOrEqual(50);
				const last = p.body.items[p.body.items.length - 1];
				const next = new URL(p.body.next);
				expect(`${next.origin}${next.pathname}`).toBe(`${sim.firehoseBaseUrl}${feed}`);
				expect(next.searchParams.get('afterTimestamp')).toBe(String(last.modified));
				expect(next.searchParams.get('afterId')).toBe(last.id);
				expect(p.body.license).toBe('https://creativecommons.org/licenses/by/4.0/');
			}
			const end = pages[pages.length - 1];
			expect(end.body.items).toEqual([]);
			expect(end.body.next).toBe(endUrl);
			expect(end.cacheControl).toBe('public, max-age=8');
			expect(pages[0].cacheControl).toBe('public, max-age=3600');
		},
	);

	it.each(FEEDS)('%s: every page passes @openactive/rpde-validator FeedPageChecker', (feed) => {
		const checker = createPageChecker();
		const failures = walks[feed]!.pages.flatMap((p) =>
			checker
				.check({
					url: p.url,
					json: p.body,
					contentType: p.contentType,
					cacheControl: p.cacheControl,
					status: p.status,
				})
				.map((f) => `${p.url}: ${f.rule}: ${f.message}`),
		);
		expect(failures).toEqual([]);
	});

	it('the page checker does catch a broken page (it is really running)', () => {
		const p = walks['scheduled-sessions']!.pages[0];
		const broken = JSON.parse(JSON.stringify(p.body)) as FeedPage;
		const deleted = broken.items.find((i) => i.state === 'updated')!;
		deleted.state = 'deleted';
		broken.next = broken.next.replace(/^http:\/\//, '');
		const rules = createPageChecker()
			.check({
				url: p.url,
				json: broken,
				contentType: 'text/plain',
				cacheControl: p.cacheControl,
				status: 200,
			})
			.map((f) => f.rule);
		expect(rules).toEqual(
			expect.arrayContaining([
				'RequiredItemPropertiesRule',
				'NextPageValidRule',
				'HttpContentTypeRule',
			]),
		);
	});

	it('items carry the OpenActive 2.x required fields (@openactive/data-models)', () => {
		const missing = new Set<string>();
		for (const feed of FEEDS) {
			for (const item of walks[feed]!.items)
				if (item.data)
					for (const m of requiredFieldsMissing(item.data))
						missing.add(`${feed} ${m.replace(/\[\d+\]/g, '[]')}`);
		}
		expect([...missing]).toEqual([]);
	});

	it("data looks like imin's: @type/@id and type/id, both flag spellings, embedded and referenced parents, publisher identifiers", () => {
		const sessions = walks['scheduled-sessions']!.items.filter((i) => i.data).map((i) => i.data!);
		const series = walks['session-series']!.items.filter((i) => i.data).map((i) => i.data!);
		const slots = walks.slots!.items.filter((i) => i.data).map((i) => i.data!);
		const fus = walks['facility-uses']!.items.filter((i) => i.data).map((i) => i.data!);
		for (const list of [sessions, series, slots, fus]) {
			expect(list.some((d) => d['@type'] !== undefined && d['@id'] !== undefined)).toBe(true);
			expect(
				list.some((d) => d.type !== undefined && d.id !== undefined && d['@type'] === undefined),
			).toBe(true);
		}
		expect(
			sessions.every((d) =>
				String(idOf(d)).startsWith('https://firehose.imin.co/firehose/scheduled-sessions/'),
			),
		).toBe(true);
		expect(sessions.some((d) => d['imin:isPotentiallyBookable'] !== undefined)).toBe(true);
		expect(sessions.some((d) => d['_imin:isPotentiallyBookable'] !== undefined)).toBe(true);
		expect(sessions.some((d) => typeof d.superEvent === 'string')).toBe(true);
		expect(
			sessions.some(
				(d) => typeof d.superEvent === 'object' && typeOf(d.superEvent as Json) === 'SessionSeries',
			),
		).toBe(true);
		const adults = series.map(
			(s) => (s['imin:aggregateOffer'] as Json).publicAdult as Json | undefined,
		);
		expect(adults.some((a) => a === undefined)).toBe(true); // children-only
		expect(adults.some((a) => a && flag(a) === false)).toBe(true);
		expect(adults.some((a) => a && a['_imin:isPotentiallyBookable'] === true)).toBe(true);
		expect(new Set(adults.map((a) => a?.validFromBeforeStartDate)).size).toBeGreaterThan(4);
		for (const a of adults.filter(Boolean)) expect(typeOf(a)).toBe('AggregateOffer');
		const ids = sessions.map((d) => String(d.identifier));
		expect(ids).toContain(
			'https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/' +
				ids
					.find((i) => i.startsWith('https://opendata.fusion-lifestyle.com/'))!
					.split('/')
					.pop(),
		);
		for (const ch of ['?', '&', ' ', '#', '%', '+', 'é', ':'])
			expect(ids.some((i) => i.slice(8).includes(ch))).toBe(true);
		// start dates from ~2 days ago to ~30 days ahead
		const starts = sessions.map((d) => Date.parse(String(d.startDate)) - Date.now());
		expect(Math.min(...starts)).toBeGreaterThan(-3 * DAY);
		expect(Math.max(...starts)).toBeLessThan(33 * DAY);
		expect(starts.some((s) => s < 0)).toBe(true);
		// slots reference their FacilityUse or one of its individual facility uses
		const fuIds = new Set(fus.map((f) => idOf(f)));
		const ifuIds = new Set(
			fus.flatMap((f) =>
				((f.individualFacilityUse as Json[] | undefined) ?? []).map((x) => idOf(x)),
			),
		);
		expect(slots.some((s) => fuIds.has(String(s.facilityUse)))).toBe(true);
		expect(slots.some((s) => ifuIds.has(String(s.facilityUse)))).toBe(true);
	});

	it('/firehose/standard/ serves the same items with next URLs under /standard/', async () => {
		const standard = await walk(`${sim.firehoseBaseUrl}standard/scheduled-sessions`);
		expect(standard.items.map((i) => i.id)).toEqual(
			walks['scheduled-sessions']!.items.map((i) => i.id),
		);
		for (const p of standard.pages)
			expect(p.body.next.startsWith(`${sim.firehoseBaseUrl}standard/scheduled-sessions`)).toBe(
				true,
			);
	});

	it('a cursor in the middle of a run of equal `modified` values continues with the next id', async () => {
		const items = walks['scheduled-sessions']!.items;
		const i = items.findIndex(
			(x, k) => k > 0 && items[k + 1] && items[k + 1].modified === x.modified,
		);
		const res = await get(
			`${sim.firehoseBaseUrl}scheduled-sessions?afterTimestamp=${items[i].modified}&afterId=${encodeURIComponent(items[i].id)}`,
		);
		expect((res.data as FeedPage).items[0].id).toBe(items[i + 1].id);
	});

	it('400 for a cursor that is not RPDE', async () => {
		expect((await get(`${sim.firehoseBaseUrl}slots?afterTimestamp=yesterday`)).status).toBe(400);
		expect((await get(`${sim.firehoseBaseUrl}slots?afterId=abc`)).status).toBe(400);
		expect((await get(`${sim.firehoseBaseUrl}no-such-feed`)).status).toBe(404);
	});
});

describe('bookability truth', () => {
	it('fixtures.expected and /__sim/expected/bookable agree with an independent implementation of the bookability rules', async () => {
		const now = Date.now();
		const [series, sessions, fus, slots] = await Promise.all(
			FEEDS.map((f) => walk(`${sim.firehoseBaseUrl}${f}`)),
		);
		const mineSessions = bookableIds(sessions.items, series.items, 'ScheduledSession', now);
		const mineSlots = bookableIds(slots.items, fus.items, 'Slot', now);
		const fixtures = sim.fixtures;
		expect(fixtures.expected.scheduledSessions!.map((s) => s.id).sort()).toEqual(mineSessions);
		expect(fixtures.expected.slots.map((s) => s.id).sort()).toEqual(mineSlots);
		const over = (
			await http.get(`${sim.url}/__sim/expected/bookable?at=${new Date(now).toISOString()}`)
		).data as typeof fixtures.expected;
		expect(over.scheduledSessions!.map((s) => s.id).sort()).toEqual(mineSessions);
		expect(mineSessions.length).toBeGreaterThan(20);
		expect(mineSessions.length).toBeLessThan(sessions.items.length / 2);
		for (const s of fixtures.expected.scheduledSessions!) {
			expect(s.guestUrl).toBe(
				`${sim.checkoutBaseUrl}/v1/scheduled-sessions/${encodeURIComponent(s.identifier as string)}`,
			);
		}
		// another instant gives another truth: in 40 days everything has started
		const later = (
			await http.get(
				`${sim.url}/__sim/expected/bookable?at=${new Date(now + 40 * DAY).toISOString()}`,
			)
		).data as typeof fixtures.expected;
		expect(later.scheduledSessions).toEqual([]);
		expect(bookableIds(sessions.items, series.items, 'ScheduledSession', now + 40 * DAY)).toEqual(
			[],
		);
		const soon = now + 5 * DAY;
		expect(
			sim
				.expectedBookable(soon)
				.scheduledSessions!.map((s) => s.id)
				.sort(),
		).toEqual(bookableIds(sessions.items, series.items, 'ScheduledSession', soon));
	});

	it('every not-bookable reason occurs, and each sample fails exactly its own rule', () => {
		const f = sim.fixtures;
		for (const reason of [
			'occurrence-not-bookable',
			'parent-not-bookable',
			'children-only',
			'window-not-open',
			'already-started',
			'parent-missing',
		]) {
			expect(f.expected.reasons.scheduledSessions[reason]).toBeGreaterThan(0);
			for (const samples of [f.scheduledSessions, f.slots]) {
				const s = samples.notBookable[reason as keyof typeof samples.notBookable]!;
				expect(s.bookable).toBe(false);
				expect(s.reasons).toEqual([reason]);
			}
		}
		expect(f.expected.reasons.slots['window-not-open']).toBeGreaterThan(0);
		const v = f.scheduledSessions.variants;
		for (const s of [
			f.scheduledSessions.bookable,
			v.underscoreFlag,
			v.underscoreParentFlag,
			v.plainSpelling,
			v.plainParent,
			v.embeddedParent,
			v.noWindow,
			v.twelveHourWindow,
			...Object.values(f.scheduledSessions.byPublisher),
		]) {
			expect(s!.bookable).toBe(true);
		}
		expect(v.embeddedParent!.parentEmbedded).toBe(true);
		expect(v.plainSpelling!.item.data).toHaveProperty('type', 'ScheduledSession');
		expect(v.underscoreFlag!.item.data).toHaveProperty('_imin:isPotentiallyBookable', true);
		expect(v.cancelled!.reasons).toEqual(['occurrence-not-bookable']);
		expect(v.parentDeleted!.reasons).toEqual(['parent-missing']);
		expect(
			f.scheduledSessions.notBookable['children-only']!.parent!['imin:aggregateOffer'],
		).not.toHaveProperty('publicAdult');
		expect(f.scheduledSessions.deleted!.state).toBe('deleted');
		expect(f.slots.variants.bookableAggregate!.bookable).toBe(true);
	});
});

describe('guest checkout pages', () => {
	it('serve an HTML page for each URI-encoded publisher identifier (decoded exactly once)', async () => {
		const special = sim.fixtures.scheduledSessions.specialCharacters;
		for (const s of Object.values(special)) {
			const res = await http.get(s!.guestUrl!);
			expect(res.status).toBe(200);
			expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
			const identifierAttr = String(s!.identifier).replace(/&/g, '&amp;');
			expect(res.data as string).toContain(`data-identifier="${identifierAttr}"`);
			// double-encoded: decoding once gives another string -> not found
			const twice = await http.get(
				`${sim.checkoutBaseUrl}/v1/scheduled-sessions/${encodeURIComponent(encodeURIComponent(s!.identifier!))}`,
			);
			expect(twice.status).toBe(404);
			// encodeURI keeps the slashes -> not one path segment -> not found
			const notComponent = await http.get(
				`${sim.checkoutBaseUrl}/v1/scheduled-sessions/${encodeURI(s!.identifier!)}`,
			);
			expect(notComponent.status).toBe(404);
			expect(String(notComponent.headers['content-type'])).toMatch(/^text\/html/);
		}
	});

	it('every expected bookable guest URL loads; not-bookable and unknown ones are 404 HTML', async () => {
		const f = sim.fixtures;
		for (const s of f.expected.scheduledSessions!)
			expect((await http.get(s.guestUrl)).status).toBe(200);
		for (const s of Object.values(f.scheduledSessions.notBookable)) {
			const res = await http.get(s!.guestUrl!);
			expect(res.status).toBe(404);
			expect(res.data as string).toMatch(/not bookable|not in the Firehose/);
		}
		expect(
			(
				await http.get(
					`${sim.checkoutBaseUrl}/v1/scheduled-sessions/${encodeURIComponent(f.scheduledSessions.unknownIdentifier)}`,
				)
			).status,
		).toBe(404);
		expect((await http.get(`${sim.checkoutBaseUrl}/v1/scheduled-sessions/%E0%A4%A`)).status).toBe(
			404,
		);
		expect((await http.get(f.slots.bookable!.guestUrl!)).status).toBe(200);
	});
});

describe('checkout sessions (POST /api/checkout-sessions/)', () => {
	type Body = Json & { 'imin:initialOrder': Json & { orderedItem: Json[] } };

	function documentedBody(
		s: { identifier: string | null; acceptedOffer: string | null; type?: string },
		customer: unknown = {
			type: 'Person',
			email: 'amelia@example.com',
			givenName: 'Amelia',
			familyName: 'Smith',
		},
	): Body {
		return {
			'@context': ['https://openactive.io/', 'https://imin.co/'],
			type: 'imin:CheckoutSession',
			'imin:initialOrder': {
				type: 'OrderQuote',
				customer,
				broker: {
					type: 'Organization',
					name: 'Acme Sports Finder',
					url: 'https://www.acmesportsfinder.example/',
				},
				orderedItem: [
					{
						type: 'OrderItem',
						orderedItem: { type: s.type ?? 'ScheduledSession', identifier: s.identifier },
						acceptedOffer: s.acceptedOffer,
					},
				],
			},
			'imin:navigationLinks': [
				{
					type: 'WebPage',
					name: 'Back to Broker',
					'imin:linkType': 'https://imin.co/BackToBrokerLink',
					url: 'https://www.acmesportsfinder.example/search',
				},
				{
					type: 'WebPage',
					name: 'Back to Broker User Profile',
					'imin:linkType': 'https://imin.co/BackToBrokerUserProfileLink',
					url: 'http://localhost:3000/me',
				},
			],
		};
	}
	const post = (
		body: unknown,
		headers: Record<string, string> = {},
		path = '/api/checkout-sessions/',
	) =>
		http.post(
			`${sim.checkoutBaseUrl}${path}`,
			typeof body === 'string' ? body : JSON.stringify(body),
			{ headers: { 'content-type': 'application/json', ...headers } },
		);

	function expectError(res: AxiosResponse, type: string, description?: RegExp) {
		expect(res.status).toBe(400);
		const body = res.data as ErrorBody;
		expect(body['@context']).toBe('https://openactive.io/');
		expect(body['@type']).toBe(type);
		expect(typeof body.description).toBe('string');
		if (description) expect(body.description).toMatch(description);
	}

	it('201 with Location, the request echoed and potentialAction[].target; the target and Location load', async () => {
		const s = sim.fixtures.scheduledSessions.specialCharacters.queryString!;
		const body = documentedBody(s);
		for (const path of ['/api/checkout-sessions/', '/api/checkout-sessions']) {
			const res = await post(body, {}, path);
			expect(res.status).toBe(201);
			const location = String(res.headers.location);
			expect(location).toMatch(/^\/checkout-sessions\/[A-Za-z0-9]{14}$/);
			const id = location.split('/').pop();
			const { potentialAction, ...echo } = res.data as Json & { potentialAction: Json[] };
			expect(echo).toEqual(body);
			expect(potentialAction).toEqual([
				{ type: 'OrderAction', name: 'Checkout', target: `${sim.checkoutBaseUrl}/opendata/${id}` },
			]);
			const page = await http.get(String(potentialAction[0].target));
			expect(page.status).toBe(200);
			expect(page.data as string).toContain(`data-checkout-session="${id}"`);
			expect(page.data as string).toContain('Amelia');
			const again = await http.get(`${sim.checkoutBaseUrl}${location}`);
			expect(again.status).toBe(200);
			expect((again.data as Json)['imin:checkoutSessionStatus']).toBe('open');
		}
	});

	it('X-API-KEY is optional, but when sent it must be valid', async () => {
		const body = documentedBody(sim.fixtures.scheduledSessions.bookable!);
		expect((await post(body, { 'X-API-KEY': KEY })).status).toBe(201);
		const wrong = await post(body, { 'X-API-KEY': 'nope' });
		expect(wrong.status).toBe(401);
		expect((wrong.data as ErrorBody)['@type']).toBe('InvalidAPITokenError');
	});

	it('customer as an imin Customer Account ID; Slots; a group booking with one OrderItem per attendee', async () => {
		const f = sim.fixtures;
		const account = f.customerAccounts[0].identifier;
		expect((await post(documentedBody(f.scheduledSessions.bookable!, account))).status).toBe(201);
		expect((await post(documentedBody({ ...f.slots.bookable!, type: 'Slot' }))).status).toBe(201);
		const group = documentedBody(f.scheduledSessions.bookable!, account);
		const item = group['imin:initialOrder'].orderedItem[0];
		group['imin:initialOrder'].orderedItem = [
			{ ...item, attendee: f.customerAccounts[1].identifier },
			{ ...item, attendee: f.customerAccounts[2].identifier },
		];
		expect((await post(group)).status).toBe(201);
	});

	it('each documented rule of the body is checked', async () => {
		const s = sim.fixtures.scheduledSessions.bookable!;
		const base = () => documentedBody(s);
		const order = (b: Body) => b['imin:initialOrder'];
		const cases: Array<[string, (b: Body) => unknown, string, RegExp?]> = [
			['not JSON', () => '{"type": ', 'InvalidRequestError', /JSON/],
			['an array', () => [base()], 'InvalidRequestError'],
			['no @context', (b) => ({ ...b, '@context': undefined }), 'InvalidRequestError', /@context/],
			[
				'another type',
				(b) => ({ ...b, type: 'CheckoutSession' }),
				'InvalidRequestError',
				/imin:CheckoutSession/,
			],
			[
				'no initial order',
				(b) => ({ ...b, 'imin:initialOrder': undefined }),
				'InvalidRequestError',
				/imin:initialOrder/,
			],
			[
				'initial order is an Order',
				(b) => ({ ...b, 'imin:initialOrder': { ...order(b), type: 'Order' } }),
				'UnexpectedOrderTypeError',
				/OrderQuote/,
			],
			[
				'no customer',
				(b) => ({ ...b, 'imin:initialOrder': { ...order(b), customer: undefined } }),
				'IncompleteCustomerDetailsError',
			],
			[
				'empty customer id',
				(b) => ({ ...b, 'imin:initialOrder': { ...order(b), customer: '' } }),
				'IncompleteCustomerDetailsError',
			],
			[
				'customer without email',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						customer: { type: 'Person', givenName: 'A', familyName: 'B' },
					},
				}),
				'IncompleteCustomerDetailsError',
				/email/,
			],
			[
				'customer without names',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						customer: { type: 'Person', email: 'a@example.com' },
					},
				}),
				'IncompleteCustomerDetailsError',
				/givenName.*familyName/,
			],
			[
				'customer email invalid',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						customer: { type: 'Person', email: 'not-an-email', givenName: 'A', familyName: 'B' },
					},
				}),
				'IncompleteCustomerDetailsError',
				/email/,
			],
			[
				'customer not a Person',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						customer: {
							type: 'Organization',
							email: 'a@example.com',
							givenName: 'A',
							familyName: 'B',
						},
					},
				}),
				'IncompleteCustomerDetailsError',
				/Person/,
			],
			[
				'no broker',
				(b) => ({ ...b, 'imin:initialOrder': { ...order(b), broker: undefined } }),
				'IncompleteBrokerDetailsError',
			],
			[
				'broker not an Organization',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						broker: { type: 'Person', name: 'X', url: 'https://x.example' },
					},
				}),
				'IncompleteBrokerDetailsError',
				/Organization/,
			],
			[
				'broker without name',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						broker: { type: 'Organization', url: 'https://x.example' },
					},
				}),
				'IncompleteBrokerDetailsError',
				/name/,
			],
			[
				'broker url not http(s)',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						broker: { type: 'Organization', name: 'X', url: 'www.x.example' },
					},
				}),
				'IncompleteBrokerDetailsError',
				/http/,
			],
			[
				'no ordered items',
				(b) => ({ ...b, 'imin:initialOrder': { ...order(b), orderedItem: [] } }),
				'IncompleteOrderItemError',
			],
			[
				'ordered item not an OrderItem',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [{ ...order(b).orderedItem[0], type: 'Offer' }],
					},
				}),
				'IncompleteOrderItemError',
				/OrderItem/,
			],
			[
				'opportunity of another type',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [
							{
								...order(b).orderedItem[0],
								orderedItem: { type: 'Event', identifier: s.identifier },
							},
						],
					},
				}),
				'IncompleteOrderItemError',
				/ScheduledSession/,
			],
			[
				'id instead of identifier',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [
							{
								...order(b).orderedItem[0],
								orderedItem: { type: 'ScheduledSession', id: s.dataId },
							},
						],
					},
				}),
				'IncompleteOrderItemError',
				/identifier/,
			],
			[
				'no accepted offer',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [{ ...order(b).orderedItem[0], acceptedOffer: undefined }],
					},
				}),
				'IncompleteOrderItemError',
				/acceptedOffer/,
			],
			[
				'accepted offer as an object',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [{ ...order(b).orderedItem[0], acceptedOffer: { id: s.acceptedOffer } }],
					},
				}),
				'IncompleteOrderItemError',
				/acceptedOffer/,
			],
			[
				'navigation links not a list',
				(b) => ({ ...b, 'imin:navigationLinks': { url: 'https://x.example' } }),
				'InvalidRequestError',
				/navigationLinks/,
			],
			[
				'unknown link type',
				(b) => ({
					...b,
					'imin:navigationLinks': [
						{
							type: 'WebPage',
							'imin:linkType': 'https://imin.co/HomeLink',
							url: 'https://x.example',
						},
					],
				}),
				'InvalidRequestError',
				/linkType/,
			],
			[
				'link url not http(s)',
				(b) => ({
					...b,
					'imin:navigationLinks': [
						{
							type: 'WebPage',
							'imin:linkType': 'https://imin.co/BackToBrokerLink',
							url: 'javascript:alert(1)',
						},
					],
				}),
				'InvalidRequestError',
				/http/,
			],
			[
				'link not a WebPage',
				(b) => ({
					...b,
					'imin:navigationLinks': [
						{
							type: 'Link',
							'imin:linkType': 'https://imin.co/BackToBrokerLink',
							url: 'https://x.example',
						},
					],
				}),
				'InvalidRequestError',
				/WebPage/,
			],
			[
				'group booking with a Person',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [order(b).orderedItem[0], order(b).orderedItem[0]],
					},
				}),
				'IncompleteCustomerDetailsError',
				/Customer Account ID/,
			],
			[
				'group booking without attendees',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						customer: 'abc',
						orderedItem: [order(b).orderedItem[0], order(b).orderedItem[0]],
					},
				}),
				'IncompleteAttendeeDetailsError',
				/attendee/,
			],
			[
				'URL-encoded identifier (must be sent as is)',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [
							{
								...order(b).orderedItem[0],
								orderedItem: {
									type: 'ScheduledSession',
									identifier: encodeURIComponent(s.identifier!),
								},
							},
						],
					},
				}),
				'UnableToProcessOrderItemError',
				/not bookable/,
			],
			[
				'unknown offer',
				(b) => ({
					...b,
					'imin:initialOrder': {
						...order(b),
						orderedItem: [
							{ ...order(b).orderedItem[0], acceptedOffer: 'https://example.com/offers/other' },
						],
					},
				}),
				'UnknownOfferError',
			],
		];
		const mismatches: string[] = [];
		for (const [name, make, type, description] of cases) {
			const res = await post(make(base()));
			const body = res.data as ErrorBody;
			const ok =
				res.status === 400 &&
				body['@context'] === 'https://openactive.io/' &&
				body['@type'] === type &&
				typeof body.description === 'string' &&
				(!description || description.test(body.description));
			if (!ok)
				mismatches.push(
					`${name}: expected 400 ${type} ${description ?? ''}, got ${res.status} ${JSON.stringify(res.data)}`,
				);
		}
		expect(mismatches).toEqual([]);
		const group = base();
		group['imin:initialOrder'].customer = 'abc';
		group['imin:initialOrder'].orderedItem = [
			{ ...group['imin:initialOrder'].orderedItem[0], attendee: 'a1' },
			{
				...group['imin:initialOrder'].orderedItem[0],
				attendee: 'a2',
				acceptedOffer: `${s.acceptedOffer}x`,
			},
		];
		expectError(await post(group), 'InvalidRequestError', /same orderedItem and acceptedOffer/);
	});

	it('400 "not bookable" for every not-bookable reason and an unknown identifier', async () => {
		const f = sim.fixtures;
		const anyOffer = f.scheduledSessions.bookable!.acceptedOffer;
		for (const [reason, s] of Object.entries(f.scheduledSessions.notBookable)) {
			// (the orphan has no parent to take an offer from: the check is about bookability, not the offer)
			const res = await post(
				documentedBody({ identifier: s!.identifier, acceptedOffer: s!.acceptedOffer ?? anyOffer }),
			);
			expectError(
				res,
				reason === 'occurrence-not-bookable'
					? 'OpportunityIsFullError'
					: 'UnableToProcessOrderItemError',
				/not bookable/,
			);
		}
		const unknown = await post(
			documentedBody({
				identifier: f.scheduledSessions.unknownIdentifier,
				acceptedOffer: f.scheduledSessions.bookable!.acceptedOffer,
			}),
		);
		expectError(unknown, 'UnableToProcessOrderItemError', /not bookable/);
		expectError(
			await post(documentedBody({ ...f.slots.notBookable['window-not-open']!, type: 'Slot' })),
			'UnableToProcessOrderItemError',
			/not bookable/,
		);
	});
});

describe('tick: feed changes over time', () => {
	let live: Sim;

	beforeAll(async () => {
		live = await startIminSimulator({
			port: 0,
			seed: 11,
			apiKey: KEY,
			sessions: 150,
			series: 30,
			slots: 60,
		});
	});
	afterAll(async () => {
		await live.close();
	});

	it('changes appear after the previous end cursor, in order, deleted ones without data', async () => {
		const ends: Record<string, { endUrl: string; ids: string[]; max: number }> = {};
		for (const feed of FEEDS) {
			const w = await walk(`${live.firehoseBaseUrl}${feed}`);
			ends[feed] = {
				endUrl: w.endUrl,
				ids: w.items.map((i) => i.id),
				max: Math.max(...w.items.map((i) => i.modified)),
			};
		}
		const changes = live.tick(40);
		expect(changes.length).toBeGreaterThanOrEqual(40);
		const actions = new Set(changes.map((c) => c.action));
		expect(actions.has('session-delete')).toBe(true);
		expect(actions.has('session-add')).toBe(true);
		expect(actions.has('session-capacity')).toBe(true);
		for (const feed of FEEDS) {
			const tail = await walk(ends[feed].endUrl);
			const changed = [...new Set(changes.filter((c) => c.feed === feed).map((c) => c.id))].sort();
			expect(tail.items.map((i) => i.id).sort()).toEqual(changed);
			for (let i = 1; i < tail.items.length; i++)
				expect(before(tail.items[i - 1], tail.items[i])).toBe(true);
			for (const item of tail.items) {
				expect(item.modified).toBeGreaterThan(ends[feed].max);
				const last = changes.filter((c) => c.id === item.id).pop()!;
				expect(item.state).toBe(last.state);
				if (item.state === 'deleted') expect(item).not.toHaveProperty('data');
			}
			// a fresh walk still has every item exactly once, changed ones at the end
			const full = await walk(`${live.firehoseBaseUrl}${feed}`);
			expect(new Set(full.items.map((i) => i.id)).size).toBe(full.items.length);
			const added = changed.filter((id) => !ends[feed].ids.includes(id));
			expect(full.items).toHaveLength(ends[feed].ids.length + added.length);
			expect(
				full.items
					.slice(full.items.length - changed.length)
					.map((i) => i.id)
					.sort(),
			).toEqual(changed);
			const checker = createPageChecker();
			for (const p of full.pages)
				expect(
					checker.check({
						url: p.url,
						json: p.body,
						contentType: p.contentType,
						cacheControl: p.cacheControl,
					}),
				).toEqual([]);
		}
	});

	it('a capacity update down to 0 turns the occurrence flag false', async () => {
		let found = false;
		for (let i = 0; i < 20 && !found; i++) {
			for (const c of live.tick(10)) {
				if (c.action !== 'session-capacity') continue;
				const item = live.feedItems('scheduled-sessions')!.find((e) => e.id === c.id)!;
				if (item.data && item.data.remainingAttendeeCapacity === 0) {
					expect(flag(item.data as Json)).toBe(false);
					found = true;
				}
			}
		}
		expect(found).toBe(true);
	});

	it('the truth follows the changes (independent implementation again)', async () => {
		live.tick(30);
		const now = Date.now();
		const [sessions, series] = await Promise.all([
			walk(`${live.firehoseBaseUrl}scheduled-sessions`),
			walk(`${live.firehoseBaseUrl}session-series`),
		]);
		expect(live.fixtures.expected.scheduledSessions!.map((s) => s.id).sort()).toEqual(
			bookableIds(sessions.items, series.items, 'ScheduledSession', now),
		);
	});

	it('is deterministic for a seed, and works through POST /__sim/tick', async () => {
		const a = await startIminSimulator({
			port: 0,
			seed: 3,
			sessions: 60,
			series: 15,
			slots: 20,
			facilityUses: 8,
		});
		const b = await startIminSimulator({
			port: 0,
			seed: 3,
			sessions: 60,
			series: 15,
			slots: 20,
			facilityUses: 8,
		});
		try {
			const pa = (await get(`${a.firehoseBaseUrl}scheduled-sessions`)).data as FeedPage;
			const pb = (await get(`${b.firehoseBaseUrl}scheduled-sessions`)).data as FeedPage;
			expect(pa.items.map((i) => [i.id, i.data])).toEqual(pb.items.map((i) => [i.id, i.data]));
			const ca = a.tick(15).map((c) => [c.feed, c.id, c.state, c.action]);
			const cb = (
				(await http.post(`${b.url}/__sim/tick`, { n: 15 })).data as {
					changes: Array<{ feed: string; id: string; state: string; action: string }>;
				}
			).changes.map((c) => [c.feed, c.id, c.state, c.action]);
			expect(ca).toEqual(cb);
		} finally {
			await a.close();
			await b.close();
		}
	});
});

describe('syntheticItems (benchmark feed)', () => {
	let big: Sim;

	beforeAll(async () => {
		big = await startIminSimulator({ port: 0, apiKey: KEY, syntheticItems: 100_000, pageSize: 50 });
	});
	afterAll(async () => {
		await big.close();
	});

	it('serves 100,000 items in 2,000 pages of 50 (+ the end page), in order, without holding them', async () => {
		const url0 = `${big.firehoseBaseUrl}scheduled-sessions`;
		let url = url0;
		let count = 0;
		let deleted = 0;
		let pages = 0;
		let last: FeedItem | undefined;
		let heapAt100 = 0;
		const checker = createPageChecker();
		for (;;) {
			const res = await http.get(url, { headers: { 'X-API-KEY': KEY } });
			const body = res.data as FeedPage;
			if (pages < 5)
				expect(
					checker.check({
						url,
						json: body,
						contentType: String(res.headers['content-type']),
						cacheControl: String(res.headers['cache-control']),
					}),
				).toEqual([]);
			for (const item of body.items) {
				if (last) expect(before(last, item)).toBe(true);
				if (item.state === 'deleted') {
					deleted += 1;
					expect(item).not.toHaveProperty('data');
				}
				last = item;
			}
			count += body.items.length;
			if (body.items.length === 0 && body.next === url) break;
			if (body.items.length) expect(body.items).toHaveLength(50);
			pages += 1;
			if (pages === 100) heapAt100 = memoryUsageMb().heapUsed;
			url = body.next;
		}
		expect(pages).toBe(2000);
		expect(count).toBe(100_000);
		expect(deleted).toBeGreaterThan(0);
		const after = memoryUsageMb();
		// 100,000 items held as objects would take well over 100 MB (the request log alone, had it kept
		// whole pages, grew ~100 MB over this walk); after a full GC the growth is a few MB
		expect(after.heapUsed - heapAt100).toBeLessThan(after.gc ? 25 : 150);
		const stats = big.stats();
		expect(stats.feeds['scheduled-sessions']).toEqual({
			stored: 0,
			served: 100_000,
			synthetic: true,
		});
		expect(big.requests.length).toBeLessThanOrEqual(5000);
		expect(big.requests[big.requests.length - 2].responseBody).toMatchObject({
			'@sim:summary': true,
			itemCount: 50,
		});
	}, 120_000);

	it('pages are stable across requests and the other feeds are unchanged', async () => {
		const mid = `${big.firehoseBaseUrl}scheduled-sessions?afterTimestamp=${(await get(`${big.firehoseBaseUrl}scheduled-sessions`)).data.items[49].modified}&afterId=${(await get(`${big.firehoseBaseUrl}scheduled-sessions`)).data.items[49].id}`;
		const a = (await get(mid)).data as FeedPage;
		const b = (await get(mid)).data as FeedPage;
		expect(a).toEqual(b);
		expect(a.items[0].id).toBe('synthetic-ScheduledSession-000000050');
		expect(big.fixtures.expected.scheduledSessions).toBeNull();
		expect(big.fixtures.feeds['session-series'].items).toBeGreaterThan(50);
	});
});

describe('bookings and the Success webhook', () => {
	let booked: Sim;
	let rx: Receiver;

	beforeAll(async () => {
		rx = await startReceiver({ status: 204 });
		booked = await startIminSimulator({
			port: 0,
			seed: 5,
			apiKey: KEY,
			sessions: 120,
			series: 25,
			slots: 40,
			webhook: { url: `${rx.url}/webhook/imin-success`, apiKey: WEBHOOK_KEY },
		});
	});
	afterAll(async () => {
		await booked.close();
		await rx.close();
	});
	beforeEach(() => {
		rx.clear();
		rx.respond = () => 204;
		booked.clearWebhookDeliveries();
		booked.setWebhookDelivery({});
	});

	it('completeBooking returns the Order and POSTs it with X-Api-Key and JSON', async () => {
		const s = booked.fixtures.scheduledSessions.specialCharacters.percent!;
		const order = booked.completeBooking({
			identifier: s.identifier!,
			customer: { email: 'zoe@example.com', givenName: 'Zoë', familyName: "O'Neill" },
		});
		expect(order).toMatchObject({
			'@context': expect.arrayContaining(['https://openactive.io/']),
			type: 'Order',
			id: `${booked.bookBaseUrl}orders/${order.identifier}`,
			customer: {
				type: 'Person',
				email: 'zoe@example.com',
				givenName: 'Zoë',
				familyName: "O'Neill",
			},
			broker: { type: 'Organization', name: 'Acme Sports Finder' },
			seller: { type: 'Organization', name: 'Northgate Sports' },
			totalPaymentDue: { priceCurrency: 'GBP' },
		});
		expect(order.confirmationNumber).toMatch(/^[A-Z0-9]{8}$/);
		expect(Number.isNaN(Date.parse(order.orderDate))).toBe(false);
		const [line] = order.orderedItem;
		expect(line).toMatchObject({
			type: 'OrderItem',
			orderItemStatus: 'https://openactive.io/OrderItemConfirmed',
			orderedItem: {
				type: 'ScheduledSession',
				identifier: s.identifier,
				startDate: s.startDate,
				superEvent: { name: (s.parent as Json).name },
			},
			acceptedOffer: { type: 'Offer', id: s.acceptedOffer, priceCurrency: 'GBP' },
		});
		expect(line.id).toBe(`${order.id}/order-items/${line.identifier}`);
		expect(order.totalPaymentDue.price).toBe(line.acceptedOffer.price);

		await booked.idle(5000);
		const [req] = await rx.waitFor(1);
		expect(req.method).toBe('POST');
		expect(req.path).toBe('/webhook/imin-success');
		expect(req.headers['x-api-key']).toBe(WEBHOOK_KEY);
		expect(req.headers['content-type']).toBe('application/json');
		expect(req.json).toEqual(order);
		expect(booked.webhookDeliveries).toHaveLength(1);
		expect(booked.webhookDeliveries[0]).toMatchObject({
			event: 'success',
			status: 204,
			attempt: 1,
			copy: 0,
			url: `${rx.url}/webhook/imin-success`,
		});
		expect(booked.webhookDeliveries[0].headers['X-Api-Key']).toBe('***');

		// the Booking Platform has it, and the booking is a feed update at the end
		const fetched = await get(order.id);
		expect(fetched.status).toBe(200);
		expect(fetched.data).toEqual(order);
		expect((await get(order.id, {})).status).toBe(401);
		const updated = booked.feedItems('scheduled-sessions')!.find((e) => e.id === s.id)!;
		expect(updated.data!.remainingAttendeeCapacity).toBe(
			((s.item.data as Json).remainingAttendeeCapacity as number) - 1,
		);
		expect(updated.modified).toBeGreaterThan(s.modified);
	});

	it('authenticated route: checkout session -> /__sim/checkout-sessions/:id/complete -> Order for that customer', async () => {
		const s = booked.fixtures.scheduledSessions.bookable!;
		const res = await http.post(`${booked.checkoutBaseUrl}/api/checkout-sessions/`, {
			'@context': ['https://openactive.io/', 'https://imin.co/'],
			type: 'imin:CheckoutSession',
			'imin:initialOrder': {
				type: 'OrderQuote',
				customer: {
					type: 'Person',
					identifier: 'broker-user-42',
					email: 'kwame@example.com',
					givenName: 'Kwame',
					familyName: 'Okafor',
				},
				broker: {
					type: 'Organization',
					name: 'Acme Sports Finder',
					url: 'https://www.acmesportsfinder.example/',
				},
				orderedItem: [
					{
						type: 'OrderItem',
						orderedItem: { type: 'ScheduledSession', identifier: s.identifier },
						acceptedOffer: s.acceptedOffer,
					},
				],
			},
		});
		expect(res.status).toBe(201);
		const id = String(res.headers.location).split('/').pop();
		const done = await http.post(`${booked.url}/__sim/checkout-sessions/${id}/complete`, {});
		expect(done.status).toBe(201);
		expect(done.data.customer).toEqual({
			type: 'Person',
			identifier: 'broker-user-42',
			email: 'kwame@example.com',
			givenName: 'Kwame',
			familyName: 'Okafor',
		});
		const [req] = await rx.waitFor(1);
		expect(req.json).toEqual(done.data);
		expect(
			(await http.post(`${booked.url}/__sim/checkout-sessions/${id}/complete`, {})).status,
		).toBe(409);
		expect(
			((await http.get(`${booked.checkoutBaseUrl}/checkout-sessions/${id}`)).data as Json)[
				'imin:checkoutSessionStatus'
			],
		).toBe('completed');
	});

	it('the guest page form books too; a not-bookable opportunity cannot be booked', async () => {
		const s = booked.fixtures.scheduledSessions.specialCharacters.unicodeAndPlus!;
		const form = new URLSearchParams({
			givenName: 'Łukasz',
			familyName: 'Nowak',
			email: 'lukasz@example.com',
		}).toString();
		const res = await http.post(`${s.guestUrl}/book`, form, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(res.status).toBe(201);
		expect(res.data as string).toContain('Booking confirmed');
		const [req] = await rx.waitFor(1);
		expect((req.json as Json & { customer: Json }).customer.givenName).toBe('Łukasz');
		expect(() =>
			booked.completeBooking({
				identifier: booked.fixtures.scheduledSessions.notBookable['window-not-open']!.identifier!,
			}),
		).toThrow(/not bookable/);
		const over = await http.post(`${booked.url}/__sim/bookings`, {
			identifier: booked.fixtures.scheduledSessions.notBookable['parent-missing']!.identifier,
		});
		expect(over.status).toBe(400);
		expect((over.data as ErrorBody)['@type']).toBe('UnableToProcessOrderItemError');
	});

	it('POST /__sim/bookings with a Customer Account ID; order history pages through imin:RestrictedCollection', async () => {
		const f = booked.fixtures;
		const account = f.orders.customerIdentifier!;
		const res = await http.post(`${booked.url}/__sim/bookings`, {
			identifier: f.scheduledSessions.byPublisher['fusion-lifestyle']!.identifier,
			customer: account,
		});
		expect(res.status).toBe(201);
		expect(res.data.customer.identifier).toBe(account);
		const total = f.orders.count + 1;
		const page1 = await get(`${booked.bookBaseUrl}orders?customerIdentifier=${account}&page=1`);
		expect(page1.status).toBe(200);
		expect(page1.data).toMatchObject({
			type: 'imin:RestrictedCollection',
			'imin:totalItems': total,
			view: {
				'imin:currentPage': 1,
				'imin:itemsPerPage': 10,
				'imin:totalPages': Math.ceil(total / 10),
			},
		});
		const items = page1.data['imin:item'] as Array<{
			orderDate: string;
			identifier: string;
			customer: Json;
		}>;
		expect(items[0].identifier).toBe(res.data.identifier); // newest first
		for (let i = 1; i < items.length; i++)
			expect(items[i - 1].orderDate >= items[i].orderDate).toBe(true);
		const page2 = await get(page1.data.view.next);
		expect(page2.data['imin:item']).toHaveLength(total - 10);
		expect(page2.data.view.next).toBeUndefined();
		expect((await get(`${booked.bookBaseUrl}orders?page=1`)).status).toBe(400);
		expect(
			(await get(`${booked.bookBaseUrl}orders?customerIdentifier=${account}`, {})).status,
		).toBe(401);
		expect(
			(await get(`${booked.bookBaseUrl}orders/00000000-0000-4000-8000-000000000000`)).status,
		).toBe(404);
	});

	it('repeat sends extra identical copies; retryOnFailure retries a failing receiver', async () => {
		booked.setWebhookDelivery({ repeat: 2 });
		const order = booked.completeBooking({
			identifier: booked.fixtures.scheduledSessions.bookable!.identifier!,
		});
		await booked.idle(5000);
		const copies = await rx.waitFor(3);
		expect(copies.map((r) => r.json)).toEqual([order, order, order]);
		expect(booked.webhookDeliveries.map((d) => d.copy)).toEqual([0, 1, 2]);

		rx.clear();
		booked.clearWebhookDeliveries();
		rx.respond = (_req, index) => (index < 2 ? 500 : 204);
		booked.setWebhookDelivery({ retryOnFailure: { attempts: 3, delayMs: 10 } });
		booked.completeBooking({ identifier: booked.fixtures.scheduledSessions.bookable!.identifier! });
		expect(await booked.idle(5000)).toBe(true);
		expect(booked.webhookDeliveries.map((d) => [d.attempt, d.status])).toEqual([
			[1, 500],
			[2, 500],
			[3, 204],
		]);
		const listed = await http.get(`${booked.url}/__sim/webhook-deliveries?wait=1`);
		expect(listed.data).toHaveLength(3);
	});

	it('Customer Detail Change and Seller Onboarding webhooks carry the documented bodies', async () => {
		const account = booked.fixtures.customerAccounts[0].identifier;
		const cdc = await http.post(`${booked.url}/__sim/customer-detail-change`, {
			identifier: account,
		});
		expect(cdc.status).toBe(202);
		const onboard = await http.post(`${booked.url}/__sim/seller-onboarding`, {
			sellerId: booked.fixtures.sellers[0].id,
			action: 'create',
		});
		const removed = await http.post(`${booked.url}/__sim/seller-onboarding`, {
			sellerId: booked.fixtures.sellers[0].id,
			action: 'delete',
		});
		expect(onboard.status).toBe(202);
		const reqs = await rx.waitFor(3);
		const byBody = (type: string) =>
			reqs.find((r) => (r.json as Json)['@type'] === type || (r.json as Json).type === type)!;
		expect(byBody('CustomerAccount').json).toEqual({
			'@context': 'https://openactive.io/',
			'@type': 'CustomerAccount',
			'@id': `${booked.bookBaseUrl}customer-accounts/${account}`,
			identifier: account,
		});
		expect(byBody('CreateAction').json).toEqual({
			context: ['https://schema.org', 'https://imin.co'],
			type: 'CreateAction',
			agent: { type: 'Organization', id: booked.fixtures.sellers[0].id },
			result: { type: 'imin:SellerOnboard', 'imin:stripeNeeded': false, 'imin:termsAgreed': true },
		});
		expect(byBody('DeleteAction').json).toEqual({ ...removed.data.body });
		expect(byBody('DeleteAction').json).toHaveProperty('object', { type: 'imin:SellerOnboard' });
		for (const r of reqs) expect(r.headers['x-api-key']).toBe(WEBHOOK_KEY);
		const acct = await get(String((byBody('CustomerAccount').json as Json)['@id']));
		expect(acct.status).toBe(200);
		expect(acct.data.customer.email).toBe(booked.fixtures.customerAccounts[0].email);
	});

	it('per-event targets and keys; no URL means nothing is sent and a problem is recorded', async () => {
		booked.setWebhookDelivery({
			targets: { 'seller-onboarding': { url: `${rx.url}/webhook/sellers`, apiKey: 'seller-key' } },
		});
		booked.fireSellerOnboarding({ action: 'update' });
		const [req] = await rx.waitFor(1);
		expect(req.path).toBe('/webhook/sellers');
		expect(req.headers['x-api-key']).toBe('seller-key');
		booked.setWebhookDelivery({ url: '' });
		expect(booked.fireCustomerDetailChange({}).scheduled).toBe(0);
		expect(booked.webhookProblems.length).toBeGreaterThan(0);
		booked.setWebhookDelivery({ url: `${rx.url}/webhook/imin-success` });
	});
});

describe('variants of the Success and Customer Detail Change webhooks (/__sim/variants)', () => {
	let vsim: Sim;
	let rx: Receiver;

	beforeAll(async () => {
		rx = await startReceiver({ status: 204 });
		vsim = await startIminSimulator({
			port: 0,
			seed: 5,
			apiKey: KEY,
			sessions: 60,
			series: 15,
			slots: 10,
			webhook: { url: `${rx.url}/webhook/imin`, apiKey: WEBHOOK_KEY },
		});
	});
	afterAll(async () => {
		await vsim.close();
		await rx.close();
	});
	beforeEach(async () => {
		rx.clear();
		vsim.clearWebhookDeliveries();
		expect((await http.delete(`${vsim.url}/__sim/variants`)).data.variants).toEqual({
			successShape: 'order',
			customerDetailChange: 'once',
		});
	});

	/** Books a bookable session under the current variant; resolves the Order and the one Success request received. */
	async function bookAndReceive(tag: string) {
		const s = vsim.fixtures.scheduledSessions.bookable!;
		const order = vsim.completeBooking({
			identifier: s.identifier!,
			customer: { email: `${tag}@example.com`, givenName: 'Vee', familyName: tag },
			force: true,
		});
		await vsim.idle(5000);
		const reqs = await rx.waitFor(1);
		expect(reqs).toHaveLength(1);
		expect(reqs[0].headers['x-api-key']).toBe(WEBHOOK_KEY);
		expect(reqs[0].headers['content-type']).toBe('application/json');
		return { order, body: reqs[0].json as Json };
	}

	it('GET lists both points; POST sets one; an unknown variant is refused with the known ones', async () => {
		const listed = await http.get(`${vsim.url}/__sim/variants`);
		expect(listed.data.points.successShape.values).toEqual([
			'order',
			'not-order',
			'no-ordered-item',
			'wrapped',
		]);
		expect(listed.data.points.customerDetailChange.values).toEqual(['once', 'twice-different']);
		const set = await http.post(`${vsim.url}/__sim/variants`, { successShape: 'wrapped' });
		expect(set.data.variants).toEqual({ successShape: 'wrapped', customerDetailChange: 'once' });
		const bad = await http.post(`${vsim.url}/__sim/variants`, { successShape: 'envelope' });
		expect(bad.status).toBe(400);
		expect(bad.data.reason).toContain('order, not-order, no-ordered-item, wrapped');
		expect(vsim.variants.get('successShape')).toBe('wrapped');
	});

	it('successShape=order (default): the body is the Order the Booking Platform serves', async () => {
		const { order, body } = await bookAndReceive('order');
		expect(body).toEqual(order);
		expect((await get(order.id)).data).toEqual(order);
	});

	it('successShape=not-order: a notification naming the order by its Booking Platform URL, without the Order', async () => {
		await http.post(`${vsim.url}/__sim/variants`, { successShape: 'not-order' });
		const { order, body } = await bookAndReceive('notorder');
		expect(body).toEqual({
			'@context': 'https://openactive.io/',
			'@type': 'OrderNotification',
			order: { '@id': order.id },
		});
		expect(JSON.stringify(body)).not.toContain(order.confirmationNumber);
		// the named order is there to fetch
		const fetched = await get(String((body.order as Json)['@id']));
		expect(fetched.status).toBe(200);
		expect(fetched.data).toEqual(order);
	});

	it('successShape=no-ordered-item: the Order without orderedItem (the rest unchanged)', async () => {
		await http.post(`${vsim.url}/__sim/variants`, { successShape: 'no-ordered-item' });
		const { order, body } = await bookAndReceive('noitem');
		expect(body).not.toHaveProperty('orderedItem');
		const { orderedItem, ...rest } = order;
		expect(orderedItem.length).toBeGreaterThan(0);
		expect(body).toEqual(rest);
		// only the webhook differs: the Booking Platform still has the whole Order
		expect((await get(order.id)).data.orderedItem).toEqual(orderedItem);
	});

	it('successShape=wrapped: the Order inside {event, data}', async () => {
		await http.post(`${vsim.url}/__sim/variants`, { successShape: 'wrapped' });
		const { order, body } = await bookAndReceive('wrapped');
		expect(body).toEqual({ event: 'checkout.success', data: order });
	});

	it('customerDetailChange=once (default): one documented body per change', async () => {
		const account = vsim.fixtures.customerAccounts[0].identifier;
		const fired = vsim.fireCustomerDetailChange({ identifier: account });
		expect(fired.scheduled).toBe(1);
		await vsim.idle(5000);
		await rx.waitFor(1);
		expect(rx.requests).toHaveLength(1);
		expect(rx.requests[0].json).toEqual({
			'@context': 'https://openactive.io/',
			'@type': 'CustomerAccount',
			'@id': `${vsim.bookBaseUrl}customer-accounts/${account}`,
			identifier: account,
		});
	});

	it('customerDetailChange=twice-different: two deliveries for one customer, same @id, different content, in order', async () => {
		await http.post(`${vsim.url}/__sim/variants`, { customerDetailChange: 'twice-different' });
		const account = vsim.fixtures.customerAccounts[1].identifier;
		const fired = await http.post(`${vsim.url}/__sim/customer-detail-change`, {
			identifier: account,
		});
		expect(fired.status).toBe(202);
		expect(fired.data.scheduled).toBe(2);
		const reqs = await rx.waitFor(2);
		await vsim.idle(5000);
		expect(rx.requests).toHaveLength(2);
		const [first, second] = reqs.map((r) => r.json as Json);
		for (const b of [first, second]) {
			expect(b).toMatchObject({
				'@type': 'CustomerAccount',
				'@id': `${vsim.bookBaseUrl}customer-accounts/${account}`,
				identifier: account,
			});
			expect(reqs.every((r) => r.headers['x-api-key'] === WEBHOOK_KEY)).toBe(true);
		}
		expect(JSON.stringify(first)).not.toBe(JSON.stringify(second));
		expect(Date.parse(String(second.dateModified))).toBeGreaterThan(
			Date.parse(String(first.dateModified)),
		);
		expect(vsim.webhookDeliveries.map((d) => d.event)).toEqual([
			'customer-detail-change',
			'customer-detail-change',
		]);
	});
});

describe('faults', () => {
	const feedUrl = () => `${sim.firehoseBaseUrl}session-series`;

	beforeEach(() => sim.clearRequests());

	it('429 and 503 with Retry-After, then normal answers', async () => {
		sim.setFaults([{ mode: '429', count: 2, retryAfter: 3 }]);
		const statuses = [];
		for (let i = 0; i < 3; i++) {
			const res = await get(feedUrl());
			statuses.push(res.status);
			if (res.status === 429) expect(res.headers['retry-after']).toBe('3');
		}
		expect(statuses).toEqual([429, 429, 200]);
		sim.setFaults({ mode: '503', count: 1, retryAfter: 7 });
		const unavailable = await get(feedUrl());
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers['retry-after']).toBe('7');
		expect((await get(feedUrl())).status).toBe(200);
		expect(sim.requests.map((r) => [r.status, r.fault ?? null])).toEqual([
			[429, '429'],
			[429, '429'],
			[200, null],
			[503, '503'],
			[200, null],
		]);
	});

	it('500, a dropped connection and a slow answer', async () => {
		sim.setFaults([{ mode: '500', count: 1 }]);
		expect((await get(feedUrl())).status).toBe(500);
		sim.setFaults({ mode: 'drop', count: 1 });
		await expect(get(feedUrl())).rejects.toThrow();
		expect((await get(feedUrl())).status).toBe(200);
		sim.setFaults({ mode: 'slow', count: 1, delayMs: 400 });
		const t0 = Date.now();
		expect((await get(feedUrl())).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
	});

	it('match by method and path prefix; count -1 lasts until cleared; control endpoints are never faulted or recorded', async () => {
		sim.setFaults({
			mode: '500',
			count: -1,
			match: { method: 'POST', pathPrefix: '/api/checkout-sessions' },
		});
		expect((await get(feedUrl())).status).toBe(200);
		for (let i = 0; i < 2; i++)
			expect((await http.post(`${sim.checkoutBaseUrl}/api/checkout-sessions/`, {})).status).toBe(
				500,
			);
		expect((await http.get(`${sim.url}/__sim/fixtures`)).status).toBe(200);
		expect(sim.requests.every((r) => !r.path.startsWith('/__sim'))).toBe(true);
		const cleared = await http.delete(`${sim.url}/__sim/faults`);
		expect(cleared.data).toEqual({ faults: [] });
		expect((await http.post(`${sim.checkoutBaseUrl}/api/checkout-sessions/`, {})).status).toBe(400);
		const viaHttp = await http.post(`${sim.url}/__sim/faults`, {
			mode: '503',
			count: 1,
			match: { pathPrefix: '/firehose/slots' },
		});
		expect(viaHttp.status).toBe(200);
		expect((await get(feedUrl())).status).toBe(200);
		expect((await get(`${sim.firehoseBaseUrl}slots`)).status).toBe(503);
		const recorded = await http.get(`${sim.url}/__sim/requests`);
		expect((recorded.data as Array<{ path: string }>).map((r) => r.path)).toContain(
			'/firehose/slots',
		);
		expect((await http.delete(`${sim.url}/__sim/requests`)).status).toBe(200);
		expect(sim.requests).toHaveLength(0);
	});
});
