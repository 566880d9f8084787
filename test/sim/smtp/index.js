'use strict';
/**
 * A real SMTP server for the sandbox (`npm start`) and the tests, with a tiny HTTP inbox.
 *
 *   const { startSmtpServer } = require('./test/sim/smtp');
 *   const smtp = await startSmtpServer({ port: 0, host: '127.0.0.1', httpPort: 0, user: 'n8n', password: 'n8n-sandbox' });
 *   // n8n SMTP credential: { host: smtp.host, port: smtp.port, secure: false, disableStartTls: true,
 *   //                        user: smtp.user, password: smtp.password }
 *   const m = await smtp.waitFor((msg) => msg.to.includes('ada@example.com'), 10000);
 *   const all = await smtp.waitFor(3);          // a number: at least that many messages (the list)
 *   smtp.messages  // [{ id, from, fromText, to: [addresses], cc, subject, text, html, date, headers, envelope, messageId, receivedAt, size }]
 *   smtp.clear(); await smtp.close();
 *   smtp.refusing = true;  // an outage: every MAIL FROM gets 451 until set back to false
 *
 * SMTP: plain (no TLS; STARTTLS is not offered), AUTH PLAIN / LOGIN required and checked against
 * user / password (535 otherwise; MAIL FROM without AUTH gets 530). Messages are parsed with
 * mailparser's simpleParser.
 *
 * HTTP inbox on httpPort (httpPort: false starts none; routes in ./inbox.js):
 *   GET /                 HTML list, newest first (subject, to, date; links to the messages)
 *   GET /messages         JSON, in arrival order
 *   GET /messages/:id     the message's HTML body (its text in <pre> when it has no HTML part)
 *   GET /messages/:id.json  one message as JSON
 *   DELETE /messages      remove all -> {cleared}
 *   GET /outage           {refusing}
 *   PUT /outage {refusing: boolean}   the outage switch (below) from another process -> {refusing}
 */

const http = require('node:http');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');
const { createInboxHandler } = require('./inbox');

const MAX_SIZE = 10 * 1024 * 1024;

function addresses(field) {
	if (!field) return [];
	const list = Array.isArray(field) ? field : [field];
	const out = [];
	const walk = (entries) => {
		for (const e of entries || []) {
			if (e.group) walk(e.group);
			else if (e.address) out.push(e.address);
		}
	};
	for (const f of list) walk(f.value);
	return out;
}

function headerValue(v) {
	if (v === null || v === undefined) return '';
	if (v instanceof Date) return v.toISOString();
	if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
	if (Array.isArray(v)) return v.map(headerValue).join(', ');
	if (typeof v === 'object' && typeof v.text === 'string') return v.text;
	if (typeof v === 'object' && typeof v.value === 'string') {
		const params = v.params
			? Object.entries(v.params)
					.map(([k, p]) => `; ${k}=${p}`)
					.join('')
			: '';
		return v.value + params;
	}
	return JSON.stringify(v);
}

/**
 * @typedef {{ id: string, from: string, fromText: string, to: string[], cc: string[], subject: string, text: string, html: string,
 *   date: string, headers: Record<string, string>, envelope: { from: string, to: string[] }, messageId: string, receivedAt: string,
 *   size: number }} SmtpMessage
 */

/**
 * @param {{ port?: number, host?: string, httpPort?: number | false | null, user?: string, password?: string, maxMessages?: number }} [options]
 */
