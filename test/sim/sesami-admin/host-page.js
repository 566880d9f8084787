'use strict';
/**
 * The simulated Admin's pages. The app frame's host script is the HOST side of app-message, written
 * out by hand in plain browser JS from https://github.com/sesamiapp/app-message (@07fd9b4):
 * - messages are `{action: '<messageId>_<ACTION>', payload}` (src/helpers/get-event.ts,
 *   src/types/message.type.ts); the app posts to window.top with targetOrigin '*', the host answers
 *   on event.source (src/methods/client/*.ts, src/methods/host/*.ts);
 * - the app speaks first: INIT -> the host answers {shopId, locale, extra} (extra.appointmentId in
 *   the appointment drawer: src/classes/admin/client/admin-appointment-details.ts); the load counts
 *   as done 100 ms after the first INIT, and as failed when no INIT came within 16 s
 *   (src/classes/admin/host/admin-host-base.ts, src/constants.ts CLIENT_LOADING_TIMEOUT);
 * - TOKEN -> {token}: the cached token while its exp is more than 30 s away, else a fresh one
 *   (src/helpers/is-token-expired.ts); here the fresh one comes from the simulator
 *   (POST /admin/api/token), signed on the server;
 * - HEIGHT {height} sets the frame's height; NOTIFICATION {message, type} is shown; BACK is
 *   counted (AdminAppLoader.navBack). NEXT is an Experience target's and not used here.
 *
 * What tests read: #app-status (text and data-status: loading | ready | timeout), #app-frame
 * (data-height, the applied height), #notifications > li[data-type], #app-status[data-back-count],
 * window.__sesamiHost.messages (every protocol message seen, in order).
 */

const escapeHtml = (s) =>
	String(s ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);

