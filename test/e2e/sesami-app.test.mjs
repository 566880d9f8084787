// workflows/sesami-app-appointment-panel.json as a Sesami App's backend, in the real n8n, against
// the Sesami Admin host simulator (test/sim/sesami-admin, started by the runner in front of the
// Sesami API simulator: lib/sesami-app.mjs). Two shops install the app through the simulator
// (install start -> Sesami's authorization page, auto-accept -> callback -> token exchange): each
// gets a row in "Sesami app installations"; Sesami's signed uninstall_app webhooks remove them, and
// a load for a shop that uninstalled is refused. The security matrix sends what Sesami would sign,
// spoiled on purpose with the simulator's sign.js (written from Sesami's code, never the package's
// verifier): each is answered 401 and starts no execution.
//
// Leaves behind: shops 1 and 2 uninstalled (their rows removed), the executions of the installs.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, describe, test } from 'node:test';
import { executionsSince, finishedExecutions, lastExecutionId, simShop } from './lib/context.mjs';
import {
	apiSimAppTokens,
	appWorkflow,
	assertNoNewExecution,
	call,
	installShop,
	installationRows,
	replayUninstall,
	sesamiApp,
	sign,
	signingApp,
	uninstallShop,
	waitForInstallationRows,
} from './lib/sesami-app.mjs';

const S = sign();
const shopA = simShop(1);
const shopB = simShop(2);
let wf;

/** A load of the appointment drawer as the Admin signs it, spoiled by `options` (sign.js). */
const loadUrl = (shopId, options = {}) =>
	S.signedLoadUrl(signingApp(), { target: 'ADMIN_APP_LOADER', shopId, ...options }).url;

async function assertRefused(what, send) {
	const r = await assertNoNewExecution(wf.id, send);
	assert.equal(
		r.status,
		401,
		`${what}: HTTP ${r.status} ${String(r.data ?? r.body).slice(0, 200)}`,
	);
	return r;
}

before(() => {
	wf = appWorkflow();
});

describe('Sesami App: install and uninstall of two shops (sesami-app-appointment-panel.json)', () => {
	test('both shops install through the Admin simulator: one installation row each, with the token Sesami issued', async () => {
		const mark = await lastExecutionId(wf.id);
		for (const shop of [shopA, shopB]) {
			const hops = await installShop(shop.id);
			const consent = new URL(hops.consentUrl);
			assert.equal(consent.searchParams.get('clientId'), sesamiApp().clientId);
			assert.equal(consent.searchParams.get('shopId'), shop.id);
			assert.equal(
				consent.searchParams.get('redirectUri'),
				`${sesamiApp().appUrl}/oauth/call-back`,
			);
			assert.ok(
				hops.adminRedirect.startsWith(`${sesamiApp().adminUrl}/apps`),
				`the merchant is sent back to Sesami Admin's apps: ${hops.adminRedirect}`,
			);
		}
		const executions = await finishedExecutions(wf.id, mark, { atLeast: 2 });
		assert.deepEqual(
			executions.map((e) => e.status),
			['success', 'success'],
			'one successful execution per install (event installed)',
		);
		const issued = (await call(`${sesamiApp().adminUrl}/__sim/issued-tokens`)).data;
		const tokens = JSON.parse(issued);
		for (const shop of [shopA, shopB]) {
			const [row] = await waitForInstallationRows(shop.id, 1);
			const mine = tokens.filter((t) => t.shopId === shop.id);
			assert.ok(mine.length >= 1, `Sesami issued a token for ${shop.id}`);
			assert.equal(
				row.token,
				mine[mine.length - 1].token,
				'the row holds the token Sesami issued last',
			);
			assert.ok(row.name, 'the app name from the token exchange');
			assert.ok(!Number.isNaN(Date.parse(row.installedAt)), `installedAt ${row.installedAt}`);
		}
		const registered = await apiSimAppTokens();
		if (registered)
			for (const shop of [shopA, shopB])
				assert.ok(
					registered.some((t) => t.shopId === shop.id && t.clientId === sesamiApp().clientId),
					`the Sesami API simulator accepts ${shop.id}'s app token`,
				);
	});

	test('a load signed as Sesami signs it is answered with the page (control for the matrix)', async () => {
		const mark = await lastExecutionId(wf.id);
		const r = await call(loadUrl(shopA.id));
		assert.equal(r.status, 200, String(r.data).slice(0, 300));
		assert.match(r.headers['content-type'], /text\/html/);
		assert.match(r.data, /Resend portal email/);
		assert.match(r.data, /window\.SesamiApp/);
		const executions = await finishedExecutions(wf.id, mark, { atLeast: 1 });
		assert.equal(executions.length, 1);
	});
});

