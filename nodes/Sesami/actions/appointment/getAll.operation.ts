import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { simplifyField } from '../common.descriptions';
import { getManyOperation } from '../shared';
import {
	appointmentOutput,
	arrayFormat,
	arrayFormatOption,
	bookingFilters,
	bookingQuery,
	timedAppointments,
} from './helpers';

export const { description, execute } = getManyOperation({
	resource: 'appointment',
	path: '/{shop}/appointments',
	extra: [simplifyField],
	filters: bookingFilters,
	trailing: [arrayFormatOption],
	query: bookingQuery,
	arrayFormat,
	async prepare(this: IExecuteFunctions, items: IDataObject[], qs: IDataObject, itemIndex: number) {
		return await timedAppointments.call(this, items, qs.timezone as string | undefined, itemIndex);
	},
	map: appointmentOutput,
});
