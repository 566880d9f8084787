import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { feedField } from '../helpers/descriptions';
import type { RpdeItem } from '../helpers/rpde';
import { feedUrl, modifiedBigInt, outputItem } from '../helpers/rpde';
import { fetchRpdePage, getIminSettings, walkFeed } from '../transport';

interface FeedCursor {
	/** The feed this cursor belongs to (a new feed starts from its beginning). */
	feedUrl?: string;
	/** Where the next poll continues: the last `next` URL read successfully. */
	next?: string;
	reachedEnd?: boolean;
	lastPollAt?: string;
	lastError?: string;
	/** After a 503: no request before this time (ISO). */
	notBefore?: string;
	/**
	 * The `modified` (a string of digits) last emitted per RPDE item id, so that an older update of
	 * an item is dropped. Bounded: the MAX_REMEMBERED ids emitted most recently.
	 */
	modifiedById?: Record<string, string>;
}

const SAMPLE_SIZE = 5;

/**
 * How many item ids the trigger remembers with their `modified` (in the workflow's static data,
 * ~100 bytes each). The feed itself is ordered by `modified` (RPDE), so an older update can only
 * come from a page read again or a feed that went back; those are recent items.
 */
export const MAX_REMEMBERED = 5000;

/**
 * RPDE: after a 503, come back after a random 60 to 120 minutes
 * (https://openactive.io/realtime-paged-data-exchange/#http-status-codes-and-retries).
 */
export function retryAfter503Ms(random: number = Math.random()): number {
	return Math.round((60 + 60 * Math.min(Math.max(random, 0), 1)) * 60_000);
}

/** Whether an item is older than what was emitted for its id; records it when it is not. */
export function olderThanRemembered(remembered: Record<string, string>, item: RpdeItem): boolean {
	const key = String(item.id);
	const incoming = modifiedBigInt(item.modified);
	const known = remembered[key] === undefined ? undefined : modifiedBigInt(remembered[key]);
	if (incoming !== undefined && known !== undefined && incoming < known) return true;
	if (incoming !== undefined) {
		// re-inserted: the most recently emitted ids are the last keys
		delete remembered[key];
		remembered[key] = incoming.toString();
		const keys = Object.keys(remembered);
		for (const old of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED)))
			delete remembered[old];
	}
	return false;
}

export class IminFirehoseTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'imin Firehose Trigger',
		name: 'iminFirehoseTrigger',
		icon: { light: 'file:../imin.svg', dark: 'file:../imin.dark.svg' },
		group: ['trigger'],
		// 2: deleted items emitted by default; `modified` always a string
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["feed"]}}',
		description:
			'Follows an imin Firehose feed (OpenActive RPDE) and emits new, changed and deleted items',
		defaults: { name: 'imin Firehose Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminApi', required: true }],
		properties: [
			feedField,
			{
				displayName: 'Feed URL',
				name: 'url',
				type: 'string',
				default: '',
				required: true,
				displayOptions: { show: { feed: ['url'] } },
				placeholder: 'e.g. https://firehose.imin.co/firehose/bookable-sellers/your-broker',
			},
			{
				displayName: 'Max Pages per Poll',
				name: 'maxPages',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 20,
				description:
					'Each poll reads at most this many pages, then continues from there at the next poll',
			},
			{
				displayName: 'Include Deleted Items',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description:
					'Whether to emit items whose state is "deleted" (remove them from your copy ' +
					'within 24 hours)',
				displayOptions: { show: { '@version': [1] } },
			},
			{
				// imin's terms: deleted items must be removed from your copy within 24 hours
				// (https://docs.imin.co/platform-products/firehose/firehose-usage-policy-and-restrictions):
				// from version 2 they are emitted unless switched off.
				displayName: 'Include Deleted Items',
				name: 'includeDeleted',
				type: 'boolean',
				default: true,
				description:
					'Whether to emit items whose state is "deleted" (imin requires removing them ' +
					'from your copy within 24 hours)',
				displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
			},
			{
				displayName:
					'The position in the feed is kept between polls and never reset by the node: ' +
					'imin allows one full resync a week. To start again from the beginning, change ' +
					'the Feed (or duplicate the workflow).',
				name: 'cursorNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const feed = this.getNodeParameter('feed') as string;
		const { firehoseBaseUrl } = await getIminSettings.call(this);
		const configured =
			feed === 'url'
				? String(this.getNodeParameter('url', '')).trim()
				: feedUrl(firehoseBaseUrl, feed);
		const cursor = this.getWorkflowStaticData('node') as FeedCursor;
		const from = cursor.feedUrl === configured && cursor.next ? cursor.next : configured;
		const now = Date.now();
		const waiting =
			cursor.feedUrl === configured &&
			cursor.notBefore !== undefined &&
			now < Date.parse(cursor.notBefore);
		const emit = emitter.call(this, feed);
		if (this.getMode() === 'manual') {
			if (waiting) {
				throw new NodeOperationError(
					this.getNode(),
					`imin answered 503 (unavailable); the next request is not before ${cursor.notBefore}`,
					{
						description:
							'RPDE asks clients to come back after a random 60 to 120 minutes after a 503: ' +
							'https://openactive.io/realtime-paged-data-exchange/',
						itemIndex: 0,
					},
				);
			}
			// A small sample from where the workflow stands; the stored position does not move.
			const page = await fetchRpdePage.call(this, from, { losslessModified: true });
			const sample = page.items.filter(emit.keep).slice(0, SAMPLE_SIZE);
			return [this.helpers.returnJsonArray(sample.map((item) => emit.item(item, page.next)))];
		}
		// After a 503, polls before the time drawn then make no request.
		if (waiting) return null;
		const emitted = await harvest.call(this, cursor, configured, from, emit);
		cursor.lastPollAt = new Date(now).toISOString();
		return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
	}
}

