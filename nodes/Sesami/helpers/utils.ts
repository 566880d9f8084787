import type { IDataObject } from 'n8n-workflow';

/** "a, b ,c" or ["a","b"] -> ["a","b","c"] (empty entries dropped). */
export function toList(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const parts = Array.isArray(value) ? value : String(value).split(',');
	return parts.map((part) => String(part).trim()).filter((part) => part.length > 0);
}

/** Removes undefined, null and '' values (and empty arrays) so they are not sent to Sesami. */
export function compact(object: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(object)) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		result[key] = value;
	}
	return result;
}

const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

export function offsetMinutes(iso: string): number | undefined {
	const match = OFFSET.exec(iso.trim());
	if (!match) return undefined;
	if (match[1].toUpperCase() === 'Z') return 0;
	const sign = match[1].startsWith('-') ? -1 : 1;
	const digits = match[1].replace(/[+:-]/g, '');
	return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** Formats an instant as ISO-8601 in a fixed UTC offset (minutes), e.g. 2026-12-01T11:00:00+01:00. */
export function formatWithOffset(epochMs: number, offset: number): string {
	const local = new Date(epochMs + offset * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
	if (offset === 0) return `${local}Z`;
	const sign = offset < 0 ? '-' : '+';
	const abs = Math.abs(offset);
	const hh = String(Math.floor(abs / 60)).padStart(2, '0');
	const mm = String(abs % 60).padStart(2, '0');
	return `${local}${sign}${hh}:${mm}`;
}

/** Start + duration (minutes), rendered in the start's own offset. */
function appointmentEnd(appointment: IDataObject): string | null {
	const start = typeof appointment.datetime === 'string' ? appointment.datetime : undefined;
	const duration = Number(appointment.duration);
	if (start && Number.isFinite(duration) && duration > 0) {
		const epoch = Date.parse(start);
		const offset = offsetMinutes(start);
		if (!Number.isNaN(epoch)) return formatWithOffset(epoch + duration * 60_000, offset ?? 0);
	}
	return typeof appointment.rangeEnd === 'string' ? appointment.rangeEnd : null;
}

/** The instant in UTC (ISO with Z), or null when it cannot be parsed. */
export function toUtc(value: unknown): string | null {
	if (typeof value !== 'string' || !value) return null;
	const epoch = Date.parse(value);
	return Number.isNaN(epoch) ? null : new Date(epoch).toISOString();
}

interface AppointmentEvent {
	type?: string;
	dateTime?: string;
}

function appointmentEvents(appointment: IDataObject): AppointmentEvent[] {
	return Array.isArray(appointment.events) ? (appointment.events as AppointmentEvent[]) : [];
}

/** Sesami does not enumerate `status`; the events[] history is the reliable signal. */
export function isCancelled(appointment: IDataObject): boolean {
	if (appointmentEvents(appointment).some((event) => event.type === 'CANCELLED')) return true;
	return /cancel/i.test(String(appointment.status ?? ''));
}

export function rescheduleCount(appointment: IDataObject): number {
	return appointmentEvents(appointment).filter((event) => event.type === 'RESCHEDULED').length;
}

/**
 * The flat record of the Simplify option. When the appointment went through
 * `withAppointmentTimes` (helpers/appointmentTimes.ts), its `start`, `end`, `startUtc`, `endUtc`
 * are used (naive API times read in the shop's zone); otherwise they are derived from `datetime`.
 */
export function simplifyAppointment(appointment: IDataObject): IDataObject {
	const timed = 'endUtc' in appointment && 'startUtc' in appointment;
	const start = timed ? (appointment.start ?? null) : (appointment.datetime ?? null);
	const end = timed ? (appointment.end ?? null) : appointmentEnd(appointment);
	const naive =
		timed && appointment.naiveTimesZone
			? {
					naiveTimesZone: appointment.naiveTimesZone,
					naiveTimesZoneSource: appointment.naiveTimesZoneSource ?? null,
				}
			: {};
	const customer = (appointment.customer ?? {}) as IDataObject;
	const service = (appointment.serviceObject ?? {}) as IDataObject;
	const name =
		(customer.name as string) ||
		[customer.firstName, customer.lastName].filter((part) => part).join(' ') ||
		null;
	return {
		id: appointment.id ?? null,
		shopId: appointment.shopId ?? null,
		status: appointment.status ?? null,
		cancelled: isCancelled(appointment),
		start,
		end,
		startUtc: timed ? (appointment.startUtc ?? null) : toUtc(appointment.datetime),
		endUtc: timed ? (appointment.endUtc ?? null) : toUtc(end),
		timezone: appointment.customerTimezone ?? null,
		customerName: name,
		customerEmail: customer.email ?? null,
		customerPhone: customer.phone ?? null,
		shopifyCustomerId: customer.externalId ?? null,
		orderId: appointment.orderId || null,
		orderName: appointment.orderName || null,
		serviceId: appointment.service ?? null,
		serviceName: (service.title as string) ?? null,
		locationId: appointment.locationId ?? null,
		rescheduleCount: rescheduleCount(appointment),
		updatedAt: appointment.updatedAt ?? null,
		customerManagementLink: appointment.customerManagementLink ?? null,
		...naive,
	};
}

/** Keeps the management link a first-class, always-present field of raw output. */
export function withManagementLink(appointment: IDataObject): IDataObject {
	return { ...appointment, customerManagementLink: appointment.customerManagementLink ?? null };
}
