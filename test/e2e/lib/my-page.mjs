// What the My Page e2e files (my-page.test.mjs, my-page-browser.test.mjs) share: sesami-my-page-backend.json, the two test
// customers, Shopify-signed calls (test/helpers/shopify.js, never the package's verifier), the
// storefront simulator, and the Sesami simulator's and the Data Table's view of an appointment.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import axios from 'axios';
import {
	dataTableId,
	dataTableRows,
	executionsSince,
	getContext,
	lastExecutionId,
	simControl,
	waitForFlowsSettled,
	workflowByFile,
} from './context.mjs';

const require = createRequire(import.meta.url);
const shopify = require('../../helpers/shopify.js');

export const W4_FILE = 'sesami-my-page-backend.json';
export const W1_FILE = 'sesami-flows-to-stored-links.json';
export const W2_FILE = 'sesami-portal-emails.json';
export const LINKS_TABLE = 'Sesami appointment links';
export { shopify };

/** The runner's My Page context: { shopDomain, clientId, clientSecret, storefrontUrl, pathPrefix, appProxyUrl, customers: [A, B] }. */
export function myPage() {
	const mp = getContext().myPage;
	if (!mp?.storefrontUrl)
		throw new Error('the e2e context has no myPage section (run through test/run-all.mjs)');
	return mp;
}
export const customerA = () => myPage().customers[0];
export const customerB = () => myPage().customers[1];

/** sesami-my-page-backend.json as the runner imported and published it, and its production URL (GET and POST share it). */
export function w4() {
	const wf = workflowByFile(W4_FILE);
	const url = wf.webhookUrls.find((h) => h.url)?.url;
	assert.ok(url, 'sesami-my-page-backend.json has a production webhook URL');
	return { ...wf, url };
}

/** The sesami-flows-to-stored-links.json / sesami-portal-emails.json / sesami-my-page-backend.json ids that exist (sesami-flows-to-stored-links.json writes the same Data Table from the Flows the changes fire). */
export function relatedWorkflowIds() {
	return [W1_FILE, W2_FILE, W4_FILE].flatMap((f) => {
		try {
			return [workflowByFile(f).id];
		} catch {
			return [];
		}
	});
}

/**
 * A query string signed as Shopify's App Proxy signs it (test/helpers/shopify.js). `extra` are the
 * storefront's own parameters (e.g. [['op', 'list']]); the rest are Shopify's.
 */
export function signedQuery({
	customerId = customerA().id,
	extra = [],
	timestamp,
	secret = myPage().clientSecret,
	shop = myPage().shopDomain,
	pathPrefix,
} = {}) {
	return shopify.signAppProxyQuery(
		shopify.proxyPairs({
			shop,
			customerId,
			timestamp,
			pathPrefix: pathPrefix ?? myPage().pathPrefix,
			extra,
		}),
		secret,
	);
}

/** A request to a My Page webhook; never throws on status. `body` (object) goes as JSON. */
export function callHook(url, { method = 'GET', query = '', body, headers = {} } = {}) {
	return axios
		.request({
			method,
			url: query ? `${url}?${query}` : url,
			data: body === undefined ? undefined : JSON.stringify(body),
			headers: {
				Accept: 'application/json',
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
				...headers,
			},
			timeout: 60_000,
			validateStatus: () => true,
			transformResponse: [(d) => d],
		})
		.then((r) => ({ ...r, json: parseJson(r.data) }));
}

function parseJson(text) {
	try {
		return text ? JSON.parse(text) : null;
	} catch {
		return null;
	}
}

/**
 * What the storefront script does, straight to sesami-my-page-backend.json and signed like the App Proxy: GET ?op=list, or
 * POST ?op=<op> with the JSON body { op, ...payload }.
 */
export function asCustomer(customerId, op, payload) {
	const query = signedQuery({ customerId, extra: [['op', op]] });
	return payload === undefined
		? callHook(w4().url, { query })
		: callHook(w4().url, { method: 'POST', query, body: { op, ...payload } });
}

/** A logged-in storefront session (axios with the session cookie); `proxy(op, payload)` calls /apps/bookings through the simulator. */
export async function storefrontSession(customer) {
	const base = myPage().storefrontUrl;
	const r = await axios.post(
		`${base}/account/login`,
		new URLSearchParams({
			email: customer.email,
			password: customer.password,
			return_to: '/account',
		}).toString(),
		{
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			maxRedirects: 0,
			validateStatus: () => true,
		},
	);
	assert.equal(r.status, 303, `storefront login as ${customer.email}: HTTP ${r.status}`);
	const cookie = (r.headers['set-cookie'] ?? [])
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('storefront_session='));
	assert.ok(cookie, 'the storefront set a session cookie');
	const http = axios.create({
		baseURL: base,
		headers: { Cookie: cookie },
		timeout: 60_000,
		validateStatus: () => true,
		transformResponse: [(d) => d],
	});
	return {
		http,
		cookie,
		async proxy(op, payload, { query } = {}) {
			const q = query ?? `op=${encodeURIComponent(op)}`;
			const r2 =
				payload === undefined
					? await http.get(`${myPage().pathPrefix}?${q}`, {
							headers: { Accept: 'application/json' },
						})
					: await http.post(`${myPage().pathPrefix}?${q}`, JSON.stringify({ op, ...payload }), {
							headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
						});
			return { ...r2, json: parseJson(r2.data) };
		},
	};
}

