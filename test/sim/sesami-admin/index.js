'use strict';
/**
 * Sesami Admin host simulator: plays the Sesami Admin (and Sesami's OAuth endpoints) in front of a
 * Sesami App. Test and sandbox only. Written from Sesami's public code and docs only, never from the
 * package's nodes (the two meet only through Sesami's protocol):
 * https://github.com/sesamiapp/app-message (@07fd9b4: the postMessage protocol, ./host-page.js),
 * https://github.com/sesamiapp/sesami-apps-boilerplate (@e51026e: signing, install, webhook, ./sign.js),
 * https://sesami.dev/docs/sesami-apps/ (targets, install flow, timeouts).
 *
 *   const { startSesamiAdmin } = require('./test/sim/sesami-admin');
 *   const admin = await startSesamiAdmin({
 *     port: 0,
 *     apps: [{ appId: 'app-1', clientId: 'cid', clientSecret: 's3cret', name: 'Panel',
 *              appUrl: 'http://127.0.0.1:5678/webhook/<id>/sesami-app',
 *              redirectUris: ['http://127.0.0.1:5678/webhook/<id>/sesami-app/oauth/call-back'] }],
 *   });
 *   admin.adminUrl(shopId, appointmentId)   // the appointment drawer with the app's frame
 *
 * Apps: {appId, clientId, clientSecret, name, appUrl, redirectUris[], webhookUrl? (default
 * `{appUrl}/webhooks`, where the boilerplate serves it; Sesami documents no setting),
 * extensionUrls? ({target: url}, default appUrl for both targets), installedShops? (default every
 * shop; [] for an app still to be installed)}. Shops {shopId, name} and appointments {shopId: [id |
 * {id, title}]} default to the Sesami API simulator's fixtures (../sesami FIXTURES); users
 * [{userId, email}] default to one staff user.
 *
 * Routes (the table is at the end of startSesamiAdmin):
 *   Admin pages (./host-page.js): GET /admin, GET /admin/:shopId (apps and appointments),
 *     GET /admin/:shopId/apps/:appId (ADMIN_APP_LOADER), GET /admin/:shopId/appointments/:id[?appId=]
 *     (ADMIN_APPOINTMENT_DETAILS), both [?user=userId&locale=xx]; GET /apps/:appId (where an app
 *     sends the merchant after an install: the app's home in the shop whose token was issued last); GET /admin/:shopId/apps/:appId/install
 *     (303 to the app's install URL ?shopId&timestamp&hmac); POST /admin/api/token {appId, shopId,
 *     userId} -> {token} (what the page answers TOKEN requests with).
 *   Sesami OAuth (https://sesami.dev/docs/sesami-apps/, boilerplate Installation.controller.ts,
 *     Sesami.service.ts): GET /api/v1/oauth/authorization?clientId&shopId&scopes[]&redirectUri[&auto=accept|deny]
 *     (consent page; 400 unregistered redirectUri, 404 unknown client or shop); POST same path (the
 *     form's decision) -> 302 redirectUri?shopId&code&timestamp&hmac, or to /admin/:shopId on deny;
 *     POST /api/v1/oauth/access-token {code, shopId, clientId, clientSecret} -> {token, clientId,
 *     expireAt: "NEVER", name}; a code works once, for its app and shop, for codeTtlMs.
 *   Other /api/v1/* paths go to `apiUpstream` (the Sesami API simulator) when it is set, so one base
 *     URL serves both; 404 otherwise.
 *   Control (no auth): GET /__sim/health; GET/POST/DELETE /__sim/variants (./variants.js);
 *     GET /__sim/state; POST /__sim/apps (register / replace one app); POST /__sim/shops, /__sim/users,
 *     /__sim/appointments {shopId, ids}; GET/POST /__sim/consent {mode: ask|accept|deny};
 *     POST /__sim/apps/:appId/install {shopId} (303 to the install URL, body {location});
 *     POST /__sim/apps/:appId/uninstall {shopId, tamper?: true | {field: value}, data?: {...}}
 *     (sends the signed uninstall_app webhook; -> {status, body, url, sent}); POST
 *     /__sim/apps/:appId/uninstall/replay (the last one again, byte for byte); GET /__sim/webhooks;
 *     GET /__sim/issued-tokens[?all=1]; GET /__sim/loads (every frame URL the pages built);
 *     POST /__sim/sign/load {appId, ...signedLoadUrl options} -> {url, params, ...}.
 *
 * CommonJS, Node built-ins; imports nothing from nodes/ or credentials/.
 */
