import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../../shared/httpRetry';
import { getSesamiSettings, sesamiApiRequest } from '../transport';
import { isValidTimeZone, toSesamiDateTime, zoneOffsetMinutes } from './time';
import { formatWithOffset, offsetMinutes } from './utils';

/**
 * Appointment times whatever format the Admin API uses. Sesami's OpenAPI document types
 * `datetime`, `rangeStart` and `rangeEnd` as plain strings with no format
 * (https://api.sesami.co/swagger, ReadAppointmentResponse), and its docs do not say whether they
 * carry an offset (https://sesami.dev/docs/sesami-api/intro). Values with an offset are taken as
 * they are; naive values ("2026-12-01 10:00", "2026-12-01T10:00:00") are read as wall-clock time
 * in the SHOP's time zone (`settings.timezone` of GET /shops/{id}), fetched at most once per
 * execution, or, when that cannot be read, in the credential's Default Timezone (and marked so).
 */

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

type NaiveZoneSource = 'shop' | 'credential default';

interface ShopTimezone {
	timezone: string;
	source: NaiveZoneSource;
}

interface AppointmentTimes {
	/** ISO-8601 with offset: the API's own value when it had one, else in the display zone. */
	start: string | null;
	/** start + duration (else rangeEnd), same offset style as start. */
	end: string | null;
	startUtc: string | null;
	endUtc: string | null;
	/** Set when the API's times had no offset: the zone they were read in, and where it came from. */
	naiveTimesZone: string | null;
	naiveTimesZoneSource: NaiveZoneSource | null;
}

/** Whether a time string from the API lacks an offset (naive wall-clock time). */
function isNaiveDateTime(value: unknown): boolean {
	return (
		typeof value === 'string' &&
		value.trim() !== '' &&
		!HAS_OFFSET.test(value.trim()) &&
		NAIVE.test(value.trim())
	);
}

function hasNaiveTimes(appointment: IDataObject): boolean {
	return ['datetime', 'rangeStart', 'rangeEnd'].some((key) => isNaiveDateTime(appointment[key]));
}

/** Epoch ms of an API time string: with its offset, or as wall-clock time in `naiveZone`. */
function parseApiDateTime(value: unknown, naiveZone: string): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const epoch = Date.parse(toSesamiDateTime(value, naiveZone) ?? '');
	return Number.isNaN(epoch) ? undefined : epoch;
}

/** ISO-8601 in a zone, offset always numeric ("+00:00", as Sesami renders times with an offset). */
function inZone(epochMs: number, timeZone: string): string {
	const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
	const offset = zoneOffsetMinutes(epochMs, zone);
	const text = formatWithOffset(epochMs, offset);
	return offset === 0 ? text.replace(/Z$/, '+00:00') : text;
}

/**
 * The times of one appointment (pure; no request). `naiveZone` is the zone naive values are read
 * in; `displayTimezone` the zone a naive value is rendered in (default: naiveZone).
 */
export function readAppointmentTimes(
	appointment: IDataObject,
	options: { naiveZone: string; naiveZoneSource?: NaiveZoneSource; displayTimezone?: string },
): AppointmentTimes {
	const raw = typeof appointment.datetime === 'string' ? appointment.datetime.trim() : '';
	const naive = hasNaiveTimes(appointment);
	const display =
		options.displayTimezone && isValidTimeZone(options.displayTimezone)
			? options.displayTimezone
			: options.naiveZone;
	const startMs = parseApiDateTime(raw, options.naiveZone);
	const duration = Number(appointment.duration);
	let endMs: number | undefined;
	if (startMs !== undefined && Number.isFinite(duration) && duration > 0)
		endMs = startMs + duration * 60_000;
	else endMs = parseApiDateTime(appointment.rangeEnd, options.naiveZone);
	let start: string | null = null;
	let end: string | null = null;
	if (startMs !== undefined) {
		if (HAS_OFFSET.test(raw)) {
			// the API's own value, unchanged; the end in the same offset (as before)
			start = raw;
			if (endMs !== undefined) end = formatWithOffset(endMs, offsetMinutes(raw) ?? 0);
		} else {
			start = inZone(startMs, display);
			if (endMs !== undefined) end = inZone(endMs, display);
		}
	} else if (endMs !== undefined) {
		end = inZone(endMs, display);
	}
	return {
		start,
		end,
		startUtc: startMs === undefined ? null : new Date(startMs).toISOString(),
		endUtc: endMs === undefined ? null : new Date(endMs).toISOString(),
		naiveTimesZone: naive ? options.naiveZone : null,
		naiveTimesZoneSource: naive ? (options.naiveZoneSource ?? 'shop') : null,
	};
}

