import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';
import { sesamiApiRequest } from '../../transport';
import { SESAMI_ID_HINT } from '../common.descriptions';
import { flowIdField } from './fields';

export const description = withDisplay('flow', 'delete', [flowIdField]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'flowId', itemIndex, { hint: SESAMI_ID_HINT });
	await sesamiApiRequest.call(this, 'DELETE', `/{shop}/flows/${encodeURIComponent(id)}`, {
		itemIndex,
	});
	return { id, deleted: true };
}
