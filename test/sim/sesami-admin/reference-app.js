'use strict';
/**
 * A minimal Sesami App backend that does what the official boilerplate does, for the simulator's
 * own tests (TypeScript tests may not use `http` themselves): it checks the simulator from the
 * app's side, independently of ./sign.js. Written out from
 * https://github.com/sesamiapp/sesami-apps-boilerplate/tree/e51026e/server/src (application.ts,
 * api/installation/Installation.controller.ts, installation/Installation.service.ts,
 * installation/Sesami.service.ts, authentication/Hmac.validation.ts), without its weaknesses being
 * the point: it is a test double, not a model backend.
 *
 *   const app = await startReferenceApp({ clientId, clientSecret, sesamiApi: admin.apiUrl });
 *   app.url            // the app URL to register (GET / = install start, GET /oauth/call-back)
 *   app.redirectUri    // `${url}/oauth/call-back`
 *   app.installs       // [{shopId, token}] after each completed exchange
 *   app.requests       // [{path, query, hmacValid}]
 */
const crypto = require('node:crypto');
const http = require('node:http');

function validHmac(input, hmac, secret) {
	const sorted = Object.keys(input)
		.sort()
		.reduce((o, k) => ((o[k] = input[k]), o), {});
	const expected = crypto.createHmac('sha256', secret).update(JSON.stringify(sorted)).digest('hex');
	return typeof hmac === 'string' && hmac === expected;
}

/** @param {{clientId: string, clientSecret: string, sesamiApi: string}} options */
async function startReferenceApp({ clientId, clientSecret, sesamiApi }) {
	const installs = [];
	const requests = [];
	let base = '';
	const server = http.createServer(async (req, res) => {
		const url = new URL(req.url, base);
		const { hmac, ...signed } = Object.fromEntries(url.searchParams);
		const hmacValid = validHmac(signed, hmac, clientSecret);
		requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), hmacValid });
		const answer = (status, text, headers = {}) => {
			res.writeHead(status, { 'content-type': 'text/plain', ...headers });
			res.end(text);
		};
		if (!hmacValid) return answer(401, 'bad hmac');
		if (url.pathname === '/') {
			// InstallationController.initiateInstallation: HMAC over {shopId, timestamp}, then authorize
			const auth = new URL('api/v1/oauth/authorization', `${sesamiApi.replace(/\/+$/, '')}/`);
			auth.search = new URLSearchParams({
				clientId,
				shopId: signed.shopId,
				'scopes[]': 'Shop:Read',
				redirectUri: `${base}/oauth/call-back`,
			}).toString();
			return answer(302, '', { location: auth.toString() });
		}
		if (url.pathname === '/oauth/call-back') {
			// InstallationService.authorization + SesamiService.getAPIKey
			const r = await fetch(
				new URL('api/v1/oauth/access-token', `${sesamiApi.replace(/\/+$/, '')}/`),
				{
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({
						code: signed.code,
						shopId: signed.shopId,
						clientId,
						clientSecret,
					}),
				},
			);
			const body = await r.json();
			if (r.status !== 200 || !body.token) return answer(502, `exchange failed: ${r.status}`);
			installs.push({ shopId: signed.shopId, token: body.token });
			return answer(200, `installed ${signed.shopId}`);
		}
		return answer(404, 'not found');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${server.address().port}`;
	return {
		url: base,
		redirectUri: `${base}/oauth/call-back`,
		installs,
		requests,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

module.exports = { startReferenceApp };
