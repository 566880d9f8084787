/**
 * What Sesami and Shopify identifiers and events look like, defined once for the Sesami node, the
 * Sesami Trigger and the My Page Trigger.
 */

/**
 * A Sesami ID: a MongoDB ObjectId, 24 hexadecimal characters (Sesami answers `is_mongo_id`
 * otherwise: https://api.sesami.co/swagger). Either case is accepted; the triggers lower-case IDs.
 * As text for n8n's parameter validation (a regex without flags).
 */
export const SESAMI_ID_PATTERN = '^[a-fA-F0-9]{24}$';
const SESAMI_ID = new RegExp(SESAMI_ID_PATTERN);

export function isSesamiId(value: unknown): value is string {
	return typeof value === 'string' && SESAMI_ID.test(value);
}

/** The six Sesami Flow triggers (CreateFlowRequest.trigger: https://api.sesami.co/swagger). */
export const FLOW_EVENTS = [
	'APPOINTMENT_CREATED',
	'APPOINTMENT_RESCHEDULED',
	'APPOINTMENT_CANCELLED',
	'CUSTOMER_CHECKED_IN',
	'APPOINTMENT_STARTED',
	'NO_SHOW',
] as const;
export type FlowEvent = (typeof FLOW_EVENTS)[number];

const FLOW_EVENT_NAMES: Record<FlowEvent, string> = {
	APPOINTMENT_CREATED: 'Appointment Created',
	APPOINTMENT_RESCHEDULED: 'Appointment Rescheduled',
	APPOINTMENT_CANCELLED: 'Appointment Cancelled',
	CUSTOMER_CHECKED_IN: 'Customer Checked In',
	APPOINTMENT_STARTED: 'Appointment Started',
	NO_SHOW: 'No-Show',
};

/** The Flow triggers as the options of a parameter, sorted by name (as n8n's linter asks). */
export const FLOW_EVENT_OPTIONS = FLOW_EVENTS.map((value) => ({
	name: FLOW_EVENT_NAMES[value],
	value,
})).sort((a, b) => a.name.localeCompare(b.name));

/**
 * A Shopify customer's global ID is this prefix and the customer's numeric ID
 * (https://shopify.dev/docs/api/usage/gids); Sesami keeps the numeric ID as `customer.externalId`.
 */
const CUSTOMER_GID_PREFIX = 'gid://shopify/Customer/';
const DIGITS = /^\d+$/;

export function customerGid(customerId: string): string {
	return `${CUSTOMER_GID_PREFIX}${customerId}`;
}

/** "gid://shopify/Customer/7001" -> "7001"; anything else as it is. */
export function withoutCustomerGidPrefix(value: string): string {
	return value.startsWith(CUSTOMER_GID_PREFIX) ? value.slice(CUSTOMER_GID_PREFIX.length) : value;
}

/** The customer ID of a Shopify customer GID ("gid://shopify/Customer/7001" -> "7001"), else undefined. */
export function customerIdOfGid(value: string): string | undefined {
	const id = withoutCustomerGidPrefix(value);
	return id !== value && DIGITS.test(id) ? id : undefined;
}

/** "gid://shopify/Customer/7001" or "7001" (blanks around ignored) -> "7001"; anything else -> "". */
export function shopifyCustomerId(value: unknown): string {
	const text = String(value ?? '').trim();
	return DIGITS.test(text) ? text : (customerIdOfGid(text) ?? '');
}
