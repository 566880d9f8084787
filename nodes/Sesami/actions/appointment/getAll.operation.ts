import { simplifyField } from '../common.descriptions';
import { getManyOperation } from '../shared';
import { appointmentOutput, arrayFormat, arrayFormatOption, bookingFilters, bookingQuery } from './helpers';

export const { description, execute } = getManyOperation({
	resource: 'appointment',
	path: '/{shop}/appointments',
	extra: [simplifyField],
	filters: bookingFilters,
	trailing: [arrayFormatOption],
	query: bookingQuery,
	arrayFormat,
	map: appointmentOutput,
});
