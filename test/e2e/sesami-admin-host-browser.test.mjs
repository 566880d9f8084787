// The Sesami Admin host simulator (test/sim/sesami-admin) in a real browser, without n8n: its page
// loads a trivial app (served here, on another origin) in an iframe and speaks app-message's
// postMessage protocol with it. The app side is written out here by hand from
// https://github.com/sesamiapp/app-message (@07fd9b4, src/methods/client/*.ts): post
// {action: '<messageId>_INIT'} to window.top, read INIT's {shopId, locale, extra}, report HEIGHT,
// ask for a TOKEN, show a NOTIFICATION. A second app never says INIT and must be marked "timeout".
//
// Run on its own: node --test test/e2e/sesami-admin-host-browser.test.mjs (needs only Chromium).
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { jwtVerify } from 'jose';
import { launchChromium } from './lib/browser.mjs';

const require = createRequire(import.meta.url);
const { startSesamiAdmin } = require('../sim/sesami-admin/index.js');

const SECRET = 'browser-test-secret';
const SHOP = '68473cdecbb12db1b1bbf1e7';
const APPOINTMENT = '6728d4029ec195d22e450f0a';
const APP_HEIGHT = 321;

// The client side of app-message, by hand (getInit, initPageSizeListener, getToken, showNotification).
const APP_PAGE = `<!doctype html><html><head><meta charset="utf-8"></head>
<body style="margin:0"><div id="box" style="height:${APP_HEIGHT}px">
<p>shop <span id="shop"></span> appointment <span id="appointment"></span> locale <span id="locale"></span></p>
<p>token <span id="token"></span></p></div>
<script>
var messageId = new URLSearchParams(location.search).get('messageId');
function post(action, payload) { window.top.postMessage({ action: messageId + '_' + action, payload: payload }, '*'); }
window.addEventListener('message', function (e) {
	var d = e.data || {};
	if (d.action === messageId + '_INIT') {
		document.getElementById('shop').textContent = d.payload.shopId;
		document.getElementById('locale').textContent = d.payload.locale;
		document.getElementById('appointment').textContent = (d.payload.extra || {}).appointmentId || '';
		post('HEIGHT', { height: document.body.clientHeight });
		post('TOKEN', null);
	} else if (d.action === messageId + '_TOKEN') {
		document.getElementById('token').textContent = d.payload.token || 'null';
		post('NOTIFICATION', { message: 'Portal email sent', type: 'SUCCESS' });
	}
});
post('INIT');
</script></body></html>`;

const SILENT_PAGE = '<!doctype html><html><body><p>I never say INIT</p></body></html>';

let appServer;
let admin;
let browser;
let page;

before(async () => {
	browser = await launchChromium();
	appServer = http.createServer((req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(req.url.startsWith('/silent') ? SILENT_PAGE : APP_PAGE);
	});
	await new Promise((resolve) => appServer.listen(0, '127.0.0.1', resolve));
	const appBase = `http://127.0.0.1:${appServer.address().port}`;
	admin = await startSesamiAdmin({
		loadTimeoutMs: 3000,
		apps: [
			{ appId: 'panel', clientId: 'panel-client', clientSecret: SECRET, appUrl: `${appBase}/app` },
			{
				appId: 'silent',
				clientId: 'silent-client',
				clientSecret: 'x',
				appUrl: `${appBase}/silent`,
			},
		],
		users: [{ userId: 'u-1', email: 'front-desk@example.com' }],
	});
	page = await (await browser.newContext()).newPage();
	page.setDefaultTimeout(15_000);
});

after(async () => {
	await browser?.close();
	await admin?.close();
	await new Promise((resolve) => appServer?.close(resolve));
});

describe('Sesami Admin host page (app-message host side) in Chromium', () => {
	test('appointment drawer: handshake, context, height, token, notification', async () => {
		await page.goto(admin.adminUrl(SHOP, APPOINTMENT, 'panel') + '&locale=fr');
		await page.waitForSelector('#app-status[data-status="ready"]');
		const frame = page.frameLocator('#app-frame');
		assert.equal(await frame.locator('#shop').textContent(), SHOP);
		assert.equal(await frame.locator('#appointment').textContent(), APPOINTMENT);
		assert.equal(await frame.locator('#locale').textContent(), 'fr');
		await page.waitForSelector(`#app-frame[data-height="${APP_HEIGHT}"]`);
		const box = await page.locator('#app-frame').boundingBox();
		assert.ok(Math.abs(box.height - APP_HEIGHT) <= 2, `frame height ${box.height}`);
		const notice = page.locator('#notifications li[data-type="SUCCESS"]');
		await notice.waitFor();
		assert.equal(await notice.textContent(), 'Portal email sent');
		const token = await frame.locator('#token').textContent();
		const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
			algorithms: ['HS256'],
		});
		assert.equal(payload.clientId, 'panel-client');
		assert.equal(payload.email, 'front-desk@example.com');
		const actions = await page.evaluate(() => window.__sesamiHost.messages.map((m) => m.action));
		assert.deepEqual(actions, ['INIT', 'HEIGHT', 'TOKEN', 'NOTIFICATION']);
	});

	test('an app that never completes the handshake is marked timeout', async () => {
		await page.goto(admin.adminUrl(SHOP, undefined, 'silent'));
		assert.equal(await page.locator('#app-status').getAttribute('data-status'), 'loading');
		await page.waitForSelector('#app-status[data-status="timeout"]', { timeout: 10_000 });
	});
});
