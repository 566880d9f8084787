import { formatWithOffset, offsetMinutes } from './utils';

/**
 * One formatter per time zone (null: not a zone Intl knows). Building an Intl.DateTimeFormat is
 * far slower than using one, and triggers read the zone of every push; the cache is bounded.
 */
const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_CACHED_ZONES = 1000;

function zoneFormatter(timeZone: string): Intl.DateTimeFormat | null {
	let formatter = zoneFormatters.get(timeZone);
	if (formatter !== undefined) return formatter;
	try {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
	} catch {
		formatter = null;
	}
	if (zoneFormatters.size >= MAX_CACHED_ZONES) zoneFormatters.clear();
	zoneFormatters.set(timeZone, formatter);
	return formatter;
}

/** Offset (minutes east of UTC) of an IANA zone at an instant, using Intl only. */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
	const formatter = zoneFormatter(timeZone);
	if (!formatter) throw new RangeError(`Invalid time zone specified: ${timeZone}`);
	const parts = formatter.formatToParts(new Date(epochMs));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const asUtc = Date.UTC(
		get('year'),
		get('month') - 1,
		get('day'),
		get('hour'),
		get('minute'),
		get('second'),
	);
	return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

export function isValidTimeZone(timeZone: string): boolean {
	return zoneFormatter(timeZone) !== null;
}

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * Normalises a date-time for Sesami (OpenAPI `format: date-time`, i.e. with an offset).
 * A value that already has an offset is kept as the same instant; a local value such as n8n's
 * date picker produces ("2026-12-01T10:00:00") is read as wall-clock time in `timeZone`.
 * Returns undefined when the value cannot be read.
 */
export function toSesamiDateTime(value: unknown, timeZone: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (HAS_OFFSET.test(text)) {
		const epoch = Date.parse(text);
		if (Number.isNaN(epoch)) return undefined;
		return formatWithOffset(epoch, offsetMinutes(text) ?? 0);
	}
	const local = LOCAL.exec(text);
	if (!local) return undefined;
	const [, y, mo, d, h = '00', mi = '00', s = '00'] = local;
	const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
	const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
	let offset = zoneOffsetMinutes(wall, zone);
	offset = zoneOffsetMinutes(wall - offset * 60_000, zone);
	return formatWithOffset(wall - offset * 60_000, offset);
}
