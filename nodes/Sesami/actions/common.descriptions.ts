import type { INodeProperties } from 'n8n-workflow';

import { SESAMI_ID_PATTERN } from '../helpers/constants';

/** A resource locator for a Sesami object: pick from a searchable list, or paste its ID. */
function sesamiLocator(
	name: string,
	displayName: string,
	searchListMethod: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 64f1c2a9b7e4d3a1c2b3d4e5',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: SESAMI_ID_PATTERN,
							errorMessage: 'Not a Sesami ID (24 hexadecimal characters)',
						},
					},
				],
			},
		],
		...extra,
	};
}

export const appointmentLocator = sesamiLocator(
	'appointmentId',
	'Appointment',
	'searchAppointments',
	{
		description: 'The appointment to use',
	},
);
export const serviceLocator = sesamiLocator('serviceId', 'Service', 'searchServices', {
	description: 'The Sesami service (a bookable Shopify product)',
});
export const resourceLocator = sesamiLocator('resourceId', 'Resource', 'searchResources', {
	description: 'The Sesami resource (team member, room, equipment)',
});
export const locationLocator = sesamiLocator('locationId', 'Location', 'searchLocations', {
	description: 'The Sesami location',
});

/** The description of a required Sesami ID parameter left empty. */
export const SESAMI_ID_HINT = 'Choose an item from the list or paste its Sesami ID.';

/** The Timezone parameter (an IANA zone; empty uses the credential's Default Timezone). */
export function timezoneField(
	description = 'IANA timezone Sesami renders times in. Empty uses the default timezone of the credential.',
): INodeProperties {
	return {
		displayName: 'Timezone',
		name: 'timezone',
		type: 'string',
		default: '',
		placeholder: 'e.g. Europe/London',
		description,
	};
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description:
		'Whether to return a flat record (ID, status, start, end, customer, Shopify ' +
		'order, service, management link) instead of the full appointment',
};

export const searchTermField: INodeProperties = {
	displayName: 'Search Term',
	name: 'searchTerm',
	type: 'string',
	default: '',
	description: 'Text Sesami searches for',
};
