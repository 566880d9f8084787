import { activeFilter } from '../../helpers/filters';
import { searchTermField } from '../common.descriptions';
import { getManyOperation } from '../shared';

export const { description, execute } = getManyOperation({
	resource: 'location',
	path: '/{shop}/locations',
	filters: [activeFilter, searchTermField],
});
