import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';
import { withAppointmentTimes } from '../../helpers/appointmentTimes';
import { sesamiApiRequest } from '../../transport';
import { appointmentLocator, simplifyField, SESAMI_ID_HINT } from '../common.descriptions';
import { resolveTimezone } from '../shared';
import { appointmentOutput } from './helpers';

export const description = withDisplay('appointment', 'resendConfirmation', [
	appointmentLocator,
	simplifyField,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'appointmentId', itemIndex, { hint: SESAMI_ID_HINT });
	// Not retried after a 5xx: a second call would send the customer a second email.
	const appointment = (await sesamiApiRequest.call(
		this,
		'POST',
		`/{shop}/appointments/${encodeURIComponent(id)}/resend-appointment-confirmation`,
		{ itemIndex },
	)) as IDataObject;
	const timezone = await resolveTimezone.call(this, '', itemIndex);
	return appointmentOutput.call(
		this,
		await withAppointmentTimes.call(this, appointment, timezone, itemIndex),
		itemIndex,
	);
}
