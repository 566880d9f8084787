import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { compact } from '../../helpers/utils';
import { sesamiApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. nathan@example.com',
		default: '',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description: 'ID of the customer in the other system, e.g. the Shopify customer ID',
			},
			{
				displayName: 'External Source',
				name: 'externalSource',
				type: 'string',
				default: '',
				placeholder: 'e.g. SHOPIFY',
			},
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{ displayName: 'Image URL', name: 'image', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				placeholder: 'e.g. +447700900123',
			},
		],
	},
];

export const description = withDisplay('customer', 'create', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = compact({ email: this.getNodeParameter('email', itemIndex, ''), ...additional });
	// Not retried after a 5xx or a dropped connection: a second call could create a duplicate.
	const response = await sesamiApiRequest.call(this, 'POST', '/{shop}/customers', {
		body,
		itemIndex,
	});
	// Sesami documents no body for this answer (201).
	const returned =
		response && typeof response === 'object' && Object.keys(response).length ? response : {};
	return { created: true, ...body, ...(returned as IDataObject) };
}
