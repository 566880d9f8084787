'use strict';
/**
 * Storefront simulator: plays the Shopify store in front of the "My Page" backend (W4,
 * workflows/sesami-my-page-backend.json). Test and sandbox only.
 *
 *   const { startStorefront } = require('./test/sim/storefront');
 *   const store = await startStorefront({
 *     port: 8030, shopDomain: 'bloom-and-brow-studio.myshopify.com',
 *     appProxy: { prefix: 'apps', subpath: 'bookings', url: '<W4 production webhook URL>' },
 *     clientSecret: '<the Shopify app client secret of the n8n credential>',
 *     customers: [{ id: '7876441139527', email: 'zara.chen@example.com', name: 'Zara Chen', password: '...' }],
 *   });
 *
 * What it does, as Shopify does it (shared/reference/shopify.md):
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

const STOREFRONT_DIR = path.resolve(__dirname, '..', '..', '..', 'workflows', 'storefront');
const SESSION_COOKIE = 'storefront_session';
const SUBPATH = /^[A-Za-z0-9_-]{1,30}$/;
const PREFIXES = ['a', 'apps', 'community', 'tools'];
/** Default passwords of the two test customers (documented in the README; test logins only). */
const DEFAULT_PASSWORDS = ['my-page-a', 'my-page-b'];

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
 * The two test customers of the sandbox and the tests, from the Sesami simulator's data: A = the
 * shop's fixture customer (`fixtures.shops[i].customer`, the one with the most appointments), B = the
 * other Shopify customer of that shop with the most upcoming, uncancelled appointments (ties: the
 * lower externalId).
 * @param {{ fixtures: object, appointments: object[], now?: number, shopIndex?: number, passwords?: string[] }} input
 *   `appointments`: the simulator's internal records (sim.state.appointments or GET /__sim/state/appointments)
 * @returns {{ id: string, email: string, name: string, firstName: string, lastName: string, password: string, sesamiCustomerId: string }[]}
 */
function pickMyPageCustomers({
	fixtures,
	appointments,
	now = Date.now(),
	shopIndex = 0,
	passwords = DEFAULT_PASSWORDS,
}) {
	const shop = fixtures.shops[shopIndex];
	if (!shop?.customer?.externalId)
		throw new Error(`the Sesami simulator's shop ${shopIndex} has no fixture customer`);
	const mine = appointments.filter((a) => a.shopId === shop.id);
	const counts = new Map();
	for (const a of mine) {
		const ext = a.customer?.externalId;
		if (
			!ext ||
			ext === shop.customer.externalId ||
			a.status === 'CANCELLED' ||
			Date.parse(a.datetime) <= now
		)
			continue;
		const entry = counts.get(ext) ?? { n: 0, customer: a.customer };
		entry.n += 1;
		counts.set(ext, entry);
	}
	const [bId, b] =
		[...counts.entries()].sort((x, y) => y[1].n - x[1].n || (x[0] < y[0] ? -1 : 1))[0] ?? [];
	if (!bId)
		throw new Error(
			`the Sesami simulator's shop ${shopIndex} has no second customer with upcoming appointments`,
		);
	const aRecord =
		mine.find((x) => x.customer?.externalId === shop.customer.externalId)?.customer ?? {};
	const person = (c, fallbackName) => {
		const name = c.name || [c.firstName, c.lastName].filter(Boolean).join(' ') || fallbackName;
		return {
			name,
			firstName: c.firstName || name.split(' ')[0],
			lastName: c.lastName || name.split(' ').slice(1).join(' '),
		};
	};
	return [
		{
			id: String(shop.customer.externalId),
			email: shop.customer.email,
			...person({ ...aRecord, name: shop.customer.name }, 'Customer A'),
			password: passwords[0],
			sesamiCustomerId: shop.customer.id,
		},
		{
			id: String(bId),
			email: b.customer.email,
			...person(b.customer, 'Customer B'),
			password: passwords[1],
			sesamiCustomerId: b.customer.id,
		},
	];
}

