'use strict';
/**
 * The SMTP sandbox's HTTP inbox, as a route table (../lib/router.js): what the sandbox SMTP server
 * (./index.js) received, and its outage switch.
 *
 *   GET /                 HTML list, newest first (subject, to, date; links to the messages)
 *   GET /messages         JSON, in arrival order
 *   GET /messages/:id     the message's HTML body (its text in <pre> when it has no HTML part)
 *   GET /messages/:id.json  one message as JSON
 *   DELETE /messages      remove all -> {cleared}
 *   GET /outage           {refusing}
 *   PUT /outage {refusing: boolean}   the outage switch from another process -> {refusing}
 * Anything else: 404 {error: 'not found'}. Empty path segments are ignored ('//messages').
 */

const { createRouter } = require('../lib/router');

const escapeHtml = (s) =>
	String(s === undefined || s === null ? '' : s).replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);

function inboxPage(messages) {
	const rows = messages
		.slice()
		.reverse()
		.map(
			(m) =>
				`<tr><td><a href="/messages/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td><td>${escapeHtml(m.to.join(', '))}</td>` +
				`<td>${escapeHtml(m.from)}</td><td><time datetime="${escapeHtml(m.date)}">${escapeHtml(m.date)}</time></td></tr>`,
		)
		.join('\n');
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox inbox (${messages.length})</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left}th{background:#f5f5f5}</style>
</head><body>
<h1>Sandbox inbox</h1>
<p>${messages.length} message(s), newest first. JSON: <a href="/messages">/messages</a></p>
<table><thead><tr><th>Subject</th><th>To</th><th>From</th><th>Date</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="4">No messages yet.</td></tr>'}
</tbody></table>
</body></html>
`;
}

/** The inbox's answers: (status, body, content type). */
function sender(res) {
	const send = (status, body, type) => {
		const headers = {
			'content-type': type,
			'content-length': Buffer.byteLength(body),
			'cache-control': 'no-store',
		};
		if (type.startsWith('text/html'))
			headers['content-security-policy'] =
				"default-src 'none'; style-src 'unsafe-inline'; img-src data: https:";
		res.writeHead(status, headers);
		res.end(body);
	};
	const json = (status, body) =>
		send(status, JSON.stringify(body), 'application/json; charset=utf-8');
	return { send, json };
}

function setOutage(inbox, req, { json }) {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		let body;
		try {
			body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
		} catch {
			body = null;
		}
		if (!body || typeof body.refusing !== 'boolean')
			return json(400, { error: 'send {"refusing": true | false}' });
		inbox.setRefusing(body.refusing);
		return json(200, { refusing: inbox.getRefusing() });
	});
}

function message(inbox, req, { send, json }, params) {
	const asJson = params.id.endsWith('.json');
	const id = decodeURIComponent(asJson ? params.id.slice(0, -5) : params.id);
	const m = inbox.messages.find((x) => x.id === id);
	if (!m) return json(404, { error: 'not found' });
	if (asJson) return json(200, m);
	const html = m.html || `<!doctype html><meta charset="utf-8"><pre>${escapeHtml(m.text)}</pre>`;
	return send(200, html, 'text/html; charset=utf-8');
}

/** handler(inbox, req, answer, params) */
const INBOX_ROUTES = [
	{
		method: 'GET',
		path: '/',
		handler: (inbox, req, { send }) =>
			send(200, inboxPage(inbox.messages), 'text/html; charset=utf-8'),
	},
	{
		method: 'GET',
		path: '/messages',
		handler: (inbox, req, { json }) => json(200, inbox.messages),
	},
	{
		method: 'DELETE',
		path: '/messages',
		handler: (inbox, req, { json }) => {
			const n = inbox.messages.length;
			inbox.messages.length = 0;
			return json(200, { cleared: n });
		},
	},
	{
		method: 'GET',
		path: '/outage',
		handler: (inbox, req, { json }) => json(200, { refusing: inbox.getRefusing() }),
	},
	{ method: 'PUT', path: '/outage', handler: setOutage },
	{ method: 'GET', path: '/messages/:id', handler: message },
];

const router = createRouter(INBOX_ROUTES, { loose: true });

/**
 * The inbox's request handler.
 * @param {{ messages: object[], getRefusing: () => boolean, setRefusing: (on: boolean) => void }} inbox
 */
function createInboxHandler(inbox) {
	return (req, res) => {
		const url = new URL(req.url, 'http://inbox.local');
		const answer = sender(res);
		const match = router.match(req.method, url.pathname);
		if (!match || !match.route) return answer.json(404, { error: 'not found' });
		return match.route.handler(inbox, req, answer, match.params);
	};
}

module.exports = { INBOX_ROUTES, createInboxHandler };
