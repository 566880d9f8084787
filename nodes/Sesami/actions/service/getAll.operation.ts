import { activeFilter } from '../../helpers/filters';
import { searchTermField } from '../common.descriptions';
import { getManyOperation } from '../shared';

export const { description, execute } = getManyOperation({
	resource: 'service',
	path: '/{shop}/services',
	filters: [activeFilter, searchTermField],
});
