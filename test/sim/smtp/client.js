'use strict';
/**
 * SMTP client helpers for the tests (TypeScript tests may not open sockets themselves).
 *
 *   buildMultipart({ from, to, subject, text, html })       -> RFC 5322 text (multipart/alternative)
 *   await sendRaw({ host, port, user, password, auth: 'PLAIN' | 'LOGIN' | false, from, to, data })
 *       -> { ok, code, ehlo: [capabilities], replies: [{ command, code, text }] }   (never throws on SMTP errors)
 *   await sendWithNodemailer(credential, { from, to, subject, text, html })   the transport n8n's Send Email
 *       node builds from its SMTP credential ({host, port, secure: false, disableStartTls: true, user, password});
 *       nodemailer is a dependency of mailparser, resolved from there
 */

const net = require('node:net');
const path = require('node:path');

/** RFC 2047 encoded-word for a header with non-ASCII text. */
function encodeHeader(value) {
	return /^[\x20-\x7e]*$/.test(value)
		? value
		: `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(text) {
	return Buffer.from(text, 'utf8')
		.toString('base64')
		.replace(/.{1,76}/g, '$&\r\n');
}

/**
 * @param {{ from: string, to: string | string[], subject: string, text: string, html: string, date?: Date, messageId?: string, boundary?: string }} m
 */
function buildMultipart(m) {
	const boundary = m.boundary || `=_sandbox_${Date.now().toString(36)}`;
	const to = Array.isArray(m.to) ? m.to.join(', ') : m.to;
	return [
		`From: ${m.from}`,
		`To: ${to}`,
		`Subject: ${encodeHeader(m.subject)}`,
		`Date: ${(m.date || new Date()).toUTCString()}`,
		`Message-ID: ${m.messageId || `<${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}@sandbox.test>`}`,
		'MIME-Version: 1.0',
		`Content-Type: multipart/alternative; boundary="${boundary}"`,
		'',
		'This is a multi-part message in MIME format.',
		`--${boundary}`,
		'Content-Type: text/plain; charset=utf-8',
		'Content-Transfer-Encoding: base64',
		'',
		base64Lines(m.text),
		`--${boundary}`,
		'Content-Type: text/html; charset=utf-8',
		'Content-Transfer-Encoding: base64',
		'',
		base64Lines(m.html),
		`--${boundary}--`,
		'',
	].join('\r\n');
}

/** Minimal SMTP conversation over a plain socket. */
function sendRaw(o) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(o.port, o.host || '127.0.0.1');
		const replies = [];
		let ehlo = [];
		let buffer = '';
		let lines = [];
		let pendingReply;
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error(`smtp client: timeout (${JSON.stringify(replies)})`));
		}, o.timeoutMs || 10000);

		socket.setEncoding('utf8');
		socket.on('data', (chunk) => {
			buffer += chunk;
			let i;
			while ((i = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, i);
				buffer = buffer.slice(i + 2);
				lines.push(line);
				if (/^\d{3}(?: |$)/.test(line)) {
					const done = { code: Number(line.slice(0, 3)), lines: lines.map((l) => l.slice(4)) };
					lines = [];
					const r = pendingReply;
					pendingReply = undefined;
					if (r) r(done);
				}
			}
		});
		socket.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});

		const reply = () => new Promise((r) => (pendingReply = r));
		const command = async (cmd, label) => {
			const p = reply();
			socket.write(`${cmd}\r\n`);
			const res = await p;
			replies.push({
				command: label || cmd.split(' ')[0],
				code: res.code,
				text: res.lines.join('\n'),
			});
			return res;
		};
		const finish = (ok, code) => {
			clearTimeout(timer);
			socket.end('QUIT\r\n');
			resolve({ ok, code, ehlo, replies });
		};

		(async () => {
			const greeting = await reply();
			replies.push({ command: '(greeting)', code: greeting.code, text: greeting.lines.join('\n') });
			const hello = await command('EHLO client.sandbox.test');
			ehlo = hello.lines.slice(1);
			if (o.auth === 'LOGIN') {
				let r = await command('AUTH LOGIN');
				if (r.code === 334) r = await command(Buffer.from(o.user).toString('base64'), '(user)');
				if (r.code === 334)
					r = await command(Buffer.from(o.password).toString('base64'), '(password)');
				if (r.code !== 235) return finish(false, r.code);
			} else if (o.auth !== false) {
				const token = Buffer.from(`\0${o.user}\0${o.password}`).toString('base64');
				const r = await command(`AUTH PLAIN ${token}`, 'AUTH');
				if (r.code !== 235) return finish(false, r.code);
			}
			const from = await command(`MAIL FROM:<${o.from}>`);
			if (from.code !== 250) return finish(false, from.code);
			for (const rcpt of [].concat(o.to)) {
				const r = await command(`RCPT TO:<${rcpt}>`);
				if (r.code !== 250) return finish(false, r.code);
			}
			const data = await command('DATA');
			if (data.code !== 354) return finish(false, data.code);
			const body = o.data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
			const end = reply();
			socket.write(`${body.endsWith('\r\n') ? body : `${body}\r\n`}.\r\n`);
			const accepted = await end;
			replies.push({ command: '(data)', code: accepted.code, text: accepted.lines.join('\n') });
			return finish(accepted.code === 250, accepted.code);
		})().catch((e) => {
			clearTimeout(timer);
			socket.destroy();
			reject(e);
		});
	});
}

function nodemailer() {
	const from = path.dirname(require.resolve('mailparser/package.json'));
	return require(require.resolve('nodemailer', { paths: [from] }));
}

/** Send as n8n's Send Email node does (nodemailer SMTP transport built from the SMTP credential). */
async function sendWithNodemailer(credential, mail) {
	const transport = nodemailer().createTransport({
		host: credential.host,
		port: credential.port,
		secure: credential.secure,
		ignoreTLS: credential.disableStartTls,
		auth: credential.user ? { user: credential.user, pass: credential.password } : undefined,
	});
	try {
		const info = await transport.sendMail(mail);
		return {
			accepted: info.accepted,
			rejected: info.rejected,
			response: info.response,
			messageId: info.messageId,
		};
	} finally {
		transport.close();
	}
}

module.exports = { buildMultipart, sendRaw, sendWithNodemailer, encodeHeader };
