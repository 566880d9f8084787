/**
 * Sesami App Trigger through its webhook(), with requests signed as Sesami signs them
 * (test/helpers/sesamiApp.js: the HMAC written out from Sesami's code, tokens signed by jose):
 * every refusal answers 401 and starts no execution; loads (both Admin targets), the install with
 * its token exchange against a local endpoint, the uninstall webhook and page actions succeed.
 */
import { createHmac } from 'crypto';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { SesamiAppApi } from '../../../../../credentials/SesamiAppApi.credentials';
import { SesamiAppTrigger } from '../../../../../nodes/Sesami/SesamiAppTrigger/SesamiAppTrigger.node';
import { webhookContext } from '../../../../helpers/n8n-context';
import {
	mintAppToken,
	sesamiSign,
	signParams,
	startTokenExchange,
} from '../../../../helpers/sesamiApp';

const SECRET = ['sesami', 'app', 'client', 'secret', 'for', 'unit', 'tests'].join('-');
const CLIENT = 'client-0001';
const SHOP = '64f0c2a1b2c3d4e5f6a7b8c9';
const HOOK = 'http://127.0.0.1:5678/webhook/0f0f0f0f-1111-4222-8333-444444444444';
const nowS = () => String(Math.floor(Date.now() / 1000));

let workflowCounter = 0;

/** One trigger (one workflow): its static data persists between the calls made through it. */
function trigger(parameters: IDataObject = { shops: 'installed' }, credentials: IDataObject = {}) {
	const staticData: IDataObject = {};
	const credential: IDataObject = {
		clientId: CLIENT,
		clientSecret: SECRET,
		appUrl: HOOK,
		baseUrl: 'http://127.0.0.1:9/api/v1',
		adminUrl: 'https://admin.example.test',
		...credentials,
	};
	const workflowId = `wf-app-${++workflowCounter}`;
	const call = async (options: {
		method?: string;
		path?: string;
		query?: Record<string, string>;
		body?: string;
		headers?: Record<string, string>;
	}) => {
		const search = new URLSearchParams(options.query ?? {}).toString();
		const context = webhookContext({
			parameters,
			nodeName: 'Sesami App Trigger',
			workflowId,
			staticData,
			credentials: { sesamiAppApi: credential },
			credentialTypes: { sesamiAppApi: new SesamiAppApi() },
			method: options.method ?? 'GET',
			url: `/webhook/0f0f0f0f-1111-4222-8333-444444444444${options.path ?? ''}${search ? `?${search}` : ''}`,
			query: options.query ?? {},
			body: options.body,
			headers: options.headers,
		});
		const result: IWebhookResponseData = await new SesamiAppTrigger().webhook.call(context);
		const item = result.workflowData?.[0]?.[0]?.json as IDataObject | undefined;
		return { result, item, response: context.response, started: result.workflowData !== undefined };
	};
	return { call, staticData, credential };
}

type Trigger = ReturnType<typeof trigger>;

const token = (
	claims: IDataObject = {},
	options: { alg?: string; expiresIn?: string | number; secret?: string } = {},
) =>
	mintAppToken(
		{ userId: 'staff-1', clientId: CLIENT, email: 'staff@example.com', ...claims },
		options.secret ?? SECRET,
		options,
	) as Promise<string>;

async function loadParams(over: Record<string, string> = {}, tokenValue?: string) {
	return {
		appId: 'app-42',
		locale: 'en',
		messageId: 'msg-1',
		shopId: SHOP,
		target: 'ADMIN_APP_LOADER',
		timestamp: nowS(),
		token: tokenValue ?? (await token()),
		...over,
	};
}

/** Install then callback for `shop`, with the token exchange answered by a local endpoint. */
async function install(t: Trigger, shop = SHOP) {
	const exchange = await startTokenExchange({ clientId: CLIENT, token: `offline-${shop}` });
	t.credential.baseUrl = exchange.baseUrl;
	try {
		const start = await t.call({ query: signParams({ shopId: shop, timestamp: nowS() }, SECRET) });
		const callback = await t.call({
			path: '/oauth/call-back',
			query: signParams({ code: 'code-1', shopId: shop, timestamp: nowS() }, SECRET),
		});
		return { start, callback, requests: exchange.requests };
	} finally {
		await exchange.close();
	}
}

