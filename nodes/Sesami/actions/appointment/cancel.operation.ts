import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import type { NetworkError } from '../../../shared/httpRetry';
import { succeeded } from '../../../shared/httpRetry';
import { requiredString } from '../../../shared/parameters';
import { compact, isCancelled, simplifyAppointment } from '../../helpers/utils';
import type { SesamiResponse } from '../../transport';
import { sesamiApiCallOrLost, sesamiCallError } from '../../transport';
import { appointmentLocator, SESAMI_ID_HINT } from '../common.descriptions';
import { resolveTimezone } from '../shared';
import { enforcePolicyOption, guardChange, onlyForCustomerOption } from './guard';
import { readAppointment } from './helpers';

const properties: INodeProperties[] = [
	appointmentLocator,
	{
		displayName: 'Refund Money',
		name: 'refundMoney',
		type: 'boolean',
		required: true,
		default: false,
		description: 'Whether Sesami refunds the Shopify order of the appointment',
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
				displayName: 'Note',
				name: 'content',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Reason or note stored with the cancellation event',
			},
			onlyForCustomerOption,
			{
				displayName: 'Refund per Service Setting',
				name: 'refundPerService',
				type: 'boolean',
				default: false,
				description:
					'Whether to refund exactly when the service says so (Refund Money On Cancel), ' +
					'ignoring Refund Money above',
			},
		],
	},
];

export const description = withDisplay('appointment', 'cancel', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = requiredString.call(this, 'appointmentId', itemIndex, { hint: SESAMI_ID_HINT });
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const timezone = await resolveTimezone.call(this, '', itemIndex);
	const guarded = await guardChange.call(this, id, 'cancel', additional, timezone, itemIndex, {
		withPolicy: additional.refundPerService === true,
	});
	const refundMoney = additional.refundPerService
		? guarded?.policy?.refundOnCancel === true
		: (this.getNodeParameter('refundMoney', itemIndex) as boolean) === true;
	const body = compact({ refundMoney, content: additional.content });
	// Sesami documents no idempotency for writes (https://api.sesami.co/swagger): a 5xx or a dropped
	// connection may come after the cancel was carried out, and the retry then finds the
	// appointment cancelled (400, or 200 with nothing changed). A 5xx is retried (cancelling twice
	// changes nothing); when the answer stays lost, one read of the appointment decides.
	const path = `/{shop}/appointments/${encodeURIComponent(id)}`;
	const outcome = await sesamiApiCallOrLost.call(this, 'POST', `${path}/cancel`, {
		body,
		itemIndex,
		idempotent: true,
	});
	const networkError = outcome instanceof Error ? (outcome as NetworkError) : undefined;
	const result = outcome instanceof Error ? undefined : (outcome as SesamiResponse);
	const ok = result !== undefined && succeeded(result);
	// a 429 was not processed by Sesami: only a 5xx or a dropped connection may have lost an answer
	const lostBefore = (result?.failures ?? []).filter((failure) => failure !== '429');
	const lastFailure = lostBefore.length ? lostBefore[lostBefore.length - 1] : undefined;
	let recoveredAfter: string | undefined = ok ? lastFailure : undefined;
	if (!ok) {
		// the answer was lost: a final 5xx / dropped connection, or a retry refused after one
		const lost =
			networkError?.networkCode ??
			(result!.statusCode >= 500
				? String(result!.statusCode)
				: result!.statusCode === 400
					? lastFailure
					: undefined);
		if (!lost) throw sesamiCallError.call(this, result!, itemIndex);
		const current = await readAppointment.call(this, id, timezone, itemIndex);
		if (!isCancelled(current)) throw networkError ?? sesamiCallError.call(this, result!, itemIndex);
		recoveredAfter = lost;
		return output(current, null);
	}
	const updated = await readAppointment.call(this, id, timezone, itemIndex);
	return output(updated, (result!.body as IDataObject | undefined)?.message ?? null);

	function output(appointment: IDataObject, message: unknown): IDataObject {
		return {
			id,
			cancelled: true,
			refundMoney: body.refundMoney,
			message: message ?? null,
			appointment: simplifyAppointment(appointment),
			...(recoveredAfter ? { recoveredAfter } : {}),
			...(guarded?.policy ? { policy: guarded.policy as unknown as IDataObject } : {}),
		};
	}
}
