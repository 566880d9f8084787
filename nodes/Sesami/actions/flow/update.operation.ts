import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';
import { sesamiApiRequest } from '../../transport';
import { SESAMI_ID_HINT } from '../common.descriptions';
import { flowFields, flowIdField } from './fields';
import { flowBody } from './helpers';

export const description = withDisplay('flow', 'update', [
	flowIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: flowFields(false)
			.map((field) => ({ ...field, required: false }))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = encodeURIComponent(
		requiredString.call(this, 'flowId', itemIndex, { hint: SESAMI_ID_HINT }),
	);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (!Object.keys(fields).length) {
		throw new NodeOperationError(this.getNode(), 'No field to update', {
			itemIndex,
			description: 'Add at least one field under Update Fields.',
		});
	}
	// `when` and `template` are sent whole: fill the parts not given from the current Flow.
	const partial =
		(fields.whenUnit === undefined) !== (fields.whenAmount === undefined) ||
		(fields.templateHeaders === undefined) !== (fields.templateBody === undefined);
	const current = partial
		? ((await sesamiApiRequest.call(this, 'GET', `/{shop}/flows/${id}`, {
				itemIndex,
			})) as IDataObject)
		: undefined;
	return (await sesamiApiRequest.call(this, 'PATCH', `/{shop}/flows/${id}`, {
		body: flowBody(fields, current),
		itemIndex,
	})) as IDataObject;
}