const crypto = require('node:crypto');
const http = require('node:http');
const { createRouter } = require('../lib/router');
const { createVariantSwitch } = require('../lib/variants');
const { ADMIN_VARIANTS } = require('./variants');
const S = require('./sign');
const { appFramePage, consentPage, listPage, escapeHtml } = require('./host-page');

const LOAD_TIMEOUT_MS = 16_000; // app-message src/constants.ts CLIENT_LOADING_TIMEOUT
const SCOPES = ['Shop:Read']; // boilerplate Installation.service.ts CURRENT_APP_PERMISSIONS
const apiError = (property, name) => [{ property, constraints: [{ name }] }];

function defaultShopsAndAppointments() {
	try {
		const { FIXTURES } = require('../sesami');
		return {
			shops: FIXTURES.shops.map((s) => ({ shopId: s.id, name: s.name })),
			appointments: Object.fromEntries(
				FIXTURES.shops.map((s) => [
					s.id,
					[...new Set(Object.values(s.appointments || {}))].map((id) => ({ id })),
				]),
			),
		};
	} catch {
		return { shops: [], appointments: {} };
	}
}

function readBody(req, limit = 1_000_000) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > limit) {
				reject(Object.assign(new Error('body too large'), { status: 413 }));
				req.destroy();
			} else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

async function readJson(req) {
	const text = (await readBody(req)).toString('utf8');
	if (!text.trim()) return {};
	try {
		return JSON.parse(text);
	} catch {
		throw Object.assign(new Error('body is not JSON'), { status: 400 });
	}
}

const send = (res, status, body, headers = {}) => {
	const isText = typeof body === 'string';
	res.writeHead(status, {
		'content-type': isText ? 'text/html; charset=utf-8' : 'application/json',
		'cache-control': 'no-store',
		...headers,
	});
	res.end(isText ? body : JSON.stringify(body));
};
const redirect = (res, status, location, body) =>
	send(res, status, body || { location }, { location });

function normalizeApp(raw, shops) {
	for (const k of ['appId', 'clientId', 'clientSecret', 'appUrl'])
		if (!raw || !raw[k]) throw Object.assign(new Error(`app needs ${k}`), { status: 400 });
	const appUrl = String(raw.appUrl);
	const slash = appUrl.endsWith('/') ? appUrl : `${appUrl}/`;
	return {
		appId: String(raw.appId),
		clientId: String(raw.clientId),
		clientSecret: String(raw.clientSecret),
		name: String(raw.name || raw.appId),
		appUrl,
		redirectUris: (raw.redirectUris || []).map(String),
		webhookUrl: String(raw.webhookUrl || `${slash}webhooks`),
		extensionUrls: raw.extensionUrls || {},
		installedShops: new Set(raw.installedShops || [...shops.keys()]),
	};
}

const publicApp = (a) => ({
	...a,
	clientSecret: undefined,
	installedShops: [...a.installedShops],
});

/**
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string} [options.host='127.0.0.1']
 * @param {object[]} [options.apps]
 * @param {{shopId: string, name: string}[]} [options.shops]
 * @param {{userId: string, email: string}[]} [options.users]
 * @param {Record<string, Array<string | {id: string, title?: string}>>} [options.appointments]
 * @param {Record<string,string>|string} [options.variants]  (or SESAMI_ADMIN_SIM_VARIANTS in cli / npm start)
 * @param {'ask'|'accept'|'deny'} [options.consent='ask']
 * @param {number} [options.loadTimeoutMs=16000]
 * @param {number} [options.tokenTtlSeconds=3600]   the staff token's lifetime (not documented)
 * @param {number} [options.codeTtlMs=600000]
 * @param {() => number} [options.now]               epoch ms
 * @param {string} [options.apiUpstream]             e.g. the Sesami API simulator's url
 * @param {(t: {token: string, appId: string, clientId: string, shopId: string, name: string}) => void} [options.onTokenIssued]
 *        called with each offline token the access-token exchange issues (e.g. to let the API
 *        simulator accept it); issuedTokens() lists them too
 * @param {(u: {appId: string, clientId: string, shopId: string}) => void} [options.onUninstall]
 *        called when an uninstall revokes a shop's tokens
 */
