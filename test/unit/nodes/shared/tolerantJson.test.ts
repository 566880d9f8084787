import {
	htmlUnescape,
	parseTolerantJson,
	unescapeDeep,
} from '../../../../nodes/shared/tolerantJson';

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
