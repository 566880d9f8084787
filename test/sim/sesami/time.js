'use strict';
/**
 * Time-zone helpers for the Sesami simulator (Node built-ins only: Intl).
 *
 * The Admin API renders appointment times "in the requested timezone"
 * (the `timezone` query parameter of https://api.sesami.co/swagger):
 * we render them as ISO-8601 with the zone's UTC offset, e.g. `2026-12-01T10:00:00+01:00`.
 * `createdAt` / `updatedAt` / event `dateTime` are ISO UTC (`toISOString()`).
 */

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const formatterCache = new Map();

/** True when `tz` is an IANA zone the runtime knows (validated exactly as the brief says). */
function isValidTimeZone(tz) {
	if (typeof tz !== 'string' || tz.trim() === '') return false;
	try {
		new Intl.DateTimeFormat(undefined, { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

function formatter(tz) {
	let f = formatterCache.get(tz);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: tz,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			weekday: 'long',
		});
		formatterCache.set(tz, f);
	}
	return f;
}

/** Wall-clock parts of instant `ms` in zone `tz`. */
function partsInTz(ms, tz) {
	const out = {};
	for (const p of formatter(tz).formatToParts(new Date(ms))) {
		if (p.type !== 'literal') out[p.type] = p.value;
	}
	return {
		year: Number(out.year),
		month: Number(out.month),
		day: Number(out.day),
		hour: Number(out.hour) % 24,
		minute: Number(out.minute),
		second: Number(out.second),
		weekday: String(out.weekday).toLowerCase(),
	};
}

/** Offset of `tz` from UTC at instant `ms`, in minutes (e.g. +60 for Europe/London in summer). */
function offsetMinutes(ms, tz) {
	const p = partsInTz(ms, tz);
	const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	const floored = Math.floor(ms / 1000) * 1000;
	return Math.round((asUtc - floored) / MINUTE);
}

const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, '0');

function formatOffset(minutes) {
	const sign = minutes < 0 ? '-' : '+';
	const a = Math.abs(minutes);
	return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** `2026-12-01T10:00:00+01:00` */
function formatInTz(ms, tz) {
	const p = partsInTz(ms, tz);
	return (
		`${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
		formatOffset(offsetMinutes(ms, tz))
	);
}

/** `2026-12-01` (the calendar date of `ms` in `tz`). */
function dateInTz(ms, tz) {
	const p = partsInTz(ms, tz);
	return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `10:00` */
function timeInTz(ms, tz) {
	const p = partsInTz(ms, tz);
	return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** UTC instant of wall-clock time (y, m 1-based, d, h, mi) in zone `tz`. */
function wallToUtc(y, m, d, h, mi, tz, s = 0) {
	const naive = Date.UTC(y, m - 1, d, h, mi, s);
	let guess = naive - offsetMinutes(naive, tz) * MINUTE;
	// second pass settles DST edges
	guess = naive - offsetMinutes(guess, tz) * MINUTE;
	return guess;
}

/** `YYYY-MM-DD` + days, pure calendar arithmetic. */
function addDaysToDate(dateStr, days) {
	const [y, m, d] = dateStr.split('-').map(Number);
	const t = new Date(Date.UTC(y, m - 1, d) + days * DAY);
	return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function weekdayOfDate(dateStr) {
	const [y, m, d] = dateStr.split('-').map(Number);
	return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

/** `HH:mm` -> minutes after midnight */
function hmToMinutes(hm) {
	const [h, mi] = String(hm).split(':').map(Number);
	return h * 60 + mi;
}

const RFC3339 =
	/^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function validCalendar(y, mo, d, h = 0, mi = 0, s = 0) {
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
	const t = new Date(Date.UTC(y, mo - 1, d));
	return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** RFC 3339 date-time (the OpenAPI `date-time` format): returns epoch ms or undefined. */
function parseRfc3339(str) {
	if (typeof str !== 'string') return undefined;
	const m = RFC3339.exec(str);
	if (!m) return undefined;
	const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
	if (!validCalendar(y, mo, d, h, mi, s)) return undefined;
	const ms = Date.parse(str.toUpperCase());
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Lenient parse used by the simulator (a real server built on class-validator is lenient too):
 * RFC 3339 with offset; or a local `YYYY-MM-DD[T| ]HH:mm[:ss]` / `YYYY-MM-DD` interpreted in `tz`.
 * The contract validator stays strict (`format: date-time`), so a client that relies on the
 * lenient forms is still reported there.
 */
function parseDateTimeLenient(str, tz) {
	const strict = parseRfc3339(str);
	if (strict !== undefined) return strict;
	if (typeof str !== 'string') return undefined;
	let m = LOCAL_DATETIME.exec(str);
	if (m) {
		const [y, mo, d, h, mi] = m.slice(1, 6).map(Number);
		const s = m[6] ? Number(m[6]) : 0;
		if (!validCalendar(y, mo, d, h, mi, s)) return undefined;
		return wallToUtc(y, mo, d, h, mi, tz, s);
	}
	m = DATE_ONLY.exec(str);
	if (m) {
		const [y, mo, d] = m.slice(1, 4).map(Number);
		if (!validCalendar(y, mo, d)) return undefined;
		return wallToUtc(y, mo, d, 0, 0, tz);
	}
	return undefined;
}

module.exports = {
	MINUTE,
	HOUR,
	DAY,
	WEEKDAYS,
	isValidTimeZone,
	partsInTz,
	offsetMinutes,
	formatInTz,
	dateInTz,
	timeInTz,
	wallToUtc,
	addDaysToDate,
	weekdayOfDate,
	hmToMinutes,
	parseRfc3339,
	parseDateTimeLenient,
	DATE_ONLY,
};
