'use strict';
/**
 * Route handlers of the Sesami Admin API simulator (paths relative to /api/v1), written from
 * sesami-openapi.json and sesami.md §3/§4. Each handler gets a context and returns
 * `{ status, body?, headers? }` or throws an `ApiError` whose body is the documented error array.
 *
 * Decisions where the documents are silent (kept consistent everywhere):
 * - Pagination: items carry `cursor` (opaque base64url). `nextCursor` is present only when more
 *   items follow the page, `previousCursor` only when items precede it; otherwise the keys are
 *   omitted (the schema types them as plain strings, so no `null`). `remainingItems` counts the
 *   items left in the direction of travel (after the page, or before it when paging with `before`
 *   alone). `totalItems` counts every match.
 * - Appointment `status` strings: BOOKED, RESCHEDULED, CANCELLED, CHECKED_IN, NO_SHOW; `events[]`
 *   remains the source of truth.
 * - filterType: ALL (datetime ascending, optional start/end bounds), UPCOMING (datetime >= now,
 *   ascending), PAST (datetime < now, descending), RANGE (start <= datetime < end, ascending;
 *   start and end required). Cancelled appointments are included in every filter.
 * - Availability `startTime` is `YYYY-MM-DD HH:mm` in the requested timezone (the format the
 *   storefront SDK documents for the same slot object, sesami.md §6.1). Fully booked slots are
 *   omitted; a slot with some capacity left but less than `quantity` is `unavailable`.
 */

const V = require('./validate');
const T = require('./time');
const R = require('./render');
const { FLEX_MINUTES, durationOf, dayIntervals, intersect, publicCustomer } = require('./seed');

class ApiError extends Error {
	constructor(status, body, headers) {
		super(`HTTP ${status}`);
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

const err = (property, name, payload) => [
	{ property, constraints: [payload === undefined ? { name } : { name, payload }] },
];
const badRequest = (errs) => new ApiError(400, errs.list || errs);
const notFound = (property) => new ApiError(404, err(property, 'not_found'));
const invalid = (property, name, payload) => new ApiError(400, err(property, name, payload));

// ---------------------------------------------------------------------------------------------
// query helpers

/**
 * Array query parameter. Variant `arrayQuery` (./variants.js):
 * - any (default): every encoding, `ids=a&ids=b`, `ids[]=a`, `ids[0]=a`, `ids=a,b`.
 * - single-not-list: only a repeated key is a list (`ids=a&ids=b`, `ids[]=a&ids[]=b`); a key sent
 *   once (`ids=a`, `ids=a,b`, `ids[]=a`) is not read as a list: 400 [{property: name, is_array}],
 *   as a validator that receives a plain string where it expects an array answers. Values are not
 *   split on commas.
 * With `errs` the 400 is added there; without it undefined comes back (getAvailability: a required list).
 */
function arrayParam(q, name, mode = 'any', errs) {
	const values = [];
	let present = false;
	let occurrences = 0;
	for (const [k, v] of Object.entries(q)) {
		if (k === name || k === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(k)) {
			present = true;
			const items = Array.isArray(v) ? v : [v];
			occurrences += items.length;
			for (const item of items) {
				if (mode === 'single-not-list') {
					if (String(item).trim() !== '') values.push(String(item).trim());
					continue;
				}
				for (const part of String(item).split(','))
					if (part.trim() !== '') values.push(part.trim());
			}
		}
	}
	if (present && mode === 'single-not-list' && occurrences < 2) {
		if (errs) errs.add(name, 'is_array');
		return undefined;
	}
	// (without errs, the caller treats undefined as a missing list)
	return present ? values : undefined;
}

/** The chosen variant of an unverified contract point (`any` when the simulator has no switch). */
function variantOf(ctx, point, fallback) {
	return ctx.sim && ctx.sim.variants ? ctx.sim.variants.get(point) : fallback;
}

function scalarParam(q, name, errs, failName = 'is_string') {
	const v = q[name];
	if (Array.isArray(v)) {
		errs.add(name, failName);
		return undefined;
	}
	return v;
}

function mongoParam(q, name, errs) {
	const v = scalarParam(q, name, errs, 'is_mongo_id');
	if (v === undefined || v === '') return undefined;
	if (!V.isMongoId(v)) errs.add(name, 'is_mongo_id');
	return v;
}

function tzParam(q, name, errs, required) {
	const v = scalarParam(q, name, errs, 'is_time_zone');
	if (v === undefined || v === '') {
		if (required) errs.add(name, 'is_time_zone');
		return undefined;
	}
	if (!T.isValidTimeZone(v)) {
		errs.add(name, 'is_time_zone');
		return undefined;
	}
	return v;
}

function boolParam(q, name, errs) {
	const v = scalarParam(q, name, errs, 'is_boolean');
	if (v === undefined || v === '') return undefined;
	if (v === 'true') return true;
	if (v === 'false') return false;
	errs.add(name, 'is_boolean');
	return undefined;
}

function dateParam(q, name, errs, tz) {
	const v = scalarParam(q, name, errs, 'is_date');
	if (v === undefined || v === '') return undefined;
	const ms = T.parseDateTimeLenient(v, tz);
	if (ms === undefined) errs.add(name, 'is_date', 'ISO 8601 date-time');
	return ms;
}

function idsParam(q, name, errs, mode = 'any') {
	const ids = arrayParam(q, name, mode, errs);
	if (ids && ids.some((x) => !V.isMongoId(x))) errs.add(name, 'is_mongo_id');
	return ids;
}

/** limit (required, 1..100), after, before */
function pageParams(q, errs) {
	const raw = scalarParam(q, 'limit', errs, 'is_number');
	let limit;
	if (raw === undefined || raw === '') {
		if (!Array.isArray(q.limit)) errs.add('limit', 'is_not_empty');
	} else if (!/^-?\d+(\.\d+)?$/.test(String(raw).trim())) {
		errs.add('limit', 'is_number');
	} else {
		limit = Number(raw);
		if (!Number.isInteger(limit)) errs.add('limit', 'is_number', 'integer');
		else if (limit < 1) errs.add('limit', 'min', 1);
		else if (limit > 100) errs.add('limit', 'max', 100);
	}
	const after = scalarParam(q, 'after', errs);
	const before = scalarParam(q, 'before', errs);
	const cursors = {};
	for (const [k, v] of [
		['after', after],
		['before', before],
	]) {
		if (v === undefined || v === '') continue;
		const key = decodeCursor(v);
		if (!key) errs.add(k, 'invalid_input', 'cursor');
		else cursors[k] = key;
	}
	return { limit, after: cursors.after, before: cursors.before };
}

function encodeCursor(key) {
	return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(s) {
	try {
		const key = JSON.parse(Buffer.from(String(s), 'base64url').toString('utf8'));
		return Array.isArray(key) && key.length === 2 && typeof key[1] === 'string' ? key : undefined;
	} catch {
		return undefined;
	}
}

function cmpKeys(a, b, dir) {
	if (a[0] < b[0]) return -dir;
	if (a[0] > b[0]) return dir;
	if (a[1] < b[1]) return -1;
	if (a[1] > b[1]) return 1;
	return 0;
}

/**
 * Cursor pagination over `items` (already filtered and sorted by `keyFn` in direction `dir`).
 * Returns the PaginateResult body; `render(item)` produces the item without `cursor`.
 */
function paginate(items, page, keyFn, dir, render) {
	const keys = items.map(keyFn);
	let lo = 0;
	let hi = items.length;
	if (page.after) {
		const i = keys.findIndex((k) => cmpKeys(k, page.after, dir) > 0);
		lo = i < 0 ? items.length : i;
	}
	if (page.before) {
		const i = keys.findIndex((k) => cmpKeys(k, page.before, dir) >= 0);
		hi = Math.min(hi, i < 0 ? items.length : i);
	}
	if (hi < lo) hi = lo;
	let start;
	let end;
	const backwards = page.before && !page.after;
	if (backwards) {
		end = hi;
		start = Math.max(lo, hi - page.limit);
	} else {
		start = lo;
		end = Math.min(hi, lo + page.limit);
	}
	const data = items
		.slice(start, end)
		.map((it, i) => ({ ...render(it), cursor: encodeCursor(keys[start + i]) }));
	const body = { data };
	if (data.length && end < items.length) body.nextCursor = data[data.length - 1].cursor;
	if (data.length && start > 0) body.previousCursor = data[0].cursor;
	body.totalItems = items.length;
	body.remainingItems = backwards ? start : items.length - end;
	return body;
}

const lc = (s) => String(s || '').toLowerCase();
const byName = (name) => (it) => [lc(it[name]), it.id];

// ---------------------------------------------------------------------------------------------
// lookups

function inShop(list, shopId) {
	return list.filter((x) => x.shopId === shopId);
}

function findById(ctx, list, id, property, idProp = 'id') {
	if (!V.isMongoId(id)) throw invalid(idProp, 'is_mongo_id');
	const found = list.find((x) => x.id === id && x.shopId === ctx.shop.id);
	if (!found) throw notFound(property);
	return found;
}

function requireIdAndErrors(ctx, list, id, property, errs) {
	if (!V.isMongoId(id)) errs.add('id', 'is_mongo_id');
	if (errs.any) throw badRequest(errs);
	const found = list.find((x) => x.id === id && x.shopId === ctx.shop.id);
	if (!found) throw notFound(property);
	return found;
}

function bodyOrEmpty(ctx) {
	return ctx.body === undefined ? {} : ctx.body;
}

function shopTz(ctx) {
	return ctx.shop.settings.timezone;
}

/** An appointment as the API answers it: in `tz`, or naive in the shop's zone (variant `times`). */
function renderAppointment(ctx, a, tz) {
	return R.appointment(a, tz, {
		times: variantOf(ctx, 'times', 'iso-offset'),
		shopTimezone: shopTz(ctx),
	});
}

// ---------------------------------------------------------------------------------------------
// shops

function listShops(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	if (errs.any) throw badRequest(errs);
	// a PAT is bound to one shop: the list holds the key's shop only
	let items = ctx.state.shops.filter((s) => s.id === ctx.auth.shopId);
	if (term)
		items = items.filter((s) => [s.name, s.domain, s.email].some((f) => lc(f).includes(lc(term))));
	items.sort((a, b) => cmpKeys(byName('name')(a), byName('name')(b), 1));
	return { status: 200, body: paginate(items, page, byName('name'), 1, R.shop) };
}

/** The shop's Flow limit: its plan's, or the one the `maxFlows` variant plays (./variants.js). */
function maxFlowsOf(ctx) {
	const v = ctx.sim.variants ? ctx.sim.variants.get('maxFlows') : 'plan';
	return v === 'plan' ? ctx.shop.maxFlows : Number(v);
}

function getShop(ctx) {
	return { status: 200, body: { ...R.shop(ctx.shop), maxFlows: maxFlowsOf(ctx) } };
}

function updateShop(ctx) {
	const errs = V.validateBody(bodyOrEmpty(ctx), V.schemas.UPDATE_SHOP);
	if (errs.any) throw badRequest(errs);
	const b = bodyOrEmpty(ctx);
	if (b.settings) {
		for (const [k, v] of Object.entries(b.settings)) {
			if (k in V.schemas.UPDATE_SHOP.settings.fields) ctx.shop.settings[k] = R.clone(v);
		}
	}
	if (typeof b.image === 'string') ctx.shop.image = { id: ctx.sim.newId(), path: b.image };
	ctx.shop.updatedAt = ctx.sim.nowIso();
	return { status: 200, body: R.shop(ctx.shop) };
}

function getShopConfig(ctx) {
	const config = ctx.state.configs.find((c) => c.shopId === ctx.shop.id);
	if (!config) throw notFound('config');
	return { status: 200, body: R.shopConfig(config, ctx.shop) };
}

// ---------------------------------------------------------------------------------------------
// services

function listServices(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	const status = boolParam(ctx.query, 'status', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.services, ctx.shop.id);
	if (term)
		items = items.filter((s) =>
			[s.title, s.urlKey, s.externalId].some((f) => lc(f).includes(lc(term))),
		);
	if (status !== undefined) items = items.filter((s) => s.status === status);
	const key = byName('title');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.service) };
}

function getService(ctx) {
	const s = findById(ctx, ctx.state.services, ctx.params.id, 'service');
	return { status: 200, body: R.service(s) };
}

function updateService(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_SERVICE);
	const s = requireIdAndErrors(ctx, ctx.state.services, ctx.params.id, 'service', errs);
	const simple = [
		'displayTeamOnStorefront',
		'bookingUntilDays',
		'teamMembers',
		'eventDescription',
		'instantBooking',
		'disableSameDayBooking',
		'roundStartInterval',
		'bufferFromNow',
		'storefrontStartDate',
		'bufferTimeBefore',
		'bufferTimeAfter',
		'customerCanCancel',
		'customerCanReschedule',
		'refundMoneyOnCancel',
		'customerCanManageBefore',
		'groupAppointments',
		'groupAppointmentSlots',
		'flexStartInterval',
		'createOrder',
	];
	for (const k of simple) if (body[k] !== undefined) s[k] = R.clone(body[k]);
	if (body.location) s.location = { id: s.location.id, content: body.location.content || '' };
	if (body.availabilities) s.availabilities = toAvailabilities(ctx, body.availabilities);
	if (body.variants) {
		s.variants = body.variants.map((v) => {
			const label = `${v.duration} minutes`;
			return {
				id: ctx.sim.newId(),
				externalId: v.externalId || '',
				title: v.title,
				price: v.price,
				options: [{ id: ctx.sim.newId(), name: 'Duration', value: label }],
			};
		});
	}
	if (body.locationResources) {
		s.locations = body.locationResources.map((l) => ({
			locationId: l.locationId,
			resources: l.resources.map((r) => ({
				typeId: r.typeId,
				isSelectable: r.isSelectable,
				isTimeBlocker: r.blocksDuringAppointment,
				ids: r.ids.slice(),
				hideAnyAvailable: !!r.hideAnyAvailable,
			})),
		}));
		s.locationIds = s.locations.map((l) => l.locationId);
	}
	s.availabilitiesSavedAt = body.availabilities ? ctx.sim.nowIso() : s.availabilitiesSavedAt;
	return { status: 200, body: R.service(s) };
}

