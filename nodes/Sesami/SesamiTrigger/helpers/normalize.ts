import type { IDataObject } from 'n8n-workflow';

import type { FlowEvent } from '../../helpers/constants';
import { FLOW_EVENTS, isSesamiId, withoutCustomerGidPrefix } from '../../helpers/constants';
import { isValidTimeZone, toSesamiDateTime, zoneOffsetMinutes } from '../../helpers/time';
import { formatWithOffset, toUtc } from '../../helpers/utils';

/** Field name -> the spellings merchants' templates use for it (compared lower-case, without _ - space). */
const ALIASES: Record<string, string[]> = {
	event: ['event', 'trigger', 'flowtrigger', 'eventtype', 'type', 'topic'],
	appointmentId: ['appointmentid', 'appointment', 'id', 'bookingid'],
	status: ['status', 'appointmentstatus'],
	start: [
		'startutc',
		'start',
		'datetimeinutc',
		'datetimeutc',
		'starttimeutc',
		'datetime',
		'starttime',
		'startdate',
		'date',
		'appointmentstart',
	],
	end: ['endutc', 'end', 'endtime', 'enddatetime', 'appointmentend'],
	customerTimezone: ['customertimezone', 'timezone', 'tz'],
	customerName: ['customername', 'name', 'fullname'],
	customerFirstName: ['customerfirstname', 'firstname'],
	customerLastName: ['customerlastname', 'lastname'],
	customerEmail: ['customeremail', 'email', 'emailaddress'],
	customerPhone: ['customerphone', 'phone', 'phonenumber', 'mobile'],
	shopifyCustomerId: ['shopifycustomerid', 'customerexternalid', 'externalid', 'customerid'],
	orderId: ['orderid', 'shopifyorderid'],
	orderName: ['ordername', 'ordernumber', 'shopifyordername'],
	serviceName: ['servicename', 'servicetitle', 'service', 'product', 'producttitle'],
	serviceId: ['serviceid'],
	shopId: ['shopid', 'sesamishopid'],
	customerManagementLink: [
		'customermanagementlink',
		'managementlink',
		'managelink',
		'link',
		'manageurl',
	],
	createdAt: ['createdatutc', 'appointmentcreatedat', 'createdat'],
	duration: ['duration', 'durationminutes'],
	price: ['price', 'amount', 'total'],
	currency: ['currency'],
	locationName: ['location', 'locationname'],
	resourceName: ['resource', 'resourcename', 'teammember', 'staff'],
};

/** Objects a template may nest the fields in (Klaviyo-style `properties`, `customer_properties`...). */
const NESTED = [
	'appointment',
	'customer',
	'customerproperties',
	'properties',
	'order',
	'service',
	'booking',
	'data',
	'payload',
];

/** "customer_email", "Customer Email", "$email" -> "customeremail" / "email". */
function squash(key: string): string {
	return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function scalar(value: unknown): string | number | boolean | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return value;
	return undefined;
}

/** Looks a field up at the top level, then in nested objects such as `customer: {...}`. */
function pick(body: IDataObject, field: string): string | number | boolean | undefined {
	const aliases = ALIASES[field];
	const index = new Map<string, unknown>();
	for (const [key, value] of Object.entries(body)) index.set(squash(key), value);
	for (const alias of aliases) {
		const found = scalar(index.get(alias));
		if (found !== undefined) return found;
	}
	for (const container of NESTED) {
		const inner = index.get(container);
		if (!inner || typeof inner !== 'object' || Array.isArray(inner)) continue;
		const innerIndex = new Map<string, unknown>();
		for (const [key, value] of Object.entries(inner as IDataObject))
			innerIndex.set(squash(key), value);
		// inside `customer: {...}`, `name`/`email`/`id` mean the customer's
		const prefix = container.replace('properties', '');
		const innerAliases = [
			...aliases,
			...aliases.map((alias) => (prefix ? alias.replace(prefix, '') : alias)),
		];
		for (const alias of innerAliases) {
			if (!alias) continue;
			if (container !== 'appointment' && field === 'appointmentId' && alias === 'id') continue;
			if (prefix === 'customer' && field === 'shopifyCustomerId' && alias === 'id') continue;
			const found = scalar(innerIndex.get(alias));
			if (found !== undefined) return found;
		}
	}
	return undefined;
}

function text(value: unknown): string | null {
	return value === undefined || value === null ? null : String(value);
}

function numberOrNull(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const n = typeof value === 'number' ? value : Number(String(value).replace(/[^0-9.+-eE]/g, ''));
	return Number.isFinite(n) ? n : null;
}