function expectRefused(
	outcome: { started: boolean; response: { statusCode?: number; body?: unknown } },
	reason?: RegExp,
) {
	expect(outcome.started).toBe(false);
	expect(outcome.response.statusCode).toBe(401);
	expect((outcome.response.body as IDataObject).error).toBe('unauthorized');
	if (reason) expect(String((outcome.response.body as IDataObject).reason)).toMatch(reason);
}

describe('Sesami App Trigger: install, callback and token exchange', () => {
	it('redirects to Sesami authorization, exchanges the code and emits installed with the token', async () => {
		const t = trigger();
		const exchange = await startTokenExchange({ clientId: CLIENT, token: 'offline-abc' });
		try {
			const base = { baseUrl: exchange.baseUrl };
			const t2 = trigger({ shops: 'installed' }, base);
			const start = await t2.call({
				query: signParams({ shopId: SHOP, timestamp: nowS() }, SECRET),
			});
			expect(start.started).toBe(false);
			expect(start.response.statusCode).toBe(302);
			const location = new URL(String(start.response.headers?.location));
			expect(`${location.origin}${location.pathname}`).toBe(
				`${exchange.baseUrl}/oauth/authorization`,
			);
			expect(location.searchParams.get('clientId')).toBe(CLIENT);
			expect(location.searchParams.get('shopId')).toBe(SHOP);
			expect(location.searchParams.getAll('scopes[]')).toEqual(['Shop:Read']);
			expect(location.searchParams.get('redirectUri')).toBe(`${HOOK}/oauth/call-back`);

			const callback = await t2.call({
				path: '/oauth/call-back',
				query: signParams({ code: 'the-code', shopId: SHOP, timestamp: nowS() }, SECRET),
			});
			expect(callback.response.statusCode).toBe(302);
			expect(callback.response.headers?.location).toBe('https://admin.example.test/apps');
			expect(callback.item).toMatchObject({
				event: 'installed',
				shopId: SHOP,
				token: 'offline-abc',
				name: 'Bloom & Brow',
				expireAt: 'NEVER',
			});
			expect(exchange.requests).toHaveLength(1);
			expect(JSON.parse(exchange.requests[0].body)).toEqual({
				code: 'the-code',
				shopId: SHOP,
				clientId: CLIENT,
				clientSecret: SECRET,
			});
			expect(exchange.requests[0].headers['x-client-id']).toBe(CLIENT);

			// a replayed callback (same signed URL or a new one) finds no install in progress
			const again = await t2.call({
				path: '/oauth/call-back',
				query: signParams({ code: 'the-code', shopId: SHOP, timestamp: nowS() }, SECRET),
			});
			expectRefused(again, /no install was started/);
			expect(exchange.requests).toHaveLength(1);
			// the shop is now served
			const load = await t2.call({ query: signParams(await loadParams(), SECRET) });
			expect(load.item?.event).toBe('load');
		} finally {
			await exchange.close();
		}
		expect(t.staticData).toEqual({});
	});

	it('refuses an install start or callback with a wrong or stale signature', async () => {
		const t = trigger();
		expectRefused(
			await t.call({ query: { shopId: SHOP, timestamp: nowS(), hmac: 'f'.repeat(64) } }),
			/hmac/,
		);
		const stale = String(Math.floor(Date.now() / 1000) - 3600);
		expectRefused(
			await t.call({ query: signParams({ shopId: SHOP, timestamp: stale }, SECRET) }),
			/stale/,
		);
		expectRefused(
			await t.call({
				path: '/oauth/call-back',
				query: signParams({ code: 'c', shopId: SHOP, timestamp: nowS() }, 'another-secret'),
			}),
			/hmac/,
		);
		// a callback for a shop that never started an install here
		expectRefused(
			await t.call({
				path: '/oauth/call-back',
				query: signParams({ code: 'c', shopId: SHOP, timestamp: nowS() }, SECRET),
			}),
			/no install/,
		);
	});
	it('keeps serving an installed shop while it installs again (new scopes), then takes the new token', async () => {
		const t = trigger();
		await install(t);
		const start = await t.call({ query: signParams({ shopId: SHOP, timestamp: nowS() }, SECRET) });
		expect(start.response.statusCode).toBe(302);
		expect((await t.call({ query: signParams(await loadParams(), SECRET) })).item?.event).toBe(
			'load',
		);
		const exchange = await startTokenExchange({ clientId: CLIENT, token: 'offline-new' });
		t.credential.baseUrl = exchange.baseUrl;
		try {
			const callback = await t.call({
				path: '/oauth/call-back',
				query: signParams({ code: 'code-2', shopId: SHOP, timestamp: nowS() }, SECRET),
			});
			expect(callback.item).toMatchObject({ event: 'installed', token: 'offline-new' });
		} finally {
			await exchange.close();
		}
	});
});

