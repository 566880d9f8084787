import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';
import { withAppointmentTimes } from '../../helpers/appointmentTimes';
import { compact, simplifyAppointment, toList, withManagementLink } from '../../helpers/utils';
import { sesamiApiRequest } from '../../transport';
import {
	appointmentLocator,
	searchTermField,
	simplifyField,
	timezoneField,
	SESAMI_ID_HINT,
} from '../common.descriptions';
import type { SesamiOperation } from '../shared';
import { dateTimeParam, resolveTimezone } from '../shared';

/** The filters of GET /{shop}/appointments and GET /{shop}/reservations. */
export const bookingFilters: INodeProperties[] = [
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '',
		description: 'Only items starting before this time (with Filter Type "Range")',
	},
	{
		displayName: 'Filter Type',
		name: 'filterType',
		type: 'options',
		options: [
			{ name: 'All', value: 'ALL' },
			{ name: 'Past', value: 'PAST' },
			{ name: 'Range', value: 'RANGE', description: 'Between Start and End' },
			{ name: 'Upcoming', value: 'UPCOMING' },
		],
		default: 'UPCOMING',
		description: 'Which appointments to return, relative to now',
	},
	{
		displayName: 'IDs',
		name: 'ids',
		type: 'string',
		default: '',
		placeholder: 'e.g. 64f1c2a9b7e4d3a1c2b3d4e5, 64f1c2a9b7e4d3a1c2b3d4e6',
		description: 'Comma-separated Sesami IDs to restrict the list to',
	},
	{
		displayName: 'Location ID',
		name: 'locationId',
		type: 'string',
		default: '',
		description: 'Only items at this Sesami location',
	},
	{
		displayName: 'Resource IDs',
		name: 'resources',
		type: 'string',
		default: '',
		description: 'Comma-separated Sesami resource IDs (team members, rooms...)',
	},
	{
		...searchTermField,
		description: 'Text Sesami searches for (customer name, email, order name)',
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '',
		description: 'Only items starting after this time (with Filter Type "Range")',
	},
	{
		displayName: 'Team Member ID',
		name: 'teamMember',
		type: 'string',
		default: '',
		description: 'Legacy team member filter (Sesami recommends resources instead)',
	},
	timezoneField(
		'IANA timezone for times in the answer and for Start/End without an offset. ' +
			'Empty uses the credential default.',
	),
];

export const arrayFormatOption: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'List Query Format',
			name: 'arrayFormat',
			type: 'options',
			options: [
				{
					name: 'Repeated Keys',
					value: 'repeat',
					description: 'Each value as its own parameter: key=a&key=b',
				},
				{
					name: 'Comma-Separated',
					value: 'comma',
					description: 'All values in one parameter: key=a,b',
				},
			],
			default: 'repeat',
			description:
				'How lists (IDs, resources) are sent in the query string. Sesami does not ' +
				'document it; repeated keys is the OpenAPI default.',
		},
	],
};

export function arrayFormat(this: IExecuteFunctions, itemIndex: number): 'repeat' | 'comma' {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return options.arrayFormat === 'comma' ? 'comma' : 'repeat';
}

export async function bookingQuery(
	this: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const timezone = await resolveTimezone.call(this, filters.timezone, itemIndex);
	return compact({
		filterType: filters.filterType,
		start: dateTimeParam.call(this, filters.start, timezone, 'Start', itemIndex),
		end: dateTimeParam.call(this, filters.end, timezone, 'End', itemIndex),
		searchTerm: filters.searchTerm,
		locationId: filters.locationId,
		teamMember: filters.teamMember,
		resources: toList(filters.resources),
		ids: toList(filters.ids),
		timezone,
	});
}

/**
 * The appointments with their times read whatever format the API used (helpers/appointmentTimes.ts):
 * `start`, `end`, `startUtc`, `endUtc` added, naive API times read in the shop's time zone.
 */
export async function timedAppointments(
	this: IExecuteFunctions,
	items: IDataObject[],
	timezone: string | undefined,
	itemIndex: number,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for (const item of items)
		out.push(await withAppointmentTimes.call(this, item, timezone, itemIndex));
	return out;
}

/** Raw appointment with `customerManagementLink` always present, or the Simplify record. */
export function appointmentOutput(
	this: IExecuteFunctions,
	item: IDataObject,
	itemIndex: number,
): IDataObject {
	return this.getNodeParameter('simplify', itemIndex, false)
		? simplifyAppointment(item)
		: withManagementLink(item);
}

/**
 * Check In and Mark No-Show: POST /{shop}/appointments/{id}/<action> with an optional note and
 * time (CreateAppointmentEventRequest); Sesami answers with the updated appointment.
 */
export function appointmentEventOperation(
	operation: string,
	action: string,
	verb: string,
): SesamiOperation {
	const properties: INodeProperties[] = [
		appointmentLocator,
		simplifyField,
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
					description: `Note stored with the ${verb} event`,
				},
				{
					displayName: 'Time',
					name: 'dateTime',
					type: 'dateTime',
					default: '',
					description: `When the ${verb} happened (default: now)`,
				},
				timezoneField(
					'IANA timezone of Time when it has no offset. Empty uses the credential default.',
				),
			],
		},
	];
	return {
		description: withDisplay('appointment', operation, properties),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const id = requiredString.call(this, 'appointmentId', itemIndex, { hint: SESAMI_ID_HINT });
			const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const timezone = await resolveTimezone.call(this, additional.timezone, itemIndex);
			const body = compact({
				content: additional.content,
				dateTime: dateTimeParam.call(this, additional.dateTime, timezone, 'Time', itemIndex),
			});
			const appointment = (await sesamiApiRequest.call(
				this,
				'POST',
				`/{shop}/appointments/${encodeURIComponent(id)}/${action}`,
				{ body, itemIndex },
			)) as IDataObject;
			return appointmentOutput.call(
				this,
				await withAppointmentTimes.call(this, appointment, timezone, itemIndex),
				itemIndex,
			);
		},
	};
}

/** One appointment as Sesami holds it now, with its times read whatever format the API uses. */
export async function readAppointment(
	this: IExecuteFunctions,
	id: string,
	timezone: string,
	itemIndex: number,
): Promise<IDataObject> {
	const appointment = (await sesamiApiRequest.call(
		this,
		'GET',
		`/{shop}/appointments/${encodeURIComponent(id)}`,
		{
			qs: { timezone },
			itemIndex,
		},
	)) as IDataObject;
	return await withAppointmentTimes.call(this, appointment, timezone, itemIndex);
}
