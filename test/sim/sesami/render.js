'use strict';
/**
 * Internal records -> response bodies shaped exactly like the OpenAPI response schemas
 * (ReadAppointmentResponse, PaginationAppointmentItemResponse, ReadServiceResponse, ...).
 * Internal-only keys start with `_` and are never rendered.
 */

const T = require('./time');
const { publicCustomer } = require('./seed');

function clone(v) {
	return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function strip(obj, extra = []) {
	const out = {};
	for (const [k, v] of Object.entries(obj)) {
		if (k.startsWith('_') || extra.includes(k)) continue;
		out[k] = clone(v);
	}
	return out;
}

/** ReadShopResponse */
const shop = (s) => strip(s);

/** ReadShopConfigResponse */
function shopConfig(config, s) {
	return {
		features: config.features.slice(),
		plan: clone(config.plan),
		settings: clone(s.settings),
		canSetPermissions: config.canSetPermissions,
		locale: config.locale,
		maxApp: config.maxApp,
		isMigratedToMRML: config.isMigratedToMRML,
	};
}

/** ReadServiceResponse */
const service = (s) => strip(s);

/** ReadResourceResponseREST */
const resource = (r) => strip(r);

/** ReadLocationResponse */
const location = (l) => strip(l);

/** ReadResourceTypeResponse */
const resourceType = (t) => ({ id: t.id, name: t.name });

/** ReadFlowResponse */
const flow = (f) => strip(f, ['shopId']);

/** ReadCustomerResponse */
const customer = (c) => publicCustomer(c);

/** Wall-clock time of `ms` in `tz` with no offset: `YYYY-MM-DD HH:mm` or `YYYY-MM-DDTHH:mm:ss`. */
function naiveInTz(ms, tz, mode) {
	const iso = T.formatInTz(ms, tz); // 2026-12-01T10:00:00+01:00
	const local = iso.slice(0, 19);
	return mode === 'naive-minutes' ? local.slice(0, 16).replace('T', ' ') : local;
}

/**
 * ReadAppointmentResponse. `datetime`, `rangeStart`, `rangeEnd` are rendered in `tz`
 * (ISO-8601 with that zone's offset); `createdAt`, `updatedAt` and event `dateTime` stay UTC.
 * The OpenAPI document types the three as plain strings with no format
 * (https://api.sesami.co/swagger), so the variant `times` (./variants.js) may render them as
 * naive wall-clock strings in the SHOP's time zone (`options.shopTimezone`) whatever `tz` asked:
 * options.times = 'naive-minutes' ("2026-12-01 10:00") or 'naive-seconds' ("2026-12-01T10:00:00").
 */
function appointment(a, tz, options = {}) {
	const out = strip(a);
	const mode = options.times || 'iso-offset';
	const render =
		mode === 'iso-offset' || !options.shopTimezone
			? (ms) => T.formatInTz(ms, tz)
			: (ms) => naiveInTz(ms, options.shopTimezone, mode);
	out.datetime = render(Date.parse(a.datetime));
	out.rangeStart = render(Date.parse(a.rangeStart));
	out.rangeEnd = render(Date.parse(a.rangeEnd));
	return out;
}

/** ReadReservationResponse (`service` is the full service object, `duration` a string). */
function reservation(r, tz, services) {
	const out = strip(r);
	out.dateTime = T.formatInTz(Date.parse(r.dateTime), tz);
	out.rangeStart = T.formatInTz(Date.parse(r.rangeStart), tz);
	out.rangeEnd = T.formatInTz(Date.parse(r.rangeEnd), tz);
	const svc = services.find((s) => s.id === r.service);
	if (svc) out.service = service(svc);
	else delete out.service;
	return out;
}

module.exports = {
	naiveInTz,
	clone,
	strip,
	shop,
	shopConfig,
	service,
	resource,
	location,
	resourceType,
	flow,
	customer,
	appointment,
	reservation,
};
