import { createHmac } from 'crypto';

import { safeEqual } from '../../shared/webhook/safeEqual';
import { unauthorized } from '../../shared/webhook/refusal';

/**
 * What the page a load answers with needs: the context of the load signed by the trigger (the
 * tokens the page gets later from app-message's `getToken()` name the staff user and the app but
 * not the shop or the appointment), and the bridge script, the app side of app-message's
 * postMessage protocol, written from https://github.com/sesamiapp/app-message (src/methods/client/
 * init.client.ts, authentication.client.ts, events.client.ts, src/helpers/get-event.ts,
 * src/types/action.type.ts, src/constants.ts).
 */

/** How long the page may send actions with the context of one load. */
export const CONTEXT_LIFETIME_SECONDS = 4 * 60 * 60;

/** Keeps the trigger's own signatures apart from everything Sesami signs with the same secret. */
const CONTEXT_LABEL = 'n8n-sesami-app-context.';

export interface LoadContext {
	shopId: string;
	appointmentId: string | null;
	target: string;
	userId: string | null;
	/** seconds since 1970 */
	exp: number;
}

/** `<payload>.<hmac>`: base64url JSON, HMAC-SHA256 (client secret) over the label and the payload. */
export function signContext(context: LoadContext, secret: string): string {
	const payload = Buffer.from(JSON.stringify(context), 'utf8').toString('base64url');
	const mac = createHmac('sha256', secret)
		.update(CONTEXT_LABEL + payload)
		.digest('base64url');
	return `${payload}.${mac}`;
}

/** The context a load handed to the page, checked (signature, expiry) or refused with 401. */
export function verifyContext(value: unknown, secret: string, now = Date.now()): LoadContext {
	const [payload, mac, extra] = String(value ?? '').split('.');
	if (!payload || !mac || extra !== undefined) throw unauthorized('missing or malformed context');
	const expected = createHmac('sha256', secret)
		.update(CONTEXT_LABEL + payload)
		.digest('base64url');
	if (!safeEqual(mac, expected)) throw unauthorized('context signature does not match');
	let context: LoadContext;
	try {
		context = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LoadContext;
	} catch {
		throw unauthorized('missing or malformed context');
	}
	if (!(Number(context.exp) * 1000 > now)) throw unauthorized('expired context');
	return context;
}

/**
 * The app side of app-message, for a page loaded by the Admin (ADMIN_APP_LOADER or
 * ADMIN_APPOINTMENT_DETAILS). Messages are `{action: messageId + '_' + ACTION, payload}` posted to
 * `window.top` (get-event.ts). At once: INIT (the host answers `{shopId, locale, extra}`, extra
 * holding `appointmentId` in the drawer) within the host's 16 s (CLIENT_LOADING_TIMEOUT), re-sent
 * every 2 s until answered; then HEIGHT (`{height: document.body.clientHeight}`) on load and on
 * every resize (ResizeObserver, as initPageSizeListener). `SesamiApp.getToken()` asks the host
 * (TOKEN, answered `{token}`), `showNotification(message, type)` (NOTIFICATION, type SUCCESS |
 * INFO | WARNING | ERROR), `navBack()` (BACK), `postAction(name, payload)` POSTs
 * `{action, payload, context, appointmentId}` with `Authorization: Bearer <token>` to this
 * trigger's `action` URL (the page's own URL + `/action`) and resolves with its JSON answer.
 * Unlike app-message it only accepts messages from `window.top` with its own messageId.
 */
export function bridgeScript(context: string): string {
	const config = JSON.stringify({ context }).replace(/</g, '\\u003c');
	return `<script>
(function () {
	var config = ${config};
	var query = new URLSearchParams(window.location.search);
	var messageId = query.get('messageId') || '';
	var host = window.top;
	var waiting = {};
	function send(action, payload) {
		host.postMessage({ action: messageId + '_' + action, payload: payload === undefined ? null : payload }, '*');
	}
	function answer(action) {
		return new Promise(function (resolve) { (waiting[action] = waiting[action] || []).push(resolve); });
	}
	window.addEventListener('message', function (event) {
		var data = event.data;
		if (host === window || event.source !== host || !data || typeof data.action !== 'string') return;
		if (data.action.indexOf(messageId + '_') !== 0) return;
		var action = data.action.slice(messageId.length + 1);
		var list = waiting[action] || [];
		waiting[action] = [];
		list.forEach(function (resolve) { resolve(data.payload); });
	});
	var initialized = false;
	var ready = answer('INIT').then(function (payload) {
		initialized = true;
		var context = payload || {};
		context.appointmentId = (context.extra && context.extra.appointmentId) || null;
		return context;
	});
	(function init(tries) {
		if (initialized || tries > 7) return;
		send('INIT');
		window.setTimeout(function () { init(tries + 1); }, 2000);
	})(0);
	function height() { send('HEIGHT', { height: document.body ? document.body.clientHeight : 0 }); }
	function observe() {
		height();
		if (window.ResizeObserver) new ResizeObserver(height).observe(document.body);
	}
	if (document.body) observe(); else document.addEventListener('DOMContentLoaded', observe);
	window.addEventListener('load', height);
	function getToken() {
		var token = answer('TOKEN').then(function (payload) { return payload ? payload.token : null; });
		send('TOKEN', null);
		return token;
	}
	function postAction(name, payload) {
		return Promise.all([ready, getToken()]).then(function (values) {
			var url = window.location.origin + window.location.pathname.replace(/\\/+$/, '') + '/action';
			return fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + values[1] },
				body: JSON.stringify({ action: name, payload: payload || {}, context: config.context, appointmentId: values[0].appointmentId })
			}).then(function (response) {
				return response.json().catch(function () { return {}; }).then(function (body) {
					if (!response.ok) throw Object.assign(new Error('action failed: ' + response.status), { status: response.status, body: body });
					return body;
				});
			});
		});
	}
	window.SesamiApp = {
		ready: ready,
		getToken: getToken,
		postAction: postAction,
		showNotification: function (message, type) { send('NOTIFICATION', { message: String(message), type: type || 'INFO' }); },
		navBack: function () { send('BACK', null); },
		reportHeight: height
	};
})();
</script>`;
}

/** A complete page using the bridge: what the trigger's output offers as `page.html`. */
export function examplePage(script: string, title: string): string {
	return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>${script}</head>
<body style="font-family: system-ui, sans-serif; margin: 16px">
<h3>${title}</h3>
<p id="status">Loading...</p>
<button id="act" type="button">Send action</button>
<script>
SesamiApp.ready.then(function (context) {
	document.getElementById('status').textContent = 'Shop ' + context.shopId + (context.appointmentId ? ', appointment ' + context.appointmentId : '');
	SesamiApp.reportHeight();
});
document.getElementById('act').onclick = function () {
	SesamiApp.postAction('example', {}).then(function () { SesamiApp.showNotification('Done', 'SUCCESS'); },
		function () { SesamiApp.showNotification('Failed', 'ERROR'); });
};
</script>
</body></html>`;
}
