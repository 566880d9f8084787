/**
 * Parses the JSON that Sesami Flows render from a merchant's Handlebars template, repairing the
 * mistakes such templates produce (sesami.md §4.3): no comma between the entries an `#each`
 * loop emits, trailing commas, an empty unquoted variable (`"price": ,`), raw line breaks inside
 * strings. Anything else is refused with the line and column of the problem.
 */

export interface TolerantParseResult {
	ok: true;
	value: unknown;
	repairs: string[];
}
export interface TolerantParseFailure {
	ok: false;
	reason: string;
}

type Token =
	| { kind: 'punct'; text: '{' | '}' | '[' | ']' | ':' | ','; pos: number }
	| { kind: 'value'; text: string; pos: number; isString: boolean };

class ParseFailure extends Error {}

function lineCol(text: string, pos: number): string {
	const before = text.slice(0, pos);
	const line = before.split('\n').length;
	const col = pos - before.lastIndexOf('\n');
	return `line ${line}, column ${col}`;
}

const LITERAL = /(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/y;

/**
 * Whether a quote at `from - 1` can end a string: what follows (after blanks) is a separator, a
 * closing bracket, the end, or a line break and then the next key (an #each entry without comma).
 */
function closesString(text: string, from: number): boolean {
	let j = from;
	while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
	if (j >= text.length || ',}]:'.includes(text[j])) return true;
	if (text[j] !== '\n' && text[j] !== '\r') return false;
	while (j < text.length && /\s/.test(text[j])) j++;
	return j >= text.length || '"}]'.includes(text[j]);
}

/**
 * `lenientQuotes`: a quote inside a string that cannot end it (see closesString) is kept as text.
 * A merchant template that renders a value with triple braces ({{{CustomerName}}}) is not
 * HTML-escaped by Handlebars (https://handlebarsjs.com/guide/expressions.html#html-escaping), so a
 * name such as Anna "Ace" Smith arrives with raw quotes.
 */
function tokenize(text: string, repairs: Set<string>, lenientQuotes = false): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\uFEFF') {
			i++;
			continue;
		}
		if ('{}[]:,'.includes(ch)) {
			tokens.push({ kind: 'punct', text: ch as '{', pos: i });
			i++;
			continue;
		}
		if (ch === '"') {
			const start = i;
			let out = '"';
			i++;
			let closed = false;
			while (i < text.length) {
				const c = text[i];
				if (c === '\\') {
					const next = text[i + 1];
					if (next === undefined) break;
					if ('"\\/bfnrt'.includes(next)) {
						out += c + next;
						i += 2;
					} else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
						out += text.slice(i, i + 6);
						i += 6;
					} else {
						// A lone backslash (e.g. a Windows path in a note): keep it literally.
						out += '\\\\';
						i += 1;
						repairs.add('escaped a stray backslash inside a string');
					}
					continue;
				}
				if (c === '"') {
					if (lenientQuotes && !closesString(text, i + 1)) {
						out += '\\"';
						i++;
						repairs.add('kept a raw quote inside a string as text (a {{{ }}} variable)');
						continue;
					}
					out += '"';
					i++;
					closed = true;
					break;
				}
				const code = c.charCodeAt(0);
				if (code < 0x20) {
					out +=
						code === 10
							? '\\n'
							: code === 13
								? '\\r'
								: code === 9
									? '\\t'
									: `\\u${code.toString(16).padStart(4, '0')}`;
					repairs.add('escaped a line break or control character inside a string');
					i++;
					continue;
				}
				out += c;
				i++;
			}
			if (!closed)
				throw new ParseFailure(`a string that starts at ${lineCol(text, start)} is never closed`);
			tokens.push({ kind: 'value', text: out, pos: start, isString: true });
			continue;
		}
		// Sticky match at i: slicing the rest of the text for every literal made a large body of
		// numbers quadratic (minutes of CPU for 1 MB).
		LITERAL.lastIndex = i;
		const literal = LITERAL.exec(text);
		if (literal) {
			tokens.push({ kind: 'value', text: literal[1], pos: i, isString: false });
			i += literal[1].length;
			continue;
		}
		const snippet = text.slice(i, i + 20).split('\n')[0];
		throw new ParseFailure(`unexpected "${snippet}" at ${lineCol(text, i)}`);
	}
	return tokens;
}

