'use strict';
/**
 * Request validation for the simulator, hand-written from the OpenAPI request schemas and the
 * error model of https://sesami.dev/docs/sesami-api/errors: a JSON array of `{property, constraints:[{name, payload?}]}`.
 * Constraint names come from the documented list (is_not_empty, is_enum, is_boolean, is_string,
 * is_object, is_date, is_array, is_number, is_mongo_id, is_time_zone, is_email, is_url, min, max,
 * invalid_id, valid_interval, invalid_input, ...).
 */

const T = require('./time');

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class Errors {
	constructor() {
		this.list = [];
	}
	add(property, name, payload) {
		let e = this.list.find((x) => x.property === property);
		if (!e) {
			e = { property, constraints: [] };
			this.list.push(e);
		}
		if (!e.constraints.some((c) => c.name === name)) {
			e.constraints.push(payload === undefined ? { name } : { name, payload });
		}
		return this;
	}
	get any() {
		return this.list.length > 0;
	}
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isMongoId = (v) => typeof v === 'string' && OBJECT_ID.test(v);
const isEmail = (v) => typeof v === 'string' && EMAIL.test(v);
function isHttpUrl(v) {
	if (typeof v !== 'string') return false;
	try {
		const u = new URL(v);
		return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
	} catch {
		return false;
	}
}

/**
 * Field rules: { type: 'string'|'boolean'|'number'|'object'|'array'|'date-time'|'timezone'|'mongo'
 *   |'email'|'hhmm'|'any', required?, enum?, notEmpty?, items?: rule, fields?: {name: rule}, min?, max? }
 * Validates `value` at `path` and records errors. Unknown properties are ignored (whitelisting).
 */
function check(errs, path, value, rule) {
	if (value === undefined || value === null) {
		if (rule.required) errs.add(path, rule.type === 'boolean' ? 'is_boolean' : 'is_not_empty');
		return;
	}
	switch (rule.type) {
		case 'any':
			return;
		case 'string':
		case 'timezone':
		case 'mongo':
		case 'email':
		case 'url':
		case 'hhmm':
		case 'date-time': {
			if (typeof value !== 'string') {
				errs.add(path, 'is_string');
				return;
			}
			if ((rule.required || rule.notEmpty) && value.trim() === '') {
				errs.add(path, 'is_not_empty');
				return;
			}
			if (rule.enum && !rule.enum.includes(value)) errs.add(path, 'is_enum', rule.enum.join(','));
			if (rule.type === 'timezone' && !T.isValidTimeZone(value)) errs.add(path, 'is_time_zone');
			if (rule.type === 'mongo' && !isMongoId(value)) errs.add(path, 'is_mongo_id');
			if (rule.type === 'email' && value !== '' && !isEmail(value)) errs.add(path, 'is_email');
			if (rule.type === 'url' && !isHttpUrl(value)) errs.add(path, 'is_url');
			if (rule.type === 'hhmm' && !HHMM.test(value)) errs.add(path, 'is_date', 'HH:mm');
			if (
				rule.type === 'date-time' &&
				T.parseDateTimeLenient(value, rule.tz || 'UTC') === undefined
			) {
				errs.add(path, 'is_date', 'ISO 8601 date-time');
			}
			return;
		}
		case 'boolean':
			if (typeof value !== 'boolean') errs.add(path, 'is_boolean');
			return;
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				errs.add(path, 'is_number');
				return;
			}
			if (rule.min !== undefined && value < rule.min) errs.add(path, 'min', rule.min);
			if (rule.max !== undefined && value > rule.max) errs.add(path, 'max', rule.max);
			return;
		case 'array':
			if (!Array.isArray(value)) {
				errs.add(path, 'is_array');
				return;
			}
			if (rule.items) value.forEach((v, i) => check(errs, `${path}.${i}`, v, rule.items));
			return;
		case 'object':
			if (!isObj(value)) {
				errs.add(path, 'is_object');
				return;
			}
			if (rule.fields) checkFields(errs, value, rule.fields, `${path}.`);
			return;
		default:
			throw new Error(`unknown rule type ${rule.type}`);
	}
}

function checkFields(errs, obj, fields, prefix = '') {
	for (const [name, rule] of Object.entries(fields)) check(errs, prefix + name, obj[name], rule);
}

/** Validate a JSON body object against `fields`; a non-object body is `ROOT is_object`. */
function validateBody(body, fields) {
	const errs = new Errors();
	if (!isObj(body)) {
		errs.add('ROOT', 'is_object');
		return errs;
	}
	checkFields(errs, body, fields);
	return errs;
}

// ---- request schemas (from components.schemas of sesami-openapi.json) ----