const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page_title | escape }} – {{ shop.name | escape }}</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2327; background: #f6f5f2; line-height: 1.45; }
  header.site { background: #1d2327; color: #fff; padding: .9rem 1.5rem; display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
  header.site a { color: #fff; }
  header.site .brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
  header.site nav { display: flex; gap: 1.2rem; align-items: center; }
  main { padding: 1rem 1.5rem 3rem; }
  .account-head { max-width: 46rem; margin: 1.5rem auto 0; }
  .account-head h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
  .account-head p { margin: 0; color: #555; }
  form.inline { display: inline; margin: 0; }
  form.inline button { background: none; border: 0; color: #fff; text-decoration: underline; font: inherit; cursor: pointer; padding: 0; }
</style>
</head>
<body>
<header class="site">
  <a class="brand" href="{{ routes.root_url }}">{{ shop.name | escape }}</a>
  <nav aria-label="Account">
    <a href="/pages/my-bookings">My bookings</a>
    {%- if customer %}
    <span data-role="who">{{ customer.name | escape }}</span>
    <form class="inline" method="post" action="{{ routes.account_logout_url }}"><button type="submit">Log out</button></form>
    {%- else %}
    <a href="{{ routes.account_login_url }}">Log in</a>
    {%- endif %}
  </nav>
</header>
<main>
{{ content_for_layout }}
</main>
</body>
</html>`;

const ACCOUNT = `<div class="account-head">
  <h1>{% if customer %}Hello, {{ customer.first_name | escape }}{% else %}My bookings{% endif %}</h1>
  {%- if customer %}<p>{{ customer.email | escape }}</p>{% endif %}
</div>
{% render 'sesami-my-page', proxy_path: proxy_path %}`;

const HOME = `<div class="account-head"><h1>Welcome to {{ shop.name | escape }}</h1>
<p>Book online, then see, reschedule or cancel your appointments on <a href="/pages/my-bookings">My bookings</a>.</p></div>`;

const LOGIN = `<div class="account-head">
  <h1>Log in</h1>
  {%- if error %}<p role="alert" style="color:#a12d2d">{{ error | escape }}</p>{% endif %}
  <form method="post" action="{{ routes.account_login_url }}" style="display:grid;gap:.5rem;max-width:22rem;margin-top:1rem">
    <input type="hidden" name="return_to" value="{{ return_to | escape }}">
    <label for="customer_email">Email</label>
    <input id="customer_email" name="email" type="email" autocomplete="email" required value="{{ email | escape }}">
    <label for="customer_password">Password</label>
    <input id="customer_password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" style="margin-top:.5rem;padding:.5rem;font:inherit">Sign in</button>
  </form>
</div>`;

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

	async function handle(req, res) {
		const url = new URL(req.url, 'http://storefront.local');
		const method = req.method.toUpperCase();
		const customer = currentCustomer(req);
		if (url.pathname === pathPrefix || url.pathname.startsWith(`${pathPrefix}/`))
			return proxy(req, res, url, customer);
		if (url.pathname === '/__storefront/health') {
			res.writeHead(200, { 'content-type': 'application/json' });
			return res.end(JSON.stringify({ ok: true }));
		}
		if (url.pathname === '/__storefront/requests') {
			if (method === 'DELETE') requests.length = 0;
			res.writeHead(200, { 'content-type': 'application/json' });
			return res.end(JSON.stringify(method === 'DELETE' ? { cleared: true } : requests));
		}
		if (url.pathname === '/favicon.ico') {
			res.writeHead(204);
			return res.end();
		}
		if (method === 'GET' && url.pathname.startsWith('/assets/')) {
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
		if (url.pathname === '/account/login') {
			const returnTo = /^\/[^/\\]/.test(url.searchParams.get('return_to') || '')
				? url.searchParams.get('return_to')
				: '/account';
			if (method === 'GET')
				return page(res, { title: 'Log in', body: LOGIN, vars: { return_to: returnTo } });
			if (method === 'POST') {
				const form = new URLSearchParams((await readBody(req)).toString('utf8'));
				const email = String(form.get('email') || '')
					.trim()
					.toLowerCase();
				const who = customers.find((c) => c.email.toLowerCase() === email);
				const target = /^\/[^/\\]/.test(form.get('return_to') || '')
					? form.get('return_to')
					: '/account';
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
		}
		if (url.pathname === '/account/logout' && (method === 'POST' || method === 'GET')) {
			const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
			if (sid) sessions.delete(sid);
			return redirect(res, '/', {
				'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
			});
		}
		if (method === 'GET' && url.pathname === '/account') {
			if (!customer) return redirect(res, '/account/login?return_to=%2Faccount');
			return page(res, { title: 'Account', body: ACCOUNT, customer });
		}
		if (method === 'GET' && url.pathname === '/pages/my-bookings')
			return page(res, { title: 'My bookings', body: ACCOUNT, customer });
		if (method === 'GET' && url.pathname === '/')
			return page(res, { title: 'Home', body: HOME, customer });
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

/** The file name of W4, the workflow behind the App Proxy. */
const MY_PAGE_WORKFLOW_FILE = 'sesami-my-page-backend.json';

/**
 * The production URL of W4's My Page Trigger among the harness' workflow entries
 * (startN8n().workflows: [{ file, webhookUrls: [{ httpMethod, url }] }]); null when W4 is not there.
 */
function myPageWebhookUrl(workflows) {
	const wf = (workflows || []).find((w) => path.basename(String(w.file)) === MY_PAGE_WORKFLOW_FILE);
	return wf?.webhookUrls?.find((h) => h.url)?.url ?? null;
}

module.exports = {
	startStorefront,
	pickMyPageCustomers,
	myPageWebhookUrl,
	MY_PAGE_WORKFLOW_FILE,
	STOREFRONT_DIR,
	DEFAULT_PASSWORDS,
};
