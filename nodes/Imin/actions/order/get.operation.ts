import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';
import { getIminSettings, iminApiRequest } from '../../transport';

export const description = withDisplay('order', 'get', [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		description: 'The order identifier, or its full URL (the order "ID")',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'orderId', itemIndex, { label: 'Order ID' });
	const { bookBaseUrl } = await getIminSettings.call(this);
	const url = /^https?:\/\//i.test(id) ? id : `${bookBaseUrl}orders/${encodeURIComponent(id)}`;
	return ((await iminApiRequest.call(this, 'GET', url, { itemIndex })) ?? {}) as IDataObject;
}
