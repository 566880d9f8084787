import type { IDataObject, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

/**
 * Duplicate marking for the webhook triggers: which keys (a push's appointment, event and start; a
 * delivery's content hash) arrived within the node's Duplicate Window.
 */

const MAX_STORED_KEYS = 5000;

/** Remembers recent keys per (workflow, node) in this process, with a time window. */
export class RecentKeys {
	private readonly scopes = new Map<string, Map<string, number>>();

	/**
	 * Whether `key` arrived at this trigger node within its Duplicate Window (the `settings` option
	 * duplicateWindowMinutes, `defaultMinutes` when unset); records it.
	 */
	seenBy(
		context: IWebhookFunctions,
		key: string,
		defaultMinutes: number,
		now = Date.now(),
	): boolean {
		const settings = context.getNodeParameter('settings', {}) as IDataObject;
		const windowMs = Number(settings.duplicateWindowMinutes ?? defaultMinutes) * 60_000;
		const stored = context.getWorkflowStaticData('node') as { recent?: Record<string, number> };
		const scope = `${context.getWorkflow().id ?? ''}:${context.getNode().name}`;
		return this.seen(scope, key, windowMs, (stored.recent ??= {}), now);
	}

	/**
	 * Whether `key` was seen within `windowMs`; records it. `stored` (the node's static data) keeps
	 * the memory across restarts; the in-process map answers at once, before static data is saved.
	 */
	private seen(
		scope: string,
		key: string,
		windowMs: number,
		stored: Record<string, number>,
		now = Date.now(),
	): boolean {
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

/** The Duplicate Window option of a trigger's Options (`settings`) collection. */
export function duplicateWindowOption(
	defaultMinutes: number,
	description: string,
): INodeProperties {
	return {
		displayName: 'Duplicate Window (Minutes)',
		name: 'duplicateWindowMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: defaultMinutes,
		description,
	};
}
