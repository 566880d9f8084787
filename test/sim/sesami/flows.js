'use strict';
/**
 * Sesami Flows, fired by the simulator (https://sesami.dev/docs/sesami-flows/flows,
 * https://help.sesami.co/automations/email-and-webhook-as-action-types).
 *
 * When an appointment is created, rescheduled, cancelled, checked in, started or marked no-show,
 * every ACTIVE (`status: true`) WEBHOOK Flow of the shop whose `trigger` matches and whose
 * `when.unit` is IMMEDIATELY gets its `template.body` rendered with real Handlebars (the
 * `handlebars` package, standard escaping: `{{x}}` HTML-escapes & < > " ' ` =) and POSTed to its
 * `target` with the headers of `template.headers` (a JSON-encoded object string) plus
 * `content-type: application/json`. Scheduled Flows (MINUTES_BEFORE, ...) and EMAIL Flows are not
 * fired.
 *
 * The renderer is exported on its own (`renderTemplate`, `templateVariables`, `formatDate`) so
 * fixtures can be generated with exactly what the simulator sends.
 *
 * Decisions where Sesami's docs are silent (kept consistent everywhere):
 * - Variables are snapshotted when the event happens; a delayed or held delivery carries the
 *   state of that moment (so out-of-order deliveries really carry older states).
 * - `template.headers` is NOT rendered with Handlebars (a secret holding `=` would be escaped).
 *   When it does not parse as a JSON object, no custom header is sent and the problem is recorded
 *   (on the delivery and in `problems`).
 * - Only local targets are contacted (loopback, private networks, single-label hosts such as a
 *   docker service name, *.localhost / *.local / *.internal / *.test). A Flow pointing elsewhere
 *   (the seeded hooks.zapier.com Flows) is recorded in `problems` and not contacted, unless the
 *   simulator runs with `allowExternalTargets: true`.
 * - `formatDate` of a value that is not a date renders an empty string (with the variant
 *   `flowVariables: documented-only`, a missing value renders the send time, as moment does).
 *
 * Variants (./variants.js): `flowVariables` (full | documented-only: only the variables
 * https://sesami.dev/docs/sesami-flows/flows documents render), `flowHeaders` (json | lines |
 * ignored: how `template.headers` is read; ignored = Flows created through the API send none).
 */

const http = require('node:http');
const net = require('node:net');
const Handlebars = require('handlebars');
const T = require('./time');
const { createDeliveryQueue, redactHeaders: redact, retrySetting } = require('../lib/delivery');
const { Rng } = require('../lib/prng');

/** The six Flow triggers of CreateFlowRequest.trigger. */
const FLOW_TRIGGERS = [
	'APPOINTMENT_CREATED',
	'APPOINTMENT_RESCHEDULED',
	'APPOINTMENT_CANCELLED',
	'CUSTOMER_CHECKED_IN',
	'APPOINTMENT_STARTED',
	'NO_SHOW',
];

/** Header names whose values are replaced by '***' in the delivery records. */
const SECRET_HEADER = /secret|token|key|auth|signature|password|passwd|cookie|session|credential/i;

// ---------------------------------------------------------------------------------------------
// formatDate: moment-style tokens, implemented with Intl (through ./time)

const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FORMAT_TOKENS =
	/\[([^\]]*)\]|Mo|MMMM|MMM|MM|M|Do|DDDD|DDD|DD|D|dddd|ddd|dd|do|d|E|e|YYYY|YY|Q|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x|zz|z/g;
/** moment's default format (what `moment().format()` gives). */
const DEFAULT_FORMAT = 'YYYY-MM-DDTHH:mm:ssZ';

const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, '0');

function ordinal(n) {
	const b = n % 10;
	const suffix =
		Math.floor((n % 100) / 10) === 1
			? 'th'
			: b === 1
				? 'st'
				: b === 2
					? 'nd'
					: b === 3
						? 'rd'
						: 'th';
	return `${n}${suffix}`;
}

