import type { IDataObject } from 'n8n-workflow';

import { TEMPLATE_FIELD_VARIABLES } from './template';

/**
 * First-push diagnosis. A Flow body is the merchant's Handlebars template rendered by Sesami
 * (https://sesami.dev/docs/sesami-flows/flows): a variable Sesami does not have renders as an
 * empty string, and `formatDate` of a missing value renders the send time (moment(undefined) is
 * "now", https://momentjs.com/docs/#/parsing/now/). Neither is an error Sesami reports, so the
 * trigger reports it: which fields arrived empty, which times look like the send time, and the
 * variable each one came from when the package's template was used.
 */

/** A rendered time this close to the moment the push arrived is taken for a defaulted one. */
const DEFAULTED_TIME_MS = 120_000;

/** Paths of the string fields that arrived empty (blank or null), at most three levels deep. */
function emptyFields(value: unknown, prefix = '', depth = 0, out: string[] = []): string[] {
	if (!value || typeof value !== 'object' || depth > 3) return out;
	const entries = Array.isArray(value)
		? value.map((v, i) => [String(i), v] as const)
		: Object.entries(value as IDataObject);
	for (const [key, inner] of entries) {
		const path = prefix ? `${prefix}.${key}` : key;
		if (inner === null || (typeof inner === 'string' && inner.trim() === '')) out.push(path);
		else if (typeof inner === 'object') emptyFields(inner, path, depth + 1, out);
	}
	return out;
}

/** Whether an ISO instant is (about) the moment the push arrived. */
export function looksLikeSendTime(utc: unknown, receivedAtMs: number): boolean {
	if (typeof utc !== 'string' || !utc) return false;
	const ms = Date.parse(utc);
	return Number.isFinite(ms) && Math.abs(ms - receivedAtMs) <= DEFAULTED_TIME_MS;
}

interface TemplateDiagnostics {
	/** template fields that arrived empty */
	emptyFields: string[];
	/** fields whose value was dropped because it was a default, not data (e.g. an end time of "now") */
	defaultedFields: string[];
	/** field -> the Sesami variable the package's template renders into it */
	variables: Record<string, string>;
	/** one sentence for the merchant; empty when nothing is wrong */
	message: string;
}

export function templateDiagnostics(raw: IDataObject, defaulted: string[]): TemplateDiagnostics {
	const empty = emptyFields(raw);
	const variables: Record<string, string> = {};
	for (const field of [...empty, ...defaulted]) {
		const variable = TEMPLATE_FIELD_VARIABLES[field];
		if (variable) variables[field] = variable;
	}
	const parts: string[] = [];
	if (empty.length)
		parts.push(
			`${empty.length} template field(s) arrived empty: ${empty.map((f) => (variables[f] ? `${f} ({{${variables[f]}}})` : f)).join(', ')}`,
		);
	if (defaulted.length)
		parts.push(
			`ignored as defaults (the send time, not data): ${defaulted.map((f) => (variables[f] ? `${f} ({{${variables[f]}}})` : f)).join(', ')}`,
		);
	const message = parts.length
		? `${parts.join('; ')}. Check these variable names in the Sesami Flow editor's variable list; the trigger looks the appointment up from what did arrive.`
		: '';
	return { emptyFields: empty, defaultedFields: defaulted, variables, message };
}
