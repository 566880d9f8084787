import { serviceLocator } from '../common.descriptions';
import { getOneOperation } from '../shared';

export const { description, execute } = getOneOperation({
	resource: 'service',
	idParameter: serviceLocator,
	path: (id) => `/{shop}/services/${id}`,
});
