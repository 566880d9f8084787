import type { IDataObject } from 'n8n-workflow';

import { minusDuration, parseIsoDuration } from './duration';
import { bookableFlag, idOf, typeOf, unwrapItem } from './jsonld';

type BookabilityReason =
	| 'occurrence-missing'
	| 'occurrence-not-bookable'
	| 'parent-missing'
	| 'parent-mismatch'
	| 'children-only'
	| 'parent-not-bookable'
	| 'start-missing'
	| 'already-started'
	| 'window-not-open';

const WORDS: Record<BookabilityReason, string> = {
	'occurrence-missing': 'no ScheduledSession or Slot was given',
	'occurrence-not-bookable':
		'the session or slot itself is not bookable (imin:isPotentiallyBookable is not ' +
		'true, e.g. it is full)',
	'parent-missing':
		'its SessionSeries / FacilityUse is not available (referenced by @id only and not passed in)',
	'parent-mismatch': 'the parent passed in is not the one the session or slot belongs to',
	'children-only':
		'the series has no public adult offer (children-only): not bookable through Checkout',
	'parent-not-bookable':
		'the series or facility does not support online booking for you (publicAdult ' +
		'imin:isPotentiallyBookable is not true)',
	'start-missing': 'the session or slot has no valid startDate',
	'already-started': 'it has already started',
	'window-not-open':
		'the booking window has not opened yet (it opens validFromBeforeStartDate before the start)',
};

interface BookabilityResult {
	bookable: boolean;
	reasons: BookabilityReason[];
	explanation: string;
	occurrenceType: string | null;
	occurrenceId: string | null;
	identifier: string | null;
	parentId: string | null;
	startDate: string | null;
	windowOpensAt: string | null;
	validFromBeforeStartDate: string | null;
	checkedAt: string;
}

/** The parent reference of an occurrence: ScheduledSession.superEvent or Slot.facilityUse. */
function parentReference(occurrence: IDataObject): unknown {
	return occurrence.superEvent ?? occurrence.facilityUse;
}

function parentMatches(reference: unknown, parent: IDataObject): boolean {
	const wanted = idOf(reference);
	if (!wanted) return true;
	if (idOf(parent) === wanted) return true;
	const individual = parent.individualFacilityUse;
	return Array.isArray(individual) && individual.some((use) => idOf(use) === wanted);
}

/**
 * imin's rules for "is this opportunity bookable through Checkout"
 * (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout):
 * the ScheduledSession / Slot flag, the parent's `imin:aggregateOffer.publicAdult` flag, and
 * `startDate - validFromBeforeStartDate <= now < startDate`. Every failing rule is reported.
 */
export function checkBookability(
	occurrenceInput: unknown,
	parentInput: unknown,
	now: Date = new Date(),
): BookabilityResult {
	const reasons: BookabilityReason[] = [];
	const occurrence = unwrapItem(occurrenceInput);
	const result: BookabilityResult = {
		bookable: false,
		reasons,
		explanation: '',
		occurrenceType: null,
		occurrenceId: null,
		identifier: null,
		parentId: null,
		startDate: null,
		windowOpensAt: null,
		validFromBeforeStartDate: null,
		checkedAt: now.toISOString(),
	};
	if (!occurrence) {
		reasons.push('occurrence-missing');
		result.explanation = WORDS['occurrence-missing'];
		return result;
	}
	result.occurrenceType = typeOf(occurrence) ?? null;
	result.occurrenceId = idOf(occurrence) ?? null;
	result.identifier = occurrence.identifier === undefined ? null : String(occurrence.identifier);
	if (bookableFlag(occurrence) !== true) reasons.push('occurrence-not-bookable');

	const reference = parentReference(occurrence);
	const embedded =
		reference && typeof reference === 'object' ? (reference as IDataObject) : undefined;
	const given = unwrapItem(parentInput);
	const parent = given ?? embedded;
	result.parentId = idOf(parent) ?? idOf(reference) ?? null;
	let adult: IDataObject | undefined;
	if (!parent) {
		reasons.push('parent-missing');
	} else if (given && !parentMatches(reference, given)) {
		reasons.push('parent-mismatch');
	} else {
		const aggregate = parent['imin:aggregateOffer'] as IDataObject | undefined;
		adult = aggregate?.publicAdult as IDataObject | undefined;
		if (!adult) reasons.push('children-only');
		else if (bookableFlag(adult) !== true) reasons.push('parent-not-bookable');
	}

	const start = Date.parse(String(occurrence.startDate ?? ''));
	if (Number.isNaN(start)) {
		reasons.push('start-missing');
	} else {
		result.startDate = new Date(start).toISOString();
		if (now.getTime() >= start) reasons.push('already-started');
		const window = adult?.validFromBeforeStartDate;
		const duration = parseIsoDuration(window);
		if (duration) {
			result.validFromBeforeStartDate = String(window);
			const opens = minusDuration(start, duration);
			result.windowOpensAt = new Date(opens).toISOString();
			if (now.getTime() < opens) reasons.push('window-not-open');
		}
	}
	result.bookable = reasons.length === 0;
	result.explanation = result.bookable
		? 'bookable'
		: reasons.map((reason) => WORDS[reason]).join('; ');
	return result;
}
