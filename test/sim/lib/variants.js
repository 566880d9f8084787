'use strict';
/**
 * Variant switches: for every point of a remote service's contract that no public source settles,
 * the simulator can play each plausible answer. The package must hold under all of them; the
 * table of points, variants and what the package does is docs/unverified-contract.md.
 *
 * Each simulator declares its points (`createVariantSwitch(DEFINITIONS)`) and reads the chosen
 * variant where the behaviour differs (`variants.get('flowVariables') === 'documented-only'`).
 *
 * Set them
 *   - per test: POST /__sim/variants {point: variant, ...} (merged into the current choice),
 *     DELETE /__sim/variants (all back to their defaults), GET /__sim/variants
 *     ({variants: current, points: {point: {values, default, doc}}});
 *   - at start: the simulator's `variants` option, or an environment variable holding
 *     `point=variant,point=variant` (SESAMI_SIM_VARIANTS / IMIN_SIM_VARIANTS, read by `npm start`
 *     and the simulators' cli.mjs).
 * An unknown point or variant is refused with the list of the known ones.
 */

/**
 * @param {Record<string, {values: string[], default: string, doc: string}>} definitions
 * @param {Record<string, string> | string} [initial]  an object or a `point=variant,...` string
 */
function createVariantSwitch(definitions, initial) {
	const defaults = () =>
		Object.fromEntries(Object.entries(definitions).map(([point, d]) => [point, d.default]));
	let current = defaults();

	function validate(spec) {
		if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
			throw new Error('variants must be an object {point: variant}');
		const out = {};
		for (const [point, value] of Object.entries(spec)) {
			const d = definitions[point];
			if (!d)
				throw new Error(
					`unknown variant point "${point}" (known: ${Object.keys(definitions).join(', ')})`,
				);
			const v = String(value);
			if (!d.values.includes(v))
				throw new Error(`unknown variant "${v}" for ${point} (known: ${d.values.join(', ')})`);
			out[point] = v;
		}
		return out;
	}

	const api = {
		/** the chosen variant of one point */
		get(point) {
			if (!(point in current)) throw new Error(`unknown variant point "${point}"`);
			return current[point];
		},
		/** every point's chosen variant */
		all() {
			return { ...current };
		},
		/** merge a choice {point: variant} (or a `point=variant,...` string); returns all() */
		set(spec) {
			Object.assign(current, validate(typeof spec === 'string' ? parseVariantString(spec) : spec));
			return api.all();
		},
		/** every point back to its default */
		reset() {
			current = defaults();
			return api.all();
		},
		definitions,
		/** GET / POST / DELETE /__sim/variants: {status, body} */
		control(method, rawBody) {
			try {
				if (method === 'GET')
					return { status: 200, body: { variants: api.all(), points: definitions } };
				if (method === 'DELETE') return { status: 200, body: { variants: api.reset() } };
				if (method === 'POST' || method === 'PUT') {
					const spec = rawBody && rawBody.trim() ? JSON.parse(rawBody) : {};
					return { status: 200, body: { variants: api.set(spec) } };
				}
			} catch (e) {
				return { status: 400, body: { error: 'invalid variants', reason: String(e.message || e) } };
			}
			return { status: 405, body: { error: 'method not allowed' } };
		},
	};
	if (initial) api.set(initial);
	return api;
}

/** `point=variant, point=variant` -> {point: variant} (blank -> {}). */
function parseVariantString(text) {
	const out = {};
	for (const part of String(text || '').split(',')) {
		const trimmed = part.trim();
		if (!trimmed) continue;
		const eq = trimmed.indexOf('=');
		if (eq < 1) throw new Error(`"${trimmed}" is not point=variant`);
		out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
	}
	return out;
}

module.exports = { createVariantSwitch, parseVariantString };
