import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sesamiApiRequest } from '../../transport';
import { requiredId, withDisplay } from '../shared';
import { flowIdField } from './fields';

export const description = withDisplay('flow', 'delete', [flowIdField]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredId.call(this, 'flowId', itemIndex);
	await sesamiApiRequest.call(this, 'DELETE', `/{shop}/flows/${encodeURIComponent(id)}`, {
		itemIndex,
	});
	return { id, deleted: true };
}
