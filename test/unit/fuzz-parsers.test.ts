/**
 * Property-based tests (fast-check) of every parser that reads outside input: Sesami Flow bodies,
 * imin webhook payloads and RPDE pages, Shopify App Proxy queries and session tokens, My Page
 * actions. Thousands of generated cases: none may throw, valid input must be read exactly, and
 * anything changed in signed input must be refused.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { checkBookability } from '../../nodes/Imin/helpers/bookability';
import { readRpdePage, RpdeError } from '../../nodes/Imin/helpers/rpde';
import { detectIminEvent, normalizeSuccess } from '../../nodes/Imin/IminTrigger/normalize';
import { readAction } from '../../nodes/Sesami/SesamiMyPageTrigger/actions';
import { normalizeFlowPush } from '../../nodes/Sesami/SesamiTrigger/helpers/normalize';
import { htmlUnescape, parseTolerantJson, unescapeDeep } from '../../nodes/shared/tolerantJson';
import {
	verifyAppProxy,
	verifySessionToken,
} from '../../nodes/Sesami/SesamiMyPageTrigger/shopifyAuth';
import { mintSessionToken, proxyPairs, signAppProxyQuery, tokenClaims } from '../helpers/shopify';

const RUNS = 2000;
const SHOP = 'fuzz-shop.myshopify.com';
const SECRET = ['fuzz', 'client', 'secret', 'value'].join('-');

/** Handlebars' escapeExpression, as Sesami's renderer applies it to {{...}} output. */
function handlebarsEscape(text: string): string {
	const map: Record<string, string> = {
		'&': '&amp;',
		'<': '&lt;',
		'>': '&gt;',
		'"': '&quot;',
		"'": '&#x27;',
		'`': '&#x60;',
		'=': '&#x3D;',
	};
	return text.replace(/[&<>"'`=]/g, (ch) => map[ch]);
}

const objectOfScalars = fc.dictionary(
	fc
		.string({ minLength: 1, maxLength: 12 })
		.filter((key) => [...key].every((ch) => ch >= ' ' && ch !== '"' && ch !== '\\')),
	fc.oneof(
		fc.string({ maxLength: 30 }),
		fc.integer(),
		fc.double({ noNaN: true, noDefaultInfinity: true }),
		fc.boolean(),
		fc.constant(null),
	),
	{ minKeys: 1, maxKeys: 8 },
);

describe('Sesami Flow bodies', () => {
	it('any JSON text is read exactly, without repairs', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				const result = parseTolerantJson(JSON.stringify(value));
				expect(result).toEqual({ ok: true, value: JSON.parse(JSON.stringify(value)), repairs: [] });
			}),
			{ numRuns: RUNS },
		);
	});

	it('the commas an #each loop leaves out, and trailing commas, are repaired to the same object', () => {
		fc.assert(
			fc.property(objectOfScalars, fc.boolean(), (object, trailing) => {
				const entries = Object.entries(object).map(
					([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`,
				);
				const text = `{\n  ${entries.join('\n  ')}${trailing ? ',' : ''}\n}`;
				const result = parseTolerantJson(text);
				expect(result.ok).toBe(true);
				if (result.ok) expect(result.value).toEqual(JSON.parse(JSON.stringify(object)));
			}),
			{ numRuns: RUNS },
		);
	});

	it('never throws on arbitrary text, and a refusal always has a reason', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string({ maxLength: 200 }),
					fc.string({ unit: 'binary', maxLength: 100 }),
					fc.json().map((j) => j.slice(0, Math.floor(j.length / 2))),
				),
				(text) => {
					const result = parseTolerantJson(text);
					if (!result.ok) expect(result.reason.length).toBeGreaterThan(3);
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('undoing Handlebars escaping gives back any text', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
				expect(htmlUnescape(handlebarsEscape(text))).toBe(text);
			}),
			{ numRuns: RUNS },
		);
	});

	it('normalising never throws and always yields the same fields', () => {
		const keys = [
			'event',
			'appointmentId',
			'status',
			'startUtc',
			'endUtc',
			'start',
			'end',
			'customerTimezone',
			'customer',
			'orderId',
			'orderName',
			'service',
			'serviceId',
			'shopId',
			'customerManagementLink',
			'createdAtUtc',
			'duration',
			'price',
			'currency',
		];
		fc.assert(
			fc.property(
				fc.object({ maxDepth: 3 }),
				fc.option(fc.string(), { nil: null }),
				(body, hint) => {
					const push = normalizeFlowPush(unescapeDeep(body) as IDataObject, hint);
					expect(Object.keys(push).sort()).toEqual([...keys].sort());
				},
			),
			{ numRuns: RUNS },
		);
	});
});

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

describe('Shopify App Proxy queries and session tokens', () => {
	const value = fc.string({ maxLength: 20 });
	const extraKeys = fc.uniqueArray(fc.stringMatching(/^x[a-z_]{1,8}$/), { maxLength: 3 });

	it('any query Shopify signs is accepted, with the customer it names', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[1-9]\d{0,15}$/),
				extraKeys,
				fc.array(value, { minLength: 3, maxLength: 3 }),
				(customerId, keys, values) => {
					const extra = keys.map((key, i) => [key, values[i]] as [string, string]);
					const query = signAppProxyQuery(proxyPairs({ shop: SHOP, customerId, extra }), SECRET);
					const result = verifyAppProxy(query, SECRET, [SHOP]);
					expect(result).toMatchObject({ ok: true, value: { customerId, shop: SHOP } });
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('changing any signed value is refused', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[1-9]\d{0,15}$/),
				fc.constantFrom('shop', 'logged_in_customer_id', 'path_prefix', 'timestamp'),
				fc.stringMatching(/^[a-z0-9]{1,6}$/),
				(customerId, field, suffix) => {
					const pairs = proxyPairs({ shop: SHOP, customerId });
					const query = signAppProxyQuery(pairs, SECRET);
					const tampered = query.replace(
						new RegExp(`(^|&)${field}=([^&]*)`),
						(_m, lead, v) => `${lead}${field}=${v}${suffix}`,
					);
					expect(verifyAppProxy(tampered, SECRET, [SHOP]).ok).toBe(false);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('arbitrary query strings and tokens never throw and are refused', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 300 }), (text) => {
				expect(verifyAppProxy(text, SECRET, [SHOP]).ok).toBe(false);
				expect(verifySessionToken(text, SECRET, 'client', [SHOP]).ok).toBe(false);
			}),
			{ numRuns: RUNS },
		);
	});

	it('a signed token is accepted exactly when its claims are valid', async () => {
		await fc.assert(
			fc.asyncProperty(
				// away from the 10 s leeway's edge, where a clock tick would decide
				fc.integer({ min: -400, max: 400 }).filter((offset) => offset < -11 || offset > -9),
				fc.boolean(),
				fc.boolean(),
				fc.option(fc.stringMatching(/^[1-9]\d{0,12}$/), { nil: undefined }),
				async (expOffset, rightAudience, rightShop, customerId) => {
					const now = Math.floor(Date.now() / 1000);
					const claims = tokenClaims({
						shop: rightShop ? SHOP : 'other.myshopify.com',
						clientId: rightAudience ? 'client' : 'other',
						customerId,
						exp: now + expOffset,
					});
					const result = verifySessionToken(
						await mintSessionToken(claims, SECRET),
						SECRET,
						'client',
						[SHOP],
					);
					expect(result.ok).toBe(
						expOffset > -9 && rightAudience && rightShop && customerId !== undefined,
					);
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('My Page actions', () => {
	it('reading an action never throws, and what it accepts is well-formed', () => {
		fc.assert(
			fc.property(
				fc.object({ maxDepth: 1 }),
				fc.object({ maxDepth: 2 }),
				fc.constantFrom('GET', 'POST'),
				(query, body, method) => {
					const result = readAction(query as IDataObject, body as IDataObject, method);
					if (result.ok) {
						expect(['list', 'slots', 'reschedule', 'cancel']).toContain(result.action);
						if (result.action !== 'list')
							expect(String(result.params.appointmentId)).toMatch(/^[a-f0-9]{24}$/);
					} else {
						expect(result.reason.length).toBeGreaterThan(5);
					}
				},
			),
			{ numRuns: RUNS },
		);
	});
});
