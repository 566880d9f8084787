// End-to-end: generated malformed HTTP requests against every published trigger webhook in the real
// n8n 2.41.1 (issue 7, part 4 "Bad input"): the Sesami Trigger of sesami-flows-to-stored-links.json and of sesami-portal-emails.json, the imin Trigger of
// imin-success-webhook.json and the My Page Trigger of sesami-my-page-backend.json (its GET and its POST path). The requests are generated with the
// project's PRNG (test/sim/lib/prng.js) and a fixed seed, so a run is repeatable; every request is
// written byte for byte on a raw TCP socket (net.Socket), so header injection, duplicated headers,
// lying Content-Lengths and bytes that are not UTF-8 reach n8n exactly as written.
//
// Classes (each case names its class and what it is): bad JSON, wrong JSON types, huge bodies
// (above the triggers' 1 MiB limit, and above n8n's N8N_PAYLOAD_SIZE_MAX of 16 MiB), wrong content
// types and encodings, unicode and invalid UTF-8, header injection (CR/LF in values, duplicated
// auth headers, over-long headers, smuggling headers), wrong methods, broken authentication — and,
// most of them, malformed bodies or fields sent with VALID authentication (the right Flow secret,
// the right imin key, a valid App Proxy signature), which reach the node's own validation.
//
// For every request: a 4xx answer with a reason (a JSON `reason` / `message`, or a text body; for
// requests Node's HTTP parser refuses before n8n sees them, the status line's reason phrase), and a
// valid-auth request is never answered 401 — except (issue 12) an authenticated request the
// trigger can read: the Sesami Trigger keeps a readable JSON object for a known event (2xx,
// `resolved: false`; sesami-flows-to-stored-links.json stores it in "Sesami unresolved pushes", sesami-portal-emails.json sends nothing) and the imin
// Trigger keeps what it can read (204, recognized:false; imin-success-webhook.json stores it in "imin unrecognised
// webhooks"); a 2xx without the valid secret or key is a failure. At the end: the n8n process that
// served the suite is the same and alive, sesami-flows-to-stored-links.json / sesami-portal-emails.json ran once for each push they kept and imin-success-webhook.json no more
// than once per delivery it kept (all successfully), every sesami-my-page-backend.json execution succeeded (only the
// well-formed actions on unknown appointments start one, and sesami-my-page-backend.json answers them 404 itself), and
// /healthz answers 200.
//
// Leaves behind: the kept requests' rows in "Sesami unresolved pushes" and "imin unrecognised
// webhooks"; no appointment, booking or email.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import axios from 'axios';
import {
	executionNodeOutput,
	executionWithData,
	executionsSince,
	getContext,
	lastExecutionId,
	simControl,
	simShop,
	workflowByFile,
} from './lib/context.mjs';
import { myPage, signedQuery, W1_FILE, W2_FILE, W4_FILE } from './lib/my-page.mjs';

const require = createRequire(import.meta.url);
const { Rng } = require('../sim/lib/prng.js');

const SEED = 'malformed-requests-v1';
const PER_TRIGGER = 200; // at least 200 per published trigger
const PER_TRIGGER_W4 = 224; // sesami-my-page-backend.json: its GET and POST paths together (96 GET, 112 POST, 16 other methods)
const CONCURRENCY = 6;
const REQUEST_TIMEOUT_MS = 90_000;
const MiB = 1024 * 1024;
const SECRET_HEADER = 'x-sesami-flow-secret';
const W3_FILE = 'imin-success-webhook.json';

const ctx = getContext();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client: the request goes out exactly as given (head in latin1, so any byte can be
// written), the answer is read until the server closes (every request says Connection: close).

/**
 * @param {{ method: string, path: string, headers: Array<[string, string] | string>, body?: Buffer, chunked?: boolean, host?: boolean }} r
 * @returns {Promise<{ status: number, statusText: string, headers: Record<string,string>, body: string, ms: number, error?: string }>}
 */
function send(r) {
	const { port } = new URL(ctx.n8nUrl);
	const body = r.body ?? Buffer.alloc(0);
	const lines = [`${r.method} ${r.path} HTTP/1.1`];
	if (r.host !== false) lines.push(`Host: 127.0.0.1:${port}`);
	lines.push('Connection: close');
	for (const h of r.headers) lines.push(typeof h === 'string' ? h : `${h[0]}: ${h[1]}`);
	const named = (name) =>
		r.headers.some((h) => typeof h !== 'string' && h[0].toLowerCase() === name);
	if (r.chunked) lines.push('Transfer-Encoding: chunked');
	else if (!named('content-length') && !r.rawFraming) lines.push(`Content-Length: ${body.length}`);
	const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
	const started = Date.now();
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
		const chunks = [];
		let done = false;
		let writeError;
		const finish = (error) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			socket.destroy();
			resolve({
				...parseAnswer(Buffer.concat(chunks)),
				ms: Date.now() - started,
				...(error ? { error } : {}),
				...(writeError ? { writeError } : {}),
			});
		};
		const timer = setTimeout(
			() => finish(`no answer within ${REQUEST_TIMEOUT_MS} ms`),
			REQUEST_TIMEOUT_MS,
		);
		socket.on('data', (d) => chunks.push(d));
		socket.on('end', () => finish());
		socket.on('close', () => finish());
		socket.on('error', (e) => {
			// A server that answered early may reset while a large body is still being written.
			writeError = e.code;
			if (chunks.length) finish();
			else setTimeout(() => finish(chunks.length ? undefined : `socket error ${e.code}`), 200);
		});
		socket.on('connect', async () => {
			socket.write(head);
			const pieces = r.chunked ? chunkFraming(body) : [body];
			for (const piece of pieces) {
				for (let at = 0; at < piece.length && !done && !socket.destroyed; at += 256 * 1024) {
					if (!socket.write(piece.subarray(at, at + 256 * 1024)))
						await new Promise((ok) => socket.once('drain', ok).once('close', ok));
					if (chunks.length) break; // answered already: stop sending
				}
			}
		});
	});
}

function chunkFraming(body) {
	const out = [];
	for (let at = 0; at < body.length; at += MiB) {
		const piece = body.subarray(at, at + MiB);
		out.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
	}
	out.push(Buffer.from('0\r\n\r\n'));
	return out;
}

