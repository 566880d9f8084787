import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { compact, toList } from '../../helpers/utils';
import { searchTermField, timezoneField } from '../common.descriptions';
import { getManyOperation } from '../shared';

const filters: INodeProperties[] = [
	{
		displayName: 'IDs',
		name: 'ids',
		type: 'string',
		default: '',
		description: 'Comma-separated Sesami resource IDs to restrict the list to',
	},
	{ displayName: 'Location ID', name: 'locationId', type: 'string', default: '' },
	{ displayName: 'Resource Type ID', name: 'typeId', type: 'string', default: '' },
	searchTermField,
	timezoneField(),
];

export const { description, execute } = getManyOperation({
	resource: 'resource',
	path: '/{shop}/resources',
	filters,
	async query(this: IExecuteFunctions, given: IDataObject) {
		return compact({ ...given, ids: toList(given.ids) });
	},
});
