import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { asNodeError } from '../errors';

/**
 * The one way the package's webhook triggers refuse a request, modelled on n8n's Webhook node
 * (packages/nodes-base/nodes/Webhook/error.ts, WebhookAuthorizationError, answered in
 * Webhook.node.ts): a check that fails throws a typed error carrying the answer, and the trigger's
 * `webhook()` answers it in one place (answerRefusals), starting no execution. Any other error is
 * thrown on (as a node error), so n8n answers 500 and the sender re-sends (e.g. while the Sesami
 * API is down).
 */
export class WebhookRefusal extends Error {
	/** The JSON body of the answer. */
	readonly body: { error: string; reason: string };

	constructor(
		readonly status: number,
		error: string,
		reason: string,
	) {
		super(`${status} ${error}: ${reason}`);
		this.name = 'WebhookRefusal';
		this.body = { error, reason };
	}
}

/** 401: the request did not prove it comes from the sender (missing or wrong secret). */
export function unauthorized(reason: string): WebhookRefusal {
	return new WebhookRefusal(401, 'unauthorized', reason);
}

/**
 * Runs a trigger's request handling and answers a WebhookRefusal it throws: the trigger's refusal
 * `headers` (as n8n's Webhook node sets WWW-Authenticate where it answers), the status and the JSON
 * body `{ error, reason }`.
 */
export async function answerRefusals(
	this: IWebhookFunctions,
	handle: () => Promise<IWebhookResponseData>,
	headers: Record<string, string> = {},
): Promise<IWebhookResponseData> {
	try {
		return await handle();
	} catch (error) {
		if (!(error instanceof WebhookRefusal)) throw asNodeError(this.getNode(), error);
		const res = this.getResponseObject();
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		res.status(error.status).json(error.body);
		return { noWebhookResponse: true };
	}
}
