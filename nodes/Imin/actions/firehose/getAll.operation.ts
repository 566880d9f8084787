import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { outputItem } from '../../helpers/rpde';
import { walkFeed } from '../../transport';
import { feedFields, feedReading } from './fields';

const properties: INodeProperties[] = [
	...feedFields,
	{
		displayName: 'Max Pages',
		name: 'maxPages',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'Stop after this many pages, or at the end of the feed, whichever comes first',
	},
];

export const description = withDisplay('firehose', 'getAll', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { url, output } = await feedReading.call(this, itemIndex);
	const maxPages = Math.max(1, Number(this.getNodeParameter('maxPages', itemIndex, 10)));
	const items: IDataObject[] = [];
	await walkFeed.call(
		this,
		url,
		maxPages,
		(page) => {
			for (const item of page.items) {
				if (output(item)) items.push(outputItem(item, page.next));
			}
		},
		{ itemIndex },
	);
	return items;
}
