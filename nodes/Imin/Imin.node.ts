import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as bookability from './actions/bookability/Bookability.resource';
import * as checkout from './actions/checkout/Checkout.resource';
import * as firehose from './actions/firehose/Firehose.resource';
import * as order from './actions/order/Order.resource';
import { router } from './actions/router';

export class Imin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'imin',
		name: 'imin',
		icon: { light: 'file:imin.svg', dark: 'file:imin.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Check bookability, build imin Checkout links and sessions, read the Firehose and orders',
		defaults: { name: 'imin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iminApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Bookability', value: 'bookability' },
					{ name: 'Checkout', value: 'checkout' },
					{ name: 'Firehose', value: 'firehose' },
					{ name: 'Order', value: 'order' },
				],
				default: 'bookability',
			},
			...bookability.description,
			...checkout.description,
			...firehose.description,
			...order.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