/** Rebuilds valid JSON text from the tokens, inserting / dropping commas where a template slipped. */
function rebuild(text: string, tokens: Token[], repairs: Set<string>): string {
	const out: string[] = [];
	const stack: Array<'object' | 'array'> = [];
	// what the grammar expects next: a value, a key, a colon, or a separator (comma / close)
	type Expect = 'value' | 'key' | 'colon' | 'separator' | 'end';
	let expect = 'value' as Expect;
	const top = () => stack[stack.length - 1];
	const afterValue = (): Expect => (stack.length ? 'separator' : 'end');
	for (let t = 0; t < tokens.length; t++) {
		const token = tokens[t];
		// Computed only for an error: per token it made every body quadratic.
		const where = (): string => lineCol(text, token.pos);
		if (expect === 'end')
			throw new ParseFailure(`unexpected content after the end of the body at ${where()}`);
		if (token.kind === 'value') {
			if (expect === 'separator') {
				out.push(',');
				repairs.add('inserted a missing comma (e.g. between entries of an #each loop)');
				expect = top() === 'object' ? 'key' : 'value';
			}
			if (expect === 'key') {
				if (!token.isString) throw new ParseFailure(`a key must be a quoted string at ${where()}`);
				out.push(token.text);
				expect = 'colon';
				continue;
			}
			if (expect === 'colon') throw new ParseFailure(`missing ":" after a key at ${where()}`);
			out.push(token.text);
			expect = afterValue();
			continue;
		}
		switch (token.text) {
			case '{':
			case '[':
				if (expect === 'separator') {
					out.push(',');
					repairs.add('inserted a missing comma (e.g. between entries of an #each loop)');
					expect = top() === 'object' ? 'key' : 'value';
				}
				if (expect !== 'value') throw new ParseFailure(`unexpected "${token.text}" at ${where()}`);
				out.push(token.text);
				stack.push(token.text === '{' ? 'object' : 'array');
				expect = token.text === '{' ? 'key' : 'value';
				break;
			case '}':
			case ']': {
				const kind = token.text === '}' ? 'object' : 'array';
				if (top() !== kind) throw new ParseFailure(`unexpected "${token.text}" at ${where()}`);
				if (expect === 'colon') throw new ParseFailure(`missing ":" after a key at ${where()}`);
				if (expect === 'value' && kind === 'object') {
					out.push('null');
					repairs.add('read an empty value as null');
				} else if (out[out.length - 1] === ',') {
					out.pop();
					repairs.add('removed a trailing comma');
				}
				out.push(token.text);
				stack.pop();
				expect = afterValue();
				break;
			}
			case ':':
				if (expect !== 'colon') throw new ParseFailure(`unexpected ":" at ${where()}`);
				out.push(':');
				expect = 'value';
				break;
			case ',':
				if (expect === 'separator') {
					out.push(',');
					expect = top() === 'object' ? 'key' : 'value';
				} else if (expect === 'value' && top() === 'object' && out[out.length - 1] === ':') {
					out.push('null', ',');
					repairs.add('read an empty value as null');
					expect = 'key';
				} else if ((expect === 'value' || expect === 'key') && stack.length) {
					repairs.add('removed a doubled comma');
				} else {
					throw new ParseFailure(`unexpected "," at ${where()}`);
				}
				break;
		}
	}
	if (stack.length)
		throw new ParseFailure(`the body ends before its last "${top() === 'object' ? '}' : ']'}"`);
	if (expect !== 'end') throw new ParseFailure('the body is empty');
	return out.join('');
}

/** Deeper bodies are refused: no sender nests this deep, and n8n serialises items recursively. */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed value nests arrays / objects deeper than `max` levels (iterative: no stack). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
	const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
	while (stack.length) {
		const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
		if (!current || typeof current !== 'object') continue;
		if (depth + 1 > max) return true;
		for (const inner of Object.values(current as object)) {
			if (inner && typeof inner === 'object') stack.push({ value: inner, depth: depth + 1 });
		}
	}
	return false;
}

function checked(value: unknown, repairs: string[]): TolerantParseResult | TolerantParseFailure {
	if (nestedDeeperThan(value, MAX_JSON_DEPTH))
		return { ok: false, reason: `the body nests deeper than ${MAX_JSON_DEPTH} levels` };
	return { ok: true, value, repairs };
}

export function parseTolerantJson(text: string): TolerantParseResult | TolerantParseFailure {
	if (typeof text !== 'string' || text.trim() === '')
		return { ok: false, reason: 'the body is empty' };
	let strict: { value: unknown } | undefined;
	try {
		strict = { value: JSON.parse(text) };
	} catch {
		// fall through to the repairing parser
	}
	if (strict) return checked(strict.value, []);
	let reason = '';
	for (const lenientQuotes of [false, true]) {
		const repairs = new Set<string>();
		try {
			const fixed = rebuild(text, tokenize(text, repairs, lenientQuotes), repairs);
			return checked(JSON.parse(fixed), [...repairs]);
		} catch (error) {
			// The first reason is the one to report: the lenient pass only reads quotes differently.
			reason ||=
				error instanceof ParseFailure ? error.message : `not JSON (${(error as Error).message})`;
		}
	}
	if (/"[^"\n]*"[^,}\]:\s]/.test(text)) {
		reason +=
			'; a value may hold raw quotes that cannot be told apart from the JSON around them (a {{{ }}} variable: use {{ }} so Sesami escapes them)';
	}
	return { ok: false, reason };
}

const NAMED: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0',
};

/** Undoes Handlebars' HTML escaping (&amp; &lt; &gt; &quot; &#x27; &#x60; &#x3D; and numeric forms). */
export function htmlUnescape(value: string): string {
	if (!value.includes('&')) return value;
	return value.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (entity, body: string) => {
		if (body[0] === '#') {
			const code =
				body[1] === 'x' || body[1] === 'X'
					? parseInt(body.slice(2), 16)
					: parseInt(body.slice(1), 10);
			return Number.isFinite(code) && code > 0 && code <= 0x10ffff
				? String.fromCodePoint(code)
				: entity;
		}
		return NAMED[body.toLowerCase()] ?? entity;
	});
}

/** htmlUnescape on every string (keys and values) of a parsed body. */
export function unescapeDeep(value: unknown): unknown {
	if (typeof value === 'string') return htmlUnescape(value);
	if (Array.isArray(value)) return value.map(unescapeDeep);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) out[htmlUnescape(key)] = unescapeDeep(inner);
		return out;
	}
	return value;
}
