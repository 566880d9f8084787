'use strict';
/**
 * Storefront simulator: plays the Shopify store in front of the "My Page" backend (sesami-my-page-backend.json,
 * workflows/sesami-my-page-backend.json). Test and sandbox only.
 *
 *   const { startStorefront } = require('./test/sim/storefront');
 *   const store = await startStorefront({
 *     port: 8030, shopDomain: 'bloom-and-brow-studio.myshopify.com',
 *     appProxy: { prefix: 'apps', subpath: 'bookings', url: '<the My Page Trigger production webhook URL>' },
 *     clientSecret: '<the Shopify app client secret of the n8n credential>',
 *     customers: [{ id: '7876441139527', email: 'zara.chen@example.com', name: 'Zara Chen', password: '...' }],
 *   });
 *
 * What it does, as Shopify does it (customer accounts:
 * https://shopify.dev/docs/storefronts/themes/architecture/templates/customers-account, Liquid:
 * https://shopify.dev/docs/api/liquid/objects/customer, App Proxy: https://shopify.dev/docs/apps/build/online-store/app-proxies):
 * - /account/login: a login form; a logged-in customer has a session cookie (HttpOnly, in memory).
 * - /account (login required, like the classic customer account page) and /pages/my-bookings (any
 *   visitor, like a page template on a store with new customer accounts): a theme page rendered with
 *   liquidjs, `customer` set to the logged-in customer (nil otherwise), `routes`, `shop`, and the
 *   snippet workflows/storefront/sesami-my-page.liquid ({% render 'sesami-my-page' %}).
 * - /assets/<file>: the theme assets (the snippet's script), from workflows/storefront/.
 * - /{prefix}/{subpath}[/rest][?q] (any method but CONNECT / TRACE): the App Proxy. Forwarded to
 *   `{url}{rest}?{q}` plus Shopify's parameters shop, logged_in_customer_id (empty when nobody is
 *   logged in), path_prefix, timestamp and signature, signed by test/helpers/shopify.js (the
 *   documented algorithm, checked against @shopify/shopify-api; never the package's verifier). The
 *   browser's own query parameters are kept as they are, so a browser that adds its own
 *   `logged_in_customer_id` gets it joined with Shopify's (`1,2`) and refused by the backend. Method
 *   and body go through unchanged; Content-Type, Accept and User-Agent are copied, X-Forwarded-Host
 *   and X-Forwarded-For added, Cookie never sent. The answer's status, Content-Type and body come
 *   back; Set-Cookie is dropped. An `application/liquid` answer is rendered in the theme layout.
 * - GET /__storefront/requests: what the browser sent to the proxy (method, path, query, body) and
 *   what came back (status), newest last; DELETE clears it. GET /__storefront/health.
 *
 * CommonJS, Node built-ins + liquidjs; imports nothing from nodes/ or credentials/.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { Liquid } = require('liquidjs');
const { signAppProxyQuery, proxyPairs } = require('../../helpers/shopify.js');
const { createRouter } = require('../lib/router');
const { LAYOUT, ACCOUNT, HOME, LOGIN } = require('./theme');
const {
	pickMyPageCustomers,
	myPageWebhookUrl,
	MY_PAGE_WORKFLOW_FILE,
	DEFAULT_PASSWORDS,
} = require('./my-page');

const STOREFRONT_DIR = path.resolve(__dirname, '..', '..', '..', 'workflows', 'storefront');
const SESSION_COOKIE = 'storefront_session';
const SUBPATH = /^[A-Za-z0-9_-]{1,30}$/;
const PREFIXES = ['a', 'apps', 'community', 'tools'];

const escapeHtml = (s) =>
	String(s ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);

function parseCookies(header) {
	const out = {};
	for (const part of String(header || '').split(';')) {
		const i = part.indexOf('=');
		if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
	}
	return out;
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

/**
 * @param {object} options
 * @param {number} [options.port=0]
 * @param {string} [options.host='127.0.0.1']
 * @param {string} options.shopDomain        the store's *.myshopify.com domain (sent as `shop`)
 * @param {string} [options.shopName]
 * @param {{ prefix?: string, subpath?: string, url?: string }} [options.appProxy]  url may come later (setAppProxyUrl)
 * @param {string} options.clientSecret      the Shopify app's client secret (signs the proxy requests)
 * @param {{ id: string, email: string, name?: string, firstName?: string, lastName?: string, password: string }[]} options.customers
 * @param {string} [options.themeDir]        where sesami-my-page.liquid / .js are (default workflows/storefront)
 * @param {() => number} [options.now]       clock for the proxy timestamp (epoch ms)
 * @param {number} [options.proxyTimeoutMs=30000]
 */