function deleteService(ctx) {
	const s = findById(ctx, ctx.state.services, ctx.params.id, 'service');
	ctx.state.services.splice(ctx.state.services.indexOf(s), 1);
	return { status: 200, body: { message: 'Service deleted successfully' } };
}

function toAvailabilities(ctx, list) {
	return list.map((a) => {
		const out = { id: ctx.sim.newId(), type: a.type };
		if (a.weekday !== undefined) out.weekday = a.weekday;
		if (a.date !== undefined) out.date = a.date;
		out.intervals = a.intervals.map((iv) => ({ id: ctx.sim.newId(), from: iv.from, to: iv.to }));
		return out;
	});
}

// ---------------------------------------------------------------------------------------------
// resources, resource types, locations

function listResources(ctx) {
	const errs = new V.Errors();
	const q = ctx.query;
	const page = pageParams(q, errs);
	const term = scalarParam(q, 'searchTerm', errs);
	const typeId = mongoParam(q, 'typeId', errs);
	const locationId = mongoParam(q, 'locationId', errs);
	tzParam(q, 'timezone', errs, false);
	const ids = idsParam(q, 'ids', errs, variantOf(ctx, 'arrayQuery', 'any'));
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.resources, ctx.shop.id);
	if (term)
		items = items.filter((r) =>
			[r.name, r.email, r.description].some((f) => lc(f).includes(lc(term))),
		);
	if (typeId) items = items.filter((r) => r.type === typeId);
	if (locationId) items = items.filter((r) => (r._locationIds || []).includes(locationId));
	if (ids && ids.length) items = items.filter((r) => ids.includes(r.id));
	const key = byName('name');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.resource) };
}

function getResource(ctx) {
	const errs = new V.Errors();
	tzParam(ctx.query, 'timezone', errs, true);
	const r = requireIdAndErrors(ctx, ctx.state.resources, ctx.params.id, 'resource', errs);
	return { status: 200, body: R.resource(r) };
}

