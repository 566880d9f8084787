import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sesamiApiRequest } from '../../transport';
import { appointmentLocator, simplifyField } from '../common.descriptions';
import { withAppointmentTimes } from '../../helpers/appointmentTimes';
import { requiredId, resolveTimezone, withDisplay } from '../shared';
import { appointmentOutput } from './helpers';

export const description = withDisplay('appointment', 'resendConfirmation', [
	appointmentLocator,
	simplifyField,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredId.call(this, 'appointmentId', itemIndex);
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
		await withAppointmentTimes.call(this, appointment, timezone),
		itemIndex,
	);
}
