import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';
import { compact, toList } from '../../helpers/utils';
import { sesamiApiRequest } from '../../transport';
import { serviceLocator, SESAMI_ID_HINT, timezoneField } from '../common.descriptions';
import { dateTimeParam, resolveTimezone } from '../shared';

const properties: INodeProperties[] = [
	serviceLocator,
	{
		displayName: 'Variant ID',
		name: 'variantId',
		type: 'string',
		required: true,
		default: '',
		description:
			"The service variant (duration option) to check, as listed in the service's variants",
	},
	{
		displayName: 'Resource IDs',
		name: 'resourceIds',
		type: 'string',
		required: true,
		default: '',
		description: 'Comma-separated Sesami resource IDs whose availability is combined',
	},
	timezoneField('IANA timezone of the slot times. Empty uses the credential default.'),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Slot', value: 'slots' },
			{ name: 'One Item per Day', value: 'days' },
		],
		default: 'slots',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'End',
				name: 'end',
				type: 'dateTime',
				default: '',
				description: 'Last day to check',
			},
			{ displayName: 'Location ID', name: 'locationId', type: 'string', default: '' },
			{
				displayName: 'Only Available',
				name: 'onlyAvailable',
				type: 'boolean',
				default: true,
				description: 'Whether to leave out slots Sesami marks unavailable',
			},
			{
				displayName: 'Quantity',
				name: 'quantity',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1,
			},
			{
				displayName: 'Start',
				name: 'start',
				type: 'dateTime',
				default: '',
				description: 'First day to check',
			},
		],
	},
];

export const description = withDisplay('availability', 'getSlots', properties);

interface Slot {
	status?: string;
	remainingSlots?: number;
	startTime?: string;
	duration?: number;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const service = requiredString.call(this, 'serviceId', itemIndex, { hint: SESAMI_ID_HINT });
	const variantId = String(this.getNodeParameter('variantId', itemIndex, '')).trim();
	const ids = toList(this.getNodeParameter('resourceIds', itemIndex, ''));
	if (!variantId || !ids.length) {
		throw new NodeOperationError(this.getNode(), 'Variant ID and Resource IDs are required', {
			itemIndex,
			description: 'Sesami computes availability for one service variant and a set of resources.',
		});
	}
	const timezone = await resolveTimezone.call(
		this,
		this.getNodeParameter('timezone', itemIndex, ''),
		itemIndex,
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs = compact({
		service,
		timezone,
		variantId,
		ids,
		start: dateTimeParam.call(this, options.start, timezone, 'Start', itemIndex),
		end: dateTimeParam.call(this, options.end, timezone, 'End', itemIndex),
		quantity: options.quantity,
		locationId: options.locationId,
	});
	const days = (await sesamiApiRequest.call(this, 'GET', '/availabilities/{shop}', {
		qs,
		itemIndex,
	})) as IDataObject[];
	const onlyAvailable = options.onlyAvailable !== false;
	const keep = (slot: Slot) => !onlyAvailable || slot.status === 'available';
	const list = Array.isArray(days) ? days : [];
	if (this.getNodeParameter('output', itemIndex, 'slots') === 'days') {
		return list.map((day) => ({
			...day,
			slots: (Array.isArray(day.slots) ? (day.slots as Slot[]) : []).filter(keep) as IDataObject[],
		}));
	}
	return list.flatMap((day) =>
		(Array.isArray(day.slots) ? (day.slots as Slot[]) : [])
			.filter(keep)
			.map((slot) => ({ date: day.date, ...slot, service, variantId, timezone }) as IDataObject),
	);
}
