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

/**
 * ReadAppointmentResponse. `datetime`, `rangeStart`, `rangeEnd` are rendered in `tz`
 * (ISO-8601 with that zone's offset); `createdAt`, `updatedAt` and event `dateTime` stay UTC.
 */
function appointment(a, tz) {
	const out = strip(a);
	out.datetime = T.formatInTz(Date.parse(a.datetime), tz);
	out.rangeStart = T.formatInTz(Date.parse(a.rangeStart), tz);
	out.rangeEnd = T.formatInTz(Date.parse(a.rangeEnd), tz);
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

module.exports = { clone, strip, shop, shopConfig, service, resource, location, resourceType, flow, customer, appointment, reservation };
