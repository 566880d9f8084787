import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import type { NetworkError } from '../../../shared/httpRetry';
import { succeeded } from '../../../shared/httpRetry';
import { requiredString } from '../../../shared/parameters';
import { compact, simplifyAppointment, toList } from '../../helpers/utils';
import type { SesamiResponse } from '../../transport';
import { sesamiApiCallOrLost, sesamiCallError } from '../../transport';
import { appointmentLocator, SESAMI_ID_HINT, timezoneField } from '../common.descriptions';
import { dateTimeParam, resolveTimezone } from '../shared';
import { enforcePolicyOption, guardChange, onlyForCustomerOption } from './guard';
import { readAppointment } from './helpers';

const properties: INodeProperties[] = [
	appointmentLocator,
	{
		displayName: 'New Start',
		name: 'dateTime',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'New start of the appointment. A value without an offset is read in the ' +
			'Timezone below (or the credential default).',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			enforcePolicyOption,
			{
				displayName: 'Location ID',
				name: 'locationId',
				type: 'string',
				default: '',
				description: 'Move the appointment to this Sesami location',
			},
			{
				displayName: 'Note',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Note stored with the reschedule event',
			},
			onlyForCustomerOption,
			{
				displayName: 'Resource IDs',
				name: 'resourceIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Sesami resource IDs to assign',
			},
			{
				displayName: 'Team Member ID',
				name: 'teamMemberId',
				type: 'string',
				default: '',
				description: 'Legacy team member to assign',
			},
			timezoneField('IANA timezone of the new start. Empty uses the credential default.'),
		],
	},
];

export const description = withDisplay('appointment', 'reschedule', properties);

/** New Start, with an offset (a value without one is read in `timezone`). */
function newStart(this: IExecuteFunctions, timezone: string, itemIndex: number): string {
	const dateTime = dateTimeParam.call(
		this,
		this.getNodeParameter('dateTime', itemIndex),
		timezone,
		'New Start',
		itemIndex,
	);
	if (!dateTime) {
		throw new NodeOperationError(this.getNode(), 'New Start is empty', {
			itemIndex,
			description: 'Set the new start date and time of the appointment.',
		});
	}
	return dateTime;
}

type Outcome = SesamiResponse | NetworkError;

const done = (r: Outcome): r is SesamiResponse => !(r instanceof Error) && succeeded(r);

/** What may have lost the answer of a reschedule Sesami carried out: a 5xx or a dropped connection. */
const lostAnswer = (r: Outcome): string | undefined =>
	r instanceof Error ? r.networkCode : r.statusCode >= 500 ? String(r.statusCode) : undefined;

/**
 * Sends the reschedule. Sesami documents no idempotency for writes (https://api.sesami.co/swagger),
 * and a reschedule is not idempotent (each one adds a RESCHEDULED event and counts against the
 * customer's six): a 5xx or a dropped connection may come after the move was carried out. So it is
 * not retried blindly: one read of the appointment first; when it already starts at the new time,
 * it is not moved again (`recoveredAfter` says why); otherwise the reschedule is sent once more.
 */
async function reschedule(
	this: IExecuteFunctions,
	id: string,
	body: IDataObject,
	timezone: string,
	itemIndex: number,
): Promise<{ appointment: IDataObject; message: IDataObject[string]; recoveredAfter?: string }> {
	const path = `/{shop}/appointments/${encodeURIComponent(id)}`;
	const send = async (retry: boolean) =>
		await sesamiApiCallOrLost.call(this, 'POST', `${path}/reschedule`, {
			body,
			itemIndex,
			idempotent: retry,
		});
	const fail = (r: Outcome) => (r instanceof Error ? r : sesamiCallError.call(this, r, itemIndex));
	let result = await send(false);
	if (!done(result)) {
		const lost = lostAnswer(result);
		if (!lost) throw fail(result);
		const current = await readAppointment.call(this, id, timezone, itemIndex);
		// whole minutes: a naive "YYYY-MM-DD HH:mm" time carries no seconds
		const start = Date.parse(String(current.startUtc));
		if (current.startUtc && Math.abs(start - Date.parse(String(body.dateTime))) < 60_000)
			return { appointment: current, message: null, recoveredAfter: lost };
		result = await send(true);
		if (!done(result)) throw fail(result);
	}
	return {
		appointment: await readAppointment.call(this, id, timezone, itemIndex),
		message: (result.body as IDataObject | undefined)?.message ?? null,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'appointmentId', itemIndex, { hint: SESAMI_ID_HINT });
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const timezone = await resolveTimezone.call(this, additional.timezone, itemIndex);
	const dateTime = newStart.call(this, timezone, itemIndex);
	const guarded = await guardChange.call(this, id, 'reschedule', additional, timezone, itemIndex);
	const body = compact({
		dateTime,
		timezone,
		content: additional.content,
		locationId: additional.locationId,
		teamMemberId: additional.teamMemberId,
		resourceIds: toList(additional.resourceIds),
	});
	const done = await reschedule.call(this, id, body, timezone, itemIndex);
	return {
		id,
		rescheduled: true,
		dateTime,
		timezone,
		message: done.message,
		appointment: simplifyAppointment(done.appointment),
		...(done.recoveredAfter ? { recoveredAfter: done.recoveredAfter } : {}),
		...(guarded?.policy ? { policy: guarded.policy as unknown as IDataObject } : {}),
	};
}
