import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as getSlots from './getSlots.operation';

export const operations = { getSlots };

export const description: INodeProperties[] = [
	operationProperty(
		'availability',
		[
			{
				name: 'Get Slots',
				value: 'getSlots',
				description: 'Get bookable time slots of a service',
				action: 'Get available slots',
			},
		],
		'getSlots',
	),
	...getSlots.description,
];
