import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sesamiApiRequest } from '../../transport';
import { compact } from '../../helpers/utils';
import { appointmentLocator } from '../common.descriptions';
import { requiredId, withDisplay } from '../shared';

const properties: INodeProperties[] = [
	appointmentLocator,
	{
		displayName: 'Refund Money',
		name: 'refundMoney',
		type: 'boolean',
		required: true,
		default: false,
		description: 'Whether Sesami refunds the Shopify order of the appointment',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Note',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Reason or note stored with the cancellation event',
			},
		],
	},
];

export const description = withDisplay('appointment', 'cancel', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredId.call(this, 'appointmentId', itemIndex);
	const refundMoney = this.getNodeParameter('refundMoney', itemIndex) as boolean;
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = compact({ refundMoney: refundMoney === true, content: additional.content });
	// Cancelling twice is harmless (Sesami refuses the second one), so a 5xx may be retried.
	const response = (await sesamiApiRequest.call(this, 'POST', `/{shop}/appointments/${encodeURIComponent(id)}/cancel`, {
		body,
		itemIndex,
		idempotent: true,
	})) as IDataObject;
	return { id, cancelled: true, refundMoney: body.refundMoney, message: response.message ?? null };
}
