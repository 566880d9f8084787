/**
 * The Sesami Admin host simulator (test/sim/sesami-admin) signs as Sesami's official code expects.
 * Every signature is checked independently: the HMAC written out here from the boilerplate's
 * Hmac.validation.ts (https://github.com/sesamiapp/sesami-apps-boilerplate/blob/e51026e/server/src/sesami/authentication/Hmac.validation.ts),
 * the JWT with `jose`; never with the simulator's own signing code.
 */
import { createHmac } from 'node:crypto';

import { decodeJwt, jwtVerify } from 'jose';

import { startReceiver } from '../lib/receiver';
import { startSesamiAdmin } from './index';
import { startReferenceApp } from './reference-app';
import { signedLoadUrl } from './sign';

type Admin = Awaited<ReturnType<typeof startSesamiAdmin>>;

const SECRET = ['client', 'secret', 'for', 'tests'].join('-');
const APP = {
	appId: 'app-panel',
	clientId: 'client-panel',
	clientSecret: SECRET,
	name: 'Appointment panel',
	appUrl: 'http://127.0.0.1:1/app',
	redirectUris: ['http://127.0.0.1:1/app/oauth/call-back'],
};
const SHOP_A = '68473cdecbb12db1b1bbf1e7';
const SHOP_B = '68bad9bf22e3bc17ad35d61e';

/** The boilerplate's validateHmac, written out: sort the top-level keys, JSON.stringify, HMAC-SHA256 hex. */
function expectedHmac(input: Record<string, unknown>, secret = SECRET): string {
	const sorted: Record<string, unknown> = {};
	for (const key of Object.keys(input).sort()) sorted[key] = input[key];
	return createHmac('sha256', secret).update(JSON.stringify(sorted)).digest('hex');
}

/** The boilerplate's helper.ts: every query parameter but hmac is signed, values as they are (text). */
function loadHmacValid(url: string, { timestampAsNumber = false } = {}): boolean {
	const q = Object.fromEntries(new URL(url).searchParams) as Record<string, unknown>;
	const hmac = q.hmac;
	delete q.hmac;
	if (timestampAsNumber) q.timestamp = Number(q.timestamp);
	return expectedHmac(q) === hmac;
}

const key = new TextEncoder().encode(SECRET);
const verifyToken = (token: string, secret: Uint8Array = key) =>
	jwtVerify(token, secret, { algorithms: ['HS256'] });

let admin: Admin;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let receiverStatus = 200;
const received = () => receiver.requests.map((r) => ({ raw: r.body, path: r.path }));

beforeAll(async () => {
	receiver = await startReceiver({ respond: () => receiverStatus });
	admin = await startSesamiAdmin({
		apps: [{ ...APP, webhookUrl: `${receiver.url}/webhooks`, installedShops: [SHOP_A] }],
		users: [{ userId: 'user-7', email: 'staff7@example.com' }],
	});
});

afterAll(async () => {
	await admin?.close();
	await receiver?.close();
});

afterEach(async () => {
	await fetch(`${admin.url}/__sim/variants`, { method: 'DELETE' });
	receiverStatus = 200;
});

