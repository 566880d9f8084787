/**
 * The lexer of the tolerant JSON parser (index.ts): punctuation and values, with the repairs a
 * string needs (raw line breaks, stray backslashes, and, when asked, raw quotes) made as it reads.
 */

export type Token =
	| { kind: 'punct'; text: '{' | '}' | '[' | ']' | ':' | ','; pos: number }
	| { kind: 'value'; text: string; pos: number; isString: boolean };

/** A body that cannot be repaired; the message says where. */
export class ParseFailure extends Error {}

export function lineCol(text: string, pos: number): string {
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

/** A control character inside a string, escaped. */
function escapeControl(code: number): string {
	if (code === 10) return '\\n';
	if (code === 13) return '\\r';
	if (code === 9) return '\\t';
	return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A backslash at `i` and what follows, as valid JSON text; how many characters were read. */
function readEscape(text: string, i: number, repairs: Set<string>): { out: string; read: number } {
	const next = text[i + 1];
	if ('"\\/bfnrt'.includes(next)) return { out: text[i] + next, read: 2 };
	if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
		return { out: text.slice(i, i + 6), read: 6 };
	// A lone backslash (e.g. a Windows path in a note): keep it literally.
	repairs.add('escaped a stray backslash inside a string');
	return { out: '\\\\', read: 1 };
}

/** The string that starts with the quote at `start`, as valid JSON text, and where it ends. */
function readString(
	text: string,
	start: number,
	repairs: Set<string>,
	lenientQuotes: boolean,
): { out: string; end: number } {
	let out = '"';
	let i = start + 1;
	while (i < text.length) {
		const c = text[i];
		if (c === '\\') {
			if (text[i + 1] === undefined) break;
			const escape = readEscape(text, i, repairs);
			out += escape.out;
			i += escape.read;
			continue;
		}
		if (c === '"') {
			if (lenientQuotes && !closesString(text, i + 1)) {
				out += '\\"';
				i++;
				repairs.add('kept a raw quote inside a string as text (a {{{ }}} variable)');
				continue;
			}
			return { out: `${out}"`, end: i + 1 };
		}
		const code = c.charCodeAt(0);
		if (code < 0x20) {
			out += escapeControl(code);
			repairs.add('escaped a line break or control character inside a string');
		} else {
			out += c;
		}
		i++;
	}
	throw new ParseFailure(`a string that starts at ${lineCol(text, start)} is never closed`);
}

/**
 * `lenientQuotes`: a quote inside a string that cannot end it (see closesString) is kept as text.
 * A merchant template that renders a value with triple braces ({{{CustomerName}}}) is not
 * HTML-escaped by Handlebars (https://handlebarsjs.com/guide/expressions.html#html-escaping), so a
 * name such as Anna "Ace" Smith arrives with raw quotes.
 */
export function tokenize(text: string, repairs: Set<string>, lenientQuotes = false): Token[] {
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
			const string = readString(text, i, repairs, lenientQuotes);
			tokens.push({ kind: 'value', text: string.out, pos: i, isString: true });
			i = string.end;
			continue;
		}
		// Sticky match at i: slicing the rest of the text for every literal made a large body of
		// numbers quadratic (minutes of CPU for 1 MB).
		LITERAL.lastIndex = i;
		const literal = LITERAL.exec(text);
		if (!literal) {
			const snippet = text.slice(i, i + 20).split('\n')[0];
			throw new ParseFailure(`unexpected "${snippet}" at ${lineCol(text, i)}`);
		}
		tokens.push({ kind: 'value', text: literal[1], pos: i, isString: false });
		i += literal[1].length;
	}
	return tokens;
}
