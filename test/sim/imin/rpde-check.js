'use strict';
/**
 * Test helpers around the OpenActive packages (CommonJS, so TypeScript tests can use them without
 * type declarations and without Node built-ins of their own):
 *
 *   const checker = createPageChecker();     // one per feed walk (the validator keeps state: duplicates, cursor order)
 *   checker.check({ url, json, contentType, cacheControl, status })  -> [{ rule, message, severity }]  (failures only)
 *   requiredFieldsMissing(data)             -> ['ScheduledSession.startDate', ...]  (OpenActive 2.x required fields)
 *   memoryUsageMb()                         -> { heapUsed, rss, gc }  (MB, after a full GC when one can be had)
 */

const { FeedPageChecker } = require('@openactive/rpde-validator');
const dataModels = require('@openactive/data-models');

function createPageChecker() {
	const checker = new FeedPageChecker();
	let pageIndex = 0;
	return {
		/**
		 * @param {{url: string, json: any, contentType?: string, cacheControl?: string, status?: number}} page
		 * @returns {Array<{rule: string, message: string, severity: string}>}
		 */
		check(page) {
			const failures = checker.validateRpdePage({
				url: page.url,
				json: page.json,
				pageIndex,
				contentType: page.contentType || '',
				cacheControl: page.cacheControl || '',
				status: page.status === undefined ? 200 : page.status,
				isInitialHarvestComplete: false,
				isOrdersFeed: false,
			});
			pageIndex += 1;
			return failures.map((f) => ({ rule: f.rule, message: f.message, severity: f.severity }));
		},
	};
}

const modelCache = new Map();
function requiredFieldsOf(type) {
	if (!modelCache.has(type)) {
		let fields = [];
		try {
			const m = dataModels.loadModel(type, 'latest');
			fields = Array.isArray(m.requiredFields) ? m.requiredFields : [];
			const options = Array.isArray(m.requiredOptions)
				? m.requiredOptions.map((o) => o.options)
				: [];
			modelCache.set(type, { fields, options });
		} catch {
			modelCache.set(type, { fields, options: [] });
		}
	}
	return modelCache.get(type);
}

/**
 * The OpenActive 2.x required fields (from @openactive/data-models) missing from an item's data and
 * from the objects nested in it that have a type (not those under namespaced keys such as `imin:dataSource`). `type`/`@type` and `id`/`@id` count as the same.
 * @param {object} data
 * @returns {string[]}
 */
function requiredFieldsMissing(data) {
	const missing = [];
	const has = (o, k) => o[k] !== undefined || o[`@${k}`] !== undefined;
	const visit = (o, path) => {
		if (Array.isArray(o)) {
			o.forEach((x, i) => visit(x, `${path}[${i}]`));
			return;
		}
		if (!o || typeof o !== 'object') return;
		const type = o['@type'] || o.type;
		if (typeof type === 'string' && !type.includes(':')) {
			const { fields, options } = requiredFieldsOf(type);
			for (const f of fields) if (!has(o, f)) missing.push(`${path}: ${type}.${f}`);
			for (const group of options)
				if (!group.some((f) => has(o, f)))
					missing.push(`${path}: ${type} needs one of ${group.join('|')}`);
		}
		// objects under namespaced keys (imin:dataSource, imin:aggregateOffer, ...) are imin's own shapes
		for (const [k, v] of Object.entries(o))
			if (v && typeof v === 'object' && k !== '@context' && !k.includes(':'))
				visit(v, `${path}.${k}`);
	};
	visit(data, '$');
	return missing;
}

/** a full GC: global.gc under --expose-gc, else one obtained through the V8 flag (works inside jest) */
let collect;
function gcFunction() {
	if (collect === undefined) {
		collect = null;
		if (typeof global.gc === 'function') collect = global.gc;
		else {
			try {
				require('node:v8').setFlagsFromString('--expose-gc');
				collect = require('node:vm').runInNewContext('gc');
			} catch {
				collect = null;
			}
		}
	}
	return collect;
}

function memoryUsageMb() {
	const gc = gcFunction();
	if (gc) gc();
	const m = process.memoryUsage();
	return { heapUsed: m.heapUsed / 1048576, rss: m.rss / 1048576, gc: !!gc };
}

module.exports = { createPageChecker, requiredFieldsMissing, memoryUsageMb };
