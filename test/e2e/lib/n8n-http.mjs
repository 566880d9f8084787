// Harness: small helpers for n8n's HTTP APIs (the editor's REST API under /rest with the owner's
// session cookie, the public API under /api/v1 with an API key) and for explaining their failures.
// Shared by n8n.mjs (start, publish) and data-tables.mjs.

export function cookieFrom(res) {
	const set = res.headers['set-cookie'] ?? [];
	const c = set.map((s) => s.split(';')[0]).find((s) => s.startsWith('n8n-auth='));
	if (!c) throw new Error(`no n8n-auth cookie in ${res.config.url} response (HTTP ${res.status})`);
	return c;
}

export function describeHttpError(res) {
	const body = typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
	return `HTTP ${res.status} ${String(body).slice(0, 500)}`;
}

// ---------------------------------------------------------------------------------------------
// Paginated lists: the public API pages with a cursor, the REST API with skip/take.

/** Every item of a cursor-paginated public-API list ({ data, nextCursor }). `api` must not throw on status. */
export async function listAllPublic(api, pathname, params = {}) {
	const items = [];
	let cursor;
	for (let page = 0; page < 200; page++) {
		const r = await api.get(pathname, {
			params: { ...params, limit: 250, ...(cursor ? { cursor } : {}) },
			validateStatus: () => true,
		});
		if (r.status !== 200) throw new Error(`GET /api/v1${pathname}: ${describeHttpError(r)}`);
		items.push(...(r.data?.data ?? []));
		cursor = r.data?.nextCursor;
		if (!cursor) return items;
	}
	throw new Error(`GET /api/v1${pathname}: more than 200 pages`);
}

/**
 * Every item of a skip/take-paginated REST list ({ data: { count, data } }). n8n quietly caps
 * `take` (50 for lists of tables), so pages advance by what came back, until `count` is reached.
 * `rest` must not throw on status.
 */
export async function listAllRest(rest, pathname, params = {}) {
	const items = [];
	for (let page = 0; page < 2000; page++) {
		const r = await rest.get(pathname, {
			params: { ...params, take: 250, skip: items.length },
			validateStatus: () => true,
		});
		if (r.status !== 200) throw new Error(`GET ${pathname}: ${describeHttpError(r)}`);
		const body = r.data?.data ?? r.data;
		const list = body?.data ?? [];
		items.push(...list);
		if (!list.length || items.length >= (body?.count ?? 0)) return items;
	}
	throw new Error(`GET ${pathname}: more than 2000 pages`);
}

/** The lines of n8n's output that look like they explain a failure ('' when none), indented. */
export function errorLogLines(logTail) {
	const lines = String(logTail)
		.split('\n')
		.filter((l) =>
			/error|fail|could not|cannot|refused|ECONN|ENOTFOUND|timed? ?out|status code|HTTP \d{3}/i.test(
				l,
			),
		)
		.filter((l) => !/^\s+at /.test(l))
		.slice(-15);
	return lines.length ? `\n  n8n log:\n    ${lines.join('\n    ')}` : '';
}

/** A readable reason for a failed publish: n8n's message, then the n8n log lines that explain it. */
export function describePublishError(res, logTail) {
	const d = res.data;
	const message = typeof d === 'string' ? d : (d?.message ?? JSON.stringify(d));
	return `n8n answered HTTP ${res.status}: ${String(message).slice(0, 1500)}${d?.hint ? `\n  hint: ${d.hint}` : ''}${errorLogLines(logTail)}`;
}
