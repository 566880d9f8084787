import type { INodeProperties, IWebhookFunctions } from 'n8n-workflow';

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

/** The request body exactly as it arrived, as text. */
export async function readRawBody(this: IWebhookFunctions): Promise<string> {
	const req = this.getRequestObject() as unknown as {
		rawBody?: Buffer;
		readRawBody?: () => Promise<void>;
		body?: unknown;
	};
	if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	if (req.rawBody) return req.rawBody.toString('utf8');
	if (typeof req.body === 'string') return req.body;
	if (req.body && typeof req.body === 'object' && Object.keys(req.body).length) return JSON.stringify(req.body);
	return '';
}

/** Remembers recent keys per (workflow, node) in this process, with a time window. */
export class RecentKeys {
	private readonly scopes = new Map<string, Map<string, number>>();

	/**
	 * Whether `key` was seen within `windowMs`; records it. `stored` (the node's static data) keeps
	 * the memory across restarts; the in-process map answers at once, before static data is saved.
	 */
	seen(scope: string, key: string, windowMs: number, stored: Record<string, number>, now = Date.now()): boolean {
		if (windowMs <= 0) return false;
		const memory = this.scopes.get(scope) ?? new Map<string, number>();
		this.scopes.set(scope, memory);
		for (const [k, at] of memory) if (now - at > windowMs) memory.delete(k);
		for (const [k, at] of Object.entries(stored)) if (now - at > windowMs) delete stored[k];
		const keys = Object.keys(stored);
		for (const k of keys.slice(0, Math.max(0, keys.length - MAX_STORED_KEYS))) delete stored[k];
		const seen = memory.has(key) || stored[key] !== undefined;
		memory.set(key, now);
		stored[key] = now;
		return seen;
	}
}

const MAX_STORED_KEYS = 5000;
