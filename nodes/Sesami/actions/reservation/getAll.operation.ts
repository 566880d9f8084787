import { getManyOperation } from '../shared';
import {
	arrayFormat,
	arrayFormatOption,
	bookingFilters,
	bookingQuery,
} from '../appointment/helpers';

export const { description, execute } = getManyOperation({
	resource: 'reservation',
	path: '/{shop}/reservations',
	filters: bookingFilters,
	trailing: [arrayFormatOption],
	query: bookingQuery,
	arrayFormat,
});
