import type { INodeProperties } from 'n8n-workflow';

import * as getSlots from './getSlots.operation';

export const operations = { getSlots };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['availability'] } },
		options: [
			{
				name: 'Get Slots',
				value: 'getSlots',
				description: 'Get bookable time slots of a service',
				action: 'Get available slots',
			},
		],
		default: 'getSlots',
	},
	...getSlots.description,
];
