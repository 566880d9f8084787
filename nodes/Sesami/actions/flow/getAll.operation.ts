import { searchTermField } from '../common.descriptions';
import { getManyOperation } from '../shared';

export const { description, execute } = getManyOperation({
	resource: 'flow',
	path: '/{shop}/flows',
	filters: [searchTermField],
});