function applyResource(ctx, r, body) {
	for (const k of [
		'name',
		'email',
		'status',
		'timezone',
		'description',
		'eventDescription',
		'mobile',
		'notificationEmailStatus',
	]) {
		if (body[k] !== undefined) r[k] = body[k];
	}
	if (typeof body.image === 'string') r.image = { id: ctx.sim.newId(), path: body.image };
	if (body.availabilities) r.availabilities = toAvailabilities(ctx, body.availabilities);
	if (body.availabilitiesRange) {
		r.availabilitiesRange = {
			availableFrom: {
				type: body.availabilitiesRange.availableFrom.type,
				value: body.availabilitiesRange.availableFrom.value ?? null,
			},
			availableTo: {
				type: body.availabilitiesRange.availableTo.type,
				value: body.availabilitiesRange.availableTo.value ?? null,
			},
		};
	}
}

function updateResource(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_RESOURCE);
	const r = requireIdAndErrors(ctx, ctx.state.resources, ctx.params.id, 'resource', errs);
	applyResource(ctx, r, body);
	return { status: 200, body: R.resource(r) };
}

function createResource(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_RESOURCE);
	if (errs.any) throw badRequest(errs);
	const type = ctx.state.resourceTypes.find(
		(t) => t.id === body.typeId && t.shopId === ctx.shop.id,
	);
	if (!type) throw invalid('typeId', 'invalid_id');
	const r = {
		id: ctx.sim.newId(),
		name: body.name,
		type: type.id,
		email: '',
		status: true,
		image: {},
		shopId: ctx.shop.id,
		description: '',
		eventDescription: '',
		mobile: '',
		notificationEmailStatus: false,
		timezone: shopTz(ctx),
		availabilities: [],
		availabilitiesRange: {
			availableFrom: { type: 'NOW', value: null },
			availableTo: { type: 'INDEFINITELY', value: null },
		},
		metaFields: {},
		_locationIds: [],
	};
	applyResource(ctx, r, body);
	ctx.state.resources.push(r);
	return { status: 201 };
}

function deleteResource(ctx) {
	const r = findById(ctx, ctx.state.resources, ctx.params.id, 'resource');
	ctx.state.resources.splice(ctx.state.resources.indexOf(r), 1);
	return { status: 200, body: { message: 'Resource deleted successfully' } };
}

function listResourceTypes(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.resourceTypes, ctx.shop.id);
	if (term) items = items.filter((t) => lc(t.name).includes(lc(term)));
	const key = byName('name');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.resourceType) };
}

function getResourceType(ctx) {
	const t = findById(ctx, ctx.state.resourceTypes, ctx.params.id, 'resource-type');
	return { status: 200, body: R.resourceType(t) };
}

function createResourceType(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_RESOURCE_TYPE);
	if (errs.any) throw badRequest(errs);
	ctx.state.resourceTypes.push({ id: ctx.sim.newId(), name: body.name, shopId: ctx.shop.id });
	return { status: 201 };
}

function listLocations(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	const status = boolParam(ctx.query, 'status', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.locations, ctx.shop.id);
	if (term)
		items = items.filter((l) =>
			[l.name, l.email, l.businessAddress.city].some((f) => lc(f).includes(lc(term))),
		);
	if (status !== undefined) items = items.filter((l) => l.status === status);
	const key = byName('name');
	items.sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.location) };
}

function getLocation(ctx) {
	const l = findById(ctx, ctx.state.locations, ctx.params.id, 'location');
	return { status: 200, body: R.location(l) };
}

function applyLocation(ctx, l, body) {
	for (const k of ['name', 'timezone', 'status', 'email', 'description', 'phone', 'isDefault']) {
		if (body[k] !== undefined) l[k] = body[k];
	}
	if (typeof body.image === 'string') l.image = { id: ctx.sim.newId(), path: body.image };
	if (body.businessAddress) {
		const a = { ...l.businessAddress };
		for (const [k, v] of Object.entries(body.businessAddress))
			if (k in V.schemas.CREATE_LOCATION.businessAddress.fields) a[k] = v;
		l.businessAddress = a;
	}
	if (body.isDefault === true) {
		for (const o of inShop(ctx.state.locations, ctx.shop.id)) if (o !== l) o.isDefault = false;
	}
}

function createLocation(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_LOCATION);
	if (errs.any) throw badRequest(errs);
	const l = {
		id: ctx.sim.newId(),
		name: body.name,
		email: '',
		phone: '',
		description: '',
		image: {},
		businessAddress: {
			country: '',
			address: '',
			address2: '',
			zipCode: '',
			city: '',
			state: '',
			suite: '',
		},
		timezone: shopTz(ctx),
		status: true,
		shopId: ctx.shop.id,
		isDefault: false,
	};
	applyLocation(ctx, l, body);
	ctx.state.locations.push(l);
	return { status: 201 };
}

function updateLocation(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_LOCATION);
	const l = requireIdAndErrors(ctx, ctx.state.locations, ctx.params.id, 'location', errs);
	applyLocation(ctx, l, body);
	return { status: 200, body: R.location(l) };
}

function deleteLocation(ctx) {
	const l = findById(ctx, ctx.state.locations, ctx.params.id, 'location');
	ctx.state.locations.splice(ctx.state.locations.indexOf(l), 1);
	return { status: 200, body: R.location(l) };
}

// ---------------------------------------------------------------------------------------------
// appointments

const STATUS = {
	BOOKED: 'BOOKED',
	RESCHEDULED: 'RESCHEDULED',
	CANCELLED: 'CANCELLED',
	CHECKED_IN: 'CHECKED_IN',
	NO_SHOW: 'NO_SHOW',
};

/** Shared filters of GET /{shop}/appointments and GET /{shop}/reservations. */
function readListFilters(ctx, errs) {
	const q = ctx.query;
	const page = pageParams(q, errs);
	const arrayMode = variantOf(ctx, 'arrayQuery', 'any');
	const ids = idsParam(q, 'ids', errs, arrayMode);
	const resources = idsParam(q, 'resources', errs, arrayMode);
	const searchTerm = scalarParam(q, 'searchTerm', errs);
	const teamMember = scalarParam(q, 'teamMember', errs);
	const locationId = mongoParam(q, 'locationId', errs);
	const timezone = tzParam(q, 'timezone', errs, false);
	const tz = timezone || shopTz(ctx);
	let filterType = scalarParam(q, 'filterType', errs, 'is_enum');
	if (filterType === undefined || filterType === '') filterType = 'ALL';
	else if (!V.FILTER_TYPES.includes(filterType)) {
		errs.add('filterType', 'is_enum', V.FILTER_TYPES.join(','));
	}
	const start = dateParam(q, 'start', errs, tz);
	const end = dateParam(q, 'end', errs, tz);
	if (filterType === 'RANGE') {
		if (q.start === undefined || q.start === '') errs.add('start', 'is_not_empty');
		if (q.end === undefined || q.end === '') errs.add('end', 'is_not_empty');
	}
	if (start !== undefined && end !== undefined && start > end) errs.add('end', 'valid_interval');
	return { page, ids, resources, searchTerm, teamMember, locationId, tz, filterType, start, end };
}

/** filter + order by time; returns { items, dir } */
function applyTimeFilters(ctx, items, f, timeOf) {
	const now = ctx.sim.now();
	let dir = 1;
	let out = items;
	if (f.filterType === 'UPCOMING') out = out.filter((x) => timeOf(x) >= now);
	if (f.filterType === 'PAST') {
		out = out.filter((x) => timeOf(x) < now);
		dir = -1;
	}
	if (f.start !== undefined) out = out.filter((x) => timeOf(x) >= f.start);
	if (f.end !== undefined) out = out.filter((x) => timeOf(x) < f.end);
	const key = (x) => [timeOf(x), x.id];
	out = out.slice().sort((a, b) => cmpKeys(key(a), key(b), dir));
	return { items: out, dir, key };
}

