import {
	arrayFormat,
	arrayFormatOption,
	bookingFilters,
	bookingQuery,
} from '../appointment/helpers';
import { getManyOperation } from '../shared';

export const { description, execute } = getManyOperation({
	resource: 'reservation',
	path: '/{shop}/reservations',
	filters: bookingFilters,
	trailing: [arrayFormatOption],
	query: bookingQuery,
	arrayFormat,
});
