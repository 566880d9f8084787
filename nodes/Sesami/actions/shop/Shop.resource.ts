import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as get from './get.operation';
import * as getConfig from './getConfig.operation';

export const operations = { get, getConfig };

export const description: INodeProperties[] = [
	operationProperty(
		'shop',
		[
			{ name: 'Get', value: 'get', description: 'Get the shop', action: 'Get the shop' },
			{
				name: 'Get Config',
				value: 'getConfig',
				description: 'Get the shop configuration',
				action: 'Get the shop configuration',
			},
		],
		'get',
	),
	...get.description,
	...getConfig.description,
];