describe('Sesami App Trigger: Admin loads', () => {
	it.each(['ADMIN_APP_LOADER', 'ADMIN_APPOINTMENT_DETAILS'])(
		'emits a load for %s with the user, the shop and the page bridge',
		async (target) => {
			const t = trigger({ shops: 'listed', shopIds: `other, ${SHOP}` });
			const extra: Record<string, string> =
				target === 'ADMIN_APPOINTMENT_DETAILS' ? { appointmentId: 'appt-77' } : {};
			const { item, response } = await t.call({
				query: signParams(await loadParams({ target, ...extra }), SECRET),
			});
			expect(response.statusCode).toBeUndefined(); // the workflow answers (Respond to Webhook)
			expect(item).toMatchObject({
				event: 'load',
				target,
				shopId: SHOP,
				appointmentId: target === 'ADMIN_APPOINTMENT_DETAILS' ? 'appt-77' : null,
				locale: 'en',
				appId: 'app-42',
				user: { userId: 'staff-1', email: 'staff@example.com' },
			});
			const page = item?.page as IDataObject;
			expect(String(page.bridgeScript)).toMatch(/^<script>[\s\S]*SesamiApp[\s\S]*<\/script>$/);
			expect(String(page.html)).toContain(String(page.bridgeScript));
			expect(JSON.stringify(item)).not.toContain(SECRET);
		},
	);

	it('accepts the variant where timestamp was signed as a number, and a millisecond timestamp', async () => {
		const t = trigger({ shops: 'any' });
		const params = await loadParams();
		const numeric = {
			...params,
			hmac: sesamiSign({ ...params, timestamp: Number(params.timestamp) }, SECRET),
		};
		expect((await t.call({ query: numeric })).item?.event).toBe('load');
		const millis = await loadParams({ timestamp: String(Date.now()) });
		expect((await t.call({ query: signParams(millis, SECRET) })).item?.event).toBe('load');
	});

	describe('refuses (401, no execution)', () => {
		let t: Trigger;
		beforeAll(async () => {
			t = trigger();
			await install(t);
		});

		it('a wrong HMAC', async () => {
			const params = await loadParams();
			expectRefused(
				await t.call({ query: { ...params, hmac: sesamiSign(params, 'x').replace(/^./, '0') } }),
				/hmac/,
			);
		});
		it('an HMAC over other parameters', async () => {
			const params = await loadParams();
			const { token: tok, ...withoutToken } = params;
			expectRefused(
				await t.call({ query: { ...params, hmac: sesamiSign(withoutToken, SECRET) } }),
				/hmac/,
			);
			expect(tok).toBeTruthy();
		});
		it('a parameter changed after signing', async () => {
			const signed = signParams(
				await loadParams({ target: 'ADMIN_APPOINTMENT_DETAILS', appointmentId: 'a1' }),
				SECRET,
			);
			expectRefused(await t.call({ query: { ...signed, appointmentId: 'a2' } }), /hmac/);
			expectRefused(await t.call({ query: { ...signed, locale: 'fr' } }), /hmac/);
			expectRefused(await t.call({ query: { ...signed, extra: 'added' } }), /hmac/);
		});
		it('a missing parameter', async () => {
			const rest: Record<string, string> = await loadParams();
			delete rest.locale;
			expectRefused(await t.call({ query: signParams(rest, SECRET) }), /locale/);
		});
		it('a token for another client', async () => {
			expectRefused(
				await t.call({
					query: signParams(
						await loadParams({}, await token({ clientId: 'other-client' })),
						SECRET,
					),
				}),
				/another client/,
			);
		});
		it('an expired token', async () => {
			const expired = await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 });
			expectRefused(
				await t.call({ query: signParams(await loadParams({}, expired), SECRET) }),
				/expired/,
			);
		});
		it('a token signed with another secret', async () => {
			const other = await token({}, { secret: 'a-completely-different-secret' });
			expectRefused(
				await t.call({ query: signParams(await loadParams({}, other), SECRET) }),
				/signature/,
			);
		});
		it('a token with alg none, or another algorithm', async () => {
			expectRefused(
				await t.call({
					query: signParams(await loadParams({}, await token({}, { alg: 'none' })), SECRET),
				}),
				/algorithm none/,
			);
			expectRefused(
				await t.call({
					query: signParams(await loadParams({}, await token({}, { alg: 'HS512' })), SECRET),
				}),
				/algorithm HS512/,
			);
		});
		it('a token for another shop', async () => {
			expectRefused(
				await t.call({
					query: signParams(await loadParams({}, await token({ shopId: 'other-shop' })), SECRET),
				}),
				/another shop/,
			);
		});
		it('a stale timestamp, and one far in the future', async () => {
			const stale = String(Math.floor(Date.now() / 1000) - 301);
			expectRefused(
				await t.call({ query: signParams(await loadParams({ timestamp: stale }), SECRET) }),
				/stale/,
			);
			const future = String(Math.floor(Date.now() / 1000) + 3600);
			expectRefused(
				await t.call({ query: signParams(await loadParams({ timestamp: future }), SECRET) }),
				/stale/,
			);
		});
		it('an unknown shop (not installed here)', async () => {
			expectRefused(
				await t.call({
					query: signParams(await loadParams({ shopId: 'never-installed' }, await token()), SECRET),
				}),
				/not installed/,
			);
		});
		it('a shop not on the list of a private app', async () => {
			const p = trigger({ shops: 'listed', shopIds: 'someone-else' });
			expectRefused(await p.call({ query: signParams(await loadParams(), SECRET) }), /not allowed/);
		});
	});
});

