import type { INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import { WebhookRefusal } from './refusal';

/**
 * Keeps n8n from parsing a webhook body before the trigger sees it. Senders such as Sesami render
 * bodies from templates that are often not strict JSON, and n8n would answer 422 before the
 * trigger could authenticate the request or repair the body. n8n skips its body parsing for
 * version-1 webhook nodes whose `options.binaryData` is set; this hidden parameter sets it.
 */
export const rawBodyParameter: INodeProperties = {
	displayName: 'Raw Body',
	name: 'options',
	type: 'hidden',
	default: { binaryData: true },
};

/**
 * rawBodyParameter for a trigger whose version 2 lets n8n parse the body: only version 1 keeps
 * the raw body this way. n8n 2.41 / 1.123 evaluate `options.binaryData` (an expression in an
 * isolate, on every request) for version-1 webhook nodes only; for a later version they parse
 * JSON, form, XML and text bodies themselves and keep the bytes in `req.rawBody`, which readBody
 * reads (https://github.com/n8n-io/n8n/blob/master/packages/cli/src/webhooks/webhook-helpers.ts,
 * `parseRequestBody`). What a version-2 trigger gives up: a body that n8n cannot parse as its
 * Content-Type says (broken JSON sent as application/json) gets n8n's own 422 "Failed to parse
 * request body" before the trigger runs.
 */
export const rawBodyParameterV1: INodeProperties = {
	...rawBodyParameter,
	displayOptions: { show: { '@version': [1] } },
};

/** Webhook bodies of these triggers are a few KB; larger ones are refused before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

type BodyResult =
	| { ok: true; text: string }
	| { ok: false; status: number; error: string; reason: string };

/**
 * The request body as UTF-8 text, or why it cannot be read, as an answer to give (never throws):
 * 413 when it is larger than `maxBytes` (from Content-Length before reading, or after) or than
 * n8n's own limit (N8N_PAYLOAD_SIZE_MAX), 400 when n8n cannot read it (an unknown or broken
 * Content-Encoding, a body shorter than its Content-Length, an aborted upload) or when it is not
 * UTF-8. A throw here would make n8n answer 500 and record a failed execution.
 */
export async function readBody(
	this: IWebhookFunctions,
	maxBytes = MAX_BODY_BYTES,
): Promise<BodyResult> {
	const req = this.getRequestObject() as unknown as {
		headers?: Record<string, unknown>;
		rawBody?: Buffer;
		readRawBody?: () => Promise<void>;
		body?: unknown;
	};
	const tooLarge = (): BodyResult => ({
		ok: false,
		status: 413,
		error: 'body too large',
		reason: `the body is larger than ${Math.round(maxBytes / 1024)} KiB`,
	});
	const declared = Number(req.headers?.['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
	const encoding = String(req.headers?.['content-encoding'] ?? 'identity')
		.trim()
		.toLowerCase();
	if (!['', 'identity', 'gzip', 'deflate'].includes(encoding)) {
		return {
			ok: false,
			status: 415,
			error: 'unsupported encoding',
			reason: `Content-Encoding "${encoding.slice(0, 40)}" is not supported (use identity, gzip or deflate)`,
		};
	}
	try {
		if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	} catch (error) {
		const e = error as {
			status?: number;
			statusCode?: number;
			type?: string;
			code?: string;
			message?: string;
		};
		if (e.status === 413 || e.statusCode === 413 || e.type === 'entity.too.large')
			return tooLarge();
		const what =
			typeof e.code === 'string' && e.code.startsWith('Z_')
				? `the ${encoding} data is broken`
				: String(e.message ?? 'unreadable');
		return {
			ok: false,
			status: 400,
			error: 'unreadable body',
			reason: `the body could not be read: ${what.slice(0, 200)}`,
		};
	}
	if (req.rawBody) {
		if (req.rawBody.length > maxBytes) return tooLarge();
		try {
			return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(req.rawBody) };
		} catch {
			return {
				ok: false,
				status: 400,
				error: 'invalid body',
				reason: 'the body is not valid UTF-8',
			};
		}
	}
	if (typeof req.body === 'string') return { ok: true, text: req.body };
	if (req.body && typeof req.body === 'object' && Object.keys(req.body).length)
		return { ok: true, text: JSON.stringify(req.body) };
	return { ok: true, text: '' };
}

/**
 * readBody for a trigger: the body as text, or a body that cannot be read thrown as the refusal to
 * answer (its status and reason; `error` replaces readBody's word when given).
 */
export async function readBodyOrRefuse(this: IWebhookFunctions, error?: string): Promise<string> {
	const read = await readBody.call(this);
	if (!read.ok) throw new WebhookRefusal(read.status, error ?? read.error, read.reason);
	return read.text;
}
