import { checkBookability } from '../../nodes/Imin/helpers/bookability';
import {
	checkoutSessionBody,
	guestCheckoutUrl,
	readCheckoutSessionResponse,
} from '../../nodes/Imin/helpers/checkout';
import { minusDuration, parseIsoDuration } from '../../nodes/Imin/helpers/duration';

const START = '2026-12-10T18:00:00Z';
const start = Date.parse(START);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

function series(adult: Record<string, unknown> | null, extra: Record<string, unknown> = {}) {
	return {
		'@type': 'SessionSeries',
		'@id': 'https://firehose.imin.co/firehose/session-series/example-1',
		name: 'Badminton Club Night',
		'imin:aggregateOffer': {
			...(adult
				? { publicAdult: { '@type': 'AggregateOffer', '@id': 'offer-adult', price: 8, ...adult } }
				: {}),
			publicJunior: {
				'@type': 'AggregateOffer',
				'@id': 'offer-junior',
				price: 4,
				'imin:isPotentiallyBookable': true,
			},
		},
		...extra,
	};
}

function session(flag: unknown, extra: Record<string, unknown> = {}) {
	return {
		'@type': 'ScheduledSession',
		'@id': 'https://firehose.imin.co/firehose/scheduled-sessions/example-1-2026-12-10',
		identifier: 'https://opendata.example.org/OpenActive/api/scheduled-sessions/1234567',
		superEvent: 'https://firehose.imin.co/firehose/session-series/example-1',
		startDate: START,
		...(flag === undefined ? {} : { 'imin:isPotentiallyBookable': flag }),
		...extra,
	};
}

const open = { 'imin:isPotentiallyBookable': true, validFromBeforeStartDate: 'P1W' };
const at = (ms: number) => new Date(ms);

