import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { feedField } from '../Imin/actions/firehose/fields';
import { feedUrl, outputItem } from '../Imin/helpers/rpde';
import { fetchRpdePage, getIminSettings, walkFeed } from '../Imin/transport';

interface FeedCursor {
	/** The feed this cursor belongs to (a new feed starts from its beginning). */
	feedUrl?: string;
	/** Where the next poll continues: the last `next` URL read successfully. */
	next?: string;
	reachedEnd?: boolean;
	lastPollAt?: string;
	lastError?: string;
}

const SAMPLE_SIZE = 5;

export class IminFirehoseTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'imin Firehose Trigger',
		name: 'iminFirehoseTrigger',
		icon: { light: 'file:../Imin/imin.svg', dark: 'file:../Imin/imin.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["feed"]}}',
		description: 'Follows an imin Firehose feed (OpenActive RPDE) and emits new, changed and deleted items',
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
				description: 'Each poll reads at most this many pages, then continues from there at the next poll',
			},
			{
				displayName: 'Include Deleted Items',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether to emit items whose state is "deleted" (remove them from your copy within 24 hours)',
			},
			{
				displayName:
					'The position in the feed is kept between polls and never reset by the node: imin allows one full resync a week. To start again from the beginning, change the Feed (or duplicate the workflow).',
				name: 'cursorNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const feed = this.getNodeParameter('feed') as string;
		const { firehoseBaseUrl } = await getIminSettings.call(this);
		const configured = feed === 'url' ? String(this.getNodeParameter('url', '')).trim() : feedUrl(firehoseBaseUrl, feed);
		const includeDeleted = this.getNodeParameter('includeDeleted', false) as boolean;
		const keep = (state: string) => includeDeleted || state !== 'deleted';
		const cursor = this.getWorkflowStaticData('node') as FeedCursor;
		const from = cursor.feedUrl === configured && cursor.next ? cursor.next : configured;

		if (this.getMode() === 'manual') {
			// A small sample from where the workflow stands; the stored position does not move.
			const page = await fetchRpdePage.call(this, from);
			const sample = page.items.filter((item) => keep(item.state)).slice(0, SAMPLE_SIZE);
			return [this.helpers.returnJsonArray(sample.map((item) => ({ ...outputItem(item, page.next), feed })))];
		}

		const emitted: IDataObject[] = [];
		// 404 / 410 throw (RPDE: stop harvesting); 503 and a 429 that outlasts the retries mean "come back later".
		const result = await walkFeed.call(
			this,
			from,
			Math.max(1, Number(this.getNodeParameter('maxPages', 20))),
			(page) => {
				for (const item of page.items) if (keep(item.state)) emitted.push({ ...outputItem(item, page.next), feed });
			},
			{ passStatuses: [429, 503] },
		);
		cursor.lastPollAt = new Date().toISOString();
		if (result.statusCode === 429 || result.statusCode === 503) {
			cursor.lastError = `imin answered ${result.statusCode}: trying again at the next poll`;
		} else {
			delete cursor.lastError;
		}
		// Only now, after the pages were read and validated, does the cursor move: to the `next` of
		// the last page read (after a 429 / 503, the page that was refused).
		cursor.feedUrl = configured;
		cursor.next = result.next;
		cursor.reachedEnd = result.reachedEnd;
		return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
	}
}
