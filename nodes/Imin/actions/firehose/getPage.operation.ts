import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { outputItem } from '../../helpers/rpde';
import { fetchRpdePage } from '../../transport';
import { feedFields, feedReading } from './fields';

const properties: INodeProperties[] = [
	...feedFields,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Feed Item', value: 'items' },
			{ name: 'The Page', value: 'page', description: 'One item: next, reachedEnd and the items' },
		],
		default: 'items',
	},
];

export const description = withDisplay('firehose', 'getPage', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { url, output } = await feedReading.call(this, itemIndex);
	const page = await fetchRpdePage.call(this, url, { itemIndex });
	const items = page.items.filter(output).map((item) => outputItem(item, page.next));
	if (this.getNodeParameter('output', itemIndex, 'items') === 'page') {
		return [
			{
				url,
				next: page.next,
				reachedEnd: page.reachedEnd,
				license: page.license ?? null,
				itemCount: items.length,
				items,
			},
		];
	}
	return items;
}
