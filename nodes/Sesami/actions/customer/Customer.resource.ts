import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as create from './create.operation';
import * as get from './get.operation';

export const operations = { create, get };

export const description: INodeProperties[] = [
	operationProperty(
		'customer',
		[
			{
				name: 'Create',
				value: 'create',
				description: 'Create a customer',
				action: 'Create a customer',
			},
			{ name: 'Get', value: 'get', description: 'Get a customer', action: 'Get a customer' },
		],
		'get',
	),
	...create.description,
	...get.description,
];