const FLOW_TRIGGERS = [
	'APPOINTMENT_CREATED',
	'APPOINTMENT_RESCHEDULED',
	'CUSTOMER_CHECKED_IN',
	'APPOINTMENT_STARTED',
	'APPOINTMENT_CANCELLED',
	'NO_SHOW',
];
const FLOW_ACTIONS = ['EMAIL', 'WEBHOOK'];
const WHEN_UNITS = [
	'IMMEDIATELY',
	'MINUTES_BEFORE',
	'HOURS_BEFORE',
	'DAYS_BEFORE',
	'MINUTES_AFTER',
	'HOURS_AFTER',
	'DAYS_AFTER',
];
const FILTER_TYPES = ['ALL', 'UPCOMING', 'PAST', 'RANGE'];
const WEEKDAY_ENUM = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const FLEX = ['FIFTEEN', 'THIRTY', 'FORTY_FIVE', 'SIXTY'];

/** CreateWhenRequest */
const WHEN = {
	type: 'object',
	fields: {
		offset: { type: 'number' },
		amount: { type: 'number', required: true, min: 0 },
		unit: { type: 'string', required: true, enum: WHEN_UNITS },
	},
};
/** CreateTemplateRequest */
const TEMPLATE = {
	type: 'object',
	fields: { headers: { type: 'string', required: true }, body: { type: 'string', required: true } },
};

/** CreateFlowRequest: every field required */
const CREATE_FLOW = {
	status: { type: 'boolean', required: true },
	name: { type: 'string', required: true },
	trigger: { type: 'string', required: true, enum: FLOW_TRIGGERS },
	action: { type: 'string', required: true, enum: FLOW_ACTIONS },
	target: { type: 'string', required: true },
	when: { ...WHEN, required: true },
	template: { ...TEMPLATE, required: true },
};
/** UpdateFlowRequest: same fields, none required */
const UPDATE_FLOW = {
	status: { type: 'boolean' },
	name: { type: 'string', notEmpty: true },
	trigger: { type: 'string', enum: FLOW_TRIGGERS },
	action: { type: 'string', enum: FLOW_ACTIONS },
	target: { type: 'string', notEmpty: true },
	when: WHEN,
	template: TEMPLATE,
};

const CANCEL = { refundMoney: { type: 'boolean', required: true }, content: { type: 'string' } };
const RESCHEDULE = {
	content: { type: 'string' },
	dateTime: { type: 'date-time' },
	teamMemberId: { type: 'mongo' },
	resourceIds: { type: 'array', items: { type: 'mongo' } },
	locationId: { type: 'mongo' },
	timezone: { type: 'timezone' },
};
const APPOINTMENT_EVENT = { content: { type: 'string' }, dateTime: { type: 'date-time' } };
const REPORT = {
	teamMember: { type: 'string' },
	service: { type: 'mongo' },
	start: { type: 'date-time' },
	end: { type: 'date-time' },
	filterType: { type: 'string', enum: FILTER_TYPES },
	resources: { type: 'array', items: { type: 'mongo' } },
	timezone: { type: 'timezone' },
	locationId: { type: 'mongo' },
};

const CUSTOMER = {
	firstName: { type: 'string' },
	lastName: { type: 'string' },
	email: { type: 'email' },
	phone: { type: 'string' },
	externalId: { type: 'string' },
	externalSource: { type: 'string' },
	description: { type: 'string' },
	image: { type: 'string' },
};

const INTERVAL = {
	type: 'object',
	fields: { from: { type: 'hhmm', required: true }, to: { type: 'hhmm', required: true } },
};
const AVAILABILITY = {
	type: 'object',
	fields: {
		type: { type: 'string', required: true, enum: ['wday', 'date'] },
		weekday: { type: 'string', enum: WEEKDAY_ENUM },
		date: { type: 'string' },
		intervals: { type: 'array', required: true, items: INTERVAL },
	},
};
const AVAILABILITY_RANGE = {
	type: 'object',
	fields: {
		availableFrom: {
			type: 'object',
			required: true,
			fields: {
				type: {
					type: 'string',
					required: true,
					enum: ['DAYS_INTO_THE_FUTURE', 'EXACT_DATE', 'NOW'],
				},
				value: { type: 'any' },
			},
		},
		availableTo: {
			type: 'object',
			required: true,
			fields: {
				type: {
					type: 'string',
					required: true,
					enum: ['DAYS_INTO_THE_FUTURE', 'EXACT_DATE', 'INDEFINITELY'],
				},
				value: { type: 'any' },
			},
		},
	},
};
const UPDATE_RESOURCE = {
	name: { type: 'string', notEmpty: true },
	image: { type: 'string' },
	email: { type: 'email' },
	status: { type: 'boolean' },
	availabilities: { type: 'array', items: AVAILABILITY },
	availabilitiesRange: AVAILABILITY_RANGE,
	timezone: { type: 'timezone' },
	description: { type: 'string' },
	eventDescription: { type: 'string' },
	mobile: { type: 'string' },
	notificationEmailStatus: { type: 'boolean' },
};
const CREATE_RESOURCE = {
	...UPDATE_RESOURCE,
	typeId: { type: 'mongo', required: true },
	name: { type: 'string', required: true },
};

