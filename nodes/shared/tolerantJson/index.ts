/**
 * Parses the JSON that Sesami Flows render from a merchant's Handlebars template, repairing the
 * mistakes such templates produce: no comma between the entries an `#each` loop emits (Sesami's
 * own documented example does this: https://sesami.dev/docs/sesami-flows/flows), trailing commas,
 * an empty unquoted variable (`"price": ,`), raw line breaks inside strings. The imin and My Page
 * Triggers read their bodies with it too. Anything else is refused with the line and column of the problem. The lexer is in
 * tokenize.ts, the grammar in rebuild.ts; htmlUnescape.ts undoes Handlebars' HTML escaping.
 */

import { rebuild } from './rebuild';
import { ParseFailure, tokenize } from './tokenize';

export { htmlUnescape, unescapeDeep } from './htmlUnescape';

interface TolerantParseResult {
	ok: true;
	value: unknown;
	repairs: string[];
}
interface TolerantParseFailure {
	ok: false;
	reason: string;
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
			'; a value may hold raw quotes that cannot be told apart from the JSON around ' +
			'them (a {{{ }}} variable: use {{ }} so Sesami escapes them)';
	}
	return { ok: false, reason };
}
