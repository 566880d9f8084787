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
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new RpdeError('the feed page is not a JSON object');
	const page = body as IDataObject;
	if (typeof page.next !== 'string' || !page.next) throw new RpdeError('the feed page has no "next" URL');
	if (!Array.isArray(page.items)) throw new RpdeError('the feed page has no "items" array');
	const items = page.items as IDataObject[];
	for (const item of items) {
		if (item?.state !== 'updated' && item?.state !== 'deleted') {
			throw new RpdeError(`a feed item has state ${JSON.stringify(item?.state)} (expected "updated" or "deleted")`);
		}
		if (item.id === undefined || item.id === null || item.id === '') throw new RpdeError('a feed item has no id');
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
