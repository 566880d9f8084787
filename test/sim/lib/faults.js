'use strict';
/**
 * Fault injection and exchange recording shared by the simulators (test/sim/sesami, test/sim/imin).
 * Plain Node, built-ins only; imports nothing from nodes/ or credentials/.
 *
 * Fault switch: a list of faults, each taken by the requests it matches, in list order, `count`
 * times (-1: until cleared). A fault:
 *   { mode,              one of the simulator's modes: '429' | '500' | '503' (imin) | 'slow' | 'drop'
 *     count?: 1,         how many matching requests it answers (-1 forever)
 *     retryAfter?: 1,    seconds, sent as Retry-After with 429 / 503
 *     delayMs?: 1000,    'slow': the normal answer comes after this delay
 *     match?: { method?, pathPrefix?, path? } }   path: exact, pathPrefix: prefix (either form of the
 *                                                 path the simulator passes, e.g. with / without /api/v1)
 * The switch reports each fault with `fired`: how many requests it has answered so far.
 * Control endpoint contract (both simulators): GET /__sim/faults -> {faults}, POST /__sim/faults
 * (body: a fault, a list, or {faults: [...]}; replaces the list) -> {faults}, DELETE -> {faults: []}.
 */

function toFault(f, modes) {
	if (!f || typeof f !== 'object')
		throw new Error('a fault must be an object {mode, count?, retryAfter?, delayMs?, match?}');
	const mode = String(f.mode);
	if (!modes.includes(mode))
		throw new Error(`unknown fault mode ${f.mode} (use ${modes.join(', ')})`);
	const fault = {
		mode,
		count: f.count === undefined ? 1 : Number(f.count),
		retryAfter: f.retryAfter === undefined ? 1 : Number(f.retryAfter),
		delayMs: f.delayMs === undefined ? 1000 : Number(f.delayMs),
		match: undefined,
		fired: 0,
	};
	if (!Number.isInteger(fault.count) || fault.count < -1)
		throw new Error('count must be an integer >= -1 (-1: until cleared)');
	if (f.match) {
		fault.match = {
			method: f.match.method ? String(f.match.method).toUpperCase() : undefined,
			pathPrefix: f.match.pathPrefix,
			path: f.match.path,
		};
	}
	return fault;
}

/** A fault spec (one, a list, {faults: [...]}, or null / false for none) -> normalised faults. */
function normalizeFaults(spec, modes) {
	if (spec === null || spec === undefined || spec === false) return [];
	const list = Array.isArray(spec) ? spec : Array.isArray(spec.faults) ? spec.faults : [spec];
	return list.map((f) => toFault(f, modes));
}

/**
 * The fault switch of one simulator.
 * @param {{ modes: string[] }} options
 */
function createFaultSwitch({ modes }) {
	let faults = [];
	const matches = (f, method, paths) => {
		if (!f.match) return true;
		if (f.match.method && f.match.method !== method) return false;
		if (f.match.path && !paths.includes(f.match.path)) return false;
		if (f.match.pathPrefix && !paths.some((p) => p.startsWith(f.match.pathPrefix))) return false;
		return true;
	};
	return {
		modes,
		get list() {
			return faults;
		},
		/** replace the list (spec as normalizeFaults takes it); returns it */
		set(spec) {
			faults = normalizeFaults(spec, modes);
			return faults;
		},
		clear() {
			faults = [];
			return faults;
		},
		/** The fault that answers this request, if any (its count goes down). `paths`: the forms of the request path. */
		take(method, ...paths) {
			for (const f of faults) {
				if (f.count === 0 || !matches(f, method, paths)) continue;
				if (f.count > 0) f.count -= 1;
				f.fired += 1;
				return f;
			}
			return undefined;
		},
		/**
		 * GET / POST / DELETE /__sim/faults: { status, body }. An invalid POST body throws (the
		 * simulator answers 400).
		 */
		control(method, rawBody) {
			if (method === 'GET') return { status: 200, body: { faults } };
			if (method === 'DELETE') return { status: 200, body: { faults: this.clear() } };
			if (method === 'POST') return { status: 200, body: { faults: this.set(tryJson(rawBody)) } };
			return undefined;
		},
	};
}

/**
 * Carries out a fault taken for a request.
 * - '429' / '500' / '503': `answer(status, headers)` (429 and 503 with Retry-After); the simulator
 *   writes its own error body
 * - 'drop': the connection is destroyed without an answer (`onDrop` first, e.g. to record it)
 * - 'slow': `run` (the normal handling) after `delayMs`
 */
function applyFault(fault, { answer, run, socket, onDrop }) {
	if (fault.mode === 'slow') {
		setTimeout(run, fault.delayMs);
		return;
	}
	if (fault.mode === 'drop') {
		if (onDrop) onDrop();
		socket.destroy();
		return;
	}
	const status = Number(fault.mode);
	answer(
		status,
		status === 429 || status === 503 ? { 'retry-after': String(fault.retryAfter) } : {},
	);
}

/**
 * The record of the requests a simulator answered (oldest first; the oldest go first beyond `max`).
 * `list` is the same array for the simulator's whole life (sim.exchanges / sim.requests expose it).
 */
function createRecorder({ max = Infinity, enabled = () => true } = {}) {
	const list = [];
	return {
		list,
		/** starts a record ({..., status: 0, at}) and keeps it; returns it */
		start(fields) {
			const record = { ...fields, status: 0, at: new Date().toISOString() };
			if (enabled()) {
				list.push(record);
				if (list.length > max) list.splice(0, list.length - max);
			}
			return record;
		},
		/** sets durationMs (and any fields given) once the answer is written or the connection dropped */
		finish(record, fields = {}) {
			Object.assign(record, fields);
			record.durationMs = Date.now() - Date.parse(record.at);
			return record;
		},
		clear() {
			const n = list.length;
			list.length = 0;
			return n;
		},
	};
}

/** Header names lower-cased; the values of `secretHeaders` replaced by '***'. */
function redactHeaders(headers, secretHeaders = ['x-api-key', 'authorization']) {
	const out = {};
	for (const [k, v] of Object.entries(headers)) {
		const key = k.toLowerCase();
		out[key] = secretHeaders.includes(key) ? '***' : v;
	}
	return out;
}

/** Parse a query string keeping what the client sent: repeated keys become arrays. */
function parseQuery(search) {
	const q = {};
	for (const [k, v] of new URLSearchParams(search)) {
		if (Object.prototype.hasOwnProperty.call(q, k)) q[k] = [].concat(q[k], v);
		else q[k] = v;
	}
	return q;
}

function tryJson(text) {
	if (text === undefined || text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

module.exports = {
	normalizeFaults,
	createFaultSwitch,
	applyFault,
	createRecorder,
	redactHeaders,
	parseQuery,
	tryJson,
};
