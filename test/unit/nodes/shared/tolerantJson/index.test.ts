import type { IDataObject } from 'n8n-workflow';
import fc from 'fast-check';

import {
	htmlUnescape,
	MAX_JSON_DEPTH,
	nestedDeeperThan,
	parseTolerantJson,
	unescapeDeep,
} from '../../../../../nodes/shared/tolerantJson';
import { MAX_BODY_BYTES } from '../../../../../nodes/shared/webhook/rawBody';
import { normalizeFlowPush } from '../../../../../nodes/Sesami/SesamiTrigger/helpers/normalize';

function parse(text: string) {
	const result = parseTolerantJson(text);
	if (!result.ok) throw new Error(result.reason);
	return result;
}

describe('tolerant parsing of rendered Flow bodies', () => {
	it('keeps valid JSON as it is, with no repairs', () => {
		expect(parse('{"a": 1, "b": [true, null, "x"]}')).toEqual({
			ok: true,
			value: { a: 1, b: [true, null, 'x'] },
			repairs: [],
		});
	});

	it("inserts the commas an #each loop leaves out (Sesami's documented example)", () => {
		const body =
			'{\n  "customer_name": "Ada",\n  "properties": { \n      "Date": "2026-12-01"\n      "Time": "10:00"\n      "Notes": "hi"\n  }\n}';
		const result = parse(body);
		expect(result.value).toEqual({
			customer_name: 'Ada',
			properties: { Date: '2026-12-01', Time: '10:00', Notes: 'hi' },
		});
		expect(result.repairs.join(' ')).toMatch(/missing comma/);
	});

	it('inserts commas between objects of an array and drops trailing commas', () => {
		expect(parse('{"items": [{"a":1}{"a":2},], "z": 3,}').value).toEqual({
			items: [{ a: 1 }, { a: 2 }],
			z: 3,
		});
	});

	it('reads an unquoted variable that rendered empty as null', () => {
		expect(parse('{"price": , "duration": 45, "x": }').value).toEqual({
			price: null,
			duration: 45,
			x: null,
		});
	});

	it('escapes raw line breaks inside strings', () => {
		expect(parse('{"note": "line one\nline two"}').value).toEqual({ note: 'line one\nline two' });
	});

	it.each([
		['', /empty/],
		['<html><body>Error</body></html>', /unexpected/],
		['{"a": 1', /ends before/],
		['{"a": "unterminated}', /never closed/],
		['{"a": 1} {"b": 2}', /after the end/],
		['{a: 1}', /unexpected|quoted/],
		['{"note": "he said "hi", then left", "b": 1}', /raw quotes .* \{\{\{ \}\}\}/],
	])('rejects %j with a reason', (text, reason) => {
		const result = parseTolerantJson(text);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});

	it('recovers raw quotes of a {{{ }}} variable where only one reading is possible', () => {
		const result = parse(
			'{\n  "customerName": "Anna "Ace" Smith",\n  "note": "size "XL""\n  "id": "a1"\n}',
		);
		expect(result.value).toEqual({ customerName: 'Anna "Ace" Smith', note: 'size "XL"', id: 'a1' });
		expect(result.repairs.join(' ')).toMatch(/raw quote/);
		expect(parse('{"name": "Jo "the" Bo"}').value).toEqual({ name: 'Jo "the" Bo' });
	});

	it('undoes Handlebars HTML escaping in keys and values', () => {
		expect(
			htmlUnescape(
				'https://x.test/m?a=1&amp;token&#x3D;abc &quot;q&quot; &#x27;s&#x27; &#x60; &lt;b&gt;',
			),
		).toBe('https://x.test/m?a=1&token=abc "q" \'s\' ` <b>');
		expect(unescapeDeep({ 'a&amp;b': ['x&amp;y'] })).toEqual({ 'a&b': ['x&y'] });
	});
});

describe('hostile input (linear time, bounded depth)', () => {
	// Fixes found by the malformed-request e2e suite (test/e2e/malformed-requests.test.mjs): every
	// trigger answers a body or field it cannot use with 4xx and a reason and starts nothing, never
	// throws (n8n would answer 500 and record a failed execution), and never spends minutes of CPU.

	describe('tolerant JSON parser: linear time, bounded depth', () => {
		it('repairs a 1 MiB malformed body of numbers in well under a second per MiB (it took minutes)', () => {
			const text = `[${'1 '.repeat(MAX_BODY_BYTES / 2)}]`;
			const started = Date.now();
			const parsed = parseTolerantJson(text);
			expect(parsed.ok).toBe(true);
			expect(Date.now() - started).toBeLessThan(5000);
		});

		it('reports where a long malformed body breaks without scanning it once per token', () => {
			const text = `{${'"a":1 '.repeat(100_000)}"b": @}`;
			const started = Date.now();
			expect(parseTolerantJson(text)).toMatchObject({
				ok: false,
				reason: expect.stringMatching(/unexpected "@/),
			});
			expect(Date.now() - started).toBeLessThan(5000);
		});

		it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses more, strict or repaired`, () => {
			const nest = (n: number, inner = '') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
			expect(parseTolerantJson(nest(MAX_JSON_DEPTH)).ok).toBe(true);
			expect(parseTolerantJson(nest(MAX_JSON_DEPTH + 1))).toEqual({
				ok: false,
				reason: `the body nests deeper than ${MAX_JSON_DEPTH} levels`,
			});
			expect(parseTolerantJson(nest(100_000, '1 2'))).toMatchObject({
				ok: false,
				reason: expect.stringMatching(/deeper/),
			});
			expect(nestedDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
			expect(nestedDeeperThan({ a: { b: [{}] } }, 3)).toBe(true);
		});
	});
});

describe('property-based (fast-check)', () => {
	/**
	 * Property-based tests (fast-check) of every parser that reads outside input: Sesami Flow bodies,
	 * imin webhook payloads and RPDE pages, Shopify App Proxy queries and session tokens, My Page
	 * actions. Thousands of generated cases: none may throw, valid input must be read exactly, and
	 * anything changed in signed input must be refused.
	 */

	const RUNS = 2000;

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
					expect(result).toEqual({
						ok: true,
						value: JSON.parse(JSON.stringify(value)),
						repairs: [],
					});
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
});
