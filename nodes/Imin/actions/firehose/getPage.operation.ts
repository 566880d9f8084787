import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { outputItem } from '../../helpers/rpde';
import { fetchRpdePage } from '../../transport';
import { withDisplay } from '../../../shared/descriptions';
import { feedFields, startUrl } from './fields';

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
	const url = await startUrl.call(this, itemIndex);
	const includeDeleted = this.getNodeParameter('includeDeleted', itemIndex, false) as boolean;
	const page = await fetchRpdePage.call(this, url, { itemIndex });
	const items = page.items
		.filter((item) => includeDeleted || item.state !== 'deleted')
		.map((item) => outputItem(item, page.next));
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
