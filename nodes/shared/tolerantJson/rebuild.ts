import type { Token } from './tokenize';
import { ParseFailure, lineCol } from './tokenize';

/**
 * The grammar side of the tolerant JSON parser (index.ts): rebuilds valid JSON text from the
 * tokens, inserting or dropping commas where a template slipped and reading an empty value as null.
 */

/** What the grammar expects next: a value, a key, a colon, a separator (comma / close), the end. */
type Expect = 'value' | 'key' | 'colon' | 'separator' | 'end';

interface Rebuild {
	out: string[];
	stack: Array<'object' | 'array'>;
	expect: Expect;
	repairs: Set<string>;
	text: string;
	/** Where the current token starts. */
	pos: number;
}

/** Where the current token is, for an error (computed only then: per token it was quadratic). */
const where = (state: Rebuild) => lineCol(state.text, state.pos);

const top = (state: Rebuild) => state.stack[state.stack.length - 1];
const afterValue = (state: Rebuild): Expect => (state.stack.length ? 'separator' : 'end');
const afterComma = (state: Rebuild): Expect => (top(state) === 'object' ? 'key' : 'value');

/** A value or an opening bracket where a separator was expected: the comma a template left out. */
function insertMissingComma(state: Rebuild): void {
	if (state.expect !== 'separator') return;
	state.out.push(',');
	state.repairs.add('inserted a missing comma (e.g. between entries of an #each loop)');
	state.expect = afterComma(state);
}

function onValue(state: Rebuild, token: Extract<Token, { kind: 'value' }>): void {
	insertMissingComma(state);
	if (state.expect === 'key') {
		if (!token.isString) throw new ParseFailure(`a key must be a quoted string at ${where(state)}`);
		state.out.push(token.text);
		state.expect = 'colon';
		return;
	}
	if (state.expect === 'colon')
		throw new ParseFailure(`missing ":" after a key at ${where(state)}`);
	state.out.push(token.text);
	state.expect = afterValue(state);
}

function onOpen(state: Rebuild, bracket: '{' | '['): void {
	insertMissingComma(state);
	if (state.expect !== 'value')
		throw new ParseFailure(`unexpected "${bracket}" at ${where(state)}`);
	state.out.push(bracket);
	state.stack.push(bracket === '{' ? 'object' : 'array');
	state.expect = bracket === '{' ? 'key' : 'value';
}

function onClose(state: Rebuild, bracket: '}' | ']'): void {
	const kind = bracket === '}' ? 'object' : 'array';
	if (top(state) !== kind) throw new ParseFailure(`unexpected "${bracket}" at ${where(state)}`);
	if (state.expect === 'colon')
		throw new ParseFailure(`missing ":" after a key at ${where(state)}`);
	if (state.expect === 'value' && kind === 'object') {
		state.out.push('null');
		state.repairs.add('read an empty value as null');
	} else if (state.out[state.out.length - 1] === ',') {
		state.out.pop();
		state.repairs.add('removed a trailing comma');
	}
	state.out.push(bracket);
	state.stack.pop();
	state.expect = afterValue(state);
}

function onColon(state: Rebuild): void {
	if (state.expect !== 'colon') throw new ParseFailure(`unexpected ":" at ${where(state)}`);
	state.out.push(':');
	state.expect = 'value';
}

function onComma(state: Rebuild): void {
	if (state.expect === 'separator') {
		state.out.push(',');
		state.expect = afterComma(state);
	} else if (
		state.expect === 'value' &&
		top(state) === 'object' &&
		state.out[state.out.length - 1] === ':'
	) {
		state.out.push('null', ',');
		state.repairs.add('read an empty value as null');
		state.expect = 'key';
	} else if ((state.expect === 'value' || state.expect === 'key') && state.stack.length) {
		state.repairs.add('removed a doubled comma');
	} else {
		throw new ParseFailure(`unexpected "," at ${where(state)}`);
	}
}

/** Rebuilds valid JSON text from the tokens, inserting / dropping commas where a template slipped. */
export function rebuild(text: string, tokens: Token[], repairs: Set<string>): string {
	const state: Rebuild = { out: [], stack: [], expect: 'value', repairs, text, pos: 0 };
	for (const token of tokens) {
		state.pos = token.pos;
		if (state.expect === 'end')
			throw new ParseFailure(`unexpected content after the end of the body at ${where(state)}`);
		if (token.kind === 'value') onValue(state, token);
		else if (token.text === '{' || token.text === '[') onOpen(state, token.text);
		else if (token.text === '}' || token.text === ']') onClose(state, token.text);
		else if (token.text === ':') onColon(state);
		else onComma(state);
	}
	if (state.stack.length)
		throw new ParseFailure(
			`the body ends before its last "${top(state) === 'object' ? '}' : ']'}"`,
		);
	if (state.expect !== 'end') throw new ParseFailure('the body is empty');
	return state.out.join('');
}