describe('bookability truth table (imin.md §4.1)', () => {
	it.each([
		['both flags true, inside the window', session(true), series(open), at(start - DAY), true, []],
		[
			'occurrence flag false (e.g. full)',
			session(false),
			series(open),
			at(start - DAY),
			false,
			['occurrence-not-bookable'],
		],
		[
			'occurrence flag missing',
			session(undefined),
			series(open),
			at(start - DAY),
			false,
			['occurrence-not-bookable'],
		],
		[
			'parent publicAdult flag false',
			session(true),
			series({ ...open, 'imin:isPotentiallyBookable': false }),
			at(start - DAY),
			false,
			['parent-not-bookable'],
		],
		[
			'children-only series (no publicAdult)',
			session(true),
			series(null),
			at(start - DAY),
			false,
			['children-only'],
		],
		[
			'parent not given (referenced by @id only)',
			session(true),
			undefined,
			at(start - DAY),
			false,
			['parent-missing'],
		],
		[
			'window opens exactly now (start - P1W)',
			session(true),
			series(open),
			at(start - 7 * DAY),
			true,
			[],
		],
		[
			'one millisecond before the window opens',
			session(true),
			series(open),
			at(start - 7 * DAY - 1),
			false,
			['window-not-open'],
		],
		['one millisecond before the start', session(true), series(open), at(start - 1), true, []],
		['exactly at the start', session(true), series(open), at(start), false, ['already-started']],
		['after the start', session(true), series(open), at(start + HOUR), false, ['already-started']],
		[
			'PT12H window, 13 hours ahead',
			session(true),
			series({ ...open, validFromBeforeStartDate: 'PT12H' }),
			at(start - 13 * HOUR),
			false,
			['window-not-open'],
		],
		[
			'no window given: only the flags and the start count',
			session(true),
			series({ 'imin:isPotentiallyBookable': true }),
			at(start - 300 * DAY),
			true,
			[],
		],
		[
			'everything wrong at once',
			session(false),
			series(null),
			at(start + 1),
			false,
			['occurrence-not-bookable', 'children-only', 'already-started'],
		],
	])('%s', (_name, occurrence, parent, now, bookable, reasons) => {
		const result = checkBookability(occurrence, parent, now);
		expect(result.bookable).toBe(bookable);
		expect(result.reasons).toEqual(reasons);
		expect(result.explanation.length).toBeGreaterThan(5);
	});

	it('accepts the _imin: spelling on the occurrence and on the parent offer', () => {
		const occurrence = { ...session(undefined), '_imin:isPotentiallyBookable': true };
		const parent = series({ '_imin:isPotentiallyBookable': true, validFromBeforeStartDate: 'P1W' });
		expect(checkBookability(occurrence, parent, at(start - DAY)).bookable).toBe(true);
	});

	it('accepts id/type instead of @id/@type, and RPDE items wrapping the data', () => {
		const plain = (object: Record<string, unknown>) => {
			const { '@id': id, '@type': type, ...rest } = object;
			return { id, type, ...rest };
		};
		const occurrence = {
			state: 'updated',
			kind: 'ScheduledSession',
			id: 'x',
			modified: 1,
			data: plain(session(true)),
		};
		const parent = {
			state: 'updated',
			kind: 'SessionSeries',
			id: 'y',
			modified: 1,
			data: plain(series(open)),
		};
		const result = checkBookability(occurrence, parent, at(start - DAY));
		expect(result).toMatchObject({
			bookable: true,
			occurrenceType: 'ScheduledSession',
			parentId: series(open)['@id'],
		});
	});

	it('uses a parent embedded in superEvent', () => {
		const occurrence = session(true, { superEvent: series(open) });
		expect(checkBookability(occurrence, undefined, at(start - DAY)).bookable).toBe(true);
	});

	it("refuses a parent that is not the occurrence's own", () => {
		const other = series(open, { '@id': 'https://firehose.imin.co/firehose/session-series/other' });
		expect(checkBookability(session(true), other, at(start - DAY)).reasons).toEqual([
			'parent-mismatch',
		]);
	});

	it('matches a Slot to its FacilityUse through individualFacilityUse', () => {
		const facility = {
			'@type': 'FacilityUse',
			'@id': 'https://firehose.imin.co/firehose/facility-uses/centre-courts',
			individualFacilityUse: [
				{
					'@type': 'IndividualFacilityUse',
					'@id': 'https://firehose.imin.co/firehose/facility-uses/centre-courts/court-1',
				},
			],
			'imin:aggregateOffer': { publicAdult: { '@id': 'court-offer', ...open } },
		};
		const slot = {
			'@type': 'Slot',
			'@id': 'slot-1',
			facilityUse: 'https://firehose.imin.co/firehose/facility-uses/centre-courts/court-1',
			startDate: START,
			'imin:isPotentiallyBookable': true,
		};
		expect(checkBookability(slot, facility, at(start - DAY))).toMatchObject({
			bookable: true,
			occurrenceType: 'Slot',
		});
	});

	it('reports the window and no occurrence at all', () => {
		expect(checkBookability(session(true), series(open), at(start - DAY)).windowOpensAt).toBe(
			new Date(start - 7 * DAY).toISOString(),
		);
		expect(checkBookability(undefined, series(open)).reasons).toEqual(['occurrence-missing']);
	});
});

describe('ISO-8601 durations', () => {
	it.each([
		['P1W', 7 * DAY],
		['P2D', 2 * DAY],
		['PT12H', 12 * HOUR],
		['P1DT2H30M', DAY + 2.5 * HOUR],
		['PT90M', 1.5 * HOUR],
	])('%s', (text, ms) => {
		expect(parseIsoDuration(text)).toEqual({ years: 0, months: 0, ms });
	});

	it('subtracts months on the calendar and refuses nonsense', () => {
		expect(
			new Date(
				minusDuration(Date.parse('2026-03-31T10:00:00Z'), parseIsoDuration('P1M')!),
			).toISOString(),
		).toBe('2026-03-03T10:00:00.000Z');
		expect(parseIsoDuration('P')).toBeUndefined();
		expect(parseIsoDuration('1 week')).toBeUndefined();
		expect(parseIsoDuration('PT')).toBeUndefined();
	});
});

