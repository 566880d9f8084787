import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { resolveAppointmentTimes } from '../../helpers/appointmentTimes';
import { isSesamiId } from '../../helpers/constants';
import { sesamiApiRequest, sesamiApiRequestAllItems } from '../../transport';

/**
 * Finding the appointment a Flow push is about. Sesami documents only a few Flow variables
 * (CustomerName, CustomerPhone, DateTime, AppointmentCreatedAt, CustomerTimezone,
 * LineItemProperties: https://sesami.dev/docs/sesami-flows/flows); the appointment ID and the
 * customer email are not among them. So the trigger uses what arrived, in this order:
 *   1. an appointment ID (24 hexadecimal characters): GET /{shop}/appointments/{id};
 *   2. a customer email: GET /{shop}/appointments?searchTerm=<email>, same start time;
 *   3. the start time: GET /{shop}/appointments?start=..&end=.. (one minute either side), narrowed
 *      by the customer's name and phone (at least one of them must have arrived) and the
 *      appointment's creation time.
 * Contradicting evidence is not overruled: an email that matches no appointment at that time
 * leaves the push unresolved rather than handing it to another customer's appointment.
 * An ID Sesami does not know (a template that rendered another ID, e.g. the customer's) falls
 * through to 2 and 3. When nothing, or more than one appointment, matches, the push is kept and
 * marked `resolved: false` with the reason: an authenticated push is never dropped.
 */

type ResolutionMethod = 'id' | 'email' | 'time-window';

export interface Resolution {
	appointment?: IDataObject;
	method: ResolutionMethod | null;
	/** why the appointment was not found (undefined when it was) */
	reason?: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Appointments read around the start time at the most (one minute either side: a busy shop has a few). */
const WINDOW_MAX = 300;
const WINDOW_MS = 60_000;

export function isEmail(value: unknown): value is string {
	return typeof value === 'string' && EMAIL.test(value);
}

/** Lower case, single spaces, no accents' combining marks: "  Zara  CHEN" -> "zara chen". */
function sameName(a: unknown, b: unknown): boolean {
	const norm = (v: unknown) =>
		String(v ?? '')
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/\s+/g, ' ')
			.trim();
	return norm(a) !== '' && norm(a) === norm(b);
}

/** Phone numbers compared on their last 8 digits (country code and formatting vary). */
function samePhone(a: unknown, b: unknown): boolean {
	const digits = (v: unknown) =>
		String(v ?? '')
			.replace(/\D/g, '')
			.slice(-8);
	return digits(a).length >= 6 && digits(a) === digits(b);
}

function sameSecond(a: unknown, b: unknown): boolean {
	const ms = (v: unknown) => Math.floor(Date.parse(String(v ?? '')) / 1000);
	return Number.isFinite(ms(a)) && ms(a) === ms(b);
}

function customerName(appointment: IDataObject): string {
	const customer = (appointment.customer ?? {}) as IDataObject;
	return String(
		customer.name || [customer.firstName, customer.lastName].filter((p) => p).join(' ') || '',
	);
}

/** Epoch ms of an appointment's start, whatever format Sesami answered in (naive: the shop's zone). */
async function startOf(this: IWebhookFunctions, appointment: IDataObject): Promise<number> {
	return Date.parse(String((await resolveAppointmentTimes.call(this, appointment)).startUtc ?? ''));
}

function notFound(error: unknown): boolean {
	return ['400', '404'].includes(String((error as { httpCode?: unknown }).httpCode));
}

async function byId(this: IWebhookFunctions, id: string): Promise<IDataObject | undefined> {
	try {
		return (await sesamiApiRequest.call(
			this,
			'GET',
			`/{shop}/appointments/${encodeURIComponent(id)}`,
			{ qs: { timezone: 'UTC' } },
		)) as IDataObject;
	} catch (error) {
		// An ID Sesami does not know is the template's mistake (another variable), not an outage:
		// look further. Other failures (Sesami down, rate limits) stay errors so the sender re-sends.
		if (notFound(error)) return undefined;
		throw asNodeError(this.getNode(), error);
	}
}

interface PushFacts {
	appointmentId?: string | null;
	email?: string | null;
	startUtc?: string | null;
	name?: string | null;
	phone?: string | null;
	createdAtUtc?: string | null;
}

