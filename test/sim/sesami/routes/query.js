'use strict';
/**
 * Query parameters and cursor pagination of the Sesami Admin API simulator's list routes, written
 * from Sesami's OpenAPI document (https://api.sesami.co/swagger).
 *
 * Decisions where the document is silent (kept consistent everywhere): items carry `cursor` (opaque
 * base64url). `nextCursor` is present only when more items follow the page, `previousCursor` only
 * when items precede it; otherwise the keys are omitted (the schema types them as plain strings, so
 * no `null`). `remainingItems` counts the items left in the direction of travel (after the page, or
 * before it when paging with `before` alone). `totalItems` counts every match.
 */

const V = require('../validate');
const T = require('../time');

/**
 * Array query parameter. Variant `arrayQuery` (./variants.js):
 * - any (default): every encoding, `ids=a&ids=b`, `ids[]=a`, `ids[0]=a`, `ids=a,b`.
 * - single-not-list: only a repeated key is a list (`ids=a&ids=b`, `ids[]=a&ids[]=b`); a key sent
 *   once (`ids=a`, `ids=a,b`, `ids[]=a`) is not read as a list: 400 [{property: name, is_array}],
 *   as a validator that receives a plain string where it expects an array answers. Values are not
 *   split on commas.
 * - comma-only, repeat-only, brackets-only: a server that reads one encoding (`ids=a,b`;
 *   `ids=a&ids=b`; `ids[]=a&ids[]=b`) and ignores the parameter sent any other way, answering as
 *   if it were absent (an unfiltered list). A single plain value (`ids=a`) is read by comma-only
 *   and repeat-only.
 * With `errs` the 400 is added there; without it undefined comes back (getAvailability: a required list).
 */
function arrayParam(q, name, mode = 'any', errs) {
	if (ONLY_ENCODING[mode]) {
		const used = encodingOf(q, name);
		if (!used || !ONLY_ENCODING[mode].includes(used)) return undefined;
		return arrayParam(q, name, 'any', errs);
	}
	const values = [];
	let present = false;
	let occurrences = 0;
	for (const [k, v] of Object.entries(q)) {
		if (k === name || k === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(k)) {
			present = true;
			const items = Array.isArray(v) ? v : [v];
			occurrences += items.length;
			for (const item of items) {
				if (mode === 'single-not-list') {
					if (String(item).trim() !== '') values.push(String(item).trim());
					continue;
				}
				for (const part of String(item).split(','))
					if (part.trim() !== '') values.push(part.trim());
			}
		}
	}
	if (present && mode === 'single-not-list' && occurrences < 2) {
		if (errs) errs.add(name, 'is_array');
		return undefined;
	}
	// (without errs, the caller treats undefined as a missing list)
	return present ? values : undefined;
}
const ONLY_ENCODING = {
	'comma-only': ['comma', 'single'],
	'repeat-only': ['repeat', 'single'],
	'brackets-only': ['brackets'],
};

/** How a list parameter was sent: 'brackets', 'repeat', 'comma', 'single' (one plain value) or undefined. */
function encodingOf(q, name) {
	if (Object.keys(q).some((k) => k === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(k)))
		return 'brackets';
	const v = q[name];
	if (v === undefined) return undefined;
	if (Array.isArray(v)) return 'repeat';
	return String(v).includes(',') ? 'comma' : 'single';
}

function scalarParam(q, name, errs, failName = 'is_string') {
	const v = q[name];
	if (Array.isArray(v)) {
		errs.add(name, failName);
		return undefined;
	}
	return v;
}

function mongoParam(q, name, errs) {
	const v = scalarParam(q, name, errs, 'is_mongo_id');
	if (v === undefined || v === '') return undefined;
	if (!V.isMongoId(v)) errs.add(name, 'is_mongo_id');
	return v;
}

function tzParam(q, name, errs, required) {
	const v = scalarParam(q, name, errs, 'is_time_zone');
	if (v === undefined || v === '') {
		if (required) errs.add(name, 'is_time_zone');
		return undefined;
	}
	if (!T.isValidTimeZone(v)) {
		errs.add(name, 'is_time_zone');
		return undefined;
	}
	return v;
}