/** Epoch ms of a Date, an ISO string or a number (ms); undefined when it is not a date. */
function toMs(value) {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		const ms = Date.parse(value);
		return Number.isNaN(ms) ? undefined : ms;
	}
	return undefined;
}

function zoneAbbreviation(ms, tz) {
	try {
		const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })
			.formatToParts(new Date(ms))
			.find((p) => p.type === 'timeZoneName');
		return part ? part.value : '';
	} catch {
		return '';
	}
}

/**
 * Format `date` like moment-timezone's `moment(date).tz(tz).format(format)` (English locale).
 * Tokens: YYYY YY Q M Mo MM MMM MMMM D Do DD DDD DDDD d do dd ddd dddd E e H HH h hh k kk m mm
 * s ss S SS SSS A a Z ZZ X x z zz, and `[literal text]`. An unknown or empty zone falls back to
 * `fallbackTz` (the shop timezone), then UTC. Returns '' for a value that is not a date.
 */
function formatDate(date, format, tz, fallbackTz = 'UTC') {
	const ms = toMs(date);
	if (ms === undefined) return '';
	let zone = typeof tz === 'string' && tz.trim() !== '' ? tz.trim() : fallbackTz;
	if (!T.isValidTimeZone(zone)) zone = T.isValidTimeZone(fallbackTz) ? fallbackTz : 'UTC';
	const fmt = typeof format === 'string' && format !== '' ? format : DEFAULT_FORMAT;
	const p = T.partsInTz(ms, zone);
	const offset = T.offsetMinutes(ms, zone);
	const weekday = T.WEEKDAYS.indexOf(p.weekday);
	const millis = ((ms % 1000) + 1000) % 1000;
	const dayOfYear =
		Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / T.DAY) + 1;
	const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
	const sign = offset < 0 ? '-' : '+';
	const oh = pad(Math.floor(Math.abs(offset) / 60));
	const om = pad(Math.abs(offset) % 60);
	return fmt.replace(FORMAT_TOKENS, (token, literal) => {
		if (literal !== undefined) return literal;
		switch (token) {
			case 'YYYY':
				return pad(p.year, 4);
			case 'YY':
				return pad(p.year % 100);
			case 'Q':
				return String(Math.floor((p.month - 1) / 3) + 1);
			case 'M':
				return String(p.month);
			case 'Mo':
				return ordinal(p.month);
			case 'MM':
				return pad(p.month);
			case 'MMM':
				return MONTHS[p.month - 1].slice(0, 3);
			case 'MMMM':
				return MONTHS[p.month - 1];
			case 'D':
				return String(p.day);
			case 'Do':
				return ordinal(p.day);
			case 'DD':
				return pad(p.day);
			case 'DDD':
				return String(dayOfYear);
			case 'DDDD':
				return pad(dayOfYear, 3);
			case 'd':
				return String(weekday);
			case 'do':
				return ordinal(weekday);
			case 'dd':
				return DAYS[weekday].slice(0, 2);
			case 'ddd':
				return DAYS[weekday].slice(0, 3);
			case 'dddd':
				return DAYS[weekday];
			case 'E':
				return String(weekday === 0 ? 7 : weekday);
			case 'e':
				return String(weekday);
			case 'H':
				return String(p.hour);
			case 'HH':
				return pad(p.hour);
			case 'h':
				return String(h12);
			case 'hh':
				return pad(h12);
			case 'k':
				return String(p.hour === 0 ? 24 : p.hour);
			case 'kk':
				return pad(p.hour === 0 ? 24 : p.hour);
			case 'm':
				return String(p.minute);
			case 'mm':
				return pad(p.minute);
			case 's':
				return String(p.second);
			case 'ss':
				return pad(p.second);
			case 'S':
				return String(Math.floor(millis / 100));
			case 'SS':
				return pad(Math.floor(millis / 10));
			case 'SSS':
				return pad(millis, 3);
			case 'A':
				return p.hour < 12 ? 'AM' : 'PM';
			case 'a':
				return p.hour < 12 ? 'am' : 'pm';
			case 'Z':
				return `${sign}${oh}:${om}`;
			case 'ZZ':
				return `${sign}${oh}${om}`;
			case 'X':
				return String(Math.floor(ms / 1000));
			case 'x':
				return String(ms);
			case 'z':
			case 'zz':
				return zone === 'UTC' ? 'UTC' : zoneAbbreviation(ms, zone);
			default:
				return token;
		}
	});
}

