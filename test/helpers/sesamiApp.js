/**
 * What Sesami does for an app, written out independently of the package, from Sesami's official
 * code (https://github.com/sesamiapp/sesami-apps-boilerplate server/src/sesami/authentication/
 * Hmac.validation.ts, helper.ts; installation/Sesami.service.ts) and app-message's token type
 * (https://github.com/sesamiapp/app-message src/types/token.type.ts):
 * - signParams / sesamiSign: HMAC-SHA256 (client secret) over JSON.stringify of the object with
 *   its top-level keys sorted, hex;
 * - mintAppToken: the Admin's HS256 token {userId, clientId, email, exp, iat}, signed by jose;
 * - startTokenExchange: a tiny stand-in for `POST /api/v1/oauth/access-token` (real HTTP).
 * Nothing here imports the package's verifiers or signers.
 */
const crypto = require('crypto');
const http = require('http');
const jose = require('jose');

/** Sesami's HMAC of an object (validateHmac's message: sortObjectByKey, then JSON.stringify). */
function sesamiSign(object, secret) {
	const sorted = {};
	for (const key of Object.keys(object).sort()) sorted[key] = object[key];
	return crypto.createHmac('sha256', secret).update(JSON.stringify(sorted)).digest('hex');
}

/** The params with their `hmac` added (over every other param, values as given). */
function signParams(params, secret) {
	return { ...params, hmac: sesamiSign(params, secret) };
}

/**
 * An Admin token signed with jose; `alg: 'none'` makes an unsecured one.
 * @param {Record<string, unknown>} claims
 * @param {string} secret
 * @param {{ alg?: string, expiresIn?: string | number }} [options] expiresIn: '5m' or seconds since 1970
 * @returns {Promise<string>}
 */
async function mintAppToken(claims, secret, { alg = 'HS256', expiresIn = '5m' } = {}) {
	if (alg === 'none') {
		return new jose.UnsecuredJWT(claims).setIssuedAt().setExpirationTime(expiresIn).encode();
	}
	return new jose.SignJWT(claims)
		.setProtectedHeader({ alg, typ: 'JWT' })
		.setIssuedAt()
		.setExpirationTime(expiresIn)
		.sign(new TextEncoder().encode(secret));
}

/**
 * A local Sesami token endpoint: answers `POST <base>/oauth/access-token` with
 * `{token, clientId, expireAt: 'NEVER', name}` as Sesami documents it, records every request.
 */
async function startTokenExchange({ clientId, token = 'offline-token-for-tests', status = 200 }) {
	const requests = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			requests.push({ method: req.method, url: req.url, headers: req.headers, body });
			res.setHeader('content-type', 'application/json');
			if (req.method !== 'POST' || !req.url.endsWith('/oauth/access-token')) {
				res.statusCode = 404;
				return res.end('{}');
			}
			res.statusCode = status;
			res.end(JSON.stringify({ token, clientId, expireAt: 'NEVER', name: 'Bloom & Brow' }));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${server.address().port}/api/v1`,
		requests,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

module.exports = { sesamiSign, signParams, mintAppToken, startTokenExchange };
