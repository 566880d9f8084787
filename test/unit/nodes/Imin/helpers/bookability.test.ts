import { checkBookability } from '../../../../../nodes/Imin/helpers/bookability';

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

describe('bookability truth table', () => {
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
