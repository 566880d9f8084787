import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { returnAllAndLimit, withDisplay } from '../../../shared/descriptions';
import { requiredString, returnAllLimit } from '../../../shared/parameters';
import { getIminSettings, iminApiRequest } from '../../transport';

export const description = withDisplay('order', 'getHistory', [
	{
		displayName: 'Customer Identifier',
		name: 'customerIdentifier',
		type: 'string',
		required: true,
		default: '',
		description: 'The imin Customer Account identifier',
	},
	...returnAllAndLimit(),
]);

const MAX_PAGES = 100;

/**
 * Order History: `imin:RestrictedCollection` pages, newest order first
 * (https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform/orders/order-history).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const customerIdentifier = requiredString.call(this, 'customerIdentifier', itemIndex, {
		label: 'Customer Identifier',
	});
	const max = returnAllLimit.call(this, itemIndex);
	const { bookBaseUrl } = await getIminSettings.call(this);
	const orders: IDataObject[] = [];
	for (let page = 1; page <= MAX_PAGES && orders.length < max; page++) {
		const body = ((await iminApiRequest.call(this, 'GET', `${bookBaseUrl}orders`, {
			qs: { customerIdentifier, page },
			itemIndex,
		})) ?? {}) as IDataObject;
		const items = (Array.isArray(body['imin:item']) ? body['imin:item'] : []) as IDataObject[];
		orders.push(...items.slice(0, max - orders.length));
		const view = (body.view ?? {}) as IDataObject;
		const totalPages = Number(view['imin:totalPages']);
		if (!items.length || (Number.isFinite(totalPages) ? page >= totalPages : !view.next)) break;
	}
	return orders;
}
