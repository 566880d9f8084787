import { searchTermField } from '../common.descriptions';
import { getManyOperation } from '../shared';
import { activeFilter } from '../../helpers/filters';

export const { description, execute } = getManyOperation({
	resource: 'location',
	path: '/{shop}/locations',
	filters: [activeFilter, searchTermField],
});
