import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as getAll from './getAll.operation';
import * as getPage from './getPage.operation';

export const operations = { getAll, getPage };

export const description: INodeProperties[] = [
	operationProperty(
		'firehose',
		[
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Read a feed page by page, up to a bound or its end',
				action: 'Get many feed items',
			},
			{
				name: 'Get Page',
				value: 'getPage',
				description: 'Read one page of a feed',
				action: 'Get a feed page',
			},
		],
		'getPage',
	),
	...getAll.description,
	...getPage.description,
];
