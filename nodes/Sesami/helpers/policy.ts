import type { IDataObject } from 'n8n-workflow';

import { shopifyCustomerId } from './constants';
import { isCancelled, rescheduleCount } from './utils';

/** Sesami lets a customer reschedule one booking at most six times (help centre). */
const MAX_CUSTOMER_RESCHEDULES = 6;

/** Whether the appointment's Sesami customer is this Shopify customer (customer.externalId). */
export function ownsAppointment(appointment: IDataObject, customerId: string): boolean {
	const wanted = shopifyCustomerId(customerId);
	const customer = (appointment.customer ?? {}) as IDataObject;
	return wanted !== '' && shopifyCustomerId(customer.externalId) === wanted;
}

export interface CustomerPolicy {
	canCancel: boolean;
	canReschedule: boolean;
	cancelReason: string | null;
	rescheduleReason: string | null;
	/** Last moment the customer may change the booking (start - customerCanManageBefore hours). */
	manageUntil: string | null;
	reschedulesLeft: number;
	refundOnCancel: boolean;
}

/**
 * What the customer may do themselves, by the service's settings: customerCanCancel,
 * customerCanReschedule, customerCanManageBefore (hours before the start) and the limit of six
 * reschedules. Cancelled or started appointments cannot be changed.
 */
export function customerPolicy(
	appointment: IDataObject,
	service: IDataObject,
	now = Date.now(),
): CustomerPolicy {
	// startUtc: added by withAppointmentTimes (naive API times read in the shop's zone)
	const start = Date.parse(String(appointment.startUtc ?? appointment.datetime ?? ''));
	const hours = Number(service.customerCanManageBefore ?? 0);
	const manageUntil = Number.isNaN(start)
		? null
		: start - (Number.isFinite(hours) ? hours : 0) * 3600_000;
	const reschedules = rescheduleCount(appointment);
	let common: string | null = null;
	if (isCancelled(appointment)) common = 'The appointment is already cancelled.';
	else if (Number.isNaN(start)) common = 'The appointment has no start time.';
	else if (now >= start) common = 'The appointment has already started.';
	else if (manageUntil !== null && now > manageUntil) {
		common = `Changes are possible only until ${hours} hour${hours === 1 ? '' : 's'} before the start. Please contact the store.`;
	}
	const cancelReason =
		common ??
		(service.customerCanCancel === false
			? 'This service cannot be cancelled online. Please contact the store.'
			: null);
	const rescheduleReason =
		common ??
		(service.customerCanReschedule === false
			? 'This service cannot be rescheduled online. Please contact the store.'
			: reschedules >= MAX_CUSTOMER_RESCHEDULES
				? `This appointment was already rescheduled ${reschedules} times, the most allowed online. Please contact the store.`
				: null);
	return {
		canCancel: cancelReason === null,
		canReschedule: rescheduleReason === null,
		cancelReason,
		rescheduleReason,
		manageUntil: manageUntil === null ? null : new Date(manageUntil).toISOString(),
		reschedulesLeft: Math.max(0, MAX_CUSTOMER_RESCHEDULES - reschedules),
		refundOnCancel: service.refundMoneyOnCancel === true,
	};
}