describe('Sesami App Trigger: uninstall webhook', () => {
	const webhook = (t: Trigger, body: string) =>
		t.call({
			method: 'POST',
			path: '/webhooks',
			body,
			headers: { 'content-type': 'application/json' },
		});
	const uninstallBody = (shopId = SHOP, secret = SECRET) => {
		const data = { shopId };
		return JSON.stringify({ event: 'uninstall_app', data, hmac: sesamiSign(data, secret) });
	};

	it('emits uninstalled, answers 200, refuses a replay and later loads of the shop', async () => {
		const t = trigger();
		await install(t);
		const first = await webhook(t, uninstallBody());
		expect(first.response.statusCode).toBe(200);
		expect(first.item).toMatchObject({
			event: 'uninstalled',
			shopId: SHOP,
			webhookEvent: 'uninstall_app',
		});
		expectRefused(await webhook(t, uninstallBody()), /replayed|not installed/);
		expectRefused(await t.call({ query: signParams(await loadParams(), SECRET) }), /not installed/);
		// installing again serves the shop again, and a new uninstall is accepted
		await install(t);
		expect((await t.call({ query: signParams(await loadParams(), SECRET) })).item?.event).toBe(
			'load',
		);
		expect((await webhook(t, uninstallBody())).item?.event).toBe('uninstalled');
	});

	it('refuses an uninstall for a shop that is not installed, a wrong HMAC, and a body changed after signing', async () => {
		const t = trigger();
		await install(t);
		expectRefused(await webhook(t, uninstallBody('unknown-shop')), /not installed/);
		expectRefused(await webhook(t, uninstallBody(SHOP, 'wrong-secret')), /hmac/);
		const changed = JSON.parse(uninstallBody('unknown-shop'));
		changed.data.shopId = SHOP;
		expectRefused(await webhook(t, JSON.stringify(changed)), /hmac/);
		const extra = JSON.parse(uninstallBody());
		extra.data.note = 'added';
		expectRefused(await webhook(t, JSON.stringify(extra)), /hmac/);
		// the shop is still installed
		expect((await t.call({ query: signParams(await loadParams(), SECRET) })).item?.event).toBe(
			'load',
		);
	});

	it('accepts the data exactly as received (raw bytes) when Sesami signed them unsorted', async () => {
		const t = trigger({ shops: 'any' });
		const raw = `{"shopId":"${SHOP}","reason":"merchant","at":1.50}`;
		const hmac = createHmac('sha256', SECRET).update(raw).digest('hex');
		const result = await webhook(t, `{"event":"uninstall_app","data":${raw},"hmac":"${hmac}"}`);
		expect(result.item).toMatchObject({
			event: 'uninstalled',
			shopId: SHOP,
			data: { shopId: SHOP, at: 1.5 },
		});
	});
});

