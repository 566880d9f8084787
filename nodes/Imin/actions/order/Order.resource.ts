import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as get from './get.operation';
import * as getHistory from './getHistory.operation';

export const operations = { get, getHistory };

export const description: INodeProperties[] = [
	operationProperty(
		'order',
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Get an order of the imin Booking Platform',
				action: 'Get an order',
			},
			{
				name: 'Get Order History',
				value: 'getHistory',
				description: 'Get the orders of a customer',
				action: 'Get the order history of a customer',
			},
		],
		'get',
	),
	...get.description,
	...getHistory.description,
];
