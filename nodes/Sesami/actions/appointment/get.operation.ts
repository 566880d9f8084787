import type { IExecuteFunctions } from 'n8n-workflow';

import { appointmentLocator, simplifyField, timezoneField } from '../common.descriptions';
import { getOneOperation, resolveTimezone } from '../shared';
import { appointmentOutput } from './helpers';

export const { description, execute } = getOneOperation({
	resource: 'appointment',
	idParameter: appointmentLocator,
	path: (id) => `/{shop}/appointments/${id}`,
	extra: [simplifyField, timezoneField],
	// Sesami requires `timezone` on this call: always send one.
	async query(this: IExecuteFunctions, itemIndex: number) {
		const timezone = this.getNodeParameter('timezone', itemIndex, '');
		return { timezone: await resolveTimezone.call(this, timezone, itemIndex) };
	},
	map: appointmentOutput,
});