// ---------------------------------------------------------------------------------------------
// Handlebars renderer

const hbs = Handlebars.create();
hbs.registerHelper('formatDate', function formatDateHelper(...args) {
	const options = args.pop();
	const [date, format, tz] = args;
	const data = (options && options.data) || {};
	const fallback = data.shopTimezone || (data.root && data.root.ShopTimezone) || 'UTC';
	// moment(undefined) is "now": with only the documented variables, formatDate of a variable
	// Sesami does not have renders the send time (the `flowVariables: documented-only` variant).
	const value =
		(date === undefined || date === null) && data.missingDateIsNow
			? new Date(data.now || Date.now())
			: date;
	return formatDate(value, format, tz, fallback);
});

const compiled = new Map();

/**
 * Render a Flow template as Sesami does: standard Handlebars, `{{x}}` HTML-escaped, unknown
 * variables empty, helper `formatDate`. Throws on a template that does not compile.
 * @param {string} template
 * @param {Record<string, unknown>} variables  see templateVariables
 * @param {{ shopTimezone?: string, variables?: string, now?: number }} [options]  the default zone of formatDate (else variables.ShopTimezone); variables: 'documented-only' renders only DOCUMENTED_VARIABLES (formatDate of a missing one: the send time)
 * @returns {string}
 */
function renderTemplate(template, variables, options = {}) {
	const documentedOnly = options.variables === 'documented-only';
	if (documentedOnly) variables = documentedVariables(variables);
	const source = String(template === undefined || template === null ? '' : template);
	let fn = compiled.get(source);
	if (!fn) {
		fn = hbs.compile(source);
		compiled.set(source, fn);
		if (compiled.size > 500) compiled.delete(compiled.keys().next().value);
	}
	const shopTimezone = options.shopTimezone || (variables && variables.ShopTimezone) || 'UTC';
	return fn(variables, {
		data: { shopTimezone, missingDateIsNow: documentedOnly, now: options.now },
	});
}

/**
 * The variables Sesami documents for Flow templates (https://sesami.dev/docs/sesami-flows/flows,
 * and the older DateTimeIn* of the 2023 revision of the same page). The `documented-only` variant
 * renders only these; every other name is empty, as Handlebars renders an unknown variable.
 */
const DOCUMENTED_VARIABLES = [
	'CustomerName',
	'CustomerPhone',
	'DateTime',
	'AppointmentCreatedAt',
	'CustomerTimezone',
	'LineItemProperties',
	'DateTimeInUTC',
	'DateTimeInStoreTimezone',
	'DateTimeInCustomerTimezone',
];

function documentedVariables(variables) {
	const out = {};
	for (const name of DOCUMENTED_VARIABLES)
		if (variables && name in variables) out[name] = variables[name];
	return out;
}

const ZERO_DECIMAL_CURRENCIES = ['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF'];

/**
 * The variables a Flow template sees for one appointment and trigger (the documented ones first,
 * https://sesami.dev/docs/sesami-flows/flows;
 * then the ones the package's canonical template uses, then a few more).
 * @param {{ shops: any[], services: any[], locations: any[], resources: any[] }} state
 * @param {any} appointment  the simulator's internal appointment record
 * @param {string} trigger
 */