function matchesSearch(term, customer, orderName) {
	if (!term) return true;
	const t = lc(term).trim();
	const hay = [
		customer && customer.name,
		customer && customer.firstName,
		customer && customer.lastName,
		customer && customer.email,
		orderName,
		orderName ? String(orderName).replace(/^#/, '') : '',
	];
	return hay.some((h) => h && lc(h).includes(t));
}

function listAppointments(ctx) {
	const errs = new V.Errors();
	const f = readListFilters(ctx, errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.appointments, ctx.shop.id);
	if (f.ids && f.ids.length) items = items.filter((a) => f.ids.includes(a.id));
	if (f.resources && f.resources.length)
		items = items.filter((a) => a.resources.some((r) => f.resources.includes(r)));
	if (f.teamMember)
		items = items.filter(
			(a) => a.teamMember === f.teamMember || a.resources.includes(f.teamMember),
		);
	if (f.locationId) items = items.filter((a) => a.locationId === f.locationId);
	if (f.searchTerm)
		items = items.filter((a) => matchesSearch(f.searchTerm, a.customer, a.orderName));
	const {
		items: sorted,
		dir,
		key,
	} = applyTimeFilters(ctx, items, f, (a) => Date.parse(a.datetime));
	const services = ctx.state.services;
	const render = (a) => {
		const out = renderAppointment(ctx, a, f.tz);
		const svc = services.find((s) => s.id === a.service);
		if (svc) out.serviceObject = R.service(svc);
		return out;
	};
	return { status: 200, body: paginate(sorted, f.page, key, dir, render) };
}

function getAppointment(ctx) {
	const errs = new V.Errors();
	const tz = tzParam(ctx.query, 'timezone', errs, true);
	const a = requireIdAndErrors(ctx, ctx.state.appointments, ctx.params.id, 'appointment', errs);
	return { status: 200, body: renderAppointment(ctx, a, tz) };
}

function appointmentForChange(ctx, errs) {
	const a = requireIdAndErrors(ctx, ctx.state.appointments, ctx.params.id, 'appointment', errs);
	return a;
}

function assertNotCancelled(a, what) {
	if (a.status === STATUS.CANCELLED) {
		throw new ApiError(
			400,
			err('appointment', 'invalid_input', `Cancelled appointments cannot be ${what}`),
		);
	}
}

function addEvent(ctx, a, type, content, atMs) {
	const e = {
		id: ctx.sim.newId(),
		type,
		content: content === undefined ? '' : content,
		initiatedBy: 'API',
		dateTime: new Date(atMs === undefined ? ctx.sim.now() : atMs).toISOString(),
	};
	a.events.push(e);
	a.updatedAt = ctx.sim.nowIso();
	return e;
}

/**
 * Variant `writeGatewayError` = apply-then-502: the first API cancel / reschedule of each
 * appointment is carried out, then answered 502 (a gateway that lost Sesami's answer). The
 * exchange is marked `fault: 'gateway-502'` (the status is a gateway's, not the API's). Control
 * endpoints (ctx.control) are never affected.
 */
function gatewayErrorAfterWrite(ctx, a, action) {
	if (ctx.control || variantOf(ctx, 'writeGatewayError', 'off') !== 'apply-then-502')
		return undefined;
	a._gatewayErrors = a._gatewayErrors || {};
	if (a._gatewayErrors[action]) return undefined;
	a._gatewayErrors[action] = true;
	return { status: 502, body: err('ROOT', 'bad_gateway'), gatewayError: true };
}

function cancelAppointment(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CANCEL);
	const a = appointmentForChange(ctx, errs);
	if (a.status === STATUS.CANCELLED) {
		// variant repeatCancel = noop-200: a second cancel is answered 200 and changes nothing
		if (!ctx.control && variantOf(ctx, 'repeatCancel', 'error-400') === 'noop-200') {
			return { status: 200, body: { message: 'Appointment is already cancelled' } };
		}
		throw new ApiError(
			400,
			err('appointment', 'invalid_input', 'Appointment is already cancelled'),
		);
	}
	a.status = STATUS.CANCELLED;
	a._refundMoney = body.refundMoney;
	addEvent(ctx, a, 'CANCELLED', body.content);
	ctx.sim.emitAppointmentEvent(a.shopId, a, 'APPOINTMENT_CANCELLED');
	return (
		gatewayErrorAfterWrite(ctx, a, 'cancel') || {
			status: 200,
			body: { message: 'Appointment cancelled successfully' },
		}
	);
}

function rescheduleAppointment(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.RESCHEDULE);
	const a = appointmentForChange(ctx, errs);
	assertNotCancelled(a, 'rescheduled');
	if (
		body.dateTime === undefined &&
		body.resourceIds === undefined &&
		body.locationId === undefined &&
		body.teamMemberId === undefined
	) {
		throw invalid('dateTime', 'is_not_empty');
	}
	const shopResources = inShop(ctx.state.resources, ctx.shop.id);
	const e2 = new V.Errors();
	if (body.resourceIds && body.resourceIds.some((id) => !shopResources.some((r) => r.id === id)))
		e2.add('resourceIds', 'invalid_id');
	if (body.teamMemberId && !shopResources.some((r) => r.id === body.teamMemberId))
		e2.add('teamMemberId', 'invalid_id');
	if (
		body.locationId &&
		!inShop(ctx.state.locations, ctx.shop.id).some((l) => l.id === body.locationId)
	)
		e2.add('locationId', 'invalid_id');
	if (e2.any) throw badRequest(e2);
	const tz = body.timezone || shopTz(ctx);
	const oldStart = Date.parse(a.datetime);
	const newStart =
		body.dateTime === undefined ? oldStart : T.parseDateTimeLenient(body.dateTime, tz);
	const newResources =
		body.resourceIds && body.resourceIds.length
			? body.resourceIds.slice()
			: body.teamMemberId
				? [body.teamMemberId]
				: a.resources.slice();
	if (ctx.sim.options.rescheduleRequiresAvailability) {
		const busy = conflicts(
			ctx,
			newResources,
			newStart - a.bufferTimeBefore * T.MINUTE,
			newStart + (a.duration + a.bufferTimeAfter) * T.MINUTE,
			a.id,
		);
		if (busy) throw invalid('dateTime', 'valid_interval');
	}
	a.datetime = new Date(newStart).toISOString();
	a.rangeStart = new Date(newStart - a.bufferTimeBefore * T.MINUTE).toISOString();
	a.rangeEnd = new Date(newStart + (a.duration + a.bufferTimeAfter) * T.MINUTE).toISOString();
	a.resources = newResources;
	a.teamMember = body.teamMemberId || newResources[0] || a.teamMember;
	if (body.locationId) a.locationId = body.locationId;
	a.status = STATUS.RESCHEDULED;
	const stz = shopTz(ctx);
	const content =
		body.content !== undefined
			? body.content
			: `Rescheduled from ${T.formatInTz(oldStart, stz)} to ${T.formatInTz(newStart, stz)}`;
	addEvent(ctx, a, 'RESCHEDULED', content);
	ctx.sim.emitAppointmentEvent(a.shopId, a, 'APPOINTMENT_RESCHEDULED');
	return (
		gatewayErrorAfterWrite(ctx, a, 'reschedule') || {
			status: 200,
			body: { message: 'Appointment rescheduled successfully' },
		}
	);
}

function eventAction(type, status, trigger, what) {
	return (ctx) => {
		const body = bodyOrEmpty(ctx);
		const errs = V.validateBody(body, V.schemas.APPOINTMENT_EVENT);
		const a = appointmentForChange(ctx, errs);
		assertNotCancelled(a, what);
		const at =
			body.dateTime === undefined ? undefined : T.parseDateTimeLenient(body.dateTime, shopTz(ctx));
		addEvent(ctx, a, type, body.content, at);
		a.status = status;
		ctx.sim.emitAppointmentEvent(a.shopId, a, trigger);
		return { status: 200, body: renderAppointment(ctx, a, shopTz(ctx)) };
	};
}

function resendConfirmation(ctx) {
	const a = appointmentForChange(ctx, new V.Errors());
	assertNotCancelled(a, 'confirmed again');
	addEvent(ctx, a, 'CONFIRMATIONEMAILSENT', '');
	return { status: 200, body: renderAppointment(ctx, a, shopTz(ctx)) };
}

function generateReport(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.REPORT);
	if (body.filterType === 'RANGE') {
		if (body.start === undefined) errs.add('start', 'is_not_empty');
		if (body.end === undefined) errs.add('end', 'is_not_empty');
	}
	if (errs.any) throw badRequest(errs);
	return { status: 200, body: { email: ctx.shop.email } };
}

// ---------------------------------------------------------------------------------------------
// simulator-only: appointments created / changed by the test control endpoints
// (the Admin API has no create; bookings come from Shopify checkout or instant booking, §3.9)

const ZERO_DECIMALS = ['JPY', 'KRW'];
const GUEST_FIRST_NAMES = [
	'Jordan',
	'Camille',
	'Noor',
	'Mateus',
	'Ingrid',
	'Kofi',
	'Leilani',
	'Tomasz',
];
const GUEST_LAST_NAMES = [
	'Rivera',
	'Lefèvre',
	'Haddad',
	'Costa',
	'Lindqvist',
	'Mensah',
	'Kahale',
	'Nowak',
];