// ---------------------------------------------------------------------------------------------
// The Sesami simulator's side

const sim = () => simControl();

/** The appointment as the simulator holds it (internal record: datetime in UTC, status, events). */
export async function simAppointment(id) {
	const r = await sim().get(`/state/appointments/${id}`);
	assert.equal(r.status, 200, `GET /__sim/state/appointments/${id}: ${JSON.stringify(r.data)}`);
	return r.data;
}

/** What must not change when an action is refused. */
export const fingerprint = (a) => ({
	id: a.id,
	datetime: a.datetime,
	status: a.status,
	events: a.events.length,
	updatedAt: a.updatedAt,
	resources: a.resources,
});

/** A customer's appointments in shop 0 (by Shopify customer id = customer.externalId). */
export async function appointmentsOf(externalId, { upcoming = true, cancelled = false } = {}) {
	const shopId = getContext().fixtures.shops[0].id;
	const r = await sim().get('/state/appointments', { params: { shopId } });
	assert.equal(r.status, 200);
	const now = Date.now();
	return r.data
		.filter((a) => a.customer?.externalId === externalId)
		.filter((a) => !upcoming || Date.parse(a.datetime) >= now)
		.filter((a) => cancelled || a.status !== 'CANCELLED')
		.sort((x, y) => Date.parse(x.datetime) - Date.parse(y.datetime));
}

/** The simulator's Sesami customer record of a Shopify customer (shop 0). */
export async function sesamiCustomer(externalId) {
	const shopId = getContext().fixtures.shops[0].id;
	const r = await sim().get('/state/customers', { params: { shopId } });
	assert.equal(r.status, 200);
	const c = r.data.find((x) => x.externalId === externalId);
	assert.ok(c, `the simulator knows the Shopify customer ${externalId}`);
	return c;
}

/** A new BOOKED appointment of `customer` on one of the fixture services (standard, notice48h, noReschedule, noCancel). */
export async function createAppointment({ customer, service = 'standard', hoursAhead = 5 * 24 }) {
	const shop = getContext().fixtures.shops[0];
	const at = new Date(Date.now() + hoursAhead * 3600_000);
	at.setUTCMinutes(0, 0, 0);
	const sesami = await sesamiCustomer(customer.id);
	const r = await sim().post('/appointments', {
		serviceId: shop.services[service],
		datetime: at.toISOString(),
		customer: { id: sesami.id },
	});
	assert.equal(r.status, 201, `POST /__sim/appointments: ${JSON.stringify(r.data)}`);
	assert.equal(r.data.customer.externalId, customer.id);
	return r.data;
}

/** A change made in Sesami directly (staff), through the simulator's control endpoint. */
export async function simAct(id, action, body = {}) {
	const r = await sim().post(`/appointments/${id}/${action}`, body);
	assert.equal(
		r.status,
		200,
		`POST /__sim/appointments/${id}/${action}: ${JSON.stringify(r.data)}`,
	);
	return r.data;
}

/** State-changing calls n8n made to the Sesami API since `sinceIso` (reschedule / cancel), optionally for some appointment ids. */
export async function changeCallsSince(sinceIso, ids) {
	const r = await sim().get('/exchanges');
	assert.equal(r.status, 200);
	const list = Array.isArray(r.data) ? r.data : (r.data.exchanges ?? []);
	return list.filter(
		(e) =>
			e.at >= sinceIso &&
			e.method === 'POST' &&
			/\/appointments\/[0-9a-f]{24}\/(reschedule|cancel)$/.test(e.path) &&
			(!ids || ids.some((id) => e.path.includes(id))),
	);
}

/** "2026-12-01 10:00" for an instant in a timezone (the format of the slots' startTime). */
export function localDateTime(iso, timeZone) {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
		})
			.formatToParts(new Date(iso))
			.map((p) => [p.type, p.value]),
	);
	return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

// ---------------------------------------------------------------------------------------------
// n8n's side

/** The stored row of an appointment in "Sesami appointment links" (undefined when none). */
export async function storedRow(appointmentId) {
	const rows = await dataTableRows(await dataTableId(LINKS_TABLE), {
		type: 'and',
		filters: [{ columnName: 'appointmentId', condition: 'eq', value: appointmentId }],
	});
	assert.ok(rows.length <= 1, `at most one stored row for ${appointmentId} (got ${rows.length})`);
	return rows[0];
}

/** Waits until sesami-my-page-backend.json (and sesami-flows-to-stored-links.json / sesami-portal-emails.json, fed by the Flows the changes fire) have no unfinished execution. */
export async function settle(afterId = 0) {
	return waitForFlowsSettled({
		workflowIds: relatedWorkflowIds(),
		afterId,
		timeoutMs: 60_000,
		stableMs: 1000,
	});
}

/** The executions of a workflow since a marker (see lastExecutionId). */
export { executionsSince, lastExecutionId };