/** The full record of a candidate found in a list (GET by ID), the list item when that fails. */
async function full(this: IWebhookFunctions, candidate: IDataObject): Promise<IDataObject> {
	return isSesamiId(candidate.id)
		? ((await byId.call(this, String(candidate.id))) ?? candidate)
		: candidate;
}

/** Step 2: the customer's appointment at that start time (any time when the push has none). */
async function byEmail(
	this: IWebhookFunctions,
	email: string,
	facts: PushFacts,
	start: number,
): Promise<Resolution> {
	const matches = await sesamiApiRequestAllItems.call(
		this,
		'/{shop}/appointments',
		{ searchTerm: email, filterType: 'ALL', timezone: 'UTC' },
		500,
	);
	for (const candidate of matches) {
		const sameEmail =
			String(((candidate.customer ?? {}) as IDataObject).email ?? '').toLowerCase() === email;
		if (sameEmail && (Number.isNaN(start) || (await startOf.call(this, candidate)) === start)) {
			return { appointment: await full.call(this, candidate), method: 'email' };
		}
	}
	// The email is the customer's: another appointment at that time is someone else's.
	return {
		method: null,
		reason: `no appointment of ${email}${Number.isNaN(start) ? '' : ` at ${String(facts.startUtc)}`}`,
	};
}

/**
 * Step 3: the one appointment that starts at that time, narrowed by the customer's name and
 * phone, and its creation time when more than one is left.
 */
async function byTimeWindow(
	this: IWebhookFunctions,
	facts: PushFacts,
	start: number,
): Promise<Resolution> {
	const window = await sesamiApiRequestAllItems.call(
		this,
		'/{shop}/appointments',
		{
			filterType: 'ALL',
			timezone: 'UTC',
			start: new Date(start - WINDOW_MS).toISOString(),
			end: new Date(start + WINDOW_MS).toISOString(),
		},
		WINDOW_MAX,
	);
	let candidates: IDataObject[] = [];
	for (const candidate of window)
		if ((await startOf.call(this, candidate)) === start) candidates.push(candidate);
	const narrowed: string[] = [];
	if (facts.name) {
		candidates = candidates.filter((c) => sameName(customerName(c), facts.name));
		narrowed.push('customer name');
	}
	if (facts.phone) {
		candidates = candidates.filter((c) =>
			samePhone(((c.customer ?? {}) as IDataObject).phone, facts.phone),
		);
		narrowed.push('phone');
	}
	if (facts.createdAtUtc && candidates.length > 1) {
		candidates = candidates.filter((c) => sameSecond(c.createdAt, facts.createdAtUtc));
		narrowed.push('creation time');
	}
	if (candidates.length === 1)
		return { appointment: await full.call(this, candidates[0]), method: 'time-window' };
	const by = narrowed.length ? ` with that ${narrowed.join(', ')}` : '';
	return {
		method: null,
		reason:
			candidates.length === 0
				? `no appointment starts at ${String(facts.startUtc)}${by}`
				: `${candidates.length} appointments start at ${String(facts.startUtc)}${by}: cannot tell which`,
	};
}

/** The appointment a push is about, by ID, else email, else start time (see the top of this file). */
export async function resolveAppointment(
	this: IWebhookFunctions,
	facts: PushFacts,
): Promise<Resolution> {
	const reasons: string[] = [];
	const unresolved = (reason: string | undefined): Resolution => ({
		method: null,
		reason: [...reasons, reason].join('; '),
	});
	const start = facts.startUtc ? Date.parse(facts.startUtc) : NaN;
	if (isSesamiId(facts.appointmentId)) {
		const found = await byId.call(this, String(facts.appointmentId));
		if (found) return { appointment: found, method: 'id' };
		reasons.push(`Sesami has no appointment ${String(facts.appointmentId)}`);
	}
	if (isEmail(facts.email)) {
		const found = await byEmail.call(this, facts.email, facts, start);
		return found.method ? found : unresolved(found.reason);
	}
	if (Number.isNaN(start))
		return unresolved('the push carries no start time to look the appointment up by');
	// A start time alone may be anyone's appointment.
	if (!facts.name && !facts.phone)
		return unresolved(
			'only a start time arrived (no customer name or phone): cannot tell whose appointment it is',
		);
	const found = await byTimeWindow.call(this, facts, start);
	return found.method ? found : unresolved(found.reason);
}
