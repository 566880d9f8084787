import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { sesamiApiRequest } from '../../transport';

export const description = withDisplay('shop', 'get', [
	{
		displayName:
			'Returns the Sesami shop of the credential or app installation (settings, plan limits, Shopify domain)',
		name: 'shopNotice',
		type: 'notice',
		default: '',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return (await sesamiApiRequest.call(this, 'GET', '/shops/{shop}', { itemIndex })) as IDataObject;
}
