'use strict';
/**
 * The points of Sesami's contract no public source settles, and the answers the simulator can
 * play for each (see ../lib/variants.js; the table for merchants is docs/unverified-contract.md).
 * Sources: https://sesami.dev/docs/sesami-flows/flows (the documented Flow variables and
 * formatDate), https://api.sesami.co/swagger (CreateFlowRequest.template.headers is a plain string;
 * ReadAppointmentResponse.datetime / rangeStart / rangeEnd are strings with no format),
 * https://help.sesami.co/automations/sesami-flows (plans: Small 1, Pro 6, Premium 9 Flows).
 */

const SESAMI_VARIANTS = {
	flowVariables: {
		values: ['full', 'documented-only'],
		default: 'full',
		doc:
			'full: every variable the package template uses has a value. documented-only: only the variables Sesami documents ' +
			'(CustomerName, CustomerPhone, DateTime, AppointmentCreatedAt, CustomerTimezone, LineItemProperties, and the older ' +
			'DateTimeInUTC, DateTimeInStoreTimezone, DateTimeInCustomerTimezone) render; every other one is empty, and ' +
			'formatDate of a missing value renders the send time (moment(undefined) is "now").',
	},
	flowHeaders: {
		values: ['json', 'lines', 'ignored'],
		default: 'json',
		doc:
			'How Sesami reads a Flow\'s template.headers string. json: a JSON object {"name": "value"}. lines: "Name: value" ' +
			'lines (a JSON string sends no header). ignored: Flows created through the API send no custom header at all.',
	},
	times: {
		values: ['iso-offset', 'naive-minutes', 'naive-seconds'],
		default: 'iso-offset',
		doc:
			'Appointment datetime / rangeStart / rangeEnd as the API answers them. iso-offset: 2026-12-01T10:00:00+01:00 in the ' +
			'requested timezone. naive-minutes: "2026-12-01 10:00", naive-seconds: "2026-12-01T10:00:00", both wall-clock time ' +
			"in the shop's timezone whatever the request asked.",
	},
	writeGatewayError: {
		values: ['off', 'apply-then-502'],
		default: 'off',
		doc: 'apply-then-502: the first cancel / reschedule of each appointment is carried out, then answered 502 (a gateway that lost the answer).',
	},
	repeatCancel: {
		values: ['error-400', 'noop-200'],
		default: 'error-400',
		doc: 'Cancelling an appointment that is already cancelled. error-400: 400 (today). noop-200: 200 with the appointment, nothing changed.',
	},
	arrayQuery: {
		values: ['any', 'single-not-list'],
		default: 'any',
		doc:
			'How array query parameters (ids, resources) are read. any: repeated keys, brackets or commas. single-not-list: one ' +
			'value (ids=a) is not read as a list (400 ids is_array), only a repeated key is.',
	},
	maxFlows: {
		values: ['plan', '1', '6', '9'],
		default: 'plan',
		doc: "The shop's Flow limit (Shop.maxFlows): its plan's (seed), or Small 1 / Pro 6 / Premium 9.",
	},
	otherFlows: {
		values: ['0', '1', '3', '5', '8'],
		default: '0',
		doc: 'Extra Flows of other tools (e.g. a Klaviyo or Zapier webhook) already using slots in every shop, on top of the seed.',
	},
	appTokenWrite: {
		values: ['403', '401', '404'],
		default: '403',
		doc:
			"How Sesami refuses a write (POST / PATCH / PUT / DELETE) made with a Sesami App's offline token (app scopes are " +
			'Shop:Read only; the answer is not documented). 403: [{property: user, valid_permissions}] as a read-only ' +
			'personal token gets. 401: unauthorized. 404: not_found, as if the route did not exist for the token.',
	},
};

module.exports = { SESAMI_VARIANTS };
