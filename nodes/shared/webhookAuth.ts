import { createHash, randomBytes, timingSafeEqual } from 'crypto';

/**
 * Webhook authentication shared by the package's trigger nodes: constant-time comparison of
 * secrets and header lookup. Secrets are compared as SHA-256 digests so that the comparison
 * takes the same time whatever the lengths, and never appear in error messages.
 */
export function safeEqual(actual: string | undefined | null, expected: string | undefined | null): boolean {
	if (typeof actual !== 'string' || typeof expected !== 'string' || expected.length === 0) return false;
	const a = createHash('sha256').update(actual, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b) && actual.length === expected.length;
}

/** Case-insensitive header value (first one when repeated). */
export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

/** A random secret for a webhook registration (hex, 256 bits). */
export function newWebhookSecret(): string {
	return randomBytes(32).toString('hex');
}
