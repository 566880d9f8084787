import type { IDataObject } from 'n8n-workflow';

import { isSesamiId } from '../helpers/constants';
import { isValidTimeZone } from '../helpers/time';

const MY_PAGE_ACTIONS = ['list', 'slots', 'reschedule', 'cancel'] as const;
type MyPageAction = (typeof MY_PAGE_ACTIONS)[number];

const ACTION_FIELDS = [
	'op',
	'action',
	'appointmentId',
	'start',
	'end',
	'dateTime',
	'timezone',
	'reason',
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Whether the value starts with a real calendar date (Date.parse takes 2026-02-30 as 2 March). */
function realDate(value: string): boolean {
	const [y, m, d] = value.slice(0, 10).split('-').map(Number);
	if (!(m >= 1 && m <= 12 && d >= 1)) return false;
	return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * The action the storefront asks for and its parameters, validated. Nothing here is trusted for
 * identity: the customer comes only from the verified signature or token.
 */
export function readAction(
	query: IDataObject,
	body: IDataObject,
	method: string,
): { ok: true; action: MyPageAction; params: IDataObject } | { ok: false; reason: string } {
	const pick = (name: string) => text(body[name] ?? query[name]);
	// A list or object (a JSON array, a repeated or bracketed query parameter) is no action field:
	// String() would turn ["x"] into "x" and let it through.
	for (const name of ACTION_FIELDS) {
		const value = body[name] ?? query[name];
		if (value !== undefined && value !== null && typeof value === 'object')
			return { ok: false, reason: `${name} must be a single text value` };
	}
	const action = (pick('op') || pick('action') || (method === 'GET' ? 'list' : '')).toLowerCase();
	if (!(MY_PAGE_ACTIONS as readonly string[]).includes(action)) {
		return {
			ok: false,
			reason: `unknown action "${action}" (use list, slots, reschedule or cancel)`,
		};
	}
	const params: IDataObject = {};
	if (action !== 'list') {
		const appointmentId = pick('appointmentId');
		if (!isSesamiId(appointmentId))
			return { ok: false, reason: 'appointmentId must be a Sesami appointment ID' };
		params.appointmentId = appointmentId.toLowerCase();
	}
	if (action === 'slots') {
		for (const name of ['start', 'end']) {
			const value = pick(name);
			if (
				value &&
				((!DATE.test(value) && !DATE_TIME.test(value)) ||
					!realDate(value) ||
					Number.isNaN(Date.parse(value)))
			) {
				return { ok: false, reason: `${name} must be a date (YYYY-MM-DD)` };
			}
			if (value) params[name] = value;
		}
	}
	if (action === 'reschedule') {
		const dateTime = pick('dateTime');
		if (!DATE_TIME.test(dateTime) || !realDate(dateTime) || Number.isNaN(Date.parse(dateTime))) {
			return {
				ok: false,
				reason: 'dateTime must be a date and time such as 2026-12-01T10:00:00+01:00',
			};
		}
		params.dateTime = dateTime;
	}
	if (action === 'reschedule' || action === 'slots') {
		const timezone = pick('timezone');
		if (timezone && !isValidTimeZone(timezone))
			return { ok: false, reason: 'timezone must be an IANA timezone such as Europe/London' };
		if (timezone) params.timezone = timezone;
	}
	if (action === 'cancel') {
		const reason = pick('reason');
		if (reason.length > 500) return { ok: false, reason: 'reason is longer than 500 characters' };
		if (reason) params.reason = reason;
	}
	return { ok: true, action: action as MyPageAction, params };
}
