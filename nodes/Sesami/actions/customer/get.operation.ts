import { getOneOperation } from '../shared';

export const { description, execute } = getOneOperation({
	resource: 'customer',
	idParameter: {
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		description: 'Sesami ID of the customer',
	},
	// The OpenAPI document's path template is broken ("/{shopId}/customers/:/customerId");
	// this is the intended path.
	path: (id) => `/{shop}/customers/${id}`,
});
