import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as check from './check.operation';

export const operations = { check };

export const description: INodeProperties[] = [
	operationProperty(
		'bookability',
		[
			{
				name: 'Check',
				value: 'check',
				description:
					'Check whether a session or slot can be booked through imin Checkout now, and why not',
				action: 'Check bookability',
			},
		],
		'check',
	),
	...check.description,
];