describe('Security matrix through n8n: 401 and no execution', () => {
	const now = () => Date.now();
	const cases = [
		['HMAC wrong', () => ({ hmacOverride: crypto.randomBytes(32).toString('hex') })],
		[
			'HMAC over other parameters',
			() => ({ hmacOver: { shopId: shopA.id, timestamp: String(now()) } }),
		],
		['parameter tampered after signing', () => ({ tamper: { locale: 'de' } })],
		['HMAC with another secret', () => ({ hmacSecret: 'not-the-client-secret' })],
		['token for another client', () => ({ tokenOverrides: { clientId: 'another-app-client' } })],
		[
			'expired token',
			() => ({
				tokenOverrides: {
					iat: Math.floor(now() / 1000) - 7200,
					exp: Math.floor(now() / 1000) - 3600,
				},
			}),
		],
		['token signed with another secret', () => ({ tokenSecret: 'another-secret' })],
		['token with alg: none', () => ({ tokenAlg: 'none' })],
		['stale timestamp (one hour old)', () => ({ timestamp: String(now() - 3600_000) })],
		['token for another shop', () => ({ tokenOverrides: { shopId: shopB.id } })],
	];
	for (const [what, options] of cases)
		test(`load: ${what}`, async () => {
			await assertRefused(what, () => call(loadUrl(shopA.id, options())));
		});

	test('load: unknown shop (signed correctly, never installed)', async () => {
		const unknown = crypto.randomBytes(12).toString('hex');
		await assertRefused('unknown shop', () => call(loadUrl(unknown)));
	});

	test('install start and callback with a wrong HMAC or a stale timestamp', async () => {
		const app = signingApp();
		const url = (q) => S.withQuery(app.appUrl, q);
		await assertRefused('install start, other secret', () =>
			call(url(S.signedQuery(app, { shopId: shopA.id, secret: 'other' }))),
		);
		await assertRefused('install start, stale', () =>
			call(url(S.signedQuery(app, { shopId: shopA.id, timestamp: Date.now() - 3600_000 }))),
		);
		await assertRefused('callback without a started install', () =>
			call(
				S.withQuery(
					`${app.appUrl}/oauth/call-back`,
					S.signedQuery(app, { shopId: shopA.id, code: 'c0de' }),
				),
			),
		);
	});

	test('action: no token, a token of another client, a forged context', async () => {
		const action = `${sesamiApp().appUrl}/action`;
		const body = JSON.stringify({ action: 'panel', context: 'e30.x', payload: {} });
		const headers = { 'Content-Type': 'application/json' };
		await assertRefused('action without token', () =>
			call(action, { method: 'POST', body, headers }),
		);
		const other = S.appToken(
			{ clientId: 'another', clientSecret: sesamiApp().clientSecret },
			{ shopId: shopA.id },
		);
		await assertRefused('action, token of another client', () =>
			call(action, {
				method: 'POST',
				body,
				headers: { ...headers, Authorization: `Bearer ${other.token}` },
			}),
		);
		const mine = S.appToken(signingApp(), { shopId: shopA.id });
		await assertRefused('action, forged context', () =>
			call(action, {
				method: 'POST',
				body,
				headers: { ...headers, Authorization: `Bearer ${mine.token}` },
			}),
		);
	});

	test('uninstall webhook with a body changed after signing: refused, the row stays', async () => {
		const r = await assertNoNewExecution(wf.id, () =>
			uninstallShop(shopB.id, { tamper: { shopId: shopA.id } }),
		);
		assert.equal(r.status, 401, `tampered uninstall: ${r.body}`);
		assert.equal((await installationRows(shopA.id)).length, 1, 'shop A is still installed');
		assert.equal((await installationRows(shopB.id)).length, 1, 'shop B is still installed');
	});
});

describe('Uninstall', () => {
	test("Sesami's signed uninstall_app webhooks remove both rows; a replay is refused", async () => {
		for (const shop of [shopA, shopB]) {
			const mark = await lastExecutionId(wf.id);
			const r = await uninstallShop(shop.id);
			assert.equal(r.status, 200, `uninstall ${shop.id}: ${r.body}`);
			const executions = await finishedExecutions(wf.id, mark, { atLeast: 1 });
			assert.deepEqual(
				executions.map((e) => e.status),
				['success'],
			);
			await waitForInstallationRows(shop.id, 0);
		}
		const replay = await assertNoNewExecution(wf.id, () => replayUninstall());
		assert.equal(replay.status, 401, `replayed uninstall: ${replay.body}`);
	});

	test('a load for a shop that uninstalled is refused (signed correctly)', async () => {
		for (const shop of [shopA, shopB])
			await assertRefused(`load for uninstalled ${shop.id}`, () => call(loadUrl(shop.id)));
		const since = await executionsSince(wf.id, await lastExecutionId(wf.id));
		assert.equal(since.length, 0);
	});
});
