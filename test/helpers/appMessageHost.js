/**
 * Runs a page's script in a stand-in browser window inside an iframe (node:vm), with the host
 * side of app-message's protocol observable: every message the page posts to `window.top`, and
 * `hostSays(action, payload)` to answer as the host does (`source.postMessage({action, payload})`,
 * https://github.com/sesamiapp/app-message src/methods/host/*.ts). `fetch` is recorded and answers
 * `{ done: true }`. Plain JavaScript: the TypeScript tests may not import node:vm.
 */
const vm = require('vm');

function pageWindow(search = '?messageId=m-123&shopId=s1') {
	const sent = [];
	const listeners = {};
	const fetches = [];
	const host = { postMessage: (data, origin) => sent.push({ ...data, origin }) };
	const window = {
		top: host,
		location: { search, origin: 'https://n8n.example.test', pathname: '/webhook/abc' },
		addEventListener: (type, listener) =>
			(listeners[type] = [...(listeners[type] ?? []), listener]),
		setTimeout: () => 0,
	};
	const document = { body: { clientHeight: 321 }, addEventListener: () => undefined };
	const fetch = async (url, init) => {
		fetches.push({ url, init });
		return { ok: true, status: 200, json: async () => ({ done: true }) };
	};
	/** @type {(action: string, payload: unknown, source?: unknown) => void} */
	const hostSays = (action, payload, source = host) =>
		(listeners.message ?? []).forEach((listener) =>
			listener({ data: { action, payload }, source }),
		);
	/** Runs `<script>...</script>` (the tags are stripped) in this window. */
	const run = (scriptTag) => {
		const code = String(scriptTag)
			.replace(/^\s*<script>/, '')
			.replace(/<\/script>\s*$/, '');
		vm.runInNewContext(code, {
			window,
			document,
			fetch,
			URLSearchParams,
			Promise,
			JSON,
			Object,
			Error,
			String,
		});
		return window;
	};
	return { window, sent, hostSays, fetches, run };
}

module.exports = { pageWindow };