const BUSINESS_ADDRESS = {
	type: 'object',
	fields: {
		address: { type: 'string' },
		city: { type: 'string' },
		zipCode: { type: 'string' },
		address2: { type: 'string' },
		country: { type: 'string' },
		latitude: { type: 'number' },
		longitude: { type: 'number' },
		state: { type: 'string' },
		suite: { type: 'string' },
	},
};
const CREATE_LOCATION = {
	name: { type: 'string', required: true },
	timezone: { type: 'timezone' },
	status: { type: 'boolean' },
	image: { type: 'string' },
	email: { type: 'email' },
	description: { type: 'string' },
	phone: { type: 'string' },
	businessAddress: BUSINESS_ADDRESS,
	isDefault: { type: 'boolean' },
};
/** UpdateLocationRequest is an empty schema in the document (https://api.sesami.co/swagger); we apply CreateLocationRequest's fields, none required. */
const UPDATE_LOCATION = { ...CREATE_LOCATION, name: { type: 'string', notEmpty: true } };

const CREATE_RESOURCE_TYPE = { name: { type: 'string', required: true } };

const UPDATE_SETTINGS = {
	type: 'object',
	fields: {
		status: { type: 'boolean' },
		timezone: { type: 'timezone' },
		storefrontButtonLabel: { type: 'string' },
		storefrontDateFormat: { type: 'string' },
		emailCalendarEventToCustomer: { type: 'boolean' },
		emailCalendarEventToMerchant: { type: 'boolean' },
		removeBranding: { type: 'boolean' },
		hideTimezoneFromStorefront: { type: 'boolean' },
		locale: { type: 'string' },
		timeFormat: { type: 'string' },
		reservationPeriod: { type: 'number', min: 0 },
		instantBooking: {
			type: 'object',
			fields: { requiredFields: { type: 'array', items: { type: 'string' } } },
		},
		calendarExperience: { type: 'string', enum: ['CLASSIC', 'V2'] },
	},
};
const UPDATE_SHOP = { settings: UPDATE_SETTINGS, image: { type: 'string' } };

const UPDATE_SERVICE = {
	displayTeamOnStorefront: { type: 'boolean' },
	bookingUntilDays: { type: 'number', min: 0 },
	location: { type: 'object', fields: { content: { type: 'string' } } },
	availabilities: { type: 'array', items: AVAILABILITY },
	teamMembers: { type: 'array', items: { type: 'string' } },
	availabilityRange: AVAILABILITY_RANGE,
	variants: {
		type: 'array',
		items: {
			type: 'object',
			fields: {
				duration: { type: 'number', required: true, min: 1 },
				price: { type: 'number', required: true, min: 0 },
				title: { type: 'string', required: true },
				externalId: { type: 'string' },
			},
		},
	},
	externalSource: { type: 'string' },
	eventDescription: { type: 'string' },
	instantBooking: { type: 'boolean' },
	disableSameDayBooking: { type: 'boolean' },
	roundStartInterval: { type: 'number', min: 0 },
	bufferFromNow: { type: 'number', min: 0 },
	storefrontStartDate: { type: 'date-time' },
	bufferTimeBefore: { type: 'number', min: 0 },
	bufferTimeAfter: { type: 'number', min: 0 },
	customerCanCancel: { type: 'boolean' },
	customerCanReschedule: { type: 'boolean' },
	refundMoneyOnCancel: { type: 'boolean' },
	customerCanManageBefore: { type: 'number', min: 0 },
	groupAppointments: { type: 'boolean' },
	groupAppointmentSlots: { type: 'number', min: 1 },
	flexStartInterval: { type: 'string', enum: FLEX },
	createOrder: { type: 'boolean' },
	locationResources: {
		type: 'array',
		items: {
			type: 'object',
			fields: {
				locationId: { type: 'mongo', required: true },
				resources: {
					type: 'array',
					required: true,
					items: {
						type: 'object',
						fields: {
							typeId: { type: 'mongo', required: true },
							isSelectable: { type: 'boolean', required: true },
							blocksDuringAppointment: { type: 'boolean', required: true },
							ids: { type: 'array', required: true, items: { type: 'mongo' } },
							hideAnyAvailable: { type: 'boolean' },
						},
					},
				},
			},
		},
	},
};

module.exports = {
	Errors,
	check,
	checkFields,
	validateBody,
	isMongoId,
	isObj,
	isEmail,
	isHttpUrl,
	FILTER_TYPES,
	FLOW_TRIGGERS,
	WHEN_UNITS,
	schemas: {
		CREATE_FLOW,
		UPDATE_FLOW,
		CANCEL,
		RESCHEDULE,
		APPOINTMENT_EVENT,
		REPORT,
		CUSTOMER,
		UPDATE_RESOURCE,
		CREATE_RESOURCE,
		CREATE_LOCATION,
		UPDATE_LOCATION,
		CREATE_RESOURCE_TYPE,
		UPDATE_SHOP,
		UPDATE_SERVICE,
	},
};
