import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as createSession from './createSession.operation';
import * as getGuestUrl from './getGuestUrl.operation';

export const operations = { createSession, getGuestUrl };

export const description: INodeProperties[] = [
	operationProperty(
		'checkout',
		[
			{
				name: 'Create Checkout Session',
				value: 'createSession',
				description:
					'Start an authenticated checkout for a customer; returns the URL to send them to',
				action: 'Create a checkout session',
			},
			{
				name: 'Get Guest URL',
				value: 'getGuestUrl',
				description: 'The guest checkout link of a session or slot',
				action: 'Get a guest checkout URL',
			},
		],
		'getGuestUrl',
	),
	...createSession.description,
	...getGuestUrl.description,
];
