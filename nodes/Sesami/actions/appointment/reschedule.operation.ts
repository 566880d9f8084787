import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { sesamiApiRequest } from '../../transport';
import { compact, simplifyAppointment, toList } from '../../helpers/utils';
import { appointmentLocator } from '../common.descriptions';
import { dateTimeParam, requiredId, resolveTimezone, withDisplay } from '../shared';
import { enforcePolicyOption, guardAppointment, onlyForCustomerOption } from './guard';

const properties: INodeProperties[] = [
	appointmentLocator,
	{
		displayName: 'New Start',
		name: 'dateTime',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'New start of the appointment. A value without an offset is read in the Timezone below (or the credential default).',
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
				displayName: 'Location ID',
				name: 'locationId',
				type: 'string',
				default: '',
				description: 'Move the appointment to this Sesami location',
			},
			{
				displayName: 'Note',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Note stored with the reschedule event',
			},
			onlyForCustomerOption,
			{
				displayName: 'Resource IDs',
				name: 'resourceIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Sesami resource IDs to assign',
			},
			{
				displayName: 'Team Member ID',
				name: 'teamMemberId',
				type: 'string',
				default: '',
				description: 'Legacy team member to assign',
			},
			{
				displayName: 'Timezone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/London',
				description: 'IANA timezone of the new start. Empty uses the credential default.',
			},
		],
	},
];

export const description = withDisplay('appointment', 'reschedule', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredId.call(this, 'appointmentId', itemIndex);
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const timezone = await resolveTimezone.call(this, additional.timezone, itemIndex);
	const dateTime = dateTimeParam.call(
		this,
		this.getNodeParameter('dateTime', itemIndex),
		timezone,
		'New Start',
		itemIndex,
	);
	if (!dateTime) {
		throw new NodeOperationError(this.getNode(), 'New Start is empty', {
			itemIndex,
			description: 'Set the new start date and time of the appointment.',
		});
	}
	const guarded =
		additional.onlyForCustomer || additional.enforcePolicy
			? await guardAppointment.call(this, id, itemIndex, {
					customerId: additional.onlyForCustomer,
					action: additional.enforcePolicy ? 'reschedule' : undefined,
					timezone,
				})
			: undefined;
	const body = compact({
		dateTime,
		timezone,
		content: additional.content,
		locationId: additional.locationId,
		teamMemberId: additional.teamMemberId,
		resourceIds: toList(additional.resourceIds),
	});
	// Rescheduling to the same time twice has the same result, so a 5xx may be retried.
	const response = (await sesamiApiRequest.call(
		this,
		'POST',
		`/{shop}/appointments/${encodeURIComponent(id)}/reschedule`,
		{ body, itemIndex, idempotent: true },
	)) as IDataObject;
	const updated = (await sesamiApiRequest.call(this, 'GET', `/{shop}/appointments/${encodeURIComponent(id)}`, {
		qs: { timezone },
		itemIndex,
	})) as IDataObject;
	return {
		id,
		rescheduled: true,
		dateTime,
		timezone,
		message: response.message ?? null,
		appointment: simplifyAppointment(updated),
		...(guarded?.policy ? { policy: guarded.policy as unknown as IDataObject } : {}),
	};
}