function parseAnswer(raw) {
	const end = raw.indexOf('\r\n\r\n');
	if (end === -1) return { status: 0, statusText: '', headers: {}, body: '' };
	const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
	const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
	const headers = {};
	for (const line of headerLines) {
		const i = line.indexOf(':');
		if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	let body = raw.subarray(end + 4);
	if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
	return {
		status: m ? Number(m[1]) : 0,
		statusText: m ? m[2] : statusLine.slice(0, 80),
		headers,
		body: body.toString('utf8'),
	};
}

function dechunk(buf) {
	const out = [];
	let at = 0;
	for (;;) {
		const eol = buf.indexOf('\r\n', at);
		if (eol === -1) break;
		const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
		if (!size) break;
		out.push(buf.subarray(eol + 2, eol + 2 + size));
		at = eol + 2 + size + 2;
	}
	return Buffer.concat(out);
}

/** What the answer says was wrong: a JSON reason / message / error, a text body, or (protocol-level refusals only) the status line. */
function reasonOf(answer, protocolLevel) {
	const text = answer.body.trim();
	try {
		const j = JSON.parse(text);
		const said = [j?.reason, j?.message, j?.error].find(
			(v) => typeof v === 'string' && v.trim().length >= 5,
		);
		if (said) return said;
	} catch {
		if (text.length >= 5 && !/^<!doctype html/i.test(text)) return text.slice(0, 200);
	}
	if (protocolLevel && answer.statusText.trim()) return `(status line) ${answer.statusText.trim()}`;
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// The targets and their valid / broken authentication

function hookOf(file, type) {
	const wf = workflowByFile(file);
	const hook = wf.webhookUrls.find((h) => h.url && (!type || h.type === type));
	assert.ok(hook, `${file} has a production webhook URL${type ? ` of ${type}` : ''}`);
	return { wf, url: hook.url, path: new URL(hook.url).pathname };
}

async function flowSecretOf(url) {
	const r = await simControl().get('/state/flows', { params: { shopId: simShop(0).id } });
	assert.equal(r.status, 200, JSON.stringify(r.data));
	const flow = r.data.find((f) => f.action === 'WEBHOOK' && String(f.target).startsWith(`${url}?`));
	assert.ok(flow, `a Flow targets ${url}`);
	return JSON.parse(flow.template.headers)[SECRET_HEADER];
}

/** The pid of the n8n server listening on the context's port (its environment names the port). */
function n8nServerPid() {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (!cmd.some((a) => a.endsWith('/n8n') || a.endsWith('bin/n8n')) || !cmd.includes('start'))
				continue;
			const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
			if (env.includes(`N8N_PORT=${ctx.n8nPort}`)) return Number(entry);
		} catch {
			// a process that ended meanwhile, or not ours
		}
	}
	return undefined;
}

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

// ---------------------------------------------------------------------------------------------
// Generators. A case: { cls, what, method, path, headers, body?, chunked?, validAuth, protocol?, allow? }
// `protocol`: Node's HTTP parser may refuse it before n8n (no body; the status line is the reason).
// `allow`: statuses accepted besides "any 4xx" rules (e.g. sesami-my-page-backend.json's own 404 for an unknown appointment).

const utf8 = (s) => Buffer.from(s, 'utf8');
const json = (v) => utf8(JSON.stringify(v));
const JSON_CT = ['Content-Type', 'application/json'];

