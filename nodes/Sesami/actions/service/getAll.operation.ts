import { searchTermField } from '../common.descriptions';
import { getManyOperation } from '../shared';
import { activeFilter } from '../../helpers/filters';

export const { description, execute } = getManyOperation({
	resource: 'service',
	path: '/{shop}/services',
	filters: [activeFilter, searchTermField],
});