function templateVariables(state, appointment, trigger) {
	const a = appointment;
	const shop = state.shops.find((s) => s.id === a.shopId) || { settings: { timezone: 'UTC' } };
	const service = state.services.find((s) => s.id === a.service);
	const location = state.locations.find((l) => l.id === a.locationId);
	const resourceNames = (a.resources || [])
		.map((id) => state.resources.find((r) => r.id === id))
		.filter(Boolean)
		.map((r) => r.name);
	const c = a.customer || {};
	const shopTz = shop.settings.timezone;
	const customerTz = a.customerTimezone || shopTz;
	const startMs = Date.parse(a.datetime);
	const endMs = startMs + Number(a.duration || 0) * T.MINUTE;
	const price = Number(a.price || 0);
	return {
		// documented (https://sesami.dev/docs/sesami-flows/flows)
		CustomerName: c.name,
		CustomerPhone: c.phone,
		LineItemProperties: (a.lineItemProperties || []).map((p) => ({ name: p.name, value: p.value })),
		DateTime: new Date(startMs),
		AppointmentCreatedAt: new Date(Date.parse(a.createdAt)),
		CustomerTimezone: customerTz,
		DateTimeInUTC: new Date(startMs).toISOString(),
		DateTimeInStoreTimezone: T.formatInTz(startMs, shopTz),
		DateTimeInCustomerTimezone: T.formatInTz(startMs, customerTz),
		CustomerManagementLink: a.customerManagementLink,
		// assumed by the package's canonical template (unverified names: Sesami publishes no list)
		AppointmentId: a.id,
		AppointmentStatus: a.status,
		EndDateTime: new Date(endMs),
		CustomerEmail: c.email,
		CustomerFirstName: c.firstName,
		CustomerLastName: c.lastName,
		CustomerId: c.id,
		CustomerExternalId: c.externalId,
		OrderId: a.orderId,
		OrderName: a.orderName,
		ServiceId: a.service,
		ServiceName: service ? service.title : '',
		VariantTitle: a.variantTitle,
		Duration: Number(a.duration),
		Price: ZERO_DECIMAL_CURRENCIES.includes(a.currency)
			? String(Math.round(price))
			: price.toFixed(2),
		Currency: a.currency,
		LocationName: location ? location.name : '',
		ResourceNames: resourceNames.join(', '),
		ResourceName: resourceNames[0] || '',
		ShopId: a.shopId,
		ShopDomain: shop.domain,
		ShopName: shop.name,
		ShopTimezone: shopTz,
		Trigger: trigger,
	};
}

/** The names templateVariables gives (for documentation and tests). */
const TEMPLATE_VARIABLES = [
	'CustomerName',
	'CustomerFirstName',
	'CustomerLastName',
	'CustomerPhone',
	'CustomerEmail',
	'CustomerTimezone',
	'CustomerId',
	'CustomerExternalId',
	'DateTime',
	'EndDateTime',
	'AppointmentCreatedAt',
	'DateTimeInUTC',
	'DateTimeInStoreTimezone',
	'DateTimeInCustomerTimezone',
	'AppointmentId',
	'AppointmentStatus',
	'OrderId',
	'OrderName',
	'ServiceId',
	'ServiceName',
	'VariantTitle',
	'Duration',
	'Price',
	'Currency',
	'LocationName',
	'ResourceNames',
	'ResourceName',
	'ShopId',
	'ShopDomain',
	'ShopName',
	'ShopTimezone',
	'CustomerManagementLink',
	'Trigger',
	'LineItemProperties',
];

/**
 * `template.headers` -> header map. Returns { headers, problem? }; a string that is not a JSON
 * object (or an entry that is not a valid header) gives a problem, and no custom header at all.
 */
function parseTemplateHeaders(text, format = 'json') {
	if (text === undefined || text === null || String(text).trim() === '') return { headers: {} };
	if (format === 'lines') return parseHeaderLines(String(text));
	let parsed;
	try {
		parsed = JSON.parse(String(text));
	} catch (e) {
		return {
			headers: {},
			problem: `template.headers is not JSON (${e.message}); sent without custom headers`,
		};
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		return {
			headers: {},
			problem: 'template.headers is not a JSON object; sent without custom headers',
		};
	}
	const headers = {};
	for (const [k, v] of Object.entries(parsed)) {
		const name = k.trim().toLowerCase();
		const value =
			v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
		try {
			http.validateHeaderName(name);
			http.validateHeaderValue(name, value);
		} catch (e) {
			return {
				headers: {},
				problem: `template.headers has an invalid header ${JSON.stringify(k)} (${e.message}); sent without custom headers`,
			};
		}
		headers[name] = value;
	}
	return { headers };
}

