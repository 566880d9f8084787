import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, jsonParse } from 'n8n-workflow';

import { requiredString } from '../../shared/parameters';
import { getIminSettings } from '../transport';

/** A JSON parameter (object, or JSON text) as an object; undefined when empty. */
export function jsonParameter(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
): IDataObject | undefined {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'object') return Array.isArray(value) ? undefined : (value as IDataObject);
	try {
		const parsed = jsonParse<unknown>(String(value));
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as IDataObject)
			: undefined;
	} catch {
		throw new NodeOperationError(this.getNode(), `The parameter "${name}" is not valid JSON`, {
			itemIndex,
		});
	}
}

export const occurrenceField: INodeProperties = {
	displayName: 'Session or Slot',
	name: 'occurrence',
	type: 'json',
	default: '={{ $json }}',
	description:
		'The ScheduledSession or Slot: an RPDE feed item or its data (as the Firehose gives it)',
};

export const parentField: INodeProperties = {
	displayName: 'Parent (SessionSeries or FacilityUse)',
	name: 'parent',
	type: 'json',
	default: '',
	description:
		'The SessionSeries (for a session) or FacilityUse (for a slot), as an RPDE ' +
		'item or its data. Leave empty when the session embeds its parent in ' +
		'superEvent.',
};

export const identifierField: INodeProperties = {
	displayName: 'Identifier',
	name: 'identifier',
	type: 'string',
	default: '={{ $json.data ? $json.data.identifier : $json.identifier }}',
	required: true,
	description:
		"The data.identifier of the ScheduledSession or Slot (the publisher's " +
		'identifier, not the Firehose @ID)',
};

export const kindField: INodeProperties = {
	displayName: 'Opportunity Type',
	name: 'kind',
	type: 'options',
	options: [
		{ name: 'Scheduled Session', value: 'ScheduledSession' },
		{ name: 'Slot (Beta at Imin)', value: 'Slot' },
	],
	default: 'ScheduledSession',
};

type OpportunityKind = 'ScheduledSession' | 'Slot';

/** The session or slot to check out: its Identifier (required) and Opportunity Type. */
export function opportunity(
	this: IExecuteFunctions,
	itemIndex: number,
): { identifier: string; kind: OpportunityKind } {
	return {
		identifier: requiredString.call(this, 'identifier', itemIndex, { label: 'Identifier' }),
		kind: this.getNodeParameter('kind', itemIndex, 'ScheduledSession') as OpportunityKind,
	};
}

/** The imin API credential's settings; an error when it has no Checkout Base URL. */
export async function checkoutSettings(this: IExecuteFunctions, itemIndex: number) {
	const settings = await getIminSettings.call(this);
	if (!settings.checkoutBaseUrl) {
		throw new NodeOperationError(
			this.getNode(),
			'The imin API credential has no Checkout Base URL',
			{
				itemIndex,
				description:
					'Enter your imin Checkout host (e.g. https://checkout.example.com) in the credential.',
			},
		);
	}
	return settings;
}