const post = (path: string, body: unknown, init: RequestInit = {}) =>
	fetch(`${admin.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		redirect: 'manual',
		...init,
	});
const setVariants = (v: Record<string, string>) => post('/__sim/variants', v);

/** The frame URL and host config the Admin page built. */
async function openPage(path: string) {
	const res = await fetch(`${admin.url}${path}`);
	const html = await res.text();
	const src = /<iframe[^>]*src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
	const config = JSON.parse(
		/<script type="application\/json" id="host-config">([\s\S]*?)<\/script>/.exec(html)?.[1] ||
			'null',
	);
	return { status: res.status, html, src: src as string, config };
}

describe('app loads (Admin pages)', () => {
	it('the appointment drawer loads the app with all eight parameters, HMAC and token as the boilerplate checks them', async () => {
		const page = await openPage(`/admin/${SHOP_A}/appointments/appt-123`);
		expect(page.status).toBe(200);
		const q = new URL(page.src).searchParams;
		expect([...q.keys()].sort()).toEqual(
			['appId', 'hmac', 'locale', 'messageId', 'shopId', 'target', 'timestamp', 'token'].sort(),
		);
		expect(q.get('target')).toBe('ADMIN_APPOINTMENT_DETAILS');
		expect(q.get('shopId')).toBe(SHOP_A);
		expect(q.get('appId')).toBe(APP.appId);
		expect(loadHmacValid(page.src)).toBe(true);
		expect(Math.abs(Number(q.get('timestamp')) - Date.now())).toBeLessThan(60_000);
		const { payload, protectedHeader } = await verifyToken(q.get('token') as string);
		expect(protectedHeader.alg).toBe('HS256');
		expect(payload).toMatchObject({
			clientId: APP.clientId,
			shopId: SHOP_A,
			userId: 'user-7',
			email: 'staff7@example.com',
		});
		expect((payload.exp as number) * 1000).toBeGreaterThan(Date.now());
		// app-message: the appointment ID comes in INIT's payload.extra, under the URL's messageId
		expect(page.config).toMatchObject({
			messageId: q.get('messageId'),
			shopId: SHOP_A,
			extra: { appointmentId: 'appt-123' },
			loadTimeoutMs: 16000,
		});
		expect(page.html).toContain('id="app-status"');
	});

	it('the app home is ADMIN_APP_LOADER, without an appointment', async () => {
		const page = await openPage(`/admin/${SHOP_A}/apps/${APP.appId}?locale=de`);
		const q = new URL(page.src).searchParams;
		expect(q.get('target')).toBe('ADMIN_APP_LOADER');
		expect(q.get('locale')).toBe('de');
		expect(loadHmacValid(page.src)).toBe(true);
		expect(page.config.extra).toBeUndefined();
	});

	it('an app not installed in the shop is not loaded, and its token endpoint refuses', async () => {
		const page = await openPage(`/admin/${SHOP_B}/apps/${APP.appId}`);
		expect(page.status).toBe(404);
		expect(page.src).toBeUndefined();
		const res = await post('/admin/api/token', {
			appId: APP.appId,
			shopId: SHOP_B,
			userId: 'user-7',
		});
		expect(res.status).toBe(403);
	});

	it('the host answers TOKEN requests with a fresh token signed with the client secret', async () => {
		const res = await post('/admin/api/token', {
			appId: APP.appId,
			shopId: SHOP_A,
			userId: 'user-7',
		});
		const { token } = (await res.json()) as { token: string };
		const { payload } = await verifyToken(token);
		expect(payload).toMatchObject({ clientId: APP.clientId, userId: 'user-7', shopId: SHOP_A });
	});
});

describe('variants', () => {
	it('hmacTimestamp=number: timestamp signed as a JSON number, so only that check passes', async () => {
		await setVariants({ hmacTimestamp: 'number' });
		const { src } = await openPage(`/admin/${SHOP_A}/apps/${APP.appId}`);
		expect(loadHmacValid(src)).toBe(false);
		expect(loadHmacValid(src, { timestampAsNumber: true })).toBe(true);
	});

	it('timestampUnit: milliseconds by default, seconds on request', async () => {
		const ms = new URL((await openPage(`/admin/${SHOP_A}/apps/${APP.appId}`)).src);
		expect(Math.abs(Number(ms.searchParams.get('timestamp')) - Date.now())).toBeLessThan(60_000);
		await setVariants({ timestampUnit: 'seconds' });
		const s = new URL((await openPage(`/admin/${SHOP_A}/apps/${APP.appId}`)).src);
		expect(Math.abs(Number(s.searchParams.get('timestamp')) - Date.now() / 1000)).toBeLessThan(60);
		expect(loadHmacValid(s.href)).toBe(true);
	});

	it('tokenShopId=absent: only the claims app-message declares', async () => {
		await setVariants({ tokenShopId: 'absent' });
		const { src } = await openPage(`/admin/${SHOP_A}/apps/${APP.appId}`);
		const { payload } = await verifyToken(new URL(src).searchParams.get('token') as string);
		expect(Object.keys(payload).sort()).toEqual(['clientId', 'email', 'exp', 'iat', 'userId']);
	});

	it('appointmentIdParam=signed-query: the appointment ID is also a query parameter under the HMAC', async () => {
		await setVariants({ appointmentIdParam: 'signed-query' });
		const { src, config } = await openPage(`/admin/${SHOP_A}/appointments/appt-9`);
		expect(new URL(src).searchParams.get('appointmentId')).toBe('appt-9');
		expect(loadHmacValid(src)).toBe(true);
		expect(config.extra).toEqual({ appointmentId: 'appt-9' });
	});

	it('an unknown variant is refused with the known ones', async () => {
		const res = await setVariants({ hmacTimestamp: 'float' });
		expect(res.status).toBe(400);
		expect(JSON.stringify(await res.json())).toContain('string, number');
	});
});

describe('signing helpers make each bad case (sign.js)', () => {
	const app = { ...APP };
	const base = { target: 'ADMIN_APPOINTMENT_DETAILS' as const, shopId: SHOP_A, appointmentId: 'x' };

	it('a good load verifies; HMAC wrong, over other parameters or a parameter tampered after signing do not', () => {
		expect(loadHmacValid(signedLoadUrl(app, base).url)).toBe(true);
		expect(loadHmacValid(signedLoadUrl(app, { ...base, hmacOverride: 'ab'.repeat(32) }).url)).toBe(
			false,
		);
		expect(loadHmacValid(signedLoadUrl(app, { ...base, hmacOver: { shopId: SHOP_A } }).url)).toBe(
			false,
		);
		expect(loadHmacValid(signedLoadUrl(app, { ...base, hmacSecret: 'other' }).url)).toBe(false);
		const tampered = signedLoadUrl(app, { ...base, tamper: { shopId: SHOP_B } });
		expect(new URL(tampered.url).searchParams.get('shopId')).toBe(SHOP_B);
		expect(loadHmacValid(tampered.url)).toBe(false);
	});

	it('tokens: another client, expired, another secret and alg none are signed validly but fail verification', async () => {
		const other = signedLoadUrl(app, { ...base, tokenOverrides: { clientId: 'someone-else' } });
		expect(loadHmacValid(other.url)).toBe(true);
		expect((await verifyToken(other.token)).payload.clientId).toBe('someone-else');

		const expired = signedLoadUrl(app, { ...base, now: Date.now() - 7200_000 });
		expect(loadHmacValid(expired.url)).toBe(true);
		await expect(verifyToken(expired.token)).rejects.toThrow(/exp/);

		const otherSecret = signedLoadUrl(app, { ...base, tokenSecret: 'not-the-secret' });
		await expect(verifyToken(otherSecret.token)).rejects.toThrow(/signature/);

		const none = signedLoadUrl(app, { ...base, tokenAlg: 'none' });
		expect(none.token.endsWith('.')).toBe(true);
		expect(decodeJwt(none.token).clientId).toBe(APP.clientId);
		await expect(verifyToken(none.token)).rejects.toThrow();
	});

	it('a stale timestamp and an unknown shop are signed validly (the app must refuse them itself)', () => {
		const stale = signedLoadUrl(app, { ...base, timestamp: Date.now() - 3600_000 });
		expect(loadHmacValid(stale.url)).toBe(true);
		const unknown = signedLoadUrl(app, { ...base, shopId: '000000000000000000000000' });
		expect(loadHmacValid(unknown.url)).toBe(true);
	});
});

describe('install: install URL, consent, code, token exchange', () => {
	const redirectUri = APP.redirectUris[0];
	const authorize = (params: Record<string, string>) =>
		fetch(
			`${admin.url}/api/v1/oauth/authorization?${new URLSearchParams({
				clientId: APP.clientId,
				shopId: SHOP_B,
				'scopes[]': 'Shop:Read',
				redirectUri,
				...params,
			})}`,
			{ redirect: 'manual' },
		);

	it('Install sends the merchant to the app URL with shopId, timestamp and an HMAC over {shopId, timestamp}', async () => {
		const res = await post(`/__sim/apps/${APP.appId}/install`, { shopId: SHOP_B });
		expect(res.status).toBe(303);
		const loc = new URL(res.headers.get('location') as string);
		expect(loc.origin + loc.pathname).toBe(APP.appUrl);
		const q = Object.fromEntries(loc.searchParams);
		expect(Object.keys(q).sort()).toEqual(['hmac', 'shopId', 'timestamp']);
		expect(q.hmac).toBe(expectedHmac({ shopId: SHOP_B, timestamp: q.timestamp }));
	});

	it('the authorization request is checked: unknown client, unknown shop, unregistered redirect URI', async () => {
		expect((await authorize({ clientId: 'nobody' })).status).toBe(404);
		expect((await authorize({ shopId: '000000000000000000000000' })).status).toBe(404);
		expect((await authorize({ redirectUri: 'http://evil.example/cb' })).status).toBe(400);
		const page = await authorize({});
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('id="accept"');
		expect(html).toContain('Shop:Read');
	});

	it('deny goes back to the Admin, with no code', async () => {
		const res = await post('/api/v1/oauth/authorization', undefined, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				clientId: APP.clientId,
				shopId: SHOP_B,
				redirectUri,
				decision: 'deny',
			}).toString(),
		});
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe(`/admin/${SHOP_B}`);
	});

	it('accept -> redirect URI with a code signed over {code, shopId, timestamp}; the code is exchanged once', async () => {
		const res = await post('/api/v1/oauth/authorization', undefined, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				clientId: APP.clientId,
				shopId: SHOP_B,
				redirectUri,
				'scopes[]': 'Shop:Read',
				decision: 'accept',
			}).toString(),
		});
		expect(res.status).toBe(302);
		const loc = new URL(res.headers.get('location') as string);
		expect(loc.origin + loc.pathname).toBe(redirectUri);
		const q = Object.fromEntries(loc.searchParams);
		expect(Object.keys(q).sort()).toEqual(['code', 'hmac', 'shopId', 'timestamp']);
		expect(q.hmac).toBe(expectedHmac({ code: q.code, shopId: SHOP_B, timestamp: q.timestamp }));

		const body = { code: q.code, shopId: SHOP_B, clientId: APP.clientId, clientSecret: SECRET };
		const exchange = (b: Record<string, string>) => post('/api/v1/oauth/access-token', b);
		expect((await exchange({ ...body, clientSecret: 'wrong' })).status).toBe(401);
		expect((await exchange({ ...body, shopId: SHOP_A })).status).toBe(400);
		expect((await exchange({ ...body, code: 'nope' })).status).toBe(400);
		expect((await exchange({ ...body, clientSecret: '' })).status).toBe(400);
		const ok = await exchange(body);
		expect(ok.status).toBe(200);
		const answer = (await ok.json()) as {
			token: string;
			clientId: string;
			expireAt: string;
			name: string;
		};
		expect(answer).toMatchObject({ clientId: APP.clientId, expireAt: 'NEVER', name: APP.name });
		expect(answer.token).toMatch(/^\S{20,}$/);
		expect((await exchange(body)).status).toBe(400); // reused code
		expect(admin.issuedTokens().filter((t) => t.token === answer.token)).toEqual([
			expect.objectContaining({ shopId: SHOP_B, clientId: APP.clientId, active: true }),
		]);
		// installed now: the Admin loads the app in that shop
		expect((await openPage(`/admin/${SHOP_B}/apps/${APP.appId}`)).status).toBe(200);
	});

	it('/apps/{appId}, where the app sends the merchant back, opens the app in the shop installed last', async () => {
		const res = await fetch(`${admin.url}/apps/${APP.appId}`, { redirect: 'manual' });
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe(`/admin/${SHOP_B}/apps/${APP.appId}`);
		const unknown = await fetch(`${admin.url}/apps/no-such-app`, { redirect: 'manual' });
		expect(unknown.headers.get('location')).toBe('/admin');
	});

	it('auto=accept skips the consent page for headless tests', async () => {
		const res = await authorize({ auto: 'accept' });
		expect(res.status).toBe(302);
		expect(new URL(res.headers.get('location') as string).searchParams.get('code')).toMatch(
			/^[0-9a-f]{48}$/,
		);
	});
});

describe('uninstall webhook', () => {
	const uninstall = async (body: Record<string, unknown>) =>
		(await (await post(`/__sim/apps/${APP.appId}/uninstall`, body)).json()) as {
			status: number;
			sent: string;
		};

	it('POSTs {event: uninstall_app, data, hmac} with the HMAC over data; the shop is uninstalled and its tokens revoked', async () => {
		receiver.clear();
		receiverStatus = 204;
		const r = await uninstall({ shopId: SHOP_A });
		expect(r.status).toBe(204);
		expect(received()).toHaveLength(1);
		expect(received()[0].path).toBe('/webhooks');
		const body = JSON.parse(received()[0].raw);
		expect(body.event).toBe('uninstall_app');
		expect(body.data.shopId).toBe(SHOP_A);
		expect(body.hmac).toBe(expectedHmac(body.data));
		// default variant: `data` is sent with sorted keys, so its raw text is the signed message
		expect(received()[0].raw).toContain(`"data":${JSON.stringify(body.data)}`);
		expect((await openPage(`/admin/${SHOP_A}/apps/${APP.appId}`)).status).toBe(404);
		expect(admin.issuedTokens().some((t) => t.shopId === SHOP_A)).toBe(false);
	});

	it('tamper: the body is changed after signing, so the HMAC no longer matches', async () => {
		receiver.clear();
		await uninstall({ shopId: SHOP_A, tamper: true });
		const body = JSON.parse(received()[0].raw);
		expect(body.data.shopId).not.toBe(SHOP_A);
		expect(body.hmac).not.toBe(expectedHmac(body.data));
		expect(body.hmac).toBe(expectedHmac({ ...body.data, shopId: SHOP_A }));
	});

	it('replay sends the last webhook again byte for byte', async () => {
		receiver.clear();
		await uninstall({ shopId: SHOP_B });
		const replayed = await post(`/__sim/apps/${APP.appId}/uninstall/replay`, {});
		expect(replayed.status).toBe(200);
		expect(received()).toHaveLength(2);
		expect(received()[1].raw).toBe(received()[0].raw);
	});

	it('webhookDataOrder=as-built: shopId first in the body, the HMAC still over the sorted keys', async () => {
		await setVariants({ webhookDataOrder: 'as-built' });
		receiver.clear();
		await uninstall({ shopId: SHOP_A });
		expect(received()[0].raw).toMatch(/"data":\{"shopId":/);
		const body = JSON.parse(received()[0].raw);
		expect(body.hmac).toBe(expectedHmac(body.data));
	});
});

describe('headless install through a boilerplate-like app, and the API upstream', () => {
	it('Install -> app checks HMAC -> authorization (consent accept) -> callback -> token exchange, all by following redirects', async () => {
		const secret = ['second', 'app', 'secret'].join('-');
		const app = await startReferenceApp({
			clientId: 'client-2',
			clientSecret: secret,
			sesamiApi: admin.apiUrl,
		});
		try {
			const reg = await post('/__sim/apps', {
				appId: 'app-2',
				clientId: 'client-2',
				clientSecret: secret,
				name: 'Second',
				appUrl: app.url,
				redirectUris: [app.redirectUri],
				installedShops: [],
			});
			expect(reg.status).toBe(201);
			expect(await reg.json()).not.toHaveProperty('clientSecret');
			await post('/__sim/consent', { mode: 'accept' });
			const res = await post(
				'/__sim/apps/app-2/install',
				{ shopId: SHOP_B },
				{ redirect: 'follow' },
			);
			expect(await res.text()).toBe(`installed ${SHOP_B}`);
			expect(res.status).toBe(200);
			expect(app.requests.map((r) => [r.path, r.hmacValid])).toEqual([
				['/', true],
				['/oauth/call-back', true],
			]);
			expect(app.installs).toHaveLength(1);
			const tokens = (await (await fetch(`${admin.url}/__sim/issued-tokens`)).json()) as Array<{
				token: string;
				shopId: string;
			}>;
			expect(tokens).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ token: app.installs[0].token, shopId: SHOP_B }),
				]),
			);
		} finally {
			await post('/__sim/consent', { mode: 'ask' });
			await app.close();
		}
	});

	it('other /api/v1 paths go to apiUpstream when set (404 otherwise), headers and body unchanged', async () => {
		expect((await fetch(`${admin.url}/api/v1/shops/${SHOP_A}`)).status).toBe(404);
		const upstream = await startReceiver({ respond: () => ({ status: 201, body: '{"data":1}' }) });
		const proxied = await startSesamiAdmin({ apiUpstream: upstream.url });
		try {
			const r = await fetch(`${proxied.url}/api/v1/shops/${SHOP_A}/x?y=1`, {
				method: 'POST',
				headers: { 'x-api-key': 'k1' },
				body: 'hello',
			});
			expect(r.status).toBe(201);
			expect(await r.json()).toEqual({ data: 1 });
			expect(
				upstream.requests.map((q) => [q.method, q.path, q.headers['x-api-key'], q.body]),
			).toEqual([['POST', `/api/v1/shops/${SHOP_A}/x?y=1`, 'k1', 'hello']]);
		} finally {
			await proxied.close();
			await upstream.close();
		}
	});
});

describe('hooks for the API simulator', () => {
	it('onTokenIssued gets each offline token, onUninstall each revocation', async () => {
		const issued: Array<{ token: string; shopId: string; clientId: string }> = [];
		const revoked: Array<{ shopId: string; clientId: string }> = [];
		const own = await startSesamiAdmin({
			apps: [{ ...APP, installedShops: [] }],
			consent: 'accept',
			onTokenIssued: (t: { token: string; shopId: string; clientId: string }) => issued.push(t),
			onUninstall: (u: { shopId: string; clientId: string }) => revoked.push(u),
		});
		try {
			const auth = await fetch(
				`${own.apiUrl}/api/v1/oauth/authorization?${new URLSearchParams({
					clientId: APP.clientId,
					shopId: SHOP_A,
					redirectUri: APP.redirectUris[0],
				})}`,
				{ redirect: 'manual' },
			);
			const code = new URL(auth.headers.get('location') as string).searchParams.get('code');
			const r = await fetch(`${own.apiUrl}/api/v1/oauth/access-token`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					code,
					shopId: SHOP_A,
					clientId: APP.clientId,
					clientSecret: SECRET,
				}),
			});
			const { token } = (await r.json()) as { token: string };
			expect(issued).toEqual([
				expect.objectContaining({ token, shopId: SHOP_A, clientId: APP.clientId }),
			]);
			expect(own.issuedTokens().map((t) => t.token)).toEqual([token]);
			await own.uninstall(APP.appId, SHOP_A);
			expect(revoked).toEqual([{ appId: APP.appId, shopId: SHOP_A, clientId: APP.clientId }]);
			expect(own.issuedTokens()).toEqual([]);
			expect(own.issuedTokens({ all: true })).toHaveLength(1);
		} finally {
			await own.close();
		}
	});
});