describe('Sesami App Trigger: actions from the page', () => {
	async function loaded(t: Trigger, over: Record<string, string> = {}) {
		const { item } = await t.call({ query: signParams(await loadParams(over), SECRET) });
		return String((item?.page as IDataObject).context);
	}
	const act = (t: Trigger, bearer: string, body: IDataObject) =>
		t.call({
			method: 'POST',
			path: '/action',
			body: JSON.stringify(body),
			headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
		});

	it('emits the action with the shop and appointment of the load and the user of the token', async () => {
		const t = trigger();
		await install(t);
		const context = await loaded(t, {
			target: 'ADMIN_APPOINTMENT_DETAILS',
			appointmentId: 'appt-9',
		});
		const { item } = await act(t, await token(), {
			action: 'resendPortalEmail',
			payload: { to: 'x' },
			context,
		});
		expect(item).toMatchObject({
			event: 'action',
			action: 'resendPortalEmail',
			payload: { to: 'x' },
			shopId: SHOP,
			appointmentId: 'appt-9',
			appointmentIdSource: 'load',
			user: { userId: 'staff-1', email: 'staff@example.com' },
		});
		// the drawer's appointment ID handed over by postMessage only
		const bare = await loaded(t, { target: 'ADMIN_APPOINTMENT_DETAILS' });
		const fromPage = await act(t, await token(), {
			action: 'x',
			context: bare,
			appointmentId: 'appt-10',
		});
		expect(fromPage.item).toMatchObject({ appointmentId: 'appt-10', appointmentIdSource: 'page' });
	});

	it('refuses a bad token, a forged context, another user, and a shop uninstalled since', async () => {
		const t = trigger();
		await install(t);
		const context = await loaded(t);
		expectRefused(
			await act(t, await token({ clientId: 'other' }), { action: 'a', context }),
			/another client/,
		);
		expectRefused(
			await act(t, await token({}, { alg: 'none' }), { action: 'a', context }),
			/algorithm/,
		);
		expectRefused(
			await act(t, await token({ userId: 'staff-2' }), { action: 'a', context }),
			/another user/,
		);
		expectRefused(
			// the signature's last character changed (to one it is not: it is 'A' one time in 16)
			await act(t, await token(), {
				action: 'a',
				context: context.slice(0, -1) + (context.endsWith('A') ? 'E' : 'A'),
			}),
			/context/,
		);
		const [payload, mac] = context.split('.');
		const forged = Buffer.from(
			JSON.stringify({
				...JSON.parse(Buffer.from(payload, 'base64url').toString()),
				shopId: 'other',
			}),
		).toString('base64url');
		expectRefused(
			await act(t, await token(), { action: 'a', context: `${forged}.${mac}` }),
			/context/,
		);
		expectRefused(await act(t, '', { action: 'a', context }), /token/);
		const data = { shopId: SHOP };
		await t.call({
			method: 'POST',
			path: '/webhooks',
			body: JSON.stringify({ event: 'uninstall_app', data, hmac: sesamiSign(data, SECRET) }),
		});
		expectRefused(await act(t, await token(), { action: 'a', context }), /not installed/);
	});
});
