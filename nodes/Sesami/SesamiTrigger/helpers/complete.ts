import type { IDataObject } from 'n8n-workflow';

import { looksLikeSendTime } from './diagnostics';
import { inZone } from './normalize';
import { isEmail } from './resolve';

/**
 * Drops values that are defaults, not data: an end time that is the send time (formatDate of a
 * variable Sesami does not have renders "now"), or not after the start. Returns the dropped fields.
 */
export function dropDefaults(push: IDataObject, receivedAtMs: number): string[] {
	const dropped: string[] = [];
	const start = Date.parse(String(push.startUtc ?? ''));
	const end = Date.parse(String(push.endUtc ?? ''));
	if (
		push.endUtc &&
		(looksLikeSendTime(push.endUtc, receivedAtMs) || (Number.isFinite(start) && end <= start))
	) {
		push.endUtc = null;
		push.end = null;
		dropped.push('endUtc');
	}
	return dropped;
}

/**
 * Fills what the push lacked from the appointment Sesami holds (the push's own values win, but the
 * appointment's ID replaces one that did not identify it), and gives start and end in one format:
 * ISO with the customer's offset, plus UTC.
 */
export function completeFromAppointment(
	push: IDataObject,
	appointment: IDataObject,
	byId: boolean,
): void {
	if (!byId) push.appointmentId = appointment.id;
	const fill = (key: string, value: unknown) => {
		if ((push[key] === null || push[key] === undefined || push[key] === '') && value !== undefined)
			push[key] = value as IDataObject[string];
	};
	fill('status', appointment.status);
	fill('startUtc', appointment.startUtc);
	fill('endUtc', appointment.endUtc);
	fill('customerTimezone', appointment.timezone);
	fill('orderId', appointment.orderId);
	fill('orderName', appointment.orderName);
	fill('service', appointment.serviceName);
	fill('serviceId', appointment.serviceId);
	fill('shopId', appointment.shopId);
	fill('customerManagementLink', appointment.customerManagementLink);
	const customer = push.customer as IDataObject;
	for (const [key, from] of [
		['name', 'customerName'],
		['email', 'customerEmail'],
		['phone', 'customerPhone'],
		['shopifyCustomerId', 'shopifyCustomerId'],
	] as const) {
		if (!customer[key] || (key === 'email' && !isEmail(customer[key])))
			customer[key] = (appointment[from] as string | null) ?? null;
	}
	const tz = (push.customerTimezone as string | null) || 'UTC';
	push.start =
		inZone(push.startUtc as string | null, tz) ?? inZone(push.startUtc as string | null, 'UTC');
	push.end =
		inZone(push.endUtc as string | null, tz) ?? inZone(push.endUtc as string | null, 'UTC');
}
