'use strict';
/**
 * The route table every simulator uses: one row per route, method + path pattern -> handler, so a
 * newcomer finds any simulator route by its path alone. Plain Node, no dependencies; imports nothing
 * from nodes/ or credentials/.
 *
 *   const router = createRouter([
 *     { method: 'GET', path: '/api/v2/orders/:id', handler: getOrder },
 *     { method: ['GET', 'HEAD'], path: '/firehose/:feed/?', where: { feed: FEEDS }, handler: readFeed },
 *     { method: '*', path: '/firehose/:feed/?', where: { feed: FEEDS }, handler: notAllowed },
 *   ], { loose: false, decode: false });
 *   router.match('GET', '/api/v2/orders/abc')  // { route, params: { id: 'abc' } }
 *
 * Patterns:
 *   /literal      a segment equal to `literal`
 *   /:name        any non-empty segment, as params.name (`where: { name: [...] }` restricts it)
 *   /*name        the rest of the path, one or more segments, joined with '/' (params.name)
 *   /*?           the rest of the path, zero or more segments (an endpoint that ignores what follows)
 *   a trailing /? the path may end with one '/' (strict mode only; loose mode ignores empty segments)
 * Rows are tried in order and the first whose path and method match wins, so literal rows go before
 * the `:param` rows they overlap (`/shops/:id` before `/:shop/services`). Method is one method, a list
 * or '*' (any). A path that matches no row with this method gives `{ allowed: [...] }` (what the
 * simulator answers then, 404 or 405, is its own: both simulators answer as the real services
 * would, and a `'*'` row can carry a route's own 405).
 *
 * Options:
 *   loose   empty segments are ignored ('/a//b/' is '/a/b'), as a path split on '/' and filtered
 *   decode  each segment is percent-decoded (left as sent when it cannot be) before it is compared
 *           and handed over as a param; otherwise params are the raw segments
 */

function compile(row, { loose }) {
	let pattern = row.path;
	let optionalSlash = false;
	if (pattern.endsWith('/?')) {
		optionalSlash = true;
		pattern = pattern.slice(0, -2);
	}
	let segments = pattern.split('/');
	if (loose) segments = segments.filter(Boolean);
	const parts = segments.map((s) => {
		if (s === '*?') return { rest: true, optional: true };
		if (s.startsWith('*')) return { rest: true, name: s.slice(1) };
		if (s.startsWith(':')) return { param: s.slice(1) };
		return { literal: s };
	});
	const methods = row.method === '*' ? '*' : [].concat(row.method);
	return { ...row, methods, parts, optionalSlash };
}

function safeDecode(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** The params of `segs` under `route`, or undefined when the path is not this route's. */
function matchPath(route, segs) {
	const params = {};
	const parts = route.parts;
	let list = segs;
	const last = parts[parts.length - 1];
	const rest = last && last.rest ? last : undefined;
	if (rest) {
		const fixed = parts.length - 1;
		const min = rest.optional ? fixed : fixed + 1;
		if (list.length < min) return undefined;
		if (rest.name) params[rest.name] = list.slice(fixed).join('/');
		list = list.slice(0, fixed);
	} else {
		if (route.optionalSlash && list.length === parts.length + 1 && list[list.length - 1] === '')
			list = list.slice(0, -1);
		if (list.length !== parts.length) return undefined;
	}
	for (let i = 0; i < list.length; i++) {
		const p = parts[i];
		const s = list[i];
		if (p.literal !== undefined) {
			if (p.literal !== s) return undefined;
		} else {
			if (s === '') return undefined;
			const allowed = route.where && route.where[p.param];
			if (allowed && !allowed.includes(s)) return undefined;
			params[p.param] = s;
		}
	}
	return params;
}

/**
 * @param {Array<{method: string | string[], path: string, handler: Function, where?: Record<string, string[]>}>} rows
 * @param {{loose?: boolean, decode?: boolean}} [options]
 */
function createRouter(rows, options = {}) {
	const loose = !!options.loose;
	const decode = !!options.decode;
	const routes = rows.map((row) => compile(row, { loose }));
	return {
		routes,
		/** @returns {{route: object, params: Record<string, string>} | {allowed: string[]} | undefined} */
		match(method, path) {
			let segs = path.split('/');
			if (loose) segs = segs.filter(Boolean);
			if (decode) segs = segs.map(safeDecode);
			const allowed = [];
			for (const route of routes) {
				const params = matchPath(route, segs);
				if (!params) continue;
				if (route.methods === '*' || route.methods.includes(method)) return { route, params };
				allowed.push(...route.methods);
			}
			return allowed.length ? { allowed } : undefined;
		},
	};
}

module.exports = { createRouter };
