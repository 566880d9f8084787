import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { getSesamiSettings, sesamiApiRequest } from '../../transport';

export const description = withDisplay('shop', 'get', [
	{
		displayName:
			'Returns the Sesami shop of the credential (settings, plan limits, Shopify domain)',
		name: 'shopNotice',
		type: 'notice',
		default: '',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { shopId } = await getSesamiSettings.call(this);
	return (await sesamiApiRequest.call(this, 'GET', `/shops/${encodeURIComponent(shopId)}`, {
		itemIndex,
	})) as IDataObject;
}
