import { getOneOperation } from '../shared';
import { flowIdField } from './fields';

export const { description, execute } = getOneOperation({
	resource: 'flow',
	idParameter: flowIdField,
	path: (id) => `/{shop}/flows/${id}`,
});
