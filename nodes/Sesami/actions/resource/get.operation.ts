import type { IExecuteFunctions } from 'n8n-workflow';

import { resourceLocator, timezoneField } from '../common.descriptions';
import { getOneOperation, resolveTimezone } from '../shared';

export const { description, execute } = getOneOperation({
	resource: 'resource',
	idParameter: resourceLocator,
	path: (id) => `/{shop}/resources/${id}`,
	extra: [timezoneField()],
	// Sesami requires `timezone` on this call: always send one.
	async query(this: IExecuteFunctions, itemIndex: number) {
		const timezone = this.getNodeParameter('timezone', itemIndex, '');
		return { timezone: await resolveTimezone.call(this, timezone, itemIndex) };
	},
});