/** The `flowHeaders: lines` variant: `Name: value` lines (a JSON object text is no such line). */
function parseHeaderLines(text) {
	const headers = {};
	for (const line of text.split(/\r?\n/)) {
		if (line.trim() === '') continue;
		const colon = line.indexOf(':');
		const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
		const value = colon > 0 ? line.slice(colon + 1).trim() : '';
		try {
			http.validateHeaderName(name);
			http.validateHeaderValue(name, value);
		} catch (e) {
			return {
				headers: {},
				problem: `template.headers line ${JSON.stringify(line.slice(0, 60))} is not "Name: value" (${e.message}); sent without custom headers`,
			};
		}
		headers[name] = value;
	}
	return { headers };
}

function redactHeaders(headers) {
	return redact(headers, SECRET_HEADER);
}

/** True for targets the simulator may contact without allowExternalTargets. */
function isLocalTarget(target) {
	let host;
	try {
		host = new URL(target).hostname.toLowerCase();
	} catch {
		return false;
	}
	if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
	if (net.isIPv4(host)) {
		const [a, b] = host.split('.').map(Number);
		return (
			a === 127 ||
			a === 10 ||
			a === 0 ||
			(a === 172 && b >= 16 && b <= 31) ||
			(a === 192 && b === 168) ||
			(a === 169 && b === 254)
		);
	}
	if (net.isIPv6(host))
		return (
			host === '::1' || /^f[cd]/.test(host) || /^fe80:/.test(host) || /^::ffff:127\./.test(host)
		);
	if (!host.includes('.')) return true; // localhost, docker service names
	return /\.(localhost|local|internal|test|lan)$/.test(host) || host === 'host.docker.internal';
}

// ---------------------------------------------------------------------------------------------
// delivery (the sending itself, attempts, copies and records: ../lib/delivery.js, shared with the
// imin simulator's webhooks; duplicate / reorder choices and holding stay here)

const DEFAULT_SETTINGS = Object.freeze({
	duplicate: 0,
	duplicateRate: 1,
	duplicateDelayMs: 0,
	duplicateConcurrent: false,
	reorder: false,
	reorderRate: 1,
	holdMs: 2000,
	delayMs: 0,
	retryOnFailure: null,
	timeoutMs: 10000,
});

function nonNegative(spec, key, max = Number.MAX_SAFE_INTEGER) {
	if (spec[key] === undefined) return DEFAULT_SETTINGS[key];
	const n = Number(spec[key]);
	if (!Number.isFinite(n) || n < 0 || n > max)
		throw new Error(`${key} must be a number between 0 and ${max}`);
	return n;
}

/**
 * Delivery switches. A POST replaces the whole setting (what it does not name is the default):
 *   duplicate: n            extra copies of each delivery (0..20); copies go one after the other,
 *                           each once the previous one was answered (+ duplicateDelayMs), or all at
 *                           once with duplicateConcurrent: true
 *   duplicateRate: 0..1     share of the deliveries that get the copies (default 1: all); drawn
 *                           from a PRNG reset by every POST (reproducible runs)
 *   reorder: true           hold deliveries; send them newest first on flush or holdMs after the
 *                           first one was held (one at a time, each after the previous was answered)
 *   reorderRate: 0..1       share of the deliveries that are held (default 1); the others go out at
 *                           once, so the held ones arrive after newer events
 *   delayMs                 wait this long before sending each delivery
 *   retryOnFailure: {attempts, delayMs}  attempts = the most requests per delivery, the first one
 *                           included; re-sent after delayMs when the answer is not 2xx or the
 *                           connection fails
 *   timeoutMs               per request (default 10 s)
 */