async function startSesamiAdmin(options = {}) {
	const defaults = defaultShopsAndAppointments();
	const opts = {
		port: 0,
		host: '127.0.0.1',
		consent: 'ask',
		loadTimeoutMs: LOAD_TIMEOUT_MS,
		tokenTtlSeconds: 3600,
		codeTtlMs: 600_000,
		now: () => Date.now(),
		...options,
	};
	const variants = createVariantSwitch(ADMIN_VARIANTS, opts.variants);
	const shops = new Map((opts.shops || defaults.shops).map((s) => [String(s.shopId), { ...s }]));
	const users = (opts.users || [{ userId: 'staff-1', email: 'staff@example.com' }]).map((u) => ({
		...u,
	}));
	const appointments = new Map();
	const addAppointments = (shopId, list) => {
		const have = appointments.get(shopId) || [];
		for (const a of list) {
			const item = typeof a === 'string' ? { id: a } : { id: String(a.id), title: a.title };
			if (!have.some((h) => h.id === item.id)) have.push(item);
		}
		appointments.set(shopId, have);
	};
	for (const [shopId, list] of Object.entries(opts.appointments || defaults.appointments))
		addAppointments(shopId, list);
	const apps = new Map();
	const registerApp = (raw) => {
		const app = normalizeApp(raw, shops);
		apps.set(app.appId, app);
		return app;
	};
	for (const a of opts.apps || []) registerApp(a);
	let consentMode = opts.consent;
	const codes = new Map();
	const tokens = [];
	const webhooks = [];
	const lastWebhook = new Map();
	const loads = [];

	const signing = () => variants.all();
	const appByClient = (clientId) => [...apps.values()].find((a) => a.clientId === clientId);
	const userOf = (url) => users.find((u) => u.userId === url.searchParams.get('user')) || users[0];
	const notFound = (res, what) => send(res, 404, listPage(`${what} not found`, []));

	// ---- Admin pages --------------------------------------------------------------------------

	function framePage(res, url, { app, shopId, target, appointmentId, heading, details }) {
		const user = userOf(url);
		const locale = url.searchParams.get('locale') || 'en';
		const load = S.signedLoadUrl(app, {
			target,
			shopId,
			appointmentId,
			locale,
			user,
			now: opts.now(),
			variants: signing(),
			tokenTtlSeconds: opts.tokenTtlSeconds,
		});
		loads.push({ at: new Date(opts.now()).toISOString(), appId: app.appId, target, url: load.url });
		if (loads.length > 1000) loads.shift();
		const extra = target === 'ADMIN_APPOINTMENT_DETAILS' ? { appointmentId } : undefined;
		return send(
			res,
			200,
			appFramePage({
				title: heading,
				heading,
				details,
				frameUrl: load.url,
				config: {
					appId: app.appId,
					appName: app.name,
					shopId,
					locale,
					userId: user.userId,
					messageId: load.params.messageId,
					extra,
					target,
					tokenEndpoint: '/admin/api/token',
					loadTimeoutMs: opts.loadTimeoutMs,
				},
			}),
		);
	}

	function appLoader(req, res, url, { shopId, appId }) {
		const shop = shops.get(shopId);
		const app = apps.get(appId);
		if (!shop) return notFound(res, 'Shop');
		if (!app) return notFound(res, 'App');
		if (!app.installedShops.has(shopId))
			return send(
				res,
				404,
				listPage(`${app.name} is not installed in ${shop.name}`, [
					{ href: `/admin/${shopId}/apps/${appId}/install`, text: `Install ${app.name}` },
				]),
			);
		return framePage(res, url, {
			app,
			shopId,
			target: 'ADMIN_APP_LOADER',
			heading: `${app.name} - ${shop.name}`,
		});
	}

	function appointmentDrawer(req, res, url, { shopId, appointmentId }) {
		const shop = shops.get(shopId);
		if (!shop) return notFound(res, 'Shop');
		const wanted = url.searchParams.get('appId');
		const app = wanted
			? apps.get(wanted)
			: [...apps.values()].find((a) => a.installedShops.has(shopId));
		if (!app || !app.installedShops.has(shopId)) return notFound(res, 'Installed app');
		const item = (appointments.get(shopId) || []).find((a) => a.id === appointmentId);
		const details = `<p>Shop: <span id="shop-name">${escapeHtml(shop.name)}</span> &middot; Appointment <code id="appointment-id">${escapeHtml(appointmentId)}</code>${item && item.title ? ` &middot; ${escapeHtml(item.title)}` : ''}</p>`;
		return framePage(res, url, {
			app,
			shopId,
			target: 'ADMIN_APPOINTMENT_DETAILS',
			appointmentId,
			heading: `Appointment - ${app.name}`,
			details,
		});
	}

	function shopIndex(req, res, url, { shopId }) {
		const shop = shops.get(shopId);
		if (!shop) return notFound(res, 'Shop');
		const items = [];
		for (const app of apps.values()) {
			if (app.installedShops.has(shopId))
				items.push({ href: `/admin/${shopId}/apps/${app.appId}`, text: `App: ${app.name}` });
			else
				items.push({
					href: `/admin/${shopId}/apps/${app.appId}/install`,
					text: `Install app: ${app.name}`,
				});
		}
		for (const a of appointments.get(shopId) || [])
			items.push({
				href: `/admin/${shopId}/appointments/${a.id}`,
				text: `Appointment ${a.id}${a.title ? ` (${a.title})` : ''}`,
			});
		return send(res, 200, listPage(shop.name, items));
	}

	/** Where Admin's Install button sends the merchant: the app's URL ?shopId&timestamp&hmac. */
	function installLocation(appId, shopId) {
		const app = apps.get(appId);
		if (!app) throw Object.assign(new Error(`unknown app ${appId}`), { status: 404 });
		if (!shops.has(shopId))
			throw Object.assign(new Error(`unknown shop ${shopId}`), { status: 404 });
		const q = S.signedQuery(app, { shopId, now: opts.now(), variants: signing() });
		return S.withQuery(app.appUrl, q);
	}

	async function adminToken(req, res) {
		const b = await readJson(req);
		const app = apps.get(String(b.appId || ''));
		const shopId = String(b.shopId || '');
		if (!app || !app.installedShops.has(shopId)) return send(res, 403, { token: null });
		const user = users.find((u) => u.userId === b.userId) || users[0];
		const { token } = S.appToken(app, {
			shopId,
			user,
			now: opts.now(),
			ttlSeconds: opts.tokenTtlSeconds,
			tokenShopId: variants.get('tokenShopId'),
		});
		return send(res, 200, { token });
	}

	// ---- Sesami OAuth ---------------------------------------------------------------------------

	/** The checks of an authorization request; {app, shop, scopes, redirectUri} or {status, body}. */
	function authorizationRequest(params) {
		const clientId = params.get('clientId');
		const shopId = params.get('shopId');
		const redirectUri = params.get('redirectUri');
		for (const [name, value] of [
			['clientId', clientId],
			['shopId', shopId],
			['redirectUri', redirectUri],
		])
			if (!value) return { status: 400, body: apiError(name, 'is_not_empty') };
		const app = appByClient(clientId);
		if (!app) return { status: 404, body: apiError('app', 'not_found') };
		const shop = shops.get(shopId);
		if (!shop) return { status: 404, body: apiError('shop', 'not_found') };
		if (!app.redirectUris.includes(redirectUri))
			return { status: 400, body: apiError('redirectUri', 'invalid_input') };
		const scopes = params.getAll('scopes[]').concat(params.getAll('scopes'));
		return { app, shop, scopes: scopes.length ? scopes : SCOPES, redirectUri };
	}

	function decide(res, request, decision) {
		const { app, shop, redirectUri } = request;
		if (decision !== 'accept') return redirect(res, 302, `/admin/${shop.shopId}`);
		const code = crypto.randomBytes(24).toString('hex');
		codes.set(code, {
			appId: app.appId,
			shopId: shop.shopId,
			redirectUri,
			expiresAt: opts.now() + opts.codeTtlMs,
			used: false,
		});
		app.installedShops.add(shop.shopId);
		const q = S.signedQuery(app, {
			shopId: shop.shopId,
			code,
			now: opts.now(),
			variants: signing(),
		});
		return redirect(res, 302, S.withQuery(redirectUri, q));
	}

	function authorizationPage(req, res, url) {
		const request = authorizationRequest(url.searchParams);
		if (request.status) return send(res, request.status, request.body);
		const auto = url.searchParams.get('auto') || (consentMode !== 'ask' ? consentMode : null);
		if (auto === 'accept' || auto === 'deny') return decide(res, request, auto);
		return send(res, 200, consentPage(request));
	}

	async function authorizationDecision(req, res) {
		const form = new URLSearchParams((await readBody(req)).toString('utf8'));
		const request = authorizationRequest(form);
		if (request.status) return send(res, request.status, request.body);
		return decide(res, request, form.get('decision'));
	}

	async function accessToken(req, res) {
		const b = await readJson(req);
		for (const name of ['code', 'shopId', 'clientId', 'clientSecret'])
			if (!b[name] || typeof b[name] !== 'string')
				return send(res, 400, apiError(name, 'is_not_empty'));
		const app = appByClient(b.clientId);
		const secretOk =
			app &&
			crypto.timingSafeEqual(
				crypto.createHash('sha256').update(b.clientSecret).digest(),
				crypto.createHash('sha256').update(app.clientSecret).digest(),
			);
		if (!secretOk) return send(res, 401, apiError('user', 'unauthorized'));
		const grant = codes.get(b.code);
		if (
			!grant ||
			grant.used ||
			grant.appId !== app.appId ||
			grant.shopId !== b.shopId ||
			grant.expiresAt < opts.now()
		) {
			return send(res, 400, apiError('code', 'invalid_input'));
		}
		grant.used = true;
		const token = `sk_app_${crypto.randomBytes(24).toString('hex')}`;
		const issued = {
			token,
			appId: app.appId,
			clientId: app.clientId,
			shopId: grant.shopId,
			name: app.name,
			issuedAt: new Date(opts.now()).toISOString(),
			active: true,
		};
		tokens.push(issued);
		if (opts.onTokenIssued) opts.onTokenIssued({ ...issued });
		return send(res, 200, { token, clientId: app.clientId, expireAt: 'NEVER', name: app.name });
	}

	function appHome(req, res, url, { appId }) {
		const last = tokens.filter((t) => t.appId === appId && t.active).pop();
		if (!apps.has(appId) || !last) return redirect(res, 302, '/admin');
		return redirect(res, 302, `/admin/${last.shopId}/apps/${appId}`);
	}

	// ---- Uninstall webhook ----------------------------------------------------------------------

	async function deliver(url, body) {
		try {
			const r = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'user-agent': 'sesami-admin-simulator' },
				body,
				signal: AbortSignal.timeout(15_000),
			});
			return { status: r.status, body: await r.text() };
		} catch (error) {
			return { status: 0, body: '', error: String(error.message || error) };
		}
	}

	async function uninstall(appId, shopId, { tamper, data: extra } = {}) {
		const app = apps.get(appId);
		if (!app) throw Object.assign(new Error(`unknown app ${appId}`), { status: 404 });
		if (!shopId) throw Object.assign(new Error('shopId is required'), { status: 400 });
		app.installedShops.delete(shopId);
		for (const t of tokens) if (t.appId === appId && t.shopId === shopId) t.active = false;
		if (opts.onUninstall) opts.onUninstall({ appId, clientId: app.clientId, shopId });
		const data = { shopId, appId: app.appId, clientId: app.clientId, ...(extra || {}) };
		const signed = S.signedWebhook(app, data);
		let sentData = { ...data };
		if (tamper === true) {
			const other = [...shops.keys()].find((id) => id !== shopId);
			sentData.shopId = other || `${shopId}0`;
		} else if (tamper && typeof tamper === 'object') sentData = { ...sentData, ...tamper };
		if (variants.get('webhookDataOrder') === 'sorted') sentData = S.sortKeys(sentData);
		else {
			const { shopId: first, ...rest } = sentData;
			sentData = { shopId: first, ...rest };
		}
		const body = JSON.stringify({ event: signed.event, data: sentData, hmac: signed.hmac });
		return sendWebhook(app, app.webhookUrl, body);
	}

	async function sendWebhook(app, url, body) {
		lastWebhook.set(app.appId, { url, body });
		const answer = await deliver(url, body);
		const record = {
			at: new Date(opts.now()).toISOString(),
			appId: app.appId,
			url,
			sent: body,
			...answer,
		};
		webhooks.push(record);
		return record;
	}

	async function replay(appId) {
		const app = apps.get(appId);
		const last = app && lastWebhook.get(appId);
		if (!last) throw Object.assign(new Error(`no webhook sent for ${appId} yet`), { status: 404 });
		return sendWebhook(app, last.url, last.body);
	}

	// ---- API upstream ---------------------------------------------------------------------------

	async function upstream(req, res, url) {
		if (!opts.apiUpstream) return send(res, 404, apiError('ROOT', 'not_found'));
		const target = new URL(url.pathname + url.search, opts.apiUpstream);
		const method = req.method.toUpperCase();
		const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
		const headers = {};
		for (const [k, v] of Object.entries(req.headers))
			if (!['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
		const r = await fetch(target, { method, headers, body });
		const out = Buffer.from(await r.arrayBuffer());
		res.writeHead(r.status, {
			'content-type': r.headers.get('content-type') || 'application/json',
		});
		res.end(out);
	}

	// ---- Control --------------------------------------------------------------------------------

	const state = () => ({
		apps: [...apps.values()].map(publicApp),
		shops: [...shops.values()],
		users,
		appointments: Object.fromEntries(appointments),
		consent: consentMode,
		variants: variants.all(),
	});
	const issuedTokens = ({ all = false } = {}) =>
		tokens.filter((t) => all || t.active).map((t) => ({ ...t }));

	const control = (fn) => async (req, res, url, params) => {
		const body = req.method === 'GET' ? {} : await readJson(req);
		const out = await fn(body, params, url);
		return send(res, out.status || 200, out.body === undefined ? out : out.body);
	};

	const router = createRouter(
		[
			{ method: 'GET', path: '/__sim/health', handler: (req, res) => send(res, 200, { ok: true }) },
			{
				method: ['GET', 'POST', 'PUT', 'DELETE'],
				path: '/__sim/variants',
				handler: async (req, res) => {
					const raw = req.method === 'GET' ? '' : (await readBody(req)).toString('utf8');
					const out = variants.control(req.method.toUpperCase(), raw);
					return send(res, out.status, out.body);
				},
			},
			{ method: 'GET', path: '/__sim/state', handler: control(() => state()) },
			{
				method: 'POST',
				path: '/__sim/apps',
				handler: control((b) => ({ status: 201, body: publicApp(registerApp(b)) })),
			},
			{
				method: 'POST',
				path: '/__sim/shops',
				handler: control((b) => {
					if (!b.shopId) return { status: 400, body: { error: 'shopId is required' } };
					shops.set(String(b.shopId), {
						shopId: String(b.shopId),
						name: String(b.name || b.shopId),
					});
					return { status: 201, body: shops.get(String(b.shopId)) };
				}),
			},
			{
				method: 'POST',
				path: '/__sim/users',
				handler: control((b) => {
					if (!b.userId || !b.email)
						return { status: 400, body: { error: 'userId and email are required' } };
					users.push({ userId: String(b.userId), email: String(b.email) });
					return { status: 201, body: users };
				}),
			},
			{
				method: 'POST',
				path: '/__sim/appointments',
				handler: control((b) => {
					if (!b.shopId) return { status: 400, body: { error: 'shopId is required' } };
					addAppointments(String(b.shopId), [].concat(b.ids || b.appointments || []));
					return { status: 201, body: appointments.get(String(b.shopId)) };
				}),
			},
			{
				method: ['GET', 'POST'],
				path: '/__sim/consent',
				handler: control((b) => {
					if (b.mode !== undefined) {
						if (!['ask', 'accept', 'deny'].includes(b.mode))
							return { status: 400, body: { error: 'mode is ask, accept or deny' } };
						consentMode = b.mode;
					}
					return { mode: consentMode };
				}),
			},
			{
				method: 'POST',
				path: '/__sim/apps/:appId/install',
				handler: async (req, res, url, { appId }) => {
					const b = await readJson(req);
					return redirect(res, 303, installLocation(appId, String(b.shopId || '')));
				},
			},
			{
				method: 'POST',
				path: '/__sim/apps/:appId/uninstall',
				handler: control((b, { appId }) =>
					uninstall(appId, b.shopId, b).then((r) => ({ body: r })),
				),
			},
			{
				method: 'POST',
				path: '/__sim/apps/:appId/uninstall/replay',
				handler: control((b, { appId }) => replay(appId).then((r) => ({ body: r }))),
			},
			{ method: 'GET', path: '/__sim/webhooks', handler: control(() => ({ body: webhooks })) },
			{
				method: 'GET',
				path: '/__sim/issued-tokens',
				handler: control((b, p, url) => ({
					body: issuedTokens({ all: !!url.searchParams.get('all') }),
				})),
			},
			{ method: 'GET', path: '/__sim/loads', handler: control(() => ({ body: loads })) },
			{
				method: 'POST',
				path: '/__sim/sign/load',
				handler: control((b) => {
					const app = apps.get(String(b.appId || ''));
					if (!app) return { status: 404, body: { error: 'unknown appId' } };
					return S.signedLoadUrl(app, { variants: signing(), now: opts.now(), ...b });
				}),
			},
			{
				method: 'GET',
				path: '/admin/?',
				handler: (req, res) =>
					send(
						res,
						200,
						listPage(
							'Shops',
							[...shops.values()].map((s) => ({ href: `/admin/${s.shopId}`, text: s.name })),
						),
					),
			},
			{ method: 'POST', path: '/admin/api/token', handler: adminToken },
			{ method: 'GET', path: '/admin/:shopId/apps/:appId', handler: appLoader },
			{
				method: 'GET',
				path: '/admin/:shopId/apps/:appId/install',
				handler: (req, res, url, { shopId, appId }) =>
					redirect(res, 303, installLocation(appId, shopId)),
			},
			{
				method: 'GET',
				path: '/admin/:shopId/appointments/:appointmentId',
				handler: appointmentDrawer,
			},
			{ method: 'GET', path: '/admin/:shopId', handler: shopIndex },
			// Where an app's backend sends the merchant after an install: Sesami Admin's
			// https://admin.sesami.co/apps/{app_id} (https://sesami.dev/docs/sesami-apps/ install flow),
			// or /apps. The real Admin knows the shop from its session; here it is the shop whose token
			// was issued last for the app (else the shop list).
			{ method: 'GET', path: '/apps/?', handler: (req, res) => redirect(res, 302, '/admin') },
			{ method: 'GET', path: '/apps/:appId', handler: appHome },
			{ method: 'GET', path: '/api/v1/oauth/authorization', handler: authorizationPage },
			{ method: 'POST', path: '/api/v1/oauth/authorization', handler: authorizationDecision },
			{ method: 'POST', path: '/api/v1/oauth/access-token', handler: accessToken },
			{ method: '*', path: '/api/v1/*?', handler: upstream },
		],
		{ decode: true },
	);

	async function handle(req, res) {
		const url = new URL(req.url, 'http://sesami-admin.local');
		const match = router.match(req.method.toUpperCase(), url.pathname);
		if (match && match.route) return match.route.handler(req, res, url, match.params);
		if (match && match.allowed)
			return send(res, 405, { error: 'method not allowed', allowed: match.allowed });
		return send(res, 404, { error: 'not found' });
	}

	const sockets = new Set();
	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent)
				send(res, error.status || 500, { error: String(error.message || error) });
			else res.end();
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address();
	const base = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
	return {
		url: base,
		port,
		variants,
		/** the Admin page: the app's home, or the appointment drawer when appointmentId is given */
		adminUrl: (shopId, appointmentId, appId) =>
			appointmentId
				? `${base}/admin/${shopId}/appointments/${appointmentId}${appId ? `?appId=${encodeURIComponent(appId)}` : ''}`
				: `${base}/admin/${shopId}${appId ? `/apps/${appId}` : ''}`,
		/** Sesami's OAuth base: GET {apiUrl}/api/v1/oauth/authorization, POST .../access-token */
		apiUrl: base,
		registerApp: (raw) => publicApp(registerApp(raw)),
		app: (appId) => apps.get(appId),
		state,
		/** the offline tokens issued by POST /api/v1/oauth/access-token (active ones unless all) */
		issuedTokens,
		installLocation,
		uninstall,
		replayUninstall: replay,
		webhooks,
		loads,
		setConsent: (mode) => {
			consentMode = mode;
		},
		/** signedLoadUrl with the simulator's current variants and clock */
		signedLoadUrl: (appId, o = {}) =>
			S.signedLoadUrl(apps.get(appId), { variants: signing(), now: opts.now(), ...o }),
		close: () =>
			new Promise((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startSesamiAdmin, ADMIN_VARIANTS, LOAD_TIMEOUT_MS, SCOPES };