async function startSmtpServer(options = {}) {
	const opts = {
		port: 0,
		host: '127.0.0.1',
		httpPort: 0,
		user: 'n8n',
		password: 'n8n-sandbox',
		maxMessages: 5000,
		...options,
	};
	/** @type {SmtpMessage[]} */
	const messages = [];
	let counter = 0;
	let waiters = [];
	/** The outage switch (smtp.refusing = true): every MAIL FROM gets 451 until it is turned off. */
	let refusing = false;

	function notify() {
		const still = [];
		for (const w of waiters) {
			const hit = w.test();
			if (hit === undefined) still.push(w);
			else {
				clearTimeout(w.timer);
				w.resolve(hit);
			}
		}
		waiters = still;
	}

	const smtp = new SMTPServer({
		secure: false,
		disabledCommands: ['STARTTLS'],
		authMethods: ['PLAIN', 'LOGIN'],
		authOptional: false,
		allowInsecureAuth: true,
		logger: false,
		banner: 'n8n-nodes-sesami-imin sandbox SMTP',
		size: MAX_SIZE,
		closeTimeout: 1000,
		onAuth(auth, _session, callback) {
			if (auth.username === opts.user && auth.password === opts.password)
				return callback(null, { user: auth.username });
			const e = new Error('Invalid username or password');
			e.responseCode = 535;
			return callback(e);
		},
		onMailFrom(_address, _session, callback) {
			if (!refusing) return callback();
			const e = new Error('Service temporarily unavailable (sandbox outage switch)');
			e.responseCode = 451;
			return callback(e);
		},
		onData(stream, session, callback) {
			const chunks = [];
			let size = 0;
			stream.on('data', (c) => {
				size += c.length;
				chunks.push(c);
			});
			stream.on('error', (e) => callback(e));
			stream.on('end', async () => {
				if (stream.sizeExceeded) {
					const e = new Error('Message exceeds the size limit');
					e.responseCode = 552;
					return callback(e);
				}
				const raw = Buffer.concat(chunks);
				let parsed;
				try {
					parsed = await simpleParser(raw, { skipImageLinks: true });
				} catch (e) {
					const err = new Error(`Message could not be parsed: ${e.message}`);
					err.responseCode = 554;
					return callback(err);
				}
				counter += 1;
				const receivedAt = new Date();
				const headers = {};
				for (const [k, v] of parsed.headers) headers[k.toLowerCase()] = headerValue(v);
				const from = addresses(parsed.from);
				const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
				const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
				const to = addresses(parsed.to);
				const message = {
					id: String(counter),
					from: from[0] || envelopeFrom,
					fromText: parsed.from ? parsed.from.text : envelopeFrom,
					to: to.length ? to : envelopeTo,
					cc: addresses(parsed.cc),
					subject: parsed.subject || '',
					text: parsed.text || '',
					html: typeof parsed.html === 'string' ? parsed.html : '',
					date: (parsed.date || receivedAt).toISOString(),
					headers,
					envelope: { from: envelopeFrom, to: envelopeTo },
					messageId: parsed.messageId || '',
					receivedAt: receivedAt.toISOString(),
					size,
				};
				messages.push(message);
				if (messages.length > opts.maxMessages)
					messages.splice(0, messages.length - opts.maxMessages);
				callback(null, `Message queued as ${message.id}`);
				notify();
				return undefined;
			});
		},
	});
	smtp.on('error', () => {
		// connection-level errors (a client hanging up) must not crash the sandbox
	});

	await new Promise((resolve, reject) => {
		smtp.server.once('error', reject);
		smtp.listen(opts.port, opts.host, () => {
			smtp.server.off('error', reject);
			resolve();
		});
	});
	const smtpPort = smtp.server.address().port;

	let httpServer;
	let httpUrl;
	const httpSockets = new Set();
	if (opts.httpPort !== false && opts.httpPort !== null && opts.httpPort !== undefined) {
		httpServer = http.createServer(
			createInboxHandler({
				messages,
				getRefusing: () => refusing,
				setRefusing: (on) => {
					refusing = on;
				},
			}),
		);
		httpServer.on('connection', (s) => {
			httpSockets.add(s);
			s.on('close', () => httpSockets.delete(s));
		});
		await new Promise((resolve, reject) => {
			httpServer.once('error', reject);
			httpServer.listen(opts.httpPort, opts.host, () => {
				httpServer.off('error', reject);
				resolve();
			});
		});
		const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
		httpUrl = `http://${hostForUrl}:${httpServer.address().port}`;
	}

	return {
		host: opts.host,
		port: smtpPort,
		user: opts.user,
		password: opts.password,
		httpUrl,
		messages,
		/**
		 * predicate(message) => boolean: resolves with the first message that matches (already
		 * received or arriving later). A number n: resolves with the messages once there are n or more.
		 * Rejects after timeoutMs (default 10 s).
		 * @overload
		 * @param {(message: SmtpMessage) => boolean} predicate
		 * @param {number} [timeoutMs]
		 * @returns {Promise<SmtpMessage>}
		 */
		/**
		 * @overload
		 * @param {number} predicate
		 * @param {number} [timeoutMs]
		 * @returns {Promise<SmtpMessage[]>}
		 */
		/**
		 * @param {((message: SmtpMessage) => boolean) | number} predicate
		 * @param {number} [timeoutMs]
		 * @returns {Promise<any>}
		 */
		waitFor(predicate, timeoutMs = 10000) {
			const test =
				typeof predicate === 'number'
					? () => (messages.length >= predicate ? messages.slice() : undefined)
					: () => messages.find((m) => predicate(m));
			const hit = test();
			if (hit !== undefined) return Promise.resolve(hit);
			return new Promise((resolve, reject) => {
				const w = { test, resolve, timer: undefined };
				w.timer = setTimeout(() => {
					waiters = waiters.filter((x) => x !== w);
					reject(
						new Error(
							`smtp: no matching message within ${timeoutMs} ms (${messages.length} received)`,
						),
					);
				}, timeoutMs);
				waiters.push(w);
			});
		},
		/** true: the server refuses every message with 451 (a mail server outage), until set to false. */
		get refusing() {
			return refusing;
		},
		set refusing(on) {
			refusing = Boolean(on);
		},
		clear() {
			const n = messages.length;
			messages.length = 0;
			return n;
		},
		/** the n8n SMTP credential data for this server */
		get credential() {
			return {
				host: opts.host,
				port: smtpPort,
				secure: false,
				disableStartTls: true,
				user: opts.user,
				password: opts.password,
			};
		},
		close() {
			for (const w of waiters) {
				clearTimeout(w.timer);
				w.reject = undefined;
			}
			waiters = [];
			const closing = [new Promise((resolve) => smtp.close(() => resolve()))];
			if (httpServer) {
				closing.push(new Promise((resolve) => httpServer.close(() => resolve())));
				for (const s of httpSockets) s.destroy();
			}
			return Promise.all(closing).then(() => undefined);
		},
	};
}

module.exports = { startSmtpServer };
