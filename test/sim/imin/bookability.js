'use strict';
/**
 * The simulator's own model of imin's bookability rules ("Is an Opportunity Bookable?",
 * https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout), written from the contract
 * only (nothing from nodes/). It gives the "expected truth" the tests compare the nodes against.
 *
 * An occurrence (ScheduledSession / Slot) is bookable at instant `now` when ALL of:
 *   1. its parent (SessionSeries / FacilityUse) can be found (referenced by `@id`/`id`, or embedded);
 *   2. the occurrence's flag is `true` (`imin:isPotentiallyBookable`, or `_imin:isPotentiallyBookable`);
 *   3. the parent has `imin:aggregateOffer.publicAdult` (children-only parents have none);
 *   4. that publicAdult's flag is `true` (either spelling);
 *   5. `now < startDate` (not started);
 *   6. `now >= startDate - publicAdult.validFromBeforeStartDate` (window open; no duration = no lower bound,
 *      as in the contract's suggested implementation).
 * `reason` is the FIRST failing rule in that order; `reasons` lists every failing one.
 *
 * The generator never produces data on which the contract's optional "extra guards" (
 * eventStatus cancelled, capacity 0, validThroughBeforeStartDate) would disagree with these rules:
 * a cancelled or full occurrence always has its flag false, and no offer carries
 * validThroughBeforeStartDate.
 */

const REASONS = [
	'parent-missing',
	'occurrence-not-bookable',
	'children-only',
	'parent-not-bookable',
	'already-started',
	'window-not-open',
];

const REASON_TEXT = {
	'parent-missing': 'its parent (SessionSeries / FacilityUse) is not in the Firehose',
	'occurrence-not-bookable':
		'imin:isPotentiallyBookable is false on the occurrence (full, cancelled or not bookable online)',
	'children-only': 'the parent has no imin:aggregateOffer.publicAdult (children-only)',
	'parent-not-bookable':
		'imin:aggregateOffer.publicAdult.imin:isPotentiallyBookable is false on the parent',
	'already-started': 'it has already started',
	'window-not-open': 'the booking window (startDate - validFromBeforeStartDate) is not open yet',
	'invalid-start-date': 'its startDate is not a valid date',
	unknown: 'no opportunity with this identifier is in the Firehose',
};

const DURATION_RE =
	/^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** ISO 8601 duration -> {years, months, weeks, days, hours, minutes, seconds}, or undefined. */
function parseDuration(text) {
	if (typeof text !== 'string') return undefined;
	const m = DURATION_RE.exec(text.trim());
	if (!m) return undefined;
	const n = (v) => (v === undefined ? 0 : Number(v.replace(',', '.')));
	return {
		years: n(m[1]),
		months: n(m[2]),
		weeks: n(m[3]),
		days: n(m[4]),
		hours: n(m[5]),
		minutes: n(m[6]),
		seconds: n(m[7]),
	};
}

/**
 * `ms` minus an ISO duration. Years and months are calendar units (UTC); weeks and days are 7 x 24 h
 * and 24 h (UTC has no daylight-saving changes); hours, minutes and seconds are exact.
 */
function subtractDuration(ms, duration) {
	const d = typeof duration === 'string' ? parseDuration(duration) : duration;
	if (!d) return undefined;
	let t = ms;
	if (d.years || d.months) {
		const date = new Date(t);
		date.setUTCMonth(date.getUTCMonth() - Math.trunc(d.months) - 12 * Math.trunc(d.years));
		t = date.getTime();
	}
	const seconds =
		d.weeks * 7 * 86400 + d.days * 86400 + d.hours * 3600 + d.minutes * 60 + d.seconds;
	return t - Math.round(seconds * 1000);
}

const flagOf = (o) => {
	if (!o || typeof o !== 'object') return undefined;
	if (o['imin:isPotentiallyBookable'] !== undefined) return o['imin:isPotentiallyBookable'];
	return o['_imin:isPotentiallyBookable'];
};
const idOf = (o) =>
	o && typeof o === 'object'
		? o['@id'] !== undefined
			? o['@id']
			: o.id
		: typeof o === 'string'
			? o
			: undefined;
const typeOf = (o) =>
	o && typeof o === 'object' ? (o['@type'] !== undefined ? o['@type'] : o.type) : undefined;

/**
 * Evaluate one occurrence against its parent.
 * @param {object} occurrence  the `data` of a ScheduledSession / Slot feed item
 * @param {object|undefined} parent  the parent's data (undefined when it cannot be found)
 * @param {number} nowMs
 */
function evaluate(occurrence, parent, nowMs) {
	const reasons = [];
	const startMs = Date.parse(occurrence && occurrence.startDate);
	if (!parent) reasons.push('parent-missing');
	if (flagOf(occurrence) !== true) reasons.push('occurrence-not-bookable');
	const aggregate = parent && parent['imin:aggregateOffer'];
	const adult = aggregate && typeof aggregate === 'object' ? aggregate.publicAdult : undefined;
	if (parent && !adult) reasons.push('children-only');
	if (adult && flagOf(adult) !== true) reasons.push('parent-not-bookable');
	let windowOpensAt;
	if (Number.isNaN(startMs)) {
		reasons.push('invalid-start-date');
	} else {
		if (!(nowMs < startMs)) reasons.push('already-started');
		const from = adult && adult.validFromBeforeStartDate;
		if (from !== undefined) {
			windowOpensAt = subtractDuration(startMs, from);
			if (windowOpensAt === undefined || nowMs < windowOpensAt) reasons.push('window-not-open');
		}
	}
	return {
		bookable: reasons.length === 0,
		reason: reasons[0] || null,
		reasons,
		startDate: occurrence && occurrence.startDate,
		windowOpensAt: windowOpensAt === undefined ? null : new Date(windowOpensAt).toISOString(),
	};
}

function describe(reason) {
	return REASON_TEXT[reason] || reason;
}

module.exports = {
	REASONS,
	REASON_TEXT,
	parseDuration,
	subtractDuration,
	flagOf,
	idOf,
	typeOf,
	evaluate,
	describe,
};
