import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RequestContext } from '../../shared/httpRetry';
import { parseBody } from '../../shared/httpRetry';
import type { SesamiResponse } from './index';

/**
 * Sesami's error answers in a merchant's words: the validation errors of a 400 (`errors[]` of
 * property and constraints, https://api.sesami.co/swagger) explained rule by rule, and one message
 * and description per status.
 */

interface SesamiConstraint {
	name?: string;
	payload?: unknown;
}
interface SesamiFieldError {
	property?: string;
	constraints?: SesamiConstraint[];
}

function fieldErrors(body: unknown): SesamiFieldError[] {
	if (Array.isArray(body)) return body as SesamiFieldError[];
	if (body && typeof body === 'object') {
		const errors = (body as IDataObject).errors ?? (body as IDataObject).message;
		if (Array.isArray(errors)) return errors as SesamiFieldError[];
	}
	return [];
}

/** "refundMoney: is_boolean; dateTime: is_date (yyyy-MM-dd HH:mm)" */
function payloadText(constraint: SesamiConstraint): string {
	const { payload } = constraint;
	if (payload === undefined || payload === null || payload === '') return '';
	return ` (${typeof payload === 'string' ? payload : JSON.stringify(payload)})`;
}

function describeFieldErrors(errors: SesamiFieldError[]): string {
	return errors
		.map((error) => {
			const rules = (error.constraints ?? [])
				.map((c) => `${c.name ?? 'invalid'}${payloadText(c)}`)
				.join(', ');
			const property = error.property && error.property !== 'ROOT' ? error.property : 'request';
			return `${property}: ${rules || 'invalid'}`;
		})
		.join('; ');
}

const RULE_WORDS: Record<string, string> = {
	is_not_empty: 'must not be empty',
	is_boolean: 'must be true or false',
	is_number: 'must be a number',
	is_string: 'must be text',
	is_date: 'must be a date',
	is_email: 'must be an email address',
	is_enum: 'is not one of the allowed values',
	is_mongo_id: 'is not a valid Sesami ID (24 hexadecimal characters)',
	is_time_zone: 'must be an IANA timezone such as Europe/London',
	is_array: 'must be a list',
	is_object: 'must be an object',
	is_url: 'must be a URL',
	is_json: 'must be valid JSON',
	min: 'is below the minimum',
	max: 'is above the maximum',
	not_found: 'was not found',
	invalid_id: 'is not accessible with this token',
	is_unique: 'must be unique',
	valid_interval: 'is not a valid interval',
};

function explainFieldErrors(errors: SesamiFieldError[]): string {
	return errors
		.map((error) => {
			const property =
				error.property && error.property !== 'ROOT' ? `"${error.property}"` : 'The request';
			const rules = (error.constraints ?? []).map((c) => {
				const words = RULE_WORDS[c.name ?? ''] ?? `failed the rule "${c.name ?? 'unknown'}"`;
				return `${words}${payloadText(c)}`;
			});
			return `${property} ${rules.join(' and ') || 'is invalid'}`;
		})
		.join('; ');
}

interface ErrorOptions {
	itemIndex?: number;
	attempts?: number;
	method?: string;
	path?: string;
	/** The shop of an app installation's call: its 401 / 403 name the token as the cause. */
	appShopId?: string;
}

/** Builds the NodeApiError for a failed Sesami answer, in words a merchant understands. */
function sesamiApiError(
	this: RequestContext,
	statusCode: number,
	rawBody: unknown,
	options: ErrorOptions = {},
): NodeApiError {
	const errors = fieldErrors(parseBody(rawBody));
	const rules = describeFieldErrors(errors);
	const explained = explainFieldErrors(errors);
	const attempts =
		options.attempts && options.attempts > 1 ? ` after ${options.attempts} attempts` : '';
	let message: string;
	let description: string;
	switch (true) {
		case options.appShopId !== undefined && (statusCode === 401 || statusCode === 403):
			message = `Sesami refused the app installation's token for shop ${options.appShopId} (${statusCode})`;
			description =
				"Check that the item's Shop ID and Access Token come from the same installation " +
				'(the token is issued per shop), and that the app is still installed there (an ' +
				'uninstall revokes the token). App tokens are read-only (Shop:Read): anything that ' +
				'changes data needs a Sesami personal access token with write permission.';
			break;
		case statusCode === 400:
			message = `Sesami rejected the request: ${explained || 'invalid input'}`;
			description = `Sesami validation errors: ${rules || 'none given'}. Fix the named field in the node and run it again.`;
			break;
		case statusCode === 401:
			message = 'Sesami did not accept the credentials (401 Unauthorized)';
			description =
				'Check the API key (Personal Access Token), the Client ID and the Sesami Shop ' +
				'ID in the Sesami API credential. The Shop ID is the Sesami Admin shop ID from ' +
				'the shop menu in Sesami Admin, not the Shopify shop ID. Tokens that were ' +
				'revoked or expired also give this answer.';
			break;
		case statusCode === 403:
			message = 'The Sesami token is not allowed to do this (403 Forbidden)';
			description =
				'The token lacks the permission for this shop or action. Reading needs a token ' +
				'for this shop; cancelling, rescheduling and changing Flows need a token ' +
				'created with write permission (Sesami Support enables Personal Access Tokens ' +
				'per shop).';
			break;
		case statusCode === 404: {
			const what = errors[0]?.property ? errors[0].property.replace(/\s*\|\s*/g, ' or ') : 'item';
			message = `Sesami could not find the ${what} (404 Not Found)`;
			description =
				'Check the ID, and that it belongs to the Sesami shop in the credential (IDs ' +
				'of another shop are not found).';
			break;
		}
		case statusCode === 429:
			message = `Sesami is rate-limiting requests (429 Too Many Requests)${attempts}`;
			description =
				'Sesami kept answering "too many requests" for longer than this node waits. ' +
				'Run the workflow later, or lower how often it runs.';
			break;
		case statusCode >= 500:
			message = `Sesami had a server error (${statusCode})${attempts}`;
			description =
				'Sesami could not handle the request. Try again later; if it persists, contact ' +
				'Sesami Support.';
			break;
		default:
			message = `Sesami answered with HTTP ${statusCode}${explained ? `: ${explained}` : ''}`;
			description = rules ? `Sesami errors: ${rules}` : 'Unexpected answer from Sesami.';
	}
	const errorResponse: JsonObject = {
		httpCode: String(statusCode),
		message,
		description,
		errors: (errors as unknown as JsonObject[]) ?? [],
		...(options.method ? { request: `${options.method} ${options.path ?? ''}` } : {}),
	};
	return new NodeApiError(this.getNode(), errorResponse, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex: options.itemIndex,
	});
}

/** The keys of a 400 whose rule is `is_array` (a list parameter not read as a list). */
export function notReadAsList(body: unknown): string[] {
	return fieldErrors(parseBody(body))
		.filter((error) => (error.constraints ?? []).some((c) => c.name === 'is_array'))
		.map((error) => String(error.property ?? ''));
}

/** The error of a failed call (status >= 300), in a merchant's words. */
export function sesamiCallError(
	this: RequestContext,
	result: SesamiResponse,
	itemIndex?: number,
): NodeApiError {
	return sesamiApiError.call(this, result.statusCode, result.body, {
		itemIndex,
		attempts: result.attempts,
		method: result.method,
		path: result.path,
		appShopId: result.appShopId,
	});
}