/**
 * Reads a time as Sesami's formatDate may render it: ISO with offset, unix seconds / milliseconds,
 * or a naive wall-clock time ("2026-12-01 10:00", a format without Z), read in `timeZone` (the
 * customer's, else UTC) rather than in the n8n server's own zone.
 */
function readInstant(value: unknown, timeZone?: string | null): string | null {
	if (value === undefined || value === null || value === '') return null;
	const raw = String(value).trim();
	if (/^\d{9,10}$/.test(raw)) return new Date(Number(raw) * 1000).toISOString();
	if (/^\d{12,13}$/.test(raw)) return new Date(Number(raw)).toISOString();
	if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(raw)) {
		const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC';
		const local = toSesamiDateTime(raw, zone);
		if (local) return toUtc(local);
	}
	return toUtc(raw);
}

/** Wall-clock ISO time of an instant in an IANA zone, e.g. 2026-12-01T10:00:00+01:00. */
export function inZone(utc: string | null, timeZone: string | null): string | null {
	if (!utc || !timeZone || !isValidTimeZone(timeZone)) return null;
	const epoch = Date.parse(utc);
	return Number.isNaN(epoch) ? null : formatWithOffset(epoch, zoneOffsetMinutes(epoch, timeZone));
}

export function normalizeEvent(value: unknown): FlowEvent | null {
	if (value === undefined || value === null) return null;
	const squashed = String(value)
		.toUpperCase()
		.replace(/[^A-Z]/g, '');
	const match = FLOW_EVENTS.find((event) => event.replace(/_/g, '') === squashed);
	if (match) return match;
	const loose: Record<string, FlowEvent> = {
		CREATED: 'APPOINTMENT_CREATED',
		BOOKED: 'APPOINTMENT_CREATED',
		RESCHEDULED: 'APPOINTMENT_RESCHEDULED',
		CANCELLED: 'APPOINTMENT_CANCELLED',
		CANCELED: 'APPOINTMENT_CANCELLED',
		CHECKEDIN: 'CUSTOMER_CHECKED_IN',
		CUSTOMERCHECKIN: 'CUSTOMER_CHECKED_IN',
		STARTED: 'APPOINTMENT_STARTED',
		NOSHOW: 'NO_SHOW',
	};
	return loose[squashed] ?? null;
}

/**
 * One normalised record for a Flow push, whatever the merchant's template calls its fields.
 * `eventHint` is the event the receiving webhook was registered for (one Flow per trigger).
 */
export function normalizeFlowPush(body: IDataObject, eventHint?: string | null): IDataObject {
	const event = normalizeEvent(pick(body, 'event')) ?? normalizeEvent(eventHint) ?? null;
	const timezone = text(pick(body, 'customerTimezone'));
	const startUtc = readInstant(pick(body, 'start'), timezone);
	let endUtc = readInstant(pick(body, 'end'), timezone);
	const duration = numberOrNull(pick(body, 'duration'));
	if (!endUtc && startUtc && duration)
		endUtc = new Date(Date.parse(startUtc) + duration * 60000).toISOString();
	const first = text(pick(body, 'customerFirstName'));
	const last = text(pick(body, 'customerLastName'));
	const appointmentId = text(pick(body, 'appointmentId'));
	const shopifyId = text(pick(body, 'shopifyCustomerId'));
	return {
		event,
		appointmentId: isSesamiId(appointmentId) ? appointmentId.toLowerCase() : appointmentId,
		status: text(pick(body, 'status')),
		startUtc,
		endUtc,
		start: inZone(startUtc, timezone) ?? inZone(startUtc, 'UTC'),
		end: inZone(endUtc, timezone) ?? inZone(endUtc, 'UTC'),
		customerTimezone: timezone,
		customer: {
			name:
				text(pick(body, 'customerName')) ??
				([first, last].filter((part) => part).join(' ') || null),
			email: text(pick(body, 'customerEmail'))?.toLowerCase() ?? null,
			phone: text(pick(body, 'customerPhone')),
			shopifyCustomerId: shopifyId === null ? null : withoutCustomerGidPrefix(shopifyId),
		},
		orderId: text(pick(body, 'orderId'))?.replace(/^gid:\/\/shopify\/Order\//, '') ?? null,
		orderName: text(pick(body, 'orderName')),
		service: text(pick(body, 'serviceName')),
		serviceId: text(pick(body, 'serviceId')),
		shopId: text(pick(body, 'shopId')),
		customerManagementLink: text(pick(body, 'customerManagementLink')),
		createdAtUtc: readInstant(pick(body, 'createdAt'), timezone),
		duration,
		price: numberOrNull(pick(body, 'price')),
		currency: text(pick(body, 'currency')),
	};
}
