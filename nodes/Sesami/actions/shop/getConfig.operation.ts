import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { sesamiApiRequest } from '../../transport';

export const description = withDisplay('shop', 'getConfig', [
	{
		displayName: 'Returns the features, plan and settings of the Sesami shop of the credential',
		name: 'configNotice',
		type: 'notice',
		default: '',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return (await sesamiApiRequest.call(this, 'GET', '/shops/{shop}/configs', {
		itemIndex,
	})) as IDataObject;
}