/** One lookup per execution context (node run, webhook call, poll) and shop: the shop's zone. */
const shopZones = new WeakMap<object, Map<string, Promise<ShopTimezone>>>();

/**
 * The shop's time zone (`settings.timezone` of GET /shops/{shopId}), read once per execution and
 * shop (an app installation's items may each be another shop) and cached; when it cannot be read,
 * the Default Timezone (the credential's, or the node's for an app installation), marked
 * 'credential default'.
 */
async function shopTimezone(this: RequestContext, itemIndex?: number): Promise<ShopTimezone> {
	const { shopId, timezone: fallback } = await getSesamiSettings.call(this, itemIndex);
	const zones = shopZones.get(this) ?? new Map<string, Promise<ShopTimezone>>();
	shopZones.set(this, zones);
	const cached = zones.get(shopId);
	if (cached) return await cached;
	const lookup = (async (): Promise<ShopTimezone> => {
		try {
			const shop = (await sesamiApiRequest.call(this, 'GET', '/shops/{shop}', {
				itemIndex,
			})) as IDataObject;
			const zone = String(((shop?.settings ?? {}) as IDataObject).timezone ?? '').trim();
			if (zone && isValidTimeZone(zone)) return { timezone: zone, source: 'shop' };
		} catch {
			// fall through: the credential's default, marked as such in the output
		}
		return { timezone: isValidTimeZone(fallback) ? fallback : 'UTC', source: 'credential default' };
	})();
	zones.set(shopId, lookup);
	return await lookup;
}

/**
 * The times of one appointment, fetching the shop's zone only when the API's times are naive.
 * For the Sesami Trigger too: `await resolveAppointmentTimes.call(this, appointment, timezone)`.
 */
export async function resolveAppointmentTimes(
	this: RequestContext,
	appointment: IDataObject,
	displayTimezone?: string,
	itemIndex?: number,
): Promise<AppointmentTimes> {
	if (!hasNaiveTimes(appointment)) {
		return readAppointmentTimes(appointment, {
			naiveZone: displayTimezone || 'UTC',
			displayTimezone,
		});
	}
	const zone = await shopTimezone.call(this, itemIndex);
	return readAppointmentTimes(appointment, {
		naiveZone: zone.timezone,
		naiveZoneSource: zone.source,
		displayTimezone,
	});
}

/**
 * The appointment with its times added (additive fields; the API's own fields unchanged):
 * `start`, `end` (ISO with offset), `startUtc`, `endUtc`, and, when the API's times were naive,
 * `naiveTimesZone` / `naiveTimesZoneSource`. `simplifyAppointment` and the customer policy use them.
 */
export async function withAppointmentTimes(
	this: RequestContext,
	appointment: IDataObject,
	displayTimezone?: string,
	itemIndex?: number,
): Promise<IDataObject> {
	const times = await resolveAppointmentTimes.call(this, appointment, displayTimezone, itemIndex);
	const added: IDataObject = {
		start: times.start,
		end: times.end,
		startUtc: times.startUtc,
		endUtc: times.endUtc,
	};
	if (times.naiveTimesZone) {
		added.naiveTimesZone = times.naiveTimesZone;
		added.naiveTimesZoneSource = times.naiveTimesZoneSource;
	}
	return { ...appointment, ...added };
}