function asciiSlug(s) {
	return String(s || '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]/g, '')
		.toLowerCase();
}

/**
 * The first start >= fromMs where one of the location's primary resources and the service both
 * work and nothing (non-cancelled, buffers included) overlaps. Returns { startMs, resourceId } or
 * undefined within `days` days.
 */
function nextFreeSlot(
	ctx,
	{ service, variant, location, fromMs, exceptId, resourceIds, days = 60 },
) {
	const tz = shopTz(ctx);
	const minutes = durationOf(variant);
	const step = FLEX_MINUTES[service.flexStartInterval] || 30;
	const candidates = (
		resourceIds || (location && location.resources[0] ? location.resources[0].ids : [])
	)
		.map((id) => ctx.state.resources.find((r) => r.id === id))
		.filter((r) => r && r.status);
	const firstDate = T.dateInTz(fromMs, tz);
	for (let d = 0; d < days; d++) {
		const date = T.addDaysToDate(firstDate, d);
		const wd = T.weekdayOfDate(date);
		const [y, mo, da] = date.split('-').map(Number);
		const serviceIvs = dayIntervals(service.availabilities, wd, date);
		const starts = [];
		for (const r of candidates) {
			for (const [s, e] of intersect(serviceIvs, dayIntervals(r.availabilities, wd, date))) {
				for (let m = s; m + minutes <= e; m += step) starts.push([m, r.id]);
			}
		}
		starts.sort((a, b) => a[0] - b[0]);
		for (const [m, resourceId] of starts) {
			const startMs = T.wallToUtc(y, mo, da, Math.floor(m / 60), m % 60, tz);
			if (startMs < fromMs) continue;
			const from = startMs - service.bufferTimeBefore * T.MINUTE;
			const to = startMs + (minutes + service.bufferTimeAfter) * T.MINUTE;
			if (!conflicts(ctx, [resourceId], from, to, exceptId)) return { startMs, resourceId };
		}
	}
	return undefined;
}

function customerFor(ctx, input, instant) {
	const rng = ctx.sim.rng;
	const shopCustomers = ctx.state.customers.filter(
		(c) => c.shopId === ctx.shop.id && c.externalSource === 'SHOPIFY',
	);
	if ((input === undefined || input === null) && !instant) {
		if (!shopCustomers.length) throw invalid('customer', 'is_not_empty');
		return shopCustomers[rng.int(0, shopCustomers.length - 1)];
	}
	if (input === undefined || input === null) {
		// instant bookings come with a new, Sesami-only customer
		input = { firstName: rng.pick(GUEST_FIRST_NAMES), lastName: rng.pick(GUEST_LAST_NAMES) };
	}
	if (typeof input !== 'object' || Array.isArray(input)) throw invalid('customer', 'is_object');
	if (input.id !== undefined) {
		const found = ctx.state.customers.find((c) => c.id === input.id && c.shopId === ctx.shop.id);
		if (!found) throw notFound('customer');
		return found;
	}
	for (const k of ['firstName', 'lastName', 'name', 'email', 'phone', 'externalId', 'timezone']) {
		if (input[k] !== undefined && typeof input[k] !== 'string')
			throw invalid(`customer.${k}`, 'is_string');
	}
	if (input.timezone !== undefined && input.timezone !== '' && !T.isValidTimeZone(input.timezone))
		throw invalid('customer.timezone', 'is_time_zone');
	let { firstName, lastName } = input;
	if (firstName === undefined && lastName === undefined && input.name !== undefined) {
		const parts = input.name.trim().split(/\s+/);
		firstName = parts.shift() || '';
		lastName = parts.join(' ');
	}
	firstName = firstName === undefined ? 'Alex' : firstName;
	lastName = lastName === undefined ? 'Morgan' : lastName;
	const name =
		input.name !== undefined ? input.name : [firstName, lastName].filter(Boolean).join(' ');
	const email =
		input.email !== undefined
			? input.email
			: `${asciiSlug(firstName) || 'guest'}.${asciiSlug(lastName) || rng.int(100, 999)}${rng.int(10, 99)}@example.com`;
	const c = {
		id: ctx.sim.newId(),
		externalId:
			input.externalId !== undefined ? input.externalId : instant ? '' : rng.digits(13, '7'),
		firstName,
		lastName,
		name,
		email,
		phone: input.phone !== undefined ? input.phone : `+4477${rng.digits(8)}`,
		billingPhone: '',
		image: {},
		externalSource: instant ? 'SESAMI' : 'SHOPIFY',
		description: instant ? 'Instant booking' : '',
		shopId: ctx.shop.id,
		_timezone: input.timezone ? input.timezone : shopTz(ctx),
	};
	ctx.state.customers.push(c);
	return c;
}

/**
 * Create a new appointment as a Shopify checkout (or an instant booking) would, in ctx.shop.
 * input: { serviceId?, variantId?, locationId?, resourceId?, customer?: {id} | {firstName?,
 * lastName?, name?, email?, phone?, externalId?, timezone?}, datetime?, instant?,
 * lineItemProperties?: [{name, value}] }. Returns the internal record (Flows are not fired here).
 */
function createAppointment(ctx, input = {}) {
	if (!input || typeof input !== 'object' || Array.isArray(input))
		throw invalid('ROOT', 'is_object');
	const services = inShop(ctx.state.services, ctx.shop.id);
	let service;
	if (input.serviceId !== undefined) {
		service = services.find((s) => s.id === input.serviceId);
		if (!service) throw notFound('service');
	} else if (input.instant) {
		service = services.find((s) => s.instantBooking) || services[services.length - 1];
	} else {
		service = services.find((s) => !s.instantBooking && s.status) || services[0];
	}
	if (!service) throw notFound('service');
	const instant = input.instant !== undefined ? !!input.instant : !!service.instantBooking;
	const variant =
		input.variantId !== undefined
			? service.variants.find((v) => v.id === input.variantId || v.externalId === input.variantId)
			: service.variants[0];
	if (!variant) throw notFound('variant');
	const location =
		input.locationId !== undefined
			? service.locations.find((l) => l.locationId === input.locationId)
			: service.locations[0];
	if (!location) throw invalid('locationId', 'invalid_id');
	const minutes = durationOf(variant);
	const now = ctx.sim.now();

	let startMs;
	let resourceId = input.resourceId;
	if (
		resourceId !== undefined &&
		!inShop(ctx.state.resources, ctx.shop.id).some((r) => r.id === resourceId)
	)
		throw invalid('resourceId', 'invalid_id');
	if (input.datetime !== undefined) {
		startMs =
			typeof input.datetime === 'string'
				? T.parseDateTimeLenient(input.datetime, shopTz(ctx))
				: undefined;
		if (startMs === undefined) throw invalid('datetime', 'is_date', 'ISO 8601 date-time');
		if (!resourceId) {
			const ids = location.resources[0] ? location.resources[0].ids : [];
			const from = startMs - service.bufferTimeBefore * T.MINUTE;
			const to = startMs + (minutes + service.bufferTimeAfter) * T.MINUTE;
			resourceId = ids.find((id) => !conflicts(ctx, [id], from, to)) || ids[0];
		}
	} else {
		const slot = nextFreeSlot(ctx, {
			service,
			variant,
			location,
			fromMs: now + T.DAY,
			resourceIds: resourceId ? [resourceId] : undefined,
		});
		if (!slot) throw invalid('datetime', 'valid_interval', 'no free slot in the next 60 days');
		startMs = slot.startMs;
		resourceId = slot.resourceId;
	}
	if (!resourceId) throw invalid('resourceId', 'is_not_empty');

	const customer = customerFor(ctx, input.customer, instant);
	const customerTz =
		(input.customer && input.customer.timezone) || customer._timezone || shopTz(ctx);
	const rng = ctx.sim.rng;
	const id = ctx.sim.newId();
	const token = rng.hex(32);
	const nowIso = new Date(now).toISOString();
	const shopAppointments = inShop(ctx.state.appointments, ctx.shop.id);
	const lastOrder = shopAppointments.reduce(
		(n, a) => Math.max(n, Number(String(a.orderName).replace(/^#/, '')) || 0),
		1000,
	);
	const question = ctx.shop.settings.lineItemPropertiesToCapture[3];
	let props;
	if (input.lineItemProperties !== undefined) {
		if (
			!Array.isArray(input.lineItemProperties) ||
			input.lineItemProperties.some((p) => !p || typeof p.name !== 'string')
		) {
			throw invalid('lineItemProperties', 'is_array', '[{name, value}]');
		}
		props = input.lineItemProperties.map((p) => ({
			id: ctx.sim.newId(),
			name: p.name,
			value: p.value === undefined || p.value === null ? '' : String(p.value),
		}));
	} else {
		props = [
			{ id: ctx.sim.newId(), name: 'Date', value: T.dateInTz(startMs, customerTz) },
			{ id: ctx.sim.newId(), name: 'Time', value: T.timeInTz(startMs, customerTz) },
			{ id: ctx.sim.newId(), name: 'Timezone', value: customerTz },
		];
		if (question) props.push({ id: ctx.sim.newId(), name: question, value: 'First visit' });
	}
	const price = ZERO_DECIMALS.includes(ctx.shop.currency)
		? Math.round(variant.price)
		: Math.round(variant.price * 100) / 100;
	const a = {
		id,
		shopId: ctx.shop.id,
		orderId: instant ? '' : rng.digits(13, '5'),
		orderName: instant ? '' : `#${lastOrder + 1}`,
		lineItemId: instant ? '' : rng.digits(14, '1'),
		customer: publicCustomer(customer),
		customerTimezone: customerTz,
		// created appointments carry a second query parameter, so the `&` escaping quirk shows in Flows
		customerManagementLink: `https://app.sesami.co/manage/${id}?token=${token}&shop=${ctx.shop.domain}`,
		price,
		datetime: new Date(startMs).toISOString(),
		rangeStart: new Date(startMs - service.bufferTimeBefore * T.MINUTE).toISOString(),
		rangeEnd: new Date(startMs + (minutes + service.bufferTimeAfter) * T.MINUTE).toISOString(),
		variantTitle: variant.title,
		externalVariantId: variant.externalId,
		duration: minutes,
		currency: ctx.shop.currency,
		status: STATUS.BOOKED,
		gateway: instant ? '' : 'shopify_payments',
		bufferTimeBefore: service.bufferTimeBefore,
		bufferTimeAfter: service.bufferTimeAfter,
		service: service.id,
		teamMember: resourceId,
		slotId: ctx.sim.newId(),
		instantBookingId: instant ? ctx.sim.newId() : '',
		quantity: 1,
		locale: ctx.shop.settings.locale,
		lineItemProperties: props,
		events: [
			{
				id: ctx.sim.newId(),
				type: 'CREATED',
				content: instant ? 'Instant booking' : 'Booked through Shopify checkout',
				initiatedBy: 'CUSTOMER',
				dateTime: nowIso,
			},
			{
				id: ctx.sim.newId(),
				type: 'CONFIRMATIONEMAILSENT',
				content: '',
				initiatedBy: 'SYSTEM',
				dateTime: nowIso,
			},
		],
		createdAt: nowIso,
		updatedAt: nowIso,
		sessionId: rng.uuid(),
		resources: [resourceId],
		locationId: location.locationId,
		_dayOffset: Math.round((startMs - now) / T.DAY),
		_instant: instant,
		_created: true,
	};
	ctx.state.appointments.push(a);
	return a;
}

function startAppointment(ctx) {
	const a = appointmentForChange(ctx, new V.Errors());
	assertNotCancelled(a, 'started');
	a._startedAt = ctx.sim.nowIso();
	ctx.sim.emitAppointmentEvent(a.shopId, a, 'APPOINTMENT_STARTED');
	return { status: 200, body: R.appointment(a, shopTz(ctx)) };
}

/** The control actions of POST /__sim/appointments/:id/<action> (they fire Flows like the API does). */
const CONTROL_ACTIONS = {
	cancel: (ctx) => {
		if (ctx.body.refundMoney === undefined) ctx.body.refundMoney = false;
		return cancelAppointment(ctx);
	},
	reschedule: (ctx) => {
		const b = ctx.body;
		if (
			b.dateTime === undefined &&
			b.resourceIds === undefined &&
			b.locationId === undefined &&
			b.teamMemberId === undefined
		) {
			const a = appointmentForChange(ctx, new V.Errors());
			assertNotCancelled(a, 'rescheduled');
			const service = ctx.state.services.find((s) => s.id === a.service);
			const variant =
				service &&
				(service.variants.find((v) => v.title === a.variantTitle) || service.variants[0]);
			const slot =
				service && variant
					? nextFreeSlot(ctx, {
							service,
							variant,
							fromMs: Date.parse(a.datetime) + T.DAY,
							exceptId: a.id,
							resourceIds: a.resources.slice(0, 1),
						})
					: undefined;
			b.dateTime = new Date(slot ? slot.startMs : Date.parse(a.datetime) + T.DAY).toISOString();
		}
		return rescheduleAppointment(ctx);
	},
	'check-in': eventAction(
		'CUSTOMER_CHECKIN',
		STATUS.CHECKED_IN,
		'CUSTOMER_CHECKED_IN',
		'checked in',
	),
	'no-show': eventAction('NO_SHOW', STATUS.NO_SHOW, 'NO_SHOW', 'marked as no-show'),
	start: startAppointment,
};

/**
 * Run a control action on appointment `id` (any shop). Returns the appointment as the API renders
 * it in the shop timezone; throws ApiError like the API routes.
 */
function appointmentAction(baseCtx, id, action, body) {
	const handler = CONTROL_ACTIONS[action];
	if (!handler)
		throw new ApiError(404, err('action', 'not_found', Object.keys(CONTROL_ACTIONS).join(',')));
	const a = baseCtx.state.appointments.find((x) => x.id === id);
	if (!a) throw notFound('appointment');
	const shop = baseCtx.state.shops.find((s) => s.id === a.shopId);
	const b = body === undefined || body === null ? {} : body;
	if (typeof b !== 'object' || Array.isArray(b)) throw invalid('ROOT', 'is_object');
	const ctx = { ...baseCtx, shop, params: { id }, query: {}, body: { ...b }, control: true };
	handler(ctx);
	return R.appointment(a, shopTz(ctx));
}

// ---------------------------------------------------------------------------------------------
// reservations

function listReservations(ctx) {
	const errs = new V.Errors();
	const f = readListFilters(ctx, errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.reservations, ctx.shop.id);
	if (f.ids && f.ids.length) items = items.filter((r) => f.ids.includes(r.id));
	if (f.resources && f.resources.length)
		items = items.filter((r) => r.resources.some((x) => f.resources.includes(x)));
	if (f.teamMember)
		items = items.filter(
			(r) => r.teamMember === f.teamMember || r.resources.includes(f.teamMember),
		);
	if (f.locationId) {
		items = items.filter((r) => {
			const svc = ctx.state.services.find((s) => s.id === r.service);
			return svc && svc.locationIds.includes(f.locationId);
		});
	}
	if (f.searchTerm) items = items.filter((r) => matchesSearch(f.searchTerm, r.customer, ''));
	const {
		items: sorted,
		dir,
		key,
	} = applyTimeFilters(ctx, items, f, (r) => Date.parse(r.dateTime));
	return {
		status: 200,
		body: paginate(sorted, f.page, key, dir, (r) => R.reservation(r, f.tz, ctx.state.services)),
	};
}

/** The document declares this body under 201 (sesami.md §3.10); we answer with that status. */
function getReservation(ctx) {
	const r = findById(ctx, ctx.state.reservations, ctx.params.id, 'reservation');
	return { status: 201, body: R.reservation(r, shopTz(ctx), ctx.state.services) };
}

// ---------------------------------------------------------------------------------------------
// availability

/** true when any of `resourceIds` has a non-cancelled appointment overlapping [from, to) */
function conflicts(ctx, resourceIds, from, to, exceptId) {
	return ctx.state.appointments.some(
		(a) =>
			a.status !== STATUS.CANCELLED &&
			a.id !== exceptId &&
			a.resources.some((r) => resourceIds.includes(r)) &&
			Date.parse(a.rangeStart) < to &&
			Date.parse(a.rangeEnd) > from,
	);
}

function resourceWorks(resource, startMs, minutes) {
	const p = T.partsInTz(startMs, resource.timezone);
	const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
	const s = p.hour * 60 + p.minute;
	return dayIntervals(resource.availabilities, p.weekday, date).some(
		([a, b]) => s >= a && s + minutes <= b,
	);
}

function getAvailability(ctx) {
	const q = ctx.query;
	const errs = new V.Errors();
	const serviceId = scalarParam(q, 'service', errs, 'is_mongo_id');
	if (serviceId === undefined || serviceId === '') errs.add('service', 'is_not_empty');
	else if (!V.isMongoId(serviceId)) errs.add('service', 'is_mongo_id');
	const tz = tzParam(q, 'timezone', errs, true);
	const variantId = scalarParam(q, 'variantId', errs);
	if (variantId === undefined || variantId === '') errs.add('variantId', 'is_not_empty');
	const ids = arrayParam(q, 'ids', variantOf(ctx, 'arrayQuery', 'any'));
	if (ids === undefined) errs.add('ids', 'is_array');
	else if (ids.some((x) => !V.isMongoId(x))) errs.add('ids', 'is_mongo_id');
	const locationId = mongoParam(q, 'locationId', errs);
	const quantityRaw = scalarParam(q, 'quantity', errs, 'is_number');
	let quantity = 1;
	if (quantityRaw !== undefined && quantityRaw !== '') {
		quantity = Number(quantityRaw);
		if (!Number.isInteger(quantity)) errs.add('quantity', 'is_number');
		else if (quantity < 1) errs.add('quantity', 'min', 1);
	}
	const outTz = tz || 'UTC';
	const startMs = dateParam(q, 'start', errs, outTz);
	const endMs = dateParam(q, 'end', errs, outTz);
	if (errs.any) throw badRequest(errs);

	const service = ctx.state.services.find((s) => s.id === serviceId && s.shopId === ctx.shop.id);
	if (!service) throw notFound('service');
	const variant = service.variants.find((v) => v.id === variantId || v.externalId === variantId);
	if (!variant) throw notFound('variant');
	if (locationId && !service.locationIds.includes(locationId))
		throw invalid('locationId', 'invalid_id');
	const shopResources = inShop(ctx.state.resources, ctx.shop.id);
	if (ids.some((id) => !shopResources.some((r) => r.id === id))) throw invalid('ids', 'invalid_id');

	const now = ctx.sim.now();
	const firstDate = T.dateInTz(startMs === undefined ? now : startMs, outTz);
	const lastDate = endMs === undefined ? T.addDaysToDate(firstDate, 6) : T.dateInTz(endMs, outTz);
	if (lastDate < firstDate) throw invalid('end', 'valid_interval');
	const span = Math.round(
		(Date.parse(`${lastDate}T00:00:00Z`) - Date.parse(`${firstDate}T00:00:00Z`)) / T.DAY,
	);
	if (span > 62) throw invalid('end', 'valid_interval', 'at most 62 days');

	// the resources that can serve this booking
	const locs = service.locations.filter((l) => !locationId || l.locationId === locationId);
	let candidates;
	if (ids.length) {
		candidates = shopResources.filter((r) => ids.includes(r.id));
	} else {
		const set = new Set();
		for (const l of locs)
			for (const rs of l.resources)
				if (rs.isTimeBlocker || rs.isSelectable) rs.ids.forEach((i) => set.add(i));
		const primaryType = locs[0] && locs[0].resources[0] ? locs[0].resources[0].typeId : undefined;
		candidates = shopResources.filter(
			(r) => set.has(r.id) && (!primaryType || r.type === primaryType),
		);
	}
	candidates = candidates.filter((r) => r.status);

	const minutes = durationOf(variant);
	const step = FLEX_MINUTES[service.flexStartInterval] || minutes;
	const stz = shopTz(ctx);
	const todayShop = T.dateInTz(now, stz);
	const earliest = now + (service.bufferFromNow || 0) * T.MINUTE;
	const latest = now + (service.bookingUntilDays || 365) * T.DAY;
	const capacityPer = service.groupAppointments ? service.groupAppointmentSlots || 1 : 1;
	const days = new Map();
	for (let d = firstDate; d <= lastDate; d = T.addDaysToDate(d, 1)) days.set(d, []);

	// walk the shop-timezone calendar one day either side of the requested window
	for (
		let d = T.addDaysToDate(firstDate, -1);
		d <= T.addDaysToDate(lastDate, 1);
		d = T.addDaysToDate(d, 1)
	) {
		if (service.disableSameDayBooking && d === todayShop) continue;
		const [y, mo, da] = d.split('-').map(Number);
		for (const [s, e] of dayIntervals(service.availabilities, T.weekdayOfDate(d), d)) {
			for (let m = s; m + minutes <= e; m += step) {
				const slotStart = T.wallToUtc(y, mo, da, Math.floor(m / 60), m % 60, stz);
				const outDate = T.dateInTz(slotStart, outTz);
				if (!days.has(outDate) || slotStart < earliest || slotStart > latest) continue;
				const from = slotStart - service.bufferTimeBefore * T.MINUTE;
				const to = slotStart + (minutes + service.bufferTimeAfter) * T.MINUTE;
				let remaining = 0;
				for (const r of candidates) {
					if (!resourceWorks(r, slotStart, minutes)) continue;
					const overlapping = ctx.state.appointments.filter(
						(a) =>
							a.status !== STATUS.CANCELLED &&
							a.resources.includes(r.id) &&
							Date.parse(a.rangeStart) < to &&
							Date.parse(a.rangeEnd) > from,
					);
					if (!overlapping.length) remaining += capacityPer;
					else if (
						service.groupAppointments &&
						overlapping.every(
							(a) => a.service === service.id && Date.parse(a.datetime) === slotStart,
						)
					) {
						remaining += Math.max(
							0,
							capacityPer - overlapping.reduce((n, a) => n + (a.quantity || 1), 0),
						);
					}
				}
				if (remaining <= 0) continue; // fully booked: the slot disappears
				days.get(outDate).push({
					status: remaining >= quantity ? 'available' : 'unavailable',
					remainingSlots: remaining,
					startTime: `${outDate} ${T.timeInTz(slotStart, outTz)}`,
					duration: minutes,
					_ms: slotStart,
				});
			}
		}
	}
	const body = [...days.entries()].map(([date, slots]) => ({
		date,
		slots: slots.sort((a, b) => a._ms - b._ms).map(({ _ms, ...s }) => s),
	}));
	return { status: 200, body };
}

// ---------------------------------------------------------------------------------------------
// flows

const UNIT_MINUTES = {
	IMMEDIATELY: 0,
	MINUTES_BEFORE: -1,
	HOURS_BEFORE: -60,
	DAYS_BEFORE: -1440,
	MINUTES_AFTER: 1,
	HOURS_AFTER: 60,
	DAYS_AFTER: 1440,
};

function whenOf(w) {
	// `offset` is undocumented (sesami.md §4.5); the simulator derives it, in minutes, from amount+unit
	return {
		offset: w.unit === 'IMMEDIATELY' ? 0 : w.amount * UNIT_MINUTES[w.unit],
		amount: w.amount,
		unit: w.unit,
	};
}

function checkTarget(action, target, errs) {
	if (action === 'WEBHOOK' && typeof target === 'string' && target !== '' && !V.isHttpUrl(target))
		errs.add('target', 'is_url');
}

function listFlows(ctx) {
	const errs = new V.Errors();
	const page = pageParams(ctx.query, errs);
	const term = scalarParam(ctx.query, 'searchTerm', errs);
	if (errs.any) throw badRequest(errs);
	let items = inShop(ctx.state.flows, ctx.shop.id);
	if (term) items = items.filter((f) => [f.name, f.target].some((x) => lc(x).includes(lc(term))));
	const key = (f) => [f.createdAt, f.id];
	items = items.slice().sort((a, b) => cmpKeys(key(a), key(b), 1));
	return { status: 200, body: paginate(items, page, key, 1, R.flow) };
}

function getFlow(ctx) {
	const f = findById(ctx, ctx.state.flows, ctx.params.id, 'flow');
	return { status: 200, body: R.flow(f) };
}

/** 201 with no body: the document returns neither the flow nor its id (sesami.md §3.10). */
function createFlow(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CREATE_FLOW);
	checkTarget(body.action, body.target, errs);
	if (errs.any) throw badRequest(errs);
	const count = inShop(ctx.state.flows, ctx.shop.id).length;
	if (count >= maxFlowsOf(ctx)) throw invalid('flow', 'max', maxFlowsOf(ctx));
	const now = ctx.sim.nowIso();
	ctx.state.flows.push({
		_createdViaApi: true,
		id: ctx.sim.newId(),
		status: body.status,
		name: body.name,
		trigger: body.trigger,
		action: body.action,
		target: body.target,
		when: whenOf(body.when),
		template: { headers: body.template.headers, body: body.template.body },
		createdAt: now,
		updatedAt: now,
		shopId: ctx.shop.id,
	});
	return { status: 201 };
}

function updateFlow(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.UPDATE_FLOW);
	const f = requireIdAndErrors(ctx, ctx.state.flows, ctx.params.id, 'flow', errs);
	const e2 = new V.Errors();
	checkTarget(body.action || f.action, body.target || f.target, e2);
	if (e2.any) throw badRequest(e2);
	for (const k of ['status', 'name', 'trigger', 'action', 'target'])
		if (body[k] !== undefined) f[k] = body[k];
	if (body.when) f.when = whenOf(body.when);
	if (body.template) f.template = { headers: body.template.headers, body: body.template.body };
	f.updatedAt = ctx.sim.nowIso();
	return { status: 200, body: R.flow(f) };
}

/** 201 with no body, as the document declares. */
function deleteFlow(ctx) {
	const f = findById(ctx, ctx.state.flows, ctx.params.id, 'flow');
	ctx.state.flows.splice(ctx.state.flows.indexOf(f), 1);
	return { status: 201 };
}

// ---------------------------------------------------------------------------------------------
// customers (intended path /{shopId}/customers/{customerId}; the document's is broken, §3.10)

function createCustomer(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CUSTOMER);
	if (errs.any) throw badRequest(errs);
	const c = {
		id: ctx.sim.newId(),
		externalId: body.externalId || '',
		firstName: body.firstName || '',
		lastName: body.lastName || '',
		name: [body.firstName, body.lastName].filter(Boolean).join(' '),
		email: body.email || '',
		phone: body.phone || '',
		billingPhone: '',
		image:
			typeof body.image === 'string' && body.image ? { id: ctx.sim.newId(), path: body.image } : {},
		externalSource: body.externalSource || '',
		description: body.description || '',
		shopId: ctx.shop.id,
		_timezone: shopTz(ctx),
	};
	ctx.state.customers.push(c);
	return { status: 201 };
}

function getCustomer(ctx) {
	const c = findById(ctx, ctx.state.customers, ctx.params.customerId, 'customer', 'customerId');
	return { status: 200, body: R.customer(c) };
}

function updateCustomer(ctx) {
	const body = bodyOrEmpty(ctx);
	const errs = V.validateBody(body, V.schemas.CUSTOMER);
	if (!V.isMongoId(ctx.params.customerId)) errs.add('customerId', 'is_mongo_id');
	if (errs.any) throw badRequest(errs);
	const c = findById(ctx, ctx.state.customers, ctx.params.customerId, 'customer', 'customerId');
	for (const k of [
		'externalId',
		'firstName',
		'lastName',
		'email',
		'phone',
		'externalSource',
		'description',
	]) {
		if (body[k] !== undefined) c[k] = body[k];
	}
	if (typeof body.image === 'string')
		c.image = body.image ? { id: ctx.sim.newId(), path: body.image } : {};
	if (body.firstName !== undefined || body.lastName !== undefined)
		c.name = [c.firstName, c.lastName].filter(Boolean).join(' ');
	return { status: 200, body: R.customer(c) };
}

function deleteCustomer(ctx) {
	const c = findById(ctx, ctx.state.customers, ctx.params.customerId, 'customer', 'customerId');
	ctx.state.customers.splice(ctx.state.customers.indexOf(c), 1);
	return { status: 200 };
}

// ---------------------------------------------------------------------------------------------
// route table: [method, pattern, path param holding the shop id (or null), handler]
// Literal prefixes (/shops, /availabilities) come before the /:shop/... patterns.

const ROUTES = [
	['GET', '/shops', null, listShops],
	['GET', '/shops/:shop/configs', 'shop', getShopConfig],
	['GET', '/shops/:id', 'id', getShop],
	['PATCH', '/shops/:id', 'id', updateShop],
	['GET', '/availabilities/:shop', 'shop', getAvailability],

	['GET', '/:shop/services', 'shop', listServices],
	['GET', '/:shop/services/:id', 'shop', getService],
	['PATCH', '/:shop/services/:id', 'shop', updateService],
	['DELETE', '/:shop/services/:id', 'shop', deleteService],

	['GET', '/:shop/flows', 'shop', listFlows],
	['POST', '/:shop/flows', 'shop', createFlow],
	['GET', '/:shop/flows/:id', 'shop', getFlow],
	['PATCH', '/:shop/flows/:id', 'shop', updateFlow],
	['DELETE', '/:shop/flows/:id', 'shop', deleteFlow],

	['GET', '/:shop/appointments', 'shop', listAppointments],
	['POST', '/:shop/appointments/report', 'shop', generateReport],
	['GET', '/:shop/appointments/:id', 'shop', getAppointment],
	['POST', '/:shop/appointments/:id/cancel', 'shop', cancelAppointment],
	['POST', '/:shop/appointments/:id/reschedule', 'shop', rescheduleAppointment],
	[
		'POST',
		'/:shop/appointments/:id/check-in',
		'shop',
		eventAction('CUSTOMER_CHECKIN', STATUS.CHECKED_IN, 'CUSTOMER_CHECKED_IN', 'checked in'),
	],
	[
		'POST',
		'/:shop/appointments/:id/no-show',
		'shop',
		eventAction('NO_SHOW', STATUS.NO_SHOW, 'NO_SHOW', 'marked as no-show'),
	],
	['POST', '/:shop/appointments/:id/resend-appointment-confirmation', 'shop', resendConfirmation],

	['GET', '/:shop/reservations', 'shop', listReservations],
	['GET', '/:shop/reservations/:id', 'shop', getReservation],

	['GET', '/:shop/resources', 'shop', listResources],
	['POST', '/:shop/resources', 'shop', createResource],
	['GET', '/:shop/resources/:id', 'shop', getResource],
	['PATCH', '/:shop/resources/:id', 'shop', updateResource],
	['DELETE', '/:shop/resources/:id', 'shop', deleteResource],

	['GET', '/:shop/resource-types', 'shop', listResourceTypes],
	['POST', '/:shop/resource-types', 'shop', createResourceType],
	['GET', '/:shop/resource-types/:id', 'shop', getResourceType],

	['GET', '/:shop/locations', 'shop', listLocations],
	['POST', '/:shop/locations', 'shop', createLocation],
	['GET', '/:shop/locations/:id', 'shop', getLocation],
	['PATCH', '/:shop/locations/:id', 'shop', updateLocation],
	['DELETE', '/:shop/locations/:id', 'shop', deleteLocation],

	['POST', '/:shopId/customers', 'shopId', createCustomer],
	['GET', '/:shopId/customers/:customerId', 'shopId', getCustomer],
	['PATCH', '/:shopId/customers/:customerId', 'shopId', updateCustomer],
	['DELETE', '/:shopId/customers/:customerId', 'shopId', deleteCustomer],
].map(([method, pattern, shopParam, handler]) => ({
	method,
	pattern,
	segments: pattern.split('/').filter(Boolean),
	shopParam,
	handler,
}));

/** Match `path` (without /api/v1): { route, params } | { pathMatched: true } | undefined */
function matchRoute(method, path) {
	const segs = path.split('/').filter(Boolean);
	let pathMatched = false;
	for (const route of ROUTES) {
		if (route.segments.length !== segs.length) continue;
		const params = {};
		let ok = true;
		for (let i = 0; i < segs.length && ok; i++) {
			const p = route.segments[i];
			let s;
			try {
				s = decodeURIComponent(segs[i]);
			} catch {
				s = segs[i];
			}
			if (p.startsWith(':')) params[p.slice(1)] = s;
			else if (p !== s) ok = false;
		}
		if (!ok) continue;
		pathMatched = true;
		if (route.method === method) return { route, params };
	}
	return pathMatched ? { pathMatched } : undefined;
}

module.exports = {
	ApiError,
	matchRoute,
	ROUTES,
	err,
	STATUS,
	encodeCursor,
	decodeCursor,
	createAppointment,
	appointmentAction,
	nextFreeSlot,
	CONTROL_ACTIONS,
};
