// The secrets check that ends the e2e suite: no API key, client secret, webhook secret or
// management-link token may appear in n8n's log output. (Execution data may hold management links:
// storing and sending them is what the workflows are for; secrets must not be there either.)

/** Management-link tokens (`token=<hex>` in customerManagementLink URLs) found in any text. */
export function managementTokens(text) {
	return [...String(text).matchAll(/[?&]token(?:=|&#x3D;|%3D)([0-9a-f]{16,})/gi)].map((m) => m[1]);
}

/**
 * @param {{ name: string, value: string }[]} secrets   values that must not leak (short ones are skipped)
 * @param {{ name: string, text: string }[]} sources     where to look
 * @returns {{ secret: string, source: string, at: number }[]}
 */
export function findLeaks(secrets, sources) {
	const leaks = [];
	for (const { name, value } of secrets) {
		if (typeof value !== 'string' || value.length < 8) continue;
		for (const source of sources) {
			const at = source.text.indexOf(value);
			if (at !== -1) leaks.push({ secret: name, source: source.name, at });
		}
	}
	return leaks;
}
