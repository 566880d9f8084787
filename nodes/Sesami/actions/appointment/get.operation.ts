import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';
import {
	appointmentLocator,
	simplifyField,
	timezoneField,
	SESAMI_ID_HINT,
} from '../common.descriptions';
import { resolveTimezone } from '../shared';
import { guardAppointment, includePolicyOption, onlyForCustomerOption } from './guard';
import { appointmentOutput } from './helpers';

const properties: INodeProperties[] = [
	appointmentLocator,
	simplifyField,
	timezoneField(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [includePolicyOption, onlyForCustomerOption],
	},
];

export const description = withDisplay('appointment', 'get', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'appointmentId', itemIndex, { hint: SESAMI_ID_HINT });
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	// Sesami requires `timezone` on this call: always send one.
	const timezone = await resolveTimezone.call(
		this,
		this.getNodeParameter('timezone', itemIndex, ''),
		itemIndex,
	);
	const { appointment, policy } = await guardAppointment.call(this, id, itemIndex, {
		customerId: options.onlyForCustomer,
		withPolicy: options.includePolicy === true,
		timezone,
	});
	const output = appointmentOutput.call(this, appointment, itemIndex);
	return policy ? { ...output, policy: policy as unknown as IDataObject } : output;
}