interface Emitter {
	/** Whether an item is emitted at all (deleted items only with Include Deleted Items). */
	keep: (item: RpdeItem) => boolean;
	/** The item as the trigger emits it. */
	item: (item: RpdeItem, next: string) => IDataObject;
}

/**
 * How this node's version emits items: `modified` is read as a string of all its digits; version 1
 * keeps numbers where they are exact, and emits deleted items only when asked.
 */
function emitter(this: IPollFunctions, feed: string): Emitter {
	const version = this.getNode().typeVersion;
	const includeDeleted = this.getNodeParameter('includeDeleted', version >= 2) as boolean;
	return {
		keep: (item) => includeDeleted || item.state !== 'deleted',
		item: (item, next) => {
			const modified =
				version >= 2 ||
				!/^-?\d+$/.test(String(item.modified)) ||
				!Number.isSafeInteger(Number(item.modified))
					? String(item.modified)
					: Number(item.modified);
			return { ...outputItem({ ...item, modified }, ''), modified, rpdeNext: next, feed };
		},
	};
}

/**
 * Reads up to Max Pages per Poll from `from` and moves the cursor: only after the pages were read
 * and validated, to the `next` of the last page read (after a 429 / 503, the page that was refused).
 * 404 / 410 throw (RPDE: stop harvesting); 503 and a 429 that outlasts the retries mean "come back
 * later".
 */
async function harvest(
	this: IPollFunctions,
	cursor: FeedCursor,
	configured: string,
	from: string,
	emit: Emitter,
): Promise<IDataObject[]> {
	const remembered = cursor.feedUrl === configured ? (cursor.modifiedById ??= {}) : {};
	const emitted: IDataObject[] = [];
	let dropped = 0;
	const result = await walkFeed.call(
		this,
		from,
		Math.max(1, Number(this.getNodeParameter('maxPages', 20))),
		(page) => {
			for (const item of page.items) {
				// an update older than one already emitted for this id (a page read again, a feed that
				// went back) would overwrite newer data: dropped (OpenActive harvesters do the same)
				if (olderThanRemembered(remembered, item)) {
					dropped++;
					continue;
				}
				if (emit.keep(item)) emitted.push(emit.item(item, page.next));
			}
		},
		{ passStatuses: [429, 503], losslessModified: true },
	);
	recordOutcome(cursor, result.statusCode, dropped);
	cursor.feedUrl = configured;
	cursor.next = result.next;
	cursor.reachedEnd = result.reachedEnd;
	cursor.modifiedById = remembered;
	return emitted;
}

/** The cursor's `notBefore` and `lastError` after a poll that ended with `statusCode`. */
function recordOutcome(cursor: FeedCursor, statusCode: number, dropped: number): void {
	if (statusCode === 503) {
		const wait = retryAfter503Ms();
		cursor.notBefore = new Date(Date.now() + wait).toISOString();
		cursor.lastError = `imin answered 503: the next request is not before ${cursor.notBefore} (RPDE: a random 60 to 120 minutes)`;
	} else if (statusCode === 429) {
		delete cursor.notBefore;
		cursor.lastError = 'imin answered 429: trying again at the next poll';
	} else {
		delete cursor.notBefore;
		delete cursor.lastError;
	}
	if (dropped)
		cursor.lastError = `${cursor.lastError ? `${cursor.lastError}; ` : ''}${dropped} update(s) older than one already emitted were dropped`;
}
