import type { INodeProperties } from 'n8n-workflow';

import * as check from './check.operation';

export const operations = { check };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['bookability'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				description:
					'Check whether a session or slot can be booked through imin Checkout now, and why not',
				action: 'Check bookability',
			},
		],
		default: 'check',
	},
	...check.description,
];