describe('guest checkout URLs', () => {
	it.each([
		[
			'https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/1234567',
			'https%3A%2F%2Fopendata.fusion-lifestyle.com%2FOpenActive%2Fapi%2Fscheduled-sessions%2F1234567',
		],
		[
			'https://api.example.org/sessions?id=42&date=2026-12-10',
			'https%3A%2F%2Fapi.example.org%2Fsessions%3Fid%3D42%26date%3D2026-12-10',
		],
		['urn:uuid:7d4b 9c#1 100%', 'urn%3Auuid%3A7d4b%209c%231%20100%25'],
		['12345', '12345'],
	])('%s', (identifier, encoded) => {
		const url = guestCheckoutUrl('checkout.example.com/', identifier);
		expect(url).toBe(`https://checkout.example.com/v1/scheduled-sessions/${encoded}`);
		expect(decodeURIComponent(url.split('/v1/scheduled-sessions/')[1])).toBe(identifier);
	});

	it('uses /v1/slots/ for slots', () => {
		expect(guestCheckoutUrl('https://checkout.example.com', 'a/b', 'Slot')).toBe(
			'https://checkout.example.com/v1/slots/a%2Fb',
		);
	});
});

describe('checkout session body (imin.md §2.4)', () => {
	const base = {
		identifier: 'https://opendata.example.org/OpenActive/api/scheduled-sessions/1234567',
		kind: 'ScheduledSession' as const,
		acceptedOffer: 'offer-adult',
		broker: { name: 'Example Broker', url: 'https://www.example.com' },
		backToBrokerUrl: 'https://www.example.com/activities',
		backToProfileUrl: 'https://www.example.com/me',
	};

	it('with an imin Customer Account ID', () => {
		expect(checkoutSessionBody({ ...base, customer: 'cust-abc' })).toEqual({
			'@context': ['https://openactive.io/', 'https://imin.co/'],
			type: 'imin:CheckoutSession',
			'imin:initialOrder': {
				type: 'OrderQuote',
				customer: 'cust-abc',
				broker: { type: 'Organization', name: 'Example Broker', url: 'https://www.example.com' },
				orderedItem: [
					{
						type: 'OrderItem',
						orderedItem: { type: 'ScheduledSession', identifier: base.identifier },
						acceptedOffer: 'offer-adult',
					},
				],
			},
			'imin:navigationLinks': [
				{
					type: 'WebPage',
					name: 'Back to Broker',
					'imin:linkType': 'https://imin.co/BackToBrokerLink',
					url: 'https://www.example.com/activities',
				},
				{
					type: 'WebPage',
					name: 'Back to Broker User Profile',
					'imin:linkType': 'https://imin.co/BackToBrokerUserProfileLink',
					url: 'https://www.example.com/me',
				},
			],
		});
	});

	it('with the customer as name and email; the identifier is sent un-encoded', () => {
		const body = checkoutSessionBody({
			...base,
			customer: {
				email: 'ada@example.com',
				givenName: 'Ada',
				familyName: 'Lovelace',
				is13OrOver: true,
			},
		});
		const order = body['imin:initialOrder'] as {
			customer: unknown;
			orderedItem: Array<{ orderedItem: { identifier: string } }>;
		};
		expect(order.customer).toEqual({
			type: 'Person',
			email: 'ada@example.com',
			givenName: 'Ada',
			familyName: 'Lovelace',
			'imin:is13OrOver': true,
		});
		expect(order.orderedItem[0].orderedItem.identifier).toBe(base.identifier);
	});

	it('reads the checkout URL from potentialAction and the session id from Location', () => {
		const read = readCheckoutSessionResponse(
			{
				potentialAction: [
					{
						type: 'OrderAction',
						name: 'Checkout',
						target: 'https://checkout.example.com/opendata/BQokikJOvBiI2H',
					},
				],
			},
			'/checkout-sessions/BQokikJOvBiI2H',
		);
		expect(read).toMatchObject({
			checkoutUrl: 'https://checkout.example.com/opendata/BQokikJOvBiI2H',
			sessionId: 'BQokikJOvBiI2H',
		});
	});
});