/** Irreparable JSON (the triggers repair missing / trailing commas and empty values, so none of those). */
function badJson(rng, good) {
	const text = JSON.stringify(good);
	const variants = [
		() => text.slice(0, rng.int(1, Math.max(1, text.length - 1))), // truncated
		() => text.replace(/"([A-Za-z@]+)":/g, '$1:'), // unquoted keys
		() => text.replace(/"/g, "'"), // single quotes
		() => `${text}}`, // one brace too many
		() =>
			`{"a": NaN, "b": ${rng.pick(['undefined', 'Infinity', '-', '01', '1.', '.5', '+1', '0x1F'])}}`,
		() => `// a comment\n${text}`,
		() => text.replace(':', ' '), // missing colon
		() => `{"a": "unterminated ${rng.hex(8)}`,
		() => `${text}${text}`.replace('}{', '}]{'),
		() => `<order><id>${rng.hex(24)}</id></order>`,
		() => `appointmentId=${rng.hex(24)}&event=APPOINTMENT_CREATED`,
		() => `{"a": "\\x41", ${rng.pick(['"b":', '"c" 1', '::', '[}'])}`,
		() =>
			Array.from({ length: rng.int(5, 40) }, () => String.fromCharCode(rng.int(33, 126)))
				.join('')
				.replace(/^[[{"\d-]/, '@'),
		() => `{"nested": [1, 2, {"x": }]]}`,
		() => `${'['.repeat(rng.int(65, 5000))}1${']'.repeat(rng.int(65, 5000))}`, // too deep
	];
	const i = rng.int(0, variants.length - 1);
	return { body: utf8(variants[i]()), what: `bad JSON #${i}` };
}

/** Bytes that are not UTF-8, and unicode that is but carries no usable field. */
function badUnicode(rng) {
	const invalid = [
		[0xff, 0xfe],
		[0xc0, 0xaf], // overlong "/"
		[0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded in UTF-8
		[0xe2, 0x82], // truncated sequence
		[0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
		[0x80],
	];
	const valid = [
		'{"👋": "🎉", "名前": "テスト", "مرحبا": "עולם"}',
		'{"a": "\\u0000\\u0001", "b": "\\ud800", "c": "\\udfff\\ud800"}',
		'{"appointmentId": "６４ｆ１ｃ２ａ９ｂ７ｅ４ｄ３ａ１ｃ２ｂ３ｄ４ｅ５"}',
		'{"appointmentId": "64f1c2a9b7e4d3a1c2b3d4e\u0435"}', // Cyrillic е
		'{"email": "ａｄａ＠ｅｘａｍｐｌｅ.com"}',
		'{"\u202eevent": "\u200b\u200b", "\ufeff": "\ufffd"}',
		'\ufeff\ufeff{"a": 1}',
	];
	if (rng.chance(0.55)) {
		const bytes = rng.pick(invalid);
		const at = rng.int(0, 1);
		const parts = at
			? [utf8('{"appointmentId": "'), Buffer.from(bytes), utf8('"}')]
			: [Buffer.from(bytes), utf8('{"a": 1}')];
		return {
			body: Buffer.concat(parts),
			what: `invalid UTF-8 ${Buffer.from(bytes).toString('hex')}`,
		};
	}
	return { body: utf8(rng.pick(valid)), what: 'unicode without a usable field' };
}

function hugeBody(rng, { aboveN8n }) {
	if (aboveN8n)
		return {
			body: Buffer.alloc(17 * MiB, 0x20),
			what: '17 MiB (above N8N_PAYLOAD_SIZE_MAX 16 MiB)',
		};
	const size = rng.int(Math.round(1.05 * MiB), Math.round(1.5 * MiB));
	return {
		body: utf8(`{"padding": "${'x'.repeat(size)}"}`),
		what: `${(size / MiB).toFixed(1)} MiB JSON (above the triggers' 1 MiB)`,
	};
}

/** Content types and encodings that do not fit; the bodies are unusable too (a trigger reads any content type). */
function wrongContent(rng, unusable) {
	const variants = [
		() => ({ headers: [['Content-Type', 'text/plain']], body: utf8(unusable), what: 'text/plain' }),
		() => ({
			headers: [['Content-Type', 'application/xml']],
			body: utf8('<?xml version="1.0"?><a><b>1</b></a>'),
			what: 'XML',
		}),
		() => ({
			headers: [['Content-Type', 'application/x-www-form-urlencoded']],
			body: utf8('a=1&b=2&c[d]=3'),
			what: 'form-urlencoded',
		}),
		() => ({
			headers: [['Content-Type', 'multipart/form-data; boundary=XyZ']],
			body: utf8(
				`--XyZ\r\nContent-Disposition: form-data; name="data"\r\n\r\n${unusable}\r\n--XyZ--\r\n`,
			),
			what: 'multipart/form-data',
		}),
		() => ({ headers: [], body: utf8(unusable), what: 'no Content-Type' }),
		() => ({
			headers: [['Content-Type', 'application/json; charset=utf-16le']],
			body: Buffer.from(unusable, 'utf16le'),
			what: 'UTF-16 JSON',
		}),
		() => ({
			headers: [JSON_CT, ['Content-Encoding', 'gzip']],
			body: Buffer.from(`not gzip ${rng.hex(16)}`),
			what: 'gzip header, not gzip data',
		}),
		() => ({
			headers: [JSON_CT, ['Content-Encoding', 'gzip']],
			body: zlib.gzipSync(utf8(unusable)),
			what: 'gzip of an unusable body',
		}),
		() => ({
			headers: [JSON_CT, ['Content-Encoding', 'deflate']],
			body: zlib.gzipSync(utf8(unusable)).subarray(0, 12),
			what: 'broken deflate',
		}),
		() => ({
			headers: [JSON_CT, ['Content-Encoding', rng.pick(['br', 'compress', 'x-made-up'])]],
			body: utf8(unusable),
			what: 'unsupported Content-Encoding',
		}),
		() => ({
			headers: [['Content-Type', 'image/png']],
			body: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
			what: 'PNG bytes',
		}),
		() => ({
			headers: [['Content-Type', `application/json${'; x=y'.repeat(rng.int(1, 200))}`]],
			body: utf8(unusable),
			what: 'long Content-Type',
		}),
	];
	const v = rng.pick(variants)();
	return { ...v, what: `content type: ${v.what}` };
}

/**
 * Header injection and protocol abuse. `auth` is [name, value] of the valid header (Sesami / imin),
 * or null (sesami-my-page-backend.json: the auth is in the query). Returns { headers, protocol, what, framing? }.
 */
function headerAbuse(rng, auth, body) {
	const name = auth?.[0] ?? 'X-Custom';
	const value = auth?.[1] ?? 'v';
	const variants = [
		() => ({
			headers: [`${name}: ${value}\r\n${name}: ${rng.hex(16)}`, JSON_CT.join(': ')],
			what: 'CRLF injection adding a second auth header (valid first)',
		}),
		() => ({
			headers: [`${name}: ${rng.hex(16)}\r\n${name}: ${value}`, JSON_CT.join(': ')],
			what: 'CRLF injection adding a second auth header (valid second)',
		}),
		() => ({ headers: [[name, value], [name, value], JSON_CT], what: 'the auth header twice' }),
		() => ({
			headers: [`${name}: ${value}\rX-Injected: 1`, JSON_CT.join(': ')],
			protocol: true,
			what: 'bare CR in a header value',
		}),
		() => ({
			headers: [`${name}: ${value}\nX-Injected: 1`, JSON_CT.join(': ')],
			protocol: true,
			what: 'bare LF in a header value',
		}),
		() => ({
			headers: [`${name}: ${value}\u0000admin`, JSON_CT.join(': ')],
			protocol: true,
			what: 'NUL in a header value',
		}),
		() => ({
			headers: [[name, value], ['X-Long', 'a'.repeat(rng.int(20_000, 70_000))], JSON_CT],
			protocol: true,
			what: 'over-long header (> 16 KiB)',
		}),
		() => ({
			headers: [[name, `${value}${'0'.repeat(rng.int(1000, 8000))}`], JSON_CT],
			what: 'over-long auth header value',
		}),
		() => ({
			headers: [[name, value], JSON_CT, ' folded: continuation'],
			protocol: true,
			what: 'obs-fold continuation line',
		}),
		() => ({
			headers: [
				[name, value],
				JSON_CT,
				['Content-Length', String(body.length)],
				['Transfer-Encoding', 'chunked'],
			],
			protocol: true,
			framing: true,
			what: 'Content-Length and Transfer-Encoding (smuggling)',
		}),
		() => ({
			headers: [
				[name, value],
				JSON_CT,
				['Content-Length', String(body.length)],
				['Content-Length', String(body.length + 5)],
			],
			protocol: true,
			framing: true,
			what: 'two different Content-Lengths',
		}),
		() => ({
			headers: [`${name} : ${value}`, JSON_CT.join(': ')],
			protocol: true,
			what: 'space before the colon',
		}),
		() => ({
			headers: [`X Bad Name: 1`, [name, value], JSON_CT],
			protocol: true,
			what: 'space in a header name',
		}),
		() => ({
			headers: [[name, Buffer.from(value + '\u00e9\u00ff', 'latin1').toString('latin1')], JSON_CT],
			what: 'non-ASCII bytes in the auth value',
		}),
		() => ({
			headers: [[name, value], JSON_CT],
			host: false,
			protocol: true,
			what: 'no Host header',
		}),
	];
	const v = rng.pick(variants)();
	return { ...v, what: `header: ${v.what}` };
}

const WRONG_METHODS = ['PUT', 'PATCH', 'DELETE', 'PROPFIND', 'TRACE', 'FOO', 'GET'];

/** A method the webhook does not have ("FOO" is refused by Node's HTTP parser itself). */
function wrongMethod(rng, c, except = []) {
	const method = rng.pick(WRONG_METHODS.filter((m) => !except.includes(m)));
	return {
		...c,
		method,
		validAuth: true,
		protocol: method === 'FOO',
		what: `wrong method ${method}`,
	};
}

// ---------------------------------------------------------------------------------------------
// Per-trigger case lists

/** Sesami Trigger (sesami-flows-to-stored-links.json or sesami-portal-emails.json): secret header; valid pushes carry an appointment ID and ?event=. */
function sesamiCases(label, target, secret) {
	let hugeCount = 0; // the first two huge bodies go above n8n's limit (with Content-Length, then chunked)
	const rng = new Rng(SEED, label);
	const auth = [SECRET_HEADER, secret];
	const good = {
		appointmentId: 'f'.repeat(24),
		customerEmail: 'someone@example.com',
		startUtc: '2026-12-01T10:00:00Z',
	};
	const path = (event = 'APPOINTMENT_CREATED') => `${target.path}?event=${event}`;
	const brokenAuth = () =>
		rng.pick([
			() => [
				[SECRET_HEADER, `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`],
				'one character off',
			],
			() => [[SECRET_HEADER, ''], 'empty secret'],
			() => [
				[SECRET_HEADER, ` ${secret} `.replace(/^ /, '\t')],
				'secret with surrounding whitespace (HTTP trims it: valid)',
				true,
			],
			() => [[SECRET_HEADER, secret.toUpperCase()], 'secret upper-cased'],
			() => [['x-sesami-flow-secret-2', secret], 'secret in another header'],
			() => [['Authorization', `Bearer ${secret}`], 'secret as a bearer token'],
			() => [[SECRET_HEADER, Buffer.from(secret).toString('base64')], 'secret base64'],
			() => [null, 'no secret header'],
		])();
	const classes = {
		badJson: () => ({ ...badJson(rng, good), headers: [auth, JSON_CT], validAuth: true }),
		wrongTypes: () => {
			const variants = [
				() => [rng.pick([[], [good], 'text', 42, null, true]), 'not an object'],
				() => [
					{
						...good,
						appointmentId: rng.pick([
							123456,
							true,
							['f'.repeat(24)],
							{ $ne: null },
							'x'.repeat(rng.int(1, 60)),
							`${rng.hex(23)}g`,
							'../../admin',
							-1.5e300,
						]),
					},
					'appointmentId of the wrong type or shape',
				],
				() => [
					{
						appointmentId: null,
						customerEmail: rng.pick([42, 'not-an-email', '@', 'a@b', ['a@b.c'], { email: 'x' }]),
					},
					'no ID, customer email of the wrong type or shape',
				],
				() => [
					{ appointmentId: rng.objectId(), customerEmail: 'nobody@example.com' },
					'an appointment ID Sesami does not know (Fetch Full Appointment)',
				],
				() => [
					{ customerEmail: `nobody-${rng.hex(6)}@example.com`, startUtc: { when: 'now' } },
					'an email of nobody, start of the wrong type',
				],
				() => [
					{
						event: rng.pick([7, 'APPOINTMENT_EXPLODED', '', ['x']]),
						appointmentId: 'f'.repeat(24),
						_noEvent: true,
					},
					'no known event (?event= bogus)',
				],
				() => [
					{ data: [1, 2, 3], appointment: 'yes', customer: [null] },
					'nothing usable, nested of wrong types',
				],
			];
			const [value, what] = rng.pick(variants)();
			const noEvent = value && typeof value === 'object' && value._noEvent;
			if (noEvent) delete value._noEvent;
			return {
				body: json(value),
				headers: [auth, JSON_CT],
				validAuth: true,
				path: noEvent
					? path(rng.pick(['BOGUS', '', '%ff', 'APPOINTMENT_CREATED&event=APPOINTMENT_CANCELLED']))
					: path(),
				what: `wrong types: ${what}`,
			};
		},
		huge: () => {
			const aboveN8n = ++hugeCount <= 2; // two per target: 17 MiB is slow to send
			const withAuth = aboveN8n || rng.chance(0.7);
			return {
				...hugeBody(rng, { aboveN8n }),
				headers: withAuth ? [auth, JSON_CT] : [JSON_CT],
				validAuth: withAuth,
				chunked: hugeCount === 2,
			};
		},
		content: () => ({
			...wrongContent(rng, '{"note": "no id here"}'),
			validAuth: true,
			addAuth: true,
		}),
		unicode: () => ({
			...badUnicode(rng),
			headers: [auth, JSON_CT],
			validAuth: true,
			path: rng.chance(0.2)
				? path(rng.pick(['%E2%80%AE', '%C3%89V%C3%89NT', '%C0%AF', '%F0%9F%93%85']))
				: undefined,
		}),
		headers: () => {
			const body = json({ note: 'no id here' });
			const h = headerAbuse(rng, auth, body);
			return {
				...h,
				body,
				validAuth: !h.protocol && !/second auth|twice|non-ASCII|over-long auth/.test(h.what),
			};
		},
		methods: () => wrongMethod(rng, { headers: [auth, JSON_CT], body: json(good) }),
		brokenAuth: () => {
			const [header, what, valid = false] = brokenAuth();
			const body = rng.chance(0.5) ? json(good) : badJson(rng, good).body;
			return {
				headers: header ? [header, JSON_CT] : [JSON_CT],
				body,
				validAuth: valid,
				what: `${valid ? 'auth' : 'broken auth'}: ${what}`,
			};
		},
	};
	return generate(rng, classes, PER_TRIGGER, (c) => ({
		...c,
		sesami: true,
		method: c.method ?? 'POST',
		path: c.path ?? path(),
	}));
}

/** imin Trigger (imin-success-webhook.json): X-Api-Key; valid deliveries are Orders with orderedItem and an identifier. */
function iminCases(target, key) {
	let hugeCount = 0; // the first two huge bodies go above n8n's limit (with Content-Length, then chunked)
	const rng = new Rng(SEED, 'imin');
	const auth = ['X-Api-Key', key];
	const good = {
		'@type': 'Order',
		identifier: `order-${rng.hex(6)}`,
		orderedItem: [
			{ '@type': 'OrderItem', orderedItem: { '@type': 'ScheduledSession', identifier: 's' } },
		],
	};
	const classes = {
		badJson: () => ({ ...badJson(rng, good), headers: [auth, JSON_CT], validAuth: true }),
		wrongTypes: () => {
			const variants = [
				() => [rng.pick([[], [good], 'Order', 0, null, false]), 'not an object'],
				() => [
					{
						...good,
						orderedItem: rng.pick(['one', 7, {}, [], [1], [null], [[good.orderedItem[0]]]]),
					},
					'orderedItem of the wrong type',
				],
				() => [
					{ ...good, identifier: rng.pick([{ id: 1 }, [1], true, '', '   ']) },
					'identifier of the wrong type',
				],
				() => [
					{ ...good, identifier: undefined, '@id': rng.pick([undefined, { x: 1 }, ['a']]) },
					'no usable identifier / @id',
				],
				() => [{ ...good, customer: rng.pick([42, true, [1, 2]]) }, 'customer of the wrong type'],
				() => [
					{
						'@type': rng.pick(['Orders', 'order ', 'Booking', 'CustomerAccount']),
						identifier: rng.pick([undefined, { a: 1 }]),
					},
					'not an Order / unusable CustomerAccount',
				],
				() => [
					{ type: 'CreateAction', result: { type: 'imin:SellerOnboard' }, identifier: [1] },
					'onboarding action with an identifier of the wrong type',
				],
			];
			const [value, what] = rng.pick(variants)();
			return {
				body: json(value),
				headers: [auth, JSON_CT],
				validAuth: true,
				what: `wrong types: ${what}`,
			};
		},
		huge: () => {
			const aboveN8n = ++hugeCount <= 2; // two per target: 17 MiB is slow to send
			const withAuth = aboveN8n || rng.chance(0.7);
			return {
				...hugeBody(rng, { aboveN8n }),
				headers: withAuth ? [auth, JSON_CT] : [JSON_CT],
				validAuth: withAuth,
				chunked: hugeCount === 2,
			};
		},
		content: () => ({ ...wrongContent(rng, '{"@type": "Thing"}'), validAuth: true, addAuth: true }),
		unicode: () => ({ ...badUnicode(rng), headers: [auth, JSON_CT], validAuth: true }),
		headers: () => {
			const body = json({ '@type': 'Thing' });
			const h = headerAbuse(rng, auth, body);
			return {
				...h,
				body,
				validAuth: !h.protocol && !/second auth|twice|non-ASCII|over-long auth/.test(h.what),
			};
		},
		methods: () => wrongMethod(rng, { headers: [auth, JSON_CT], body: json(good) }),
		brokenAuth: () => {
			const header = rng.pick([
				['X-Api-Key', `${key.slice(0, -1)}#`],
				['X-Api-Key', key.toUpperCase()],
				['X-Api-Key', ''],
				['Authorization', `Bearer ${key}`],
				['X-Api-Key', `${key} `.repeat(2).trim()],
				['X-Api-Key', encodeURIComponent(`${key}\u00e9`)],
			]);
			return {
				headers: [header, JSON_CT],
				body: json(good),
				validAuth: false,
				what: 'broken auth',
			};
		},
	};
	return generate(rng, classes, PER_TRIGGER, (c) => ({
		...c,
		method: c.method ?? 'POST',
		path: c.path ?? target.path,
	}));
}

/** My Page Trigger (sesami-my-page-backend.json): App Proxy signature in the query; GET lists, POST acts (op + fields). */
function myPageCases(target) {
	let hugeCount = 0; // the first two huge bodies go above n8n's limit (with Content-Length, then chunked)
	const rng = new Rng(SEED, 'my-page');
	const app = myPage();
	const q = (extra) => signedQuery({ extra });
	const id = () => 'f'.repeat(24);
	const classes = {
		getBadAction: () => {
			const variants = [
				() => [
					[
						[
							'op',
							rng.pick([
								'delete',
								'lists',
								'list;drop',
								'x'.repeat(rng.int(100, 3000)),
								'0',
								'lïst',
								'\u202elist',
							]),
						],
					],
					'unknown op',
				],
				() => [
					[
						['op', 'list'],
						['op', 'cancel'],
					],
					'op repeated',
				],
				() => [[['op[x]', 'list']], 'op as an object (op[x]=)'],
				() => [[['op[]', 'list']], 'op as a list (op[]=)'],
				() => [
					[
						['op', 'cancel'],
						['appointmentId', rng.pick(['', 'abc', 'g'.repeat(24), `${id()}0`, '６'.repeat(24)])],
					],
					'cancel without a valid appointmentId',
				],
				() => [
					[
						['op', 'slots'],
						['appointmentId', id()],
						['start', rng.pick(['tomorrow', '2026-13-45', '2026-1-1', "' OR 1=1"])],
					],
					'slots with a bad start date',
				],
				() => [
					[
						['op', 'slots'],
						['appointmentId', id()],
						['timezone', rng.pick(['Mars/Olympus', 'UTC+25', '../../etc'])],
					],
					'slots with a bad timezone',
				],
				() => [
					[
						['op', 'reschedule'],
						['appointmentId', id()],
						['dateTime', rng.pick(['next tuesday', '2026-02-30T25:61', ''])],
					],
					'reschedule with a bad dateTime',
				],
				() => [
					[
						['op', 'cancel'],
						['appointmentId', id()],
						['reason', 'r'.repeat(501)],
					],
					'cancel with a reason over 500 characters',
				],
				() => [
					[
						['op', 'cancel'],
						['appointmentId', id()],
					],
					'cancel of an appointment Sesami does not know (sesami-my-page-backend.json answers 404)',
				],
			];
			const [extra, what] = rng.pick(variants)();
			return {
				method: 'GET',
				path: `${target.path}?${q(extra)}`,
				headers: [],
				validAuth: true,
				what: `GET, valid signature: ${what}`,
				allowUnknown: /does not know/.test(what),
			};
		},
		getBrokenAuth: () => {
			const variants = [
				() => [`op=list`, 'no signature'],
				() => [
					signedQuery({ extra: [['op', 'list']], secret: `not-the-secret-${rng.hex(8)}` }),
					'wrong secret',
				],
				() => [`${q([['op', 'list']])}&admin=1`, 'parameter added after signing'],
				() => [
					q([['op', 'list']]).replace(/logged_in_customer_id=\d+/, 'logged_in_customer_id=1'),
					'customer swapped after signing',
				],
				() => [
					signedQuery({
						extra: [['op', 'list']],
						timestamp: Math.floor(Date.now() / 1000) - rng.int(100, 100000),
					}),
					'stale timestamp',
				],
				() => [`${q([['op', 'list']])}&signature=${'0'.repeat(64)}`, 'signature repeated'],
				() => [
					q([['op', 'list']]).replace(
						/signature=([0-9a-f]+)/,
						(m, s) => `signature=${s.toUpperCase()}`,
					),
					'signature upper-case',
				],
				() => [
					signedQuery({ extra: [['op', 'list']], shop: 'someone-else.myshopify.com' }),
					'another shop',
				],
				() => [`${q([['op', 'list']])}`.replace('shop=', 'shop=%ff'), 'invalid percent-encoding'],
				() => [
					`shop=${app.shopDomain}&timestamp=${Math.floor(Date.now() / 1000)}&signature=${'ab'.repeat(32)}`,
					'forged signature',
				],
			];
			const [query, what] = rng.pick(variants)();
			return {
				method: 'GET',
				path: `${target.path}?${query}`,
				headers: [],
				validAuth: false,
				what: `GET, broken auth: ${what}`,
			};
		},
		postBadJson: () => ({
			method: 'POST',
			path: `${target.path}?${q([['op', 'cancel']])}`,
			...badJson(rng, { op: 'cancel', appointmentId: id() }),
			headers: [JSON_CT],
			validAuth: true,
		}),
		postWrongTypes: () => {
			const variants = [
				() => [rng.pick([[], ['cancel'], 'cancel', 1, true]), 'not an object'],
				() => [
					{ op: rng.pick([['cancel'], { a: 1 }, 7, '', 'cancel\u0000']), appointmentId: id() },
					'op of the wrong type',
				],
				() => [
					{
						op: 'cancel',
						appointmentId: rng.pick([
							['f'.repeat(24)],
							{ $ne: '' },
							123456789012345678901234,
							true,
						]),
					},
					'appointmentId of the wrong type',
				],
				() => [
					{
						op: 'reschedule',
						appointmentId: id(),
						dateTime: rng.pick([1764583200, ['2026-12-01T10:00:00Z'], { t: 1 }]),
					},
					'dateTime of the wrong type',
				],
				() => [
					{ op: 'slots', appointmentId: id(), start: { $gt: '' }, timezone: ['UTC'] },
					'slots fields of the wrong type',
				],
				() => [
					{ op: 'cancel', appointmentId: id(), reason: rng.pick([{ text: 'x' }, 'y'.repeat(600)]) },
					'reason of the wrong type or too long',
				],
				() => [
					{ op: 'reschedule', appointmentId: id(), dateTime: '2026-12-01T10:00:00+01:00' },
					'reschedule of an appointment Sesami does not know (sesami-my-page-backend.json answers 404)',
				],
			];
			const [value, what] = rng.pick(variants)();
			return {
				method: 'POST',
				path: `${target.path}?${q([['op', 'cancel']])}`,
				body: json(value),
				headers: [JSON_CT],
				validAuth: true,
				what: `POST, wrong types: ${what}`,
				allowUnknown: /does not know/.test(what),
			};
		},
		postHuge: () => {
			const aboveN8n = ++hugeCount <= 2; // two per target: 17 MiB is slow to send
			const withAuth = aboveN8n || rng.chance(0.7);
			return {
				method: 'POST',
				path: `${target.path}?${withAuth ? q([['op', 'cancel']]) : 'op=cancel'}`,
				...hugeBody(rng, { aboveN8n }),
				headers: [JSON_CT],
				validAuth: withAuth,
				chunked: hugeCount === 2,
			};
		},
		postContent: () => ({
			method: 'POST',
			path: `${target.path}?${q([['op', 'cancel']])}`,
			...wrongContent(rng, '{"op": "cancel" "appointmentId": 1}'),
			validAuth: true,
		}),
		postUnicode: () => ({
			method: 'POST',
			path: `${target.path}?${q([['op', 'cancel']])}`,
			...badUnicode(rng),
			headers: [JSON_CT],
			validAuth: true,
		}),
		headers: () => {
			const body = json({ op: 'cancel', appointmentId: 'x' });
			const h = headerAbuse(rng, null, body);
			return {
				method: 'POST',
				path: `${target.path}?${q([['op', 'cancel']])}`,
				...h,
				body,
				validAuth: !h.protocol,
			};
		},
		methods: () => ({
			...wrongMethod(rng, { headers: [JSON_CT], body: json({ op: 'list' }) }, ['GET']),
			path: `${target.path}?${q([['op', 'list']])}`,
		}),
		postBrokenAuth: () => ({
			method: 'POST',
			path: `${target.path}?${rng.pick(['op=cancel', signedQuery({ extra: [['op', 'cancel']], secret: 'wrong-secret-wrong-secret' }), `${q([['op', 'cancel']])}&x=1`])}`,
			headers: [JSON_CT],
			body: json({ op: 'cancel', appointmentId: id() }),
			validAuth: false,
			what: 'POST, broken auth',
		}),
	};
	// GET and POST both get their share; signed queries carry a timestamp, so each case is built
	// just before it is sent.
	const order = [
		'getBadAction',
		'postBadJson',
		'getBrokenAuth',
		'postWrongTypes',
		'getBadAction',
		'postHuge',
		'getBrokenAuth',
		'postContent',
		'getBadAction',
		'postUnicode',
		'headers',
		'methods',
		'postBrokenAuth',
		'getBadAction',
	];
	return generate(rng, classes, PER_TRIGGER_W4, (c) => ({ ...c, w4: true }), { lazy: true, order });
}

/**
 * `count` cases, the classes in turn (so each gets its share), variants drawn from the stream.
 * With `lazy`, each entry is a function that builds the case when called (fresh signatures).
 */
function generate(rng, classes, count, finish, { lazy = false, order } = {}) {
	const names = order ?? Object.keys(classes);
	const out = [];
	for (let i = 0; i < count; i++) {
		const cls = names[i % names.length];
		if (lazy) {
			const fork = new Rng(SEED, `${cls}:${i}`);
			const make = classes[cls];
			out.push({ cls, build: () => withRng(rng, fork, () => ({ cls, ...finish(make()) })) });
		} else {
			const c = { cls, ...finish(classes[cls]()) };
			out.push({ cls, build: () => c });
		}
	}
	return out;
}

/** Runs `fn` with `rng` drawing from `fork` (lazily built cases stay deterministic whatever the send order). */
function withRng(rng, fork, fn) {
	const saved = rng.next;
	rng.next = fork.next;
	try {
		return fn();
	} finally {
		rng.next = saved;
	}
}

// ---------------------------------------------------------------------------------------------

let targets;
let pid;
let mark;
const results = []; // { target, cls, what, status, reason, ms, problem? }

before(async () => {
	const w1 = hookOf(W1_FILE, 'n8n-nodes-sesami-imin.sesamiTrigger');
	const w2 = hookOf(W2_FILE, 'n8n-nodes-sesami-imin.sesamiTrigger');
	const w3 = hookOf(W3_FILE, 'n8n-nodes-sesami-imin.iminTrigger');
	const w4 = hookOf(W4_FILE, 'n8n-nodes-sesami-imin.sesamiMyPageTrigger');
	for (const t of [w1, w2, w3, w4]) assert.ok(t.wf.active, `${t.wf.file} is published`);
	const [s1, s2] = [await flowSecretOf(w1.url), await flowSecretOf(w2.url)];
	assert.ok(
		s1 && s2,
		'the Flows of sesami-flows-to-stored-links.json and sesami-portal-emails.json carry their secret',
	);
	targets = [
		{
			name: 'sesami-flows-to-stored-links.json Sesami Trigger',
			wf: w1.wf,
			cases: sesamiCases('w1', w1, s1),
			authHeader: [SECRET_HEADER, s1],
		},
		{
			name: 'sesami-portal-emails.json Sesami Trigger',
			wf: w2.wf,
			cases: sesamiCases('w2', w2, s2),
			authHeader: [SECRET_HEADER, s2],
		},
		{
			name: 'imin-success-webhook.json imin Trigger',
			wf: w3.wf,
			cases: iminCases(w3, ctx.imin.webhookKey),
			authHeader: ['X-Api-Key', ctx.imin.webhookKey],
			keepsAuthenticated: true,
		},
		{ name: 'sesami-my-page-backend.json My Page Trigger', wf: w4.wf, cases: myPageCases(w4) },
	];
	pid = n8nServerPid();
	assert.ok(pid, `found the n8n server process on port ${ctx.n8nPort}`);
	mark = await lastExecutionId(targets.map((t) => t.wf.id));
});

after(() => {
	// One line per (trigger, class, status) in the TAP, for the record.
	const table = new Map();
	for (const r of results) {
		const key = `${r.target} | ${r.cls} | ${r.status || r.problem}`;
		table.set(key, (table.get(key) ?? 0) + 1);
	}
	for (const [key, n] of [...table.entries()].sort()) console.log(`# ${key}: ${n}`);
	const time = new Map();
	for (const r of results)
		time.set(`${r.target} | ${r.cls}`, (time.get(`${r.target} | ${r.cls}`) ?? 0) + r.ms);
	for (const [key, ms] of [...time.entries()].sort())
		console.log(`# time ${key}: ${(ms / 1000).toFixed(1)} s`);
});

async function runTarget(target) {
	const queue = target.cases.map((c, i) => ({ ...c, i }));
	const problems = [];
	const worker = async () => {
		for (let next = queue.shift(); next; next = queue.shift()) {
			const c = next.build();
			const headers =
				c.addAuth && target.authHeader ? [target.authHeader, ...c.headers] : c.headers;
			const answer = await send({
				method: c.method,
				path: c.path,
				headers,
				body: c.body,
				chunked: c.chunked,
				host: c.host,
				rawFraming: c.framing,
			});
			const reason = reasonOf(answer, c.protocol);
			const record = {
				target: target.name,
				cls: c.cls,
				method: c.method,
				what: c.what,
				status: answer.status,
				reason,
				ms: answer.ms,
			};
			const problem = judge(c, answer, reason, target);
			if (problem) {
				record.problem = problem;
				problems.push(
					`#${next.i} [${c.cls}] ${c.what}: ${problem} (answer ${answer.status} ${answer.statusText} ${answer.body.slice(0, 200)})`,
				);
			}
			results.push(record);
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	return problems;
}

/**
 * n8n 2.41.1 itself answers 500 {"message":"The method X is not supported."} (with a stack trace) for
 * methods outside its webhook list (PROPFIND, TRACE...): WebhookRequestHandler throws before any
 * workflow or node is looked at. A defect of n8n, not of the triggers; kept apart (see the todo test).
 */
const n8nUnsupportedMethod = (c, answer) =>
	answer.status === 500 &&
	/^\{"code":0,"message":"The method [A-Z]+ is not supported\."/.test(answer.body);
const n8nDefects = [];

/** Why an answer is not acceptable (undefined when it is). */
function judge(c, answer, reason, target = {}) {
	if (answer.error && !answer.status) return answer.error;
	// Issue 12: the imin Trigger keeps every authenticated delivery it can read (answered 204 and
	// emitted with recognized:false; imin-success-webhook.json stores it in "imin unrecognised webhooks"). A 2xx is right
	// only when the request carried the valid key; unreadable bodies (too large, not UTF-8) stay 4xx.
	if (answer.status >= 200 && answer.status < 300 && target.keepsAuthenticated) {
		return c.validAuth && !c.protocol
			? undefined
			: `status ${answer.status} without valid authentication`;
	}
	if (c.cls === 'methods' && n8nUnsupportedMethod(c, answer)) {
		n8nDefects.push(`${c.method} ${answer.status}`);
		return undefined;
	}
	if (c.sesami && c.validAuth && !c.protocol && answer.status >= 200 && answer.status < 300) {
		// kept, not refused: the Sesami Trigger never drops an authenticated push it can read
		return /"resolved":false/.test(answer.body)
			? undefined
			: `2xx without "resolved": false (${answer.body.slice(0, 120)})`;
	}
	if (answer.status < 400 || answer.status > 499) return `status ${answer.status}, not 4xx`;
	if (!reason) return 'no reason in the answer';
	if (c.validAuth && !c.protocol && answer.status === 401)
		return 'valid authentication answered 401';
	if (c.allowUnknown && answer.status !== 404)
		return `expected sesami-my-page-backend.json's own 404 for an unknown appointment, got ${answer.status}`;
	if (c.w4 && !c.allowUnknown && c.cls !== 'methods' && answer.status === 404)
		return 'sesami-my-page-backend.json ran the workflow (its own 404): the trigger let the request through';
	return undefined;
}

describe('Malformed requests against every published trigger: 4xx with a reason (imin-success-webhook.json: or kept when authenticated), no crash, no failed execution', () => {
	for (const name of [
		'sesami-flows-to-stored-links.json Sesami Trigger',
		'sesami-portal-emails.json Sesami Trigger',
		'imin-success-webhook.json imin Trigger',
		'sesami-my-page-backend.json My Page Trigger',
	]) {
		test(`${name}: ${name.startsWith('sesami-my-page-backend.json') ? PER_TRIGGER_W4 : PER_TRIGGER} generated malformed requests`, async () => {
			const target = targets.find((t) => t.name === name);
			const started = Date.now();
			const problems = await runTarget(target);
			const mine = results.filter((r) => r.target === name);
			const statuses = [...new Set(mine.map((r) => r.status))].sort();
			console.log(
				`# ${name}: ${mine.length} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, statuses ${statuses.join(', ')}`,
			);
			assert.ok(mine.length >= 200, `at least 200 requests (${mine.length})`);
			if (name.startsWith('sesami-my-page-backend.json')) {
				const byMethod = (m) => mine.filter((r) => r.method === m).length;
				console.log(
					`# ${name}: GET ${byMethod('GET')}, POST ${byMethod('POST')}, other methods ${mine.length - byMethod('GET') - byMethod('POST')}`,
				);
				assert.ok(
					byMethod('GET') >= 90 && byMethod('POST') >= 100,
					'sesami-my-page-backend.json: its GET and POST paths both got their share',
				);
			}
			assert.ok(alive(pid), 'the n8n server process is alive');
			assert.deepEqual(
				problems,
				[],
				`${problems.length} unacceptable answers:\n${problems.join('\n')}`,
			);
		});
	}

	test(
		'methods n8n does not support at all (PROPFIND, TRACE) get a 4xx',
		{
			todo: 'n8n 2.41.1 answers them 500 "The method X is not supported." before any trigger runs (WebhookRequestHandler); nothing a node can change',
		},
		() => {
			assert.deepEqual(
				n8nDefects,
				[],
				`n8n answered ${n8nDefects.length} requests with 500 for an unsupported method`,
			);
		},
	);

	test('n8n is the same process, alive, /healthz 200; no sesami-flows-to-stored-links.json / sesami-portal-emails.json execution, imin-success-webhook.json only successful kept deliveries, sesami-my-page-backend.json executions only successful refusals', async () => {
		assert.ok(alive(pid), 'the n8n server process that served the suite is alive');
		assert.equal(n8nServerPid(), pid, 'n8n was not restarted');
		const health = await axios.get(`${ctx.n8nUrl}/healthz`, {
			timeout: 30_000,
			validateStatus: () => true,
		});
		assert.equal(health.status, 200, JSON.stringify(health.data));
		// Executions: wait until none is unfinished, then look at all of them.
		let seen = {};
		for (let tries = 0; tries < 60; tries++) {
			seen = {};
			for (const t of targets) seen[t.name] = await executionsSince(t.wf.id, mark);
			if (
				!Object.values(seen)
					.flat()
					.some((e) => !e.stoppedAt || ['new', 'running', 'waiting'].includes(e.status))
			)
				break;
			await sleep(1000);
		}
		const describeRuns = (list) => list.map((e) => `#${e.id} ${e.status}`).join(', ');
		for (const name of [
			'sesami-flows-to-stored-links.json Sesami Trigger',
			'sesami-portal-emails.json Sesami Trigger',
		]) {
			const kept = results.filter(
				(r) => r.target === name && r.status >= 200 && r.status < 300,
			).length;
			assert.equal(
				seen[name].length,
				kept,
				`${name}: one execution per kept push (${kept}): ${describeRuns(seen[name])}`,
			);
			assert.deepEqual(
				seen[name].filter((e) => e.status !== 'success').map((e) => `#${e.id} ${e.status}`),
				[],
				`${name}: every execution of a kept push succeeded`,
			);
		}
		const keptByW1 = results.filter(
			(r) =>
				r.target === 'sesami-flows-to-stored-links.json Sesami Trigger' &&
				r.status >= 200 &&
				r.status < 300,
		).length;
		if (keptByW1) {
			const w1 = targets.find((t) => t.name === 'sesami-flows-to-stored-links.json Sesami Trigger');
			const kept = await Promise.all(
				seen['sesami-flows-to-stored-links.json Sesami Trigger']
					.slice(0, 5)
					.map(async (e) =>
						executionNodeOutput(await executionWithData(e.id), 'Keep unresolved push'),
					),
			);
			for (const rows of kept)
				assert.equal(rows?.length, 1, `${w1.wf.file}: a kept push is stored as an unresolved push`);
		}
		// imin-success-webhook.json (issue 12): one successful execution at most per authenticated delivery it answered 2xx
		// (kept as an unrecognised webhook), none for anything else.
		const w3 = seen['imin-success-webhook.json imin Trigger'];
		const keptByW3 = results.filter(
			(r) =>
				r.target === 'imin-success-webhook.json imin Trigger' && r.status >= 200 && r.status < 300,
		).length;
		assert.deepEqual(
			w3.filter((e) => e.status !== 'success').map((e) => `#${e.id} ${e.status}`),
			[],
			'every imin-success-webhook.json execution succeeded',
		);
		assert.ok(
			w3.length <= keptByW3,
			`imin-success-webhook.json executions (${w3.length}) only for the authenticated deliveries it answered 2xx (${keptByW3})`,
		);
		const w4 = seen['sesami-my-page-backend.json My Page Trigger'];
		assert.deepEqual(
			w4.filter((e) => e.status !== 'success').map((e) => `#${e.id} ${e.status}`),
			[],
			'every sesami-my-page-backend.json execution succeeded',
		);
		const unknownCases = results.filter(
			(r) =>
				r.target === 'sesami-my-page-backend.json My Page Trigger' && /does not know/.test(r.what),
		).length;
		assert.ok(
			w4.length <= unknownCases,
			`sesami-my-page-backend.json executions (${w4.length}) only for the well-formed actions on unknown appointments (${unknownCases})`,
		);
		console.log(
			`# executions since the start: ${Object.entries(seen)
				.map(([n, l]) => `${n} ${l.length}`)
				.join(', ')}`,
		);
	});
});