async function startStorefront(options = {}) {
	const opts = {
		port: 0,
		host: '127.0.0.1',
		themeDir: STOREFRONT_DIR,
		now: () => Date.now(),
		proxyTimeoutMs: 30_000,
		...options,
	};
	const shopDomain = String(opts.shopDomain || '').toLowerCase();
	if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shopDomain))
		throw new Error(`shopDomain must be a *.myshopify.com domain (got "${opts.shopDomain}")`);
	if (!opts.clientSecret)
		throw new Error(
			'clientSecret is required (the Shopify app secret that signs App Proxy requests)',
		);
	const prefix = opts.appProxy?.prefix ?? 'apps';
	const subpath = opts.appProxy?.subpath ?? 'bookings';
	if (!PREFIXES.includes(prefix))
		throw new Error(`appProxy.prefix must be one of ${PREFIXES.join(', ')}`);
	if (!SUBPATH.test(subpath) || ['admin', 'services', 'password', 'login'].includes(subpath))
		throw new Error(`appProxy.subpath "${subpath}" is not allowed by Shopify`);
	const pathPrefix = `/${prefix}/${subpath}`;
	let proxyUrl = opts.appProxy?.url ? String(opts.appProxy.url) : null;
	const customers = (opts.customers || []).map((c) => {
		const name = c.name || [c.firstName, c.lastName].filter(Boolean).join(' ');
		return {
			...c,
			id: String(c.id),
			name,
			firstName: c.firstName || name.split(' ')[0] || '',
			lastName: c.lastName || name.split(' ').slice(1).join(' '),
		};
	});
	for (const c of customers)
		if (!/^\d+$/.test(c.id) || !c.email || !c.password)
			throw new Error(
				`customer ${JSON.stringify(c.email)}: needs a numeric id, an email and a password`,
			);
	const shopName =
		opts.shopName ||
		shopDomain
			.replace(/\.myshopify\.com$/, '')
			.replace(/-/g, ' ')
			.replace(/\b\w/g, (m) => m.toUpperCase());

	const engine = new Liquid({ root: [opts.themeDir], extname: '.liquid', cache: false });
	engine.registerFilter('asset_url', (name) => `/assets/${encodeURIComponent(String(name))}`);
	const sessions = new Map(); // sid -> customer id
	const requests = [];

	const routes = {
		root_url: '/',
		account_url: '/account',
		account_login_url: '/account/login',
		account_logout_url: '/account/logout',
	};
	const liquidCustomer = (c) =>
		c
			? { id: c.id, email: c.email, name: c.name, first_name: c.firstName, last_name: c.lastName }
			: null;

	async function page(res, { title, body, customer, vars = {}, status = 200 }) {
		const globals = {
			customer: liquidCustomer(customer),
			routes,
			shop: { name: shopName, domain: shopDomain, permanent_domain: shopDomain },
		};
		const content = await engine.parseAndRender(
			body,
			{ ...vars, proxy_path: pathPrefix },
			{ globals },
		);
		const html = await engine.parseAndRender(
			LAYOUT,
			{ page_title: title, content_for_layout: content },
			{ globals },
		);
		res.writeHead(status, {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
		});
		res.end(html);
	}

	function currentCustomer(req) {
		const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
		const id = sid ? sessions.get(sid) : undefined;
		return id ? customers.find((c) => c.id === id) : undefined;
	}

	function redirect(res, location, headers = {}) {
		res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
		res.end();
	}

	/** The App Proxy: forward, signed, to the configured URL. */
	async function proxy(req, res, url, customer) {
		const method = req.method.toUpperCase();
		const rest = url.pathname.slice(pathPrefix.length); // '' or '/...'
		const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
		const record = {
			at: new Date().toISOString(),
			method,
			path: url.pathname,
			query: url.search.replace(/^\?/, ''),
			body: body.toString('utf8'),
			customerId: customer?.id ?? '',
			status: 0,
		};
		requests.push(record);
		if (requests.length > 1000) requests.shift();
		if (method === 'CONNECT' || method === 'TRACE') {
			record.status = 405;
			res.writeHead(405, { 'content-type': 'text/plain' });
			return res.end('Method not allowed');
		}
		if (!proxyUrl) {
			record.status = 502;
			res.writeHead(502, { 'content-type': 'text/plain' });
			return res.end('App proxy URL not configured');
		}
		const incoming = [...new URLSearchParams(url.search)];
		const query = signAppProxyQuery(
			proxyPairs({
				shop: shopDomain,
				customerId: customer ? customer.id : '',
				timestamp: Math.floor(opts.now() / 1000),
				pathPrefix,
				extra: incoming,
			}),
			opts.clientSecret,
		);
		const target = new URL(proxyUrl);
		target.pathname = target.pathname.replace(/\/+$/, '') + rest;
		target.search = query;
		const headers = {
			'x-forwarded-host': req.headers.host || shopDomain,
			'x-forwarded-for': req.socket.remoteAddress || '127.0.0.1',
		};
		for (const h of ['content-type', 'accept', 'user-agent', 'accept-language'])
			if (req.headers[h]) headers[h] = req.headers[h];
		if (body.length) headers['content-length'] = String(body.length);
		const answer = await new Promise((resolve) => {
			const out = http.request(target, { method, headers, timeout: opts.proxyTimeoutMs }, (r) => {
				const chunks = [];
				r.on('data', (c) => chunks.push(c));
				r.on('end', () =>
					resolve({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks) }),
				);
				r.on('error', (error) =>
					resolve({
						status: 502,
						headers: { 'content-type': 'text/plain' },
						body: Buffer.from(`App proxy: ${error.message}`),
					}),
				);
			});
			out.on('timeout', () => out.destroy(new Error('timed out')));
			out.on('error', (error) =>
				resolve({
					status: 502,
					headers: { 'content-type': 'text/plain' },
					body: Buffer.from(`App proxy: ${error.message}`),
				}),
			);
			out.end(body.length ? body : undefined);
		});
		record.status = answer.status;
		const type = String(answer.headers['content-type'] || '');
		if (/^application\/liquid\b/i.test(type)) {
			return page(res, {
				title: 'My bookings',
				body: answer.body.toString('utf8'),
				customer,
				status: answer.status,
			});
		}
		// Set-Cookie (and the other headers Shopify strips) never reach the browser.
		const back = { 'cache-control': answer.headers['cache-control'] || 'no-store' };
		if (type) back['content-type'] = type;
		res.writeHead(answer.status, back);
		res.end(answer.body);
	}

	/** GET /assets/<file>: the theme assets (the snippet's script). */
	function asset(req, res, url) {
		const name = decodeURIComponent(url.pathname.slice('/assets/'.length));
		const file = path.join(opts.themeDir, name);
		if (!/^[\w.-]+$/.test(name) || !fs.existsSync(file)) {
			res.writeHead(404, { 'content-type': 'text/plain' });
			return res.end('Not found');
		}
		const type = name.endsWith('.js')
			? 'text/javascript; charset=utf-8'
			: name.endsWith('.css')
				? 'text/css; charset=utf-8'
				: 'application/octet-stream';
		res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
		return res.end(fs.readFileSync(file));
	}

	const returnTarget = (value) => (/^\/[^/\\]/.test(value || '') ? value : '/account');

	/** POST /account/login: a session for the right email + password, the login page again otherwise. */
	async function login(req, res) {
		const form = new URLSearchParams((await readBody(req)).toString('utf8'));
		const email = String(form.get('email') || '')
			.trim()
			.toLowerCase();
		const who = customers.find((c) => c.email.toLowerCase() === email);
		const target = returnTarget(form.get('return_to'));
		if (
			!who ||
			!crypto.timingSafeEqual(
				crypto
					.createHash('sha256')
					.update(String(form.get('password') || ''))
					.digest(),
				crypto.createHash('sha256').update(who.password).digest(),
			)
		) {
			return page(res, {
				title: 'Log in',
				body: LOGIN,
				status: 401,
				vars: { error: 'Incorrect email or password.', email, return_to: target },
			});
		}
		const sid = crypto.randomBytes(24).toString('base64url');
		sessions.set(sid, who.id);
		return redirect(res, target, {
			'set-cookie': `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`,
		});
	}

	function logout(req, res) {
		const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
		if (sid) sessions.delete(sid);
		return redirect(res, '/', {
			'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
		});
	}

	const jsonAnswer = (res, body) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		return res.end(JSON.stringify(body));
	};

	/**
	 * The storefront's routes (../lib/router.js; paths as sent, not decoded): method, path,
	 * handler(req, res, url, customer). A path no row serves is the theme's 404 page.
	 */
	const router = createRouter([
		{ method: '*', path: `${pathPrefix}/*?`, handler: proxy },
		{
			method: '*',
			path: '/__storefront/health',
			handler: (req, res) => jsonAnswer(res, { ok: true }),
		},
		{
			method: '*',
			path: '/__storefront/requests',
			handler: (req, res) => {
				const clear = req.method.toUpperCase() === 'DELETE';
				if (clear) requests.length = 0;
				return jsonAnswer(res, clear ? { cleared: true } : requests);
			},
		},
		{
			method: '*',
			path: '/favicon.ico',
			handler: (req, res) => {
				res.writeHead(204);
				return res.end();
			},
		},
		{ method: 'GET', path: '/assets/*name', handler: asset },
		{
			method: 'GET',
			path: '/account/login',
			handler: (req, res, url) =>
				page(res, {
					title: 'Log in',
					body: LOGIN,
					vars: { return_to: returnTarget(url.searchParams.get('return_to')) },
				}),
		},
		{ method: 'POST', path: '/account/login', handler: login },
		{ method: ['POST', 'GET'], path: '/account/logout', handler: logout },
		{
			method: 'GET',
			path: '/account',
			handler: (req, res, url, customer) =>
				customer
					? page(res, { title: 'Account', body: ACCOUNT, customer })
					: redirect(res, '/account/login?return_to=%2Faccount'),
		},
		{
			method: 'GET',
			path: '/pages/my-bookings',
			handler: (req, res, url, customer) =>
				page(res, { title: 'My bookings', body: ACCOUNT, customer }),
		},
		{
			method: 'GET',
			path: '/',
			handler: (req, res, url, customer) => page(res, { title: 'Home', body: HOME, customer }),
		},
	]);

	async function handle(req, res) {
		const url = new URL(req.url, 'http://storefront.local');
		const customer = currentCustomer(req);
		const match = router.match(req.method.toUpperCase(), url.pathname);
		if (match && match.route) return match.route.handler(req, res, url, customer);
		return page(res, {
			title: 'Not found',
			body: '<div class="account-head"><h1>Page not found</h1></div>',
			customer,
			status: 404,
		});
	}

	const sockets = new Set();
	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent)
				res.writeHead(error.status || 500, { 'content-type': 'text/plain; charset=utf-8' });
			res.end(`storefront simulator: ${escapeHtml(error.message)}`);
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
		shopDomain,
		shopName,
		pathPrefix,
		/** the App Proxy path the browser calls, e.g. http://127.0.0.1:8030/apps/bookings */
		proxyUrl: `${base}${pathPrefix}`,
		customers: customers.map(({ id, email, name, password }) => ({ id, email, name, password })),
		get appProxyUrl() {
			return proxyUrl;
		},
		setAppProxyUrl(value) {
			proxyUrl = value ? String(value) : null;
		},
		/** what the browser sent through the proxy: [{ at, method, path, query, body, customerId, status }] */
		requests,
		close: () =>
			new Promise((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}

module.exports = {
	startStorefront,
	pickMyPageCustomers,
	myPageWebhookUrl,
	MY_PAGE_WORKFLOW_FILE,
	STOREFRONT_DIR,
	DEFAULT_PASSWORDS,
};
