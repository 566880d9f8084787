/**
 * Property-based tests (fast-check) of every parser that reads outside input: Sesami Flow bodies,
 * imin webhook payloads and RPDE pages, Shopify App Proxy queries and session tokens, My Page
 * actions. Thousands of generated cases: none may throw, valid input must be read exactly, and
 * anything changed in signed input must be refused.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { checkBookability } from '../../../../../nodes/Imin/helpers/bookability';
import { readRpdePage, RpdeError } from '../../../../../nodes/Imin/helpers/rpde';
import { detectIminEvent, normalizeSuccess } from '../../../../../nodes/Imin/IminTrigger/normalize';

const RUNS = 2000;

describe('imin payloads and RPDE pages', () => {
	it('webhook detection and Success normalising never throw on arbitrary objects', () => {
		fc.assert(
			fc.property(fc.object({ maxDepth: 4 }), (body) => {
				const event = detectIminEvent(body as IDataObject);
				expect([null, 'checkoutSuccess', 'customerDetailChange', 'sellerOnboarding']).toContain(
					event,
				);
				const order = normalizeSuccess(body as IDataObject);
				expect(order).toHaveProperty('orderId');
			}),
			{ numRuns: RUNS },
		);
	});

	it('a page is either read or refused with an RpdeError, never anything else', () => {
		fc.assert(
			fc.property(fc.anything(), (body) => {
				try {
					readRpdePage('https://firehose.example.com/feed', body);
				} catch (error) {
					expect(error).toBeInstanceOf(RpdeError);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	const item = fc.record({
		state: fc.constantFrom('updated', 'deleted'),
		kind: fc.constantFrom('ScheduledSession', 'SessionSeries'),
		id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer({ min: 1 })),
		modified: fc.integer({ min: 0 }),
	});
	it('valid pages are read; the end is exactly "no items and next = this URL"', () => {
		fc.assert(
			fc.property(fc.array(item, { maxLength: 20 }), fc.boolean(), (items, sameNext) => {
				const url = 'https://firehose.example.com/feed?afterTimestamp=1&afterId=a';
				const next = sameNext
					? url
					: 'https://firehose.example.com/feed?afterTimestamp=2&afterId=b';
				const page = readRpdePage(url, {
					next,
					items,
					license: 'https://creativecommons.org/licenses/by/4.0/',
				});
				expect(page.items).toHaveLength(items.length);
				expect(page.reachedEnd).toBe(items.length === 0 && sameNext);
			}),
			{ numRuns: RUNS },
		);
	});

	it('bookability never throws; bookable means no reason, and the window rule holds', () => {
		const HOUR = 3600_000;
		fc.assert(
			fc.property(
				fc.integer({ min: -1000, max: 1000 }),
				fc.integer({ min: 0, max: 500 }),
				fc.boolean(),
				fc.boolean(),
				fc.boolean(),
				(startOffsetHours, windowHours, occurrenceFlag, parentFlag, adult) => {
					const now = Date.parse('2026-12-01T12:00:00Z');
					const start = now + startOffsetHours * HOUR;
					const occurrence = {
						'@type': 'ScheduledSession',
						superEvent: 's',
						startDate: new Date(start).toISOString(),
						'imin:isPotentiallyBookable': occurrenceFlag,
					};
					const parent = {
						'@id': 's',
						'imin:aggregateOffer': adult
							? {
									publicAdult: {
										'imin:isPotentiallyBookable': parentFlag,
										validFromBeforeStartDate: `PT${windowHours}H`,
									},
								}
							: {},
					};
					const result = checkBookability(occurrence, parent, new Date(now));
					const expected =
						occurrenceFlag &&
						adult &&
						parentFlag &&
						now < start &&
						now >= start - windowHours * HOUR;
					expect(result.bookable).toBe(expected);
					expect(result.bookable).toBe(result.reasons.length === 0);
				},
			),
			{ numRuns: RUNS },
		);
		fc.assert(
			fc.property(fc.anything(), fc.anything(), (a, b) =>
				expect(typeof checkBookability(a, b).bookable).toBe('boolean'),
			),
			{ numRuns: RUNS },
		);
	});
});
