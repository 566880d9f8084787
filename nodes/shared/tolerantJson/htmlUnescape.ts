const NAMED: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0',
};

/** Undoes Handlebars' HTML escaping (&amp; &lt; &gt; &quot; &#x27; &#x60; &#x3D; and numeric forms). */
export function htmlUnescape(value: string): string {
	if (!value.includes('&')) return value;
	return value.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (entity, body: string) => {
		if (body[0] === '#') {
			const code =
				body[1] === 'x' || body[1] === 'X'
					? parseInt(body.slice(2), 16)
					: parseInt(body.slice(1), 10);
			return Number.isFinite(code) && code > 0 && code <= 0x10ffff
				? String.fromCodePoint(code)
				: entity;
		}
		return NAMED[body.toLowerCase()] ?? entity;
	});
}

/** htmlUnescape on every string (keys and values) of a parsed body. */
export function unescapeDeep(value: unknown): unknown {
	if (typeof value === 'string') return htmlUnescape(value);
	if (Array.isArray(value)) return value.map(unescapeDeep);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) out[htmlUnescape(key)] = unescapeDeep(inner);
		return out;
	}
	return value;
}