function normalizeSettings(spec) {
	if (spec === null || spec === undefined) return { ...DEFAULT_SETTINGS };
	if (typeof spec !== 'object' || Array.isArray(spec))
		throw new Error('flow-delivery settings must be an object');
	const known = Object.keys(DEFAULT_SETTINGS);
	for (const k of Object.keys(spec))
		if (!known.includes(k))
			throw new Error(`unknown flow-delivery setting ${k} (use ${known.join(', ')})`);
	const s = {
		duplicate: nonNegative(spec, 'duplicate', 20),
		duplicateDelayMs: nonNegative(spec, 'duplicateDelayMs', 600000),
		duplicateRate: nonNegative(spec, 'duplicateRate', 1),
		duplicateConcurrent:
			spec.duplicateConcurrent === undefined ? false : !!spec.duplicateConcurrent,
		reorder: spec.reorder === undefined ? false : !!spec.reorder,
		reorderRate: nonNegative(spec, 'reorderRate', 1),
		holdMs: nonNegative(spec, 'holdMs', 600000),
		delayMs: nonNegative(spec, 'delayMs', 600000),
		retryOnFailure: null,
		timeoutMs: nonNegative(spec, 'timeoutMs', 600000),
	};
	if (!Number.isInteger(s.duplicate)) throw new Error('duplicate must be an integer');
	const r = spec.retryOnFailure;
	if (r !== undefined && r !== null && r !== false) s.retryOnFailure = retrySetting(r, 200);
	return s;
}

const MAX_RECORDS = 20000;

/**
 * One dispatcher per simulator.
 * @param {{ getState: () => any, allowExternalTargets?: boolean, seed?: number, variants?: {get(point: string): string} }} deps
 */
