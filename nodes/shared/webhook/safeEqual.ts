import { createHash, timingSafeEqual } from 'crypto';

/**
 * Constant-time comparison of the secrets the webhook triggers receive (a Flow's secret, imin's
 * key, a Shopify signature). Secrets are compared as SHA-256 digests so that the comparison
 * takes the same time whatever the lengths, and never appear in error messages.
 */
export function safeEqual(
	actual: string | undefined | null,
	expected: string | undefined | null,
): boolean {
	if (typeof actual !== 'string' || typeof expected !== 'string' || expected.length === 0)
		return false;
	const a = createHash('sha256').update(actual, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b) && actual.length === expected.length;
}
