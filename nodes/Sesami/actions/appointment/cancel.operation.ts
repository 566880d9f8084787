import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sesamiApiRequest } from '../../transport';
import { compact, simplifyAppointment } from '../../helpers/utils';
import { appointmentLocator } from '../common.descriptions';
import { requiredId, resolveTimezone, withDisplay } from '../shared';
import { enforcePolicyOption, guardAppointment, onlyForCustomerOption } from './guard';

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
			enforcePolicyOption,
			{
				displayName: 'Note',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Reason or note stored with the cancellation event',
			},
			onlyForCustomerOption,
			{
				displayName: 'Refund per Service Setting',
				name: 'refundPerService',
				type: 'boolean',
				default: false,
				description: 'Whether to refund exactly when the service says so (Refund Money On Cancel), ignoring Refund Money above',
			},
		],
	},
];

export const description = withDisplay('appointment', 'cancel', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredId.call(this, 'appointmentId', itemIndex);
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const timezone = await resolveTimezone.call(this, '', itemIndex);
	const guarded =
		additional.onlyForCustomer || additional.enforcePolicy || additional.refundPerService
			? await guardAppointment.call(this, id, itemIndex, {
					customerId: additional.onlyForCustomer,
					action: additional.enforcePolicy ? 'cancel' : undefined,
					withPolicy: additional.refundPerService === true,
					timezone,
				})
			: undefined;
	const refundMoney = additional.refundPerService
		? guarded?.policy?.refundOnCancel === true
		: (this.getNodeParameter('refundMoney', itemIndex) as boolean) === true;
	const body = compact({ refundMoney, content: additional.content });
	// Cancelling twice is harmless (Sesami refuses the second one), so a 5xx may be retried.
	const response = (await sesamiApiRequest.call(this, 'POST', `/{shop}/appointments/${encodeURIComponent(id)}/cancel`, {
		body,
		itemIndex,
		idempotent: true,
	})) as IDataObject;
	const updated = (await sesamiApiRequest.call(this, 'GET', `/{shop}/appointments/${encodeURIComponent(id)}`, {
		qs: { timezone },
		itemIndex,
	})) as IDataObject;
	return {
		id,
		cancelled: true,
		refundMoney: body.refundMoney,
		message: response.message ?? null,
		appointment: simplifyAppointment(updated),
		...(guarded?.policy ? { policy: guarded.policy as unknown as IDataObject } : {}),
	};
}
