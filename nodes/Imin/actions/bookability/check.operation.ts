import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { checkBookability } from '../../helpers/bookability';
import { jsonParameter, occurrenceField, parentField } from '../shared';

const properties: INodeProperties[] = [
	occurrenceField,
	parentField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'At',
				name: 'at',
				type: 'dateTime',
				default: '',
				description: 'The time to check at (default: now)',
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInput',
				type: 'boolean',
				default: false,
				description:
					'Whether to output the input item\'s fields too, with the result under "bookability"',
			},
		],
	},
];

export const description = withDisplay('bookability', 'check', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const occurrence = jsonParameter.call(this, 'occurrence', itemIndex);
	const parent = jsonParameter.call(this, 'parent', itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const at = options.at ? new Date(String(options.at)) : new Date();
	if (Number.isNaN(at.getTime())) {
		throw new NodeOperationError(this.getNode(), `"${String(options.at)}" is not a date`, {
			itemIndex,
		});
	}
	const result = checkBookability(occurrence, parent, at) as unknown as IDataObject;
	return options.includeInput
		? { ...this.getInputData()[itemIndex].json, bookability: result }
		: result;
}