/** JSON that is safe inside a <script> element */
const scriptJson = (value) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f6f6f7;color:#202223}
header{background:#1a1a2e;color:#fff;padding:10px 16px;font-weight:600}
main{padding:16px;max-width:1100px}
.drawer{background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px;max-width:560px}
.status{font-size:12px;color:#666;margin:8px 0}
iframe{width:100%;border:1px solid #ccc;border-radius:6px;background:#fff;height:200px}
#notifications{list-style:none;padding:0}
#notifications li{padding:6px 10px;margin:4px 0;border-radius:4px;background:#e3f1df}
#notifications li[data-type="ERROR"]{background:#fbeae5}
#notifications li[data-type="WARNING"]{background:#fff5ea}
a{color:#2c6ecb}
`;

function layout(title, body) {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - Sesami Admin (simulator)</title>
<style>${STYLE}</style></head><body><header>Sesami Admin (simulator)</header><main>${body}</main></body></html>`;
}

/** The host side of app-message, for one frame. `config` is filled in by the server. */
const HOST_SCRIPT = `
(function () {
	var config = JSON.parse(document.getElementById('host-config').textContent);
	var frame = document.getElementById('app-frame');
	var status = document.getElementById('app-status');
	var list = document.getElementById('notifications');
	var host = (window.__sesamiHost = { messages: [], config: config, token: null, backCount: 0 });
	var waiting = true;
	function setStatus(value) {
		status.setAttribute('data-status', value);
		status.textContent = value;
	}
	function ev(action) {
		return config.messageId + '_' + action;
	}
	function send(source, action, payload) {
		source.postMessage({ action: ev(action), payload: payload }, { targetOrigin: '*' });
	}
	function expiry(token) {
		try {
			var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
			return JSON.parse(atob(part)).exp || 0;
		} catch (e) {
			return 0;
		}
	}
	function fresh(token) {
		return !!token && (expiry(token) - 30) * 1000 > Date.now();
	}
	function fetchToken() {
		return fetch(config.tokenEndpoint, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ appId: config.appId, shopId: config.shopId, userId: config.userId }),
		})
			.then(function (r) { return r.ok ? r.json() : { token: null }; })
			.then(function (b) { return b.token || null; })
			.catch(function () { return null; });
	}
	setTimeout(function () {
		if (waiting) {
			waiting = false;
			setStatus('timeout');
		}
	}, config.loadTimeoutMs);
	window.addEventListener('message', function (event) {
		var data = event.data || {};
		if (typeof data.action !== 'string' || data.action.indexOf(config.messageId + '_') !== 0) return;
		var action = data.action.slice(config.messageId.length + 1);
		host.messages.push({ action: action, payload: data.payload === undefined ? null : data.payload });
		var source = event.source;
		if (action === 'INIT') {
			send(source, 'INIT', { shopId: config.shopId, locale: config.locale, extra: config.extra });
			if (waiting) {
				waiting = false;
				setTimeout(function () { setStatus('ready'); }, 100);
			}
		} else if (action === 'TOKEN') {
			if (fresh(host.token)) return send(source, 'TOKEN', { token: host.token });
			fetchToken().then(function (token) {
				host.token = token;
				send(source, 'TOKEN', { token: token });
			});
		} else if (action === 'HEIGHT') {
			var h = Number(data.payload && data.payload.height);
			if (isFinite(h) && h >= 0) {
				frame.style.height = h + 'px';
				frame.setAttribute('data-height', String(h));
			}
		} else if (action === 'NOTIFICATION') {
			var p = data.payload || {};
			var li = document.createElement('li');
			li.setAttribute('data-type', String(p.type || ''));
			li.textContent = String(p.message == null ? '' : p.message);
			list.appendChild(li);
		} else if (action === 'BACK') {
			host.backCount += 1;
			status.setAttribute('data-back-count', String(host.backCount));
		}
	});
})();
`;

/**
 * The page with the app's frame.
 * @param {{title: string, heading: string, details?: string, frameUrl: string, config: object}} o
 */
function appFramePage(o) {
	const body = `
<div class="drawer" id="drawer">
<h1>${escapeHtml(o.heading)}</h1>
${o.details || ''}
<p class="status">App: <span id="app-status" data-status="loading" data-back-count="0">loading</span></p>
<iframe id="app-frame" title="${escapeHtml(o.config.appName)}" src="${escapeHtml(o.frameUrl)}"></iframe>
<ul id="notifications" aria-live="polite"></ul>
</div>
<script type="application/json" id="host-config">${scriptJson(o.config)}</script>
<script>${HOST_SCRIPT}</script>`;
	return layout(o.title, body);
}

/**
 * Sesami's consent page (GET /api/v1/oauth/authorization).
 * @param {{app: object, shop: object, scopes: string[], redirectUri: string}} o
 */
function consentPage(o) {
	const hidden = (name, value) =>
		`<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
	const fields = [
		hidden('clientId', o.app.clientId),
		hidden('shopId', o.shop.shopId),
		hidden('redirectUri', o.redirectUri),
		...o.scopes.map((s) => hidden('scopes[]', s)),
	].join('');
	const body = `
<div class="drawer">
<h1>Install ${escapeHtml(o.app.name)}?</h1>
<p><strong>${escapeHtml(o.app.name)}</strong> asks for access to <strong>${escapeHtml(o.shop.name)}</strong>:</p>
<ul id="scopes">${o.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
<form method="post" action="/api/v1/oauth/authorization">${fields}
<button type="submit" name="decision" value="accept" id="accept">Accept</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form></div>`;
	return layout(`Install ${o.app.name}`, body);
}

/** A list page: a heading and links. */
function listPage(title, items, note = '') {
	const lis = items
		.map((i) => `<li><a href="${escapeHtml(i.href)}">${escapeHtml(i.text)}</a></li>`)
		.join('');
	return layout(title, `<h1>${escapeHtml(title)}</h1>${note}<ul>${lis}</ul>`);
}

module.exports = { appFramePage, consentPage, listPage, layout, escapeHtml };
