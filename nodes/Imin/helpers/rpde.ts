import type { IDataObject } from 'n8n-workflow';

/** One RPDE feed item (OpenActive Realtime Paged Data Exchange). */
export interface RpdeItem {
	state: 'updated' | 'deleted';
	kind: string;
	id: string | number;
	modified: number | string;
	data?: IDataObject;
}

export interface RpdePage {
	url: string;
	next: string;
	items: RpdeItem[];
	license?: string;
	/** The RPDE end: no items and `next` equal to the page's own URL. */
	reachedEnd: boolean;
}

export class RpdeError extends Error {}

function sameUrl(a: string, b: string): boolean {
	try {
		const x = new URL(a);
		const y = new URL(b);
		x.searchParams.sort();
		y.searchParams.sort();
		return x.toString() === y.toString();
	} catch {
		return a === b;
	}
}

/** Validates a page as RPDE requires and resolves a relative `next` against the page URL. */
export function readRpdePage(url: string, body: unknown): RpdePage {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw new RpdeError('the feed page is not a JSON object');
	const page = body as IDataObject;
	if (typeof page.next !== 'string' || !page.next)
		throw new RpdeError('the feed page has no "next" URL');
	if (!Array.isArray(page.items)) throw new RpdeError('the feed page has no "items" array');
	const items = page.items as IDataObject[];
	for (const item of items) {
		if (item?.state !== 'updated' && item?.state !== 'deleted') {
			throw new RpdeError(
				`a feed item has state ${JSON.stringify(item?.state)} (expected "updated" or "deleted")`,
			);
		}
		if (item.id === undefined || item.id === null || item.id === '')
			throw new RpdeError('a feed item has no id');
	}
	const next = new URL(page.next, url).toString();
	return {
		url,
		next,
		items: items as unknown as RpdeItem[],
		license: typeof page.license === 'string' ? page.license : undefined,
		reachedEnd: items.length === 0 && sameUrl(next, url),
	};
}

/** An item as the nodes output it: `state`, `kind`, `id`, `modified` kept; `data` only when updated. */
export function outputItem(item: RpdeItem, next: string): IDataObject {
	return {
		state: item.state,
		kind: item.kind,
		id: item.id,
		modified: item.modified,
		...(item.state === 'updated' && item.data ? { data: item.data } : {}),
		rpdeNext: next,
	};
}

/** `${firehoseBaseUrl}${feed}`, the base always ending in one slash. */
export function feedUrl(firehoseBaseUrl: string, feed: string): string {
	return `${String(firehoseBaseUrl || 'https://firehose.imin.co/firehose/').replace(/\/*$/, '/')}${feed}`;
}

/**
 * The text of an RPDE page with each item's `modified` number written as a JSON string, so that
 * JSON.parse keeps all its digits: RPDE allows any integer, and JavaScript numbers are exact only up
 * to 2^53 (https://developer.openactive.io/publishing-data/data-feeds/implementing-rpde-feeds,
 * https://openactive.io/realtime-paged-data-exchange/). Only the `modified` members of the objects
 * directly inside the page's top-level `items` array are touched; everything else (strings, `data`)
 * is copied as it is. Malformed text is returned with what was found quoted: JSON.parse reports it.
 */
export function quoteItemModified(text: string): string {
	interface Frame {
		array: boolean;
		/** objects: the member being read; arrays: the member of the parent this array is. */
		key: string | null;
		expectingKey: boolean;
	}
	const stack: Frame[] = [];
	let out = '';
	let copied = 0;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const c = text[i];
		if (c === '"') {
			let j = i + 1;
			while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
			const top = stack[stack.length - 1];
			if (top && !top.array && top.expectingKey) {
				try {
					top.key = JSON.parse(text.slice(i, j + 1)) as string;
				} catch {
					top.key = null;
				}
				top.expectingKey = false;
			}
			i = j + 1;
		} else if (c === '{' || c === '[') {
			const parent = stack[stack.length - 1];
			stack.push({
				array: c === '[',
				key: c === '[' ? (parent && !parent.array ? parent.key : null) : null,
				expectingKey: c === '{',
			});
			i++;
		} else if (c === '}' || c === ']') {
			stack.pop();
			i++;
		} else if (c === ',') {
			const top = stack[stack.length - 1];
			if (top && !top.array) top.expectingKey = true;
			i++;
		} else if (c === '-' || (c >= '0' && c <= '9')) {
			let j = i + 1;
			while (j < n && /[0-9eE.+-]/.test(text[j])) j++;
			const top = stack[stack.length - 1];
			const isItemModified =
				stack.length === 3 &&
				!stack[0].array &&
				stack[1].array &&
				stack[1].key === 'items' &&
				!top.array &&
				top.key === 'modified';
			if (isItemModified) {
				out += `${text.slice(copied, i)}"${text.slice(i, j)}"`;
				copied = j;
			}
			i = j;
		} else {
			i++;
		}
	}
	return copied === 0 ? text : out + text.slice(copied);
}

/**
 * An RPDE page's text parsed, each item's `modified` kept as a string (see quoteItemModified).
 * Throws JSON.parse's SyntaxError for text that is not JSON (the transport reports it).
 */
export function parseRpdeText(text: string): unknown {
	return JSON.parse(quoteItemModified(text)) as unknown;
}

/** `modified` as a BigInt, or undefined when it is not an integer (RPDE asks for one "where possible"). */
export function modifiedBigInt(value: unknown): bigint | undefined {
	const text =
		typeof value === 'number'
			? Number.isInteger(value)
				? value.toFixed(0)
				: ''
			: String(value ?? '').trim();
	return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}
