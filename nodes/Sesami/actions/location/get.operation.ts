import { locationLocator } from '../common.descriptions';
import { getOneOperation } from '../shared';

export const { description, execute } = getOneOperation({
	resource: 'location',
	idParameter: locationLocator,
	path: (id) => `/{shop}/locations/${id}`,
});
