import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * A short, bounded cache of the credential a trigger checks every request against.
 *
 * Why: in n8n 2.x each `this.getCredentials()` of a webhook builds (and disposes) an expression
 * isolate to resolve the credential's expressions (`CredentialsHelper.applyDefaultsAndOverwrites`),
 * the largest per-request cost after n8n's own webhook-phase isolate (docs/benchmarks.md,
 * bench:webhook). n8n's Webhook node with Header Auth pays it too.
 *
 * What it changes for secret rotation: a request whose secret matches the cached credential is
 * accepted without reading the credential again, for at most CREDENTIAL_CACHE_TTL_SECONDS after
 * the read. So an old (rotated or revoked) secret keeps working at most that long; a new secret
 * works at once, because a request the cached credential refuses is checked again against a fresh
 * read before it is refused. A credential swapped for another one on the node has another ID and
 * is read afresh.
 *
 * Keyed by workflow ID, node ID, credential type and credential ID only, never by the secret;
 * nothing here is logged. Entries live in this process's memory (each n8n webhook process has its
 * own).
 */

/** How long a credential read is reused (seconds): the longest an old secret keeps working. */
export const CREDENTIAL_CACHE_TTL_SECONDS = 30;
/** Most credentials kept at once (the oldest entry goes first). */
export const CREDENTIAL_CACHE_MAX_ENTRIES = 200;

interface Entry {
	data: ICredentialDataDecryptedObject;
	expires: number;
}

const entries = new Map<string, Entry>();

/** The cache key of a node's credential, or undefined (no credential ID: not cached). */
function keyOf(context: IWebhookFunctions, type: string): string | undefined {
	const node = context.getNode();
	const id = node.credentials?.[type]?.id;
	if (!id) return undefined;
	const workflowId = String(context.getWorkflow?.()?.id ?? '');
	return [workflowId, node.id ?? node.name, type, id].join('\u0000');
}

function remember(key: string, data: ICredentialDataDecryptedObject, now: number): void {
	entries.delete(key);
	while (entries.size >= CREDENTIAL_CACHE_MAX_ENTRIES) {
		const oldest = entries.keys().next().value;
		if (oldest === undefined) break;
		entries.delete(oldest);
	}
	// a copy: what the caller does with its object never changes the remembered credential
	entries.set(key, { data: { ...data }, expires: now + CREDENTIAL_CACHE_TTL_SECONDS * 1000 });
}

/**
 * Checks a request against the `type` credential of the context's node: `check` gets the credential
 * data and returns what it proves or throws (a WebhookRefusal). A cached read (at most
 * CREDENTIAL_CACHE_TTL_SECONDS old) is tried first; when `check` throws with it, the credential is
 * read again and the check repeated, so only a fresh read can refuse a request.
 */
export async function checkWithCredential<T>(
	context: IWebhookFunctions,
	type: string,
	check: (data: ICredentialDataDecryptedObject) => T,
): Promise<T> {
	const key = keyOf(context, type);
	const now = Date.now();
	const cached = key ? entries.get(key) : undefined;
	if (cached && cached.expires > now) {
		try {
			return check(cached.data);
		} catch {
			// refused (or failed) with the remembered credential: decided by a fresh read below
		}
	}
	const data = await context.getCredentials(type);
	if (key) remember(key, data, now);
	return check(data);
}

/** Empties the cache (tests). */
export function clearCredentialCache(): void {
	entries.clear();
}
