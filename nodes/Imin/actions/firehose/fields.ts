import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { feedField } from '../../helpers/descriptions';
import type { RpdeItem } from '../../helpers/rpde';
import { feedUrl } from '../../helpers/rpde';
import { getIminSettings } from '../../transport';

export const feedFields: INodeProperties[] = [
	feedField,
	{
		displayName: 'Start URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'e.g. a "next" URL from an earlier page',
		description:
			'Where to start reading: a feed URL or a "next" URL you stored. Empty starts ' +
			'at the beginning of the feed (imin allows one full resync a week).',
	},
	{
		displayName: 'Include Deleted Items',
		name: 'includeDeleted',
		type: 'boolean',
		default: false,
		description:
			'Whether to output items whose state is "deleted" (they must be removed from ' +
			'your copy within 24 hours)',
	},
];

async function startUrl(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	const given = String(this.getNodeParameter('url', itemIndex, '') ?? '').trim();
	if (given) return given;
	const feed = this.getNodeParameter('feed', itemIndex, 'scheduled-sessions') as string;
	const { firehoseBaseUrl } = await getIminSettings.call(this);
	return feedUrl(firehoseBaseUrl, feed === 'url' ? 'scheduled-sessions' : feed);
}

/** How to read the feed (feedFields): where to start, and which items to output. */
export async function feedReading(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<{ url: string; output: (item: RpdeItem) => boolean }> {
	const url = await startUrl.call(this, itemIndex);
	const includeDeleted = this.getNodeParameter('includeDeleted', itemIndex, false) as boolean;
	return { url, output: (item) => includeDeleted || item.state !== 'deleted' };
}