function boolParam(q, name, errs) {
	const v = scalarParam(q, name, errs, 'is_boolean');
	if (v === undefined || v === '') return undefined;
	if (v === 'true') return true;
	if (v === 'false') return false;
	errs.add(name, 'is_boolean');
	return undefined;
}

function dateParam(q, name, errs, tz) {
	const v = scalarParam(q, name, errs, 'is_date');
	if (v === undefined || v === '') return undefined;
	const ms = T.parseDateTimeLenient(v, tz);
	if (ms === undefined) errs.add(name, 'is_date', 'ISO 8601 date-time');
	return ms;
}

function idsParam(q, name, errs, mode = 'any') {
	const ids = arrayParam(q, name, mode, errs);
	if (ids && ids.some((x) => !V.isMongoId(x))) errs.add(name, 'is_mongo_id');
	return ids;
}

/** limit (required, 1..100), after, before */
function pageParams(q, errs) {
	const raw = scalarParam(q, 'limit', errs, 'is_number');
	let limit;
	if (raw === undefined || raw === '') {
		if (!Array.isArray(q.limit)) errs.add('limit', 'is_not_empty');
	} else if (!/^-?\d+(\.\d+)?$/.test(String(raw).trim())) {
		errs.add('limit', 'is_number');
	} else {
		limit = Number(raw);
		if (!Number.isInteger(limit)) errs.add('limit', 'is_number', 'integer');
		else if (limit < 1) errs.add('limit', 'min', 1);
		else if (limit > 100) errs.add('limit', 'max', 100);
	}
	const after = scalarParam(q, 'after', errs);
	const before = scalarParam(q, 'before', errs);
	const cursors = {};
	for (const [k, v] of [
		['after', after],
		['before', before],
	]) {
		if (v === undefined || v === '') continue;
		const key = decodeCursor(v);
		if (!key) errs.add(k, 'invalid_input', 'cursor');
		else cursors[k] = key;
	}
	return { limit, after: cursors.after, before: cursors.before };
}

function encodeCursor(key) {
	return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(s) {
	try {
		const key = JSON.parse(Buffer.from(String(s), 'base64url').toString('utf8'));
		return Array.isArray(key) && key.length === 2 && typeof key[1] === 'string' ? key : undefined;
	} catch {
		return undefined;
	}
}

function cmpKeys(a, b, dir) {
	if (a[0] < b[0]) return -dir;
	if (a[0] > b[0]) return dir;
	if (a[1] < b[1]) return -1;
	if (a[1] > b[1]) return 1;
	return 0;
}

/**
 * Cursor pagination over `items` (already filtered and sorted by `keyFn` in direction `dir`).
 * Returns the PaginateResult body; `render(item)` produces the item without `cursor`.
 */
function paginate(items, page, keyFn, dir, render) {
	const keys = items.map(keyFn);
	let lo = 0;
	let hi = items.length;
	if (page.after) {
		const i = keys.findIndex((k) => cmpKeys(k, page.after, dir) > 0);
		lo = i < 0 ? items.length : i;
	}
	if (page.before) {
		const i = keys.findIndex((k) => cmpKeys(k, page.before, dir) >= 0);
		hi = Math.min(hi, i < 0 ? items.length : i);
	}
	if (hi < lo) hi = lo;
	let start;
	let end;
	const backwards = page.before && !page.after;
	if (backwards) {
		end = hi;
		start = Math.max(lo, hi - page.limit);
	} else {
		start = lo;
		end = Math.min(hi, lo + page.limit);
	}
	const data = items
		.slice(start, end)
		.map((it, i) => ({ ...render(it), cursor: encodeCursor(keys[start + i]) }));
	const body = { data };
	if (data.length && end < items.length) body.nextCursor = data[data.length - 1].cursor;
	if (data.length && start > 0) body.previousCursor = data[0].cursor;
	body.totalItems = items.length;
	body.remainingItems = backwards ? start : items.length - end;
	return body;
}

const lc = (s) => String(s || '').toLowerCase();
const byName = (name) => (it) => [lc(it[name]), it.id];

module.exports = {
	arrayParam,
	scalarParam,
	mongoParam,
	tzParam,
	boolParam,
	dateParam,
	idsParam,
	pageParams,
	encodeCursor,
	decodeCursor,
	cmpKeys,
	paginate,
	lc,
	byName,
};
