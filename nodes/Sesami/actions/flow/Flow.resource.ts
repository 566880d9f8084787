import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as create from './create.operation';
import * as deleteFlow from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations = { create, delete: deleteFlow, get, getAll, update };

export const description: INodeProperties[] = [
	operationProperty(
		'flow',
		[
			{ name: 'Create', value: 'create', description: 'Create a Flow', action: 'Create a flow' },
			{ name: 'Delete', value: 'delete', description: 'Delete a Flow', action: 'Delete a flow' },
			{ name: 'Get', value: 'get', description: 'Get a Flow', action: 'Get a flow' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many Flows',
				action: 'Get many flows',
			},
			{ name: 'Update', value: 'update', description: 'Update a Flow', action: 'Update a flow' },
		],
		'getAll',
	),
	...create.description,
	...deleteFlow.description,
	...get.description,
	...getAll.description,
	...update.description,
];