function createFlowDispatcher(deps) {
	const allowExternal = !!deps.allowExternalTargets;
	/** independent draws for the duplicate and the reorder choice (one per delivery each) */
	const newRng = () => {
		const seed = deps.seed === undefined ? 42 : deps.seed;
		return {
			duplicate: new Rng(seed, 'flow-delivery:duplicate'),
			reorder: new Rng(seed, 'flow-delivery:reorder'),
		};
	};
	let rng = newRng();
	/** sends, records every attempt of every delivery (in completion order), counts what is pending */
	const queue = createDeliveryQueue({
		maxRecords: MAX_RECORDS,
		secretHeader: SECRET_HEADER,
		invalidUrl: 'invalid target',
	});
	/** Flows that could not be delivered as written (bad headers, bad template, external target) */
	const problems = [];
	let settings = { ...DEFAULT_SETTINGS };
	let held = [];
	let holdTimer;
	let seq = 0;

	function addProblem(flow, appointmentId, trigger, message) {
		problems.push({
			flowId: flow.id,
			flowName: flow.name,
			trigger,
			appointmentId,
			target: flow.target,
			problem: message,
			at: new Date().toISOString(),
		});
		if (problems.length > MAX_RECORDS) problems.splice(0, problems.length - MAX_RECORDS);
	}

	/** Send the held deliveries newest first, one at a time. */
	function flush() {
		if (holdTimer) {
			queue.cancel(holdTimer);
			holdTimer = undefined;
		}
		const batch = held.reverse();
		held = [];
		if (!batch.length) return 0;
		(async () => {
			for (const job of batch) await queue.run(job);
		})();
		return batch.length;
	}

	/**
	 * Fire the matching Flows for one appointment event (does not wait for the deliveries).
	 * @returns {number} how many deliveries were scheduled (copies included)
	 */
	function emit(shopId, appointment, trigger) {
		if (queue.closed) return 0;
		const state = deps.getState();
		const flows = state.flows.filter(
			(f) =>
				f.shopId === shopId &&
				f.status === true &&
				f.action === 'WEBHOOK' &&
				f.trigger === trigger &&
				f.when &&
				f.when.unit === 'IMMEDIATELY',
		);
		if (!flows.length) return 0;
		const variables = templateVariables(state, appointment, trigger);
		const variant = (point, fallback) => (deps.variants ? deps.variants.get(point) : fallback);
		const variableMode = variant('flowVariables', 'full');
		const headerFormat = variant('flowHeaders', 'json');
		const shop = state.shops.find((s) => s.id === shopId);
		const shopTimezone = shop ? shop.settings.timezone : 'UTC';
		const s = settings;
		let scheduled = 0;
		for (const flow of flows) {
			const template = flow.template || {};
			let body;
			try {
				body = renderTemplate(template.body, variables, { shopTimezone, variables: variableMode });
			} catch (e) {
				addProblem(
					flow,
					appointment.id,
					trigger,
					`template.body does not render: ${String(e.message || e).split('\n')[0]}; not sent`,
				);
				continue;
			}
			if (!allowExternal && !isLocalTarget(flow.target)) {
				addProblem(
					flow,
					appointment.id,
					trigger,
					'target is not a local address; not contacted (start the simulator with allowExternalTargets: true)',
				);
				continue;
			}
			// `flowHeaders: ignored`: Flows created through the API send no custom header at all.
			const parsed =
				headerFormat === 'ignored' && flow._createdViaApi
					? { headers: {} }
					: parseTemplateHeaders(template.headers, headerFormat);
			const jobProblems = [];
			if (parsed.problem) {
				jobProblems.push(parsed.problem);
				addProblem(flow, appointment.id, trigger, parsed.problem);
			}
			const headers = { ...parsed.headers };
			delete headers['content-length'];
			headers['content-type'] = 'application/json';
			const copies = [];
			const extra =
				s.duplicate > 0 && (s.duplicateRate >= 1 || rng.duplicate.float() < s.duplicateRate)
					? s.duplicate
					: 0;
			for (let copy = 0; copy <= extra; copy++) {
				seq += 1;
				copies.push({
					id: seq,
					fields: {
						flowId: flow.id,
						flowName: flow.name,
						trigger,
						appointmentId: appointment.id,
						target: flow.target,
					},
					url: flow.target,
					headers,
					text: body,
					body,
					copy,
					problems: jobProblems,
					retry: s.retryOnFailure,
					timeoutMs: s.timeoutMs,
					delayMs: s.delayMs,
					gapMs: s.duplicateDelayMs,
				});
			}
			scheduled += copies.length;
			if (s.reorder && (s.reorderRate >= 1 || rng.reorder.float() < s.reorderRate)) {
				queue.expect(copies.length);
				held.push(...copies);
				if (!holdTimer)
					holdTimer = queue.later(s.holdMs, () => {
						holdTimer = undefined;
						flush();
					});
			} else {
				queue.schedule(copies, s.duplicateConcurrent);
			}
		}
		return scheduled;
	}

	return {
		emit,
		flush,
		deliveries: queue.deliveries,
		problems,
		get settings() {
			return {
				...settings,
				retryOnFailure: settings.retryOnFailure && { ...settings.retryOnFailure },
			};
		},
		/** replace the delivery settings (see normalizeSettings) */
		configure(spec) {
			settings = normalizeSettings(spec);
			rng = newRng();
			return this.settings;
		},
		/** default settings; held deliveries are sent right away */
		reset() {
			settings = { ...DEFAULT_SETTINGS };
			rng = newRng();
			flush();
			return this.settings;
		},
		get pending() {
			return queue.pending;
		},
		get held() {
			return held.length;
		},
		clearDeliveries: queue.clearDeliveries,
		/** resolves once no delivery is pending (scheduled, held, in flight or waiting to retry) */
		idle: queue.idle,
		close() {
			holdTimer = undefined;
			held = [];
			queue.close();
		},
	};
}

module.exports = {
	FLOW_TRIGGERS,
	TEMPLATE_VARIABLES,
	DOCUMENTED_VARIABLES,
	DEFAULT_SETTINGS,
	formatDate,
	renderTemplate,
	templateVariables,
	parseTemplateHeaders,
	redactHeaders,
	isLocalTarget,
	normalizeSettings,
	createFlowDispatcher,
};
