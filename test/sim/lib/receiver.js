'use strict';
/**
 * A local HTTP receiver for the simulators' deliveries (Sesami Flows, imin webhooks); TypeScript
 * tests may not use `http` themselves.
 *
 *   const rx = await startReceiver();              // answers 200 {"ok":true}
 *   const rx = await startReceiver({ status: 204 }) // answers 204 with no body
 *   rx.url                                         // http://127.0.0.1:PORT
 *   rx.respond = (req, index) => 500;              // a status, {status, body}, or 'destroy' (drop the connection);
 *                                                  // index counts requests since start / the last clear()
 *   await rx.waitFor(3, 5000);                     // until 3 requests arrived (rejects after the timeout)
 *   rx.requests  // [{ method, path, headers (lower-case), body (exact text), json (parsed or undefined), at, index }]
 *   rx.clear(); await rx.close();
 */

const http = require('node:http');

/**
 * @typedef {{method: string, path: string, headers: Record<string, string>, body: string, json: any, at: string, index: number}} ReceivedRequest
 * @typedef {(req: ReceivedRequest, index: number) => (number | {status: number, body?: string} | 'destroy')} Responder
 */

/** The body sent for a bare status: nothing for 204, else {"ok": true|false}. */
function defaultBody(status) {
	return status === 204 ? '' : JSON.stringify({ ok: status < 300 });
}

/**
 * @param {{ port?: number, host?: string, status?: number, respond?: Responder }} [options]
 */
async function startReceiver(options = {}) {
	/** @type {ReceivedRequest[]} */
	const requests = [];
	let waiters = [];
	let count = 0;
	const sockets = new Set();
	const host = options.host || '127.0.0.1';
	const status = options.status || 200;

	const rx = {
		url: '',
		port: 0,
		requests,
		/** @type {Responder} */
		respond: options.respond || (() => status),
		/**
		 * Resolves with the requests once at least `n` arrived since the last clear().
		 * @param {number} n
		 * @param {number} [timeoutMs]
		 * @returns {Promise<ReceivedRequest[]>}
		 */
		waitFor(n, timeoutMs = 10000) {
			if (requests.length >= n) return Promise.resolve(requests.slice());
			return new Promise((resolve, reject) => {
				const w = { n, resolve, timer: undefined };
				w.timer = setTimeout(() => {
					waiters = waiters.filter((x) => x !== w);
					reject(new Error(`receiver: ${requests.length} of ${n} requests after ${timeoutMs} ms`));
				}, timeoutMs);
				waiters.push(w);
			});
		},
		/** forget the requests; the index passed to respond() starts at 0 again */
		clear() {
			requests.length = 0;
			count = 0;
		},
		close() {
			for (const w of waiters) clearTimeout(w.timer);
			waiters = [];
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			});
		},
	};

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const index = count++;
			const headers = {};
			for (const [k, v] of Object.entries(req.headers))
				headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
			const body = Buffer.concat(chunks).toString('utf8');
			let json;
			try {
				json = JSON.parse(body);
			} catch {
				json = undefined;
			}
			const entry = {
				method: req.method,
				path: req.url,
				headers,
				body,
				json,
				at: new Date().toISOString(),
				index,
			};
			let answer;
			try {
				answer = rx.respond(entry, index);
			} catch (e) {
				answer = { status: 500, body: String(e.message || e) };
			}
			if (answer === 'destroy') {
				req.socket.destroy();
			} else {
				const code =
					typeof answer === 'number' ? answer : answer && answer.status ? answer.status : 200;
				const text =
					answer && typeof answer === 'object' && answer.body !== undefined
						? answer.body
						: defaultBody(code);
				res.writeHead(
					code,
					text
						? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
						: {},
				);
				res.end(text);
			}
			requests.push(entry);
			const ready = waiters.filter((w) => requests.length >= w.n);
			waiters = waiters.filter((w) => requests.length < w.n);
			for (const w of ready) {
				clearTimeout(w.timer);
				w.resolve(requests.slice());
			}
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, host, () => resolve());
	});
	rx.port = server.address().port;
	rx.url = `http://${host}:${rx.port}`;
	return rx;
}

/** A URL on which nothing listens (a port that was just free), for connection-failure tests. */
async function closedPortUrl(host = '127.0.0.1') {
	const s = http.createServer();
	await new Promise((resolve) => s.listen(0, host, resolve));
	const { port } = s.address();
	await new Promise((resolve) => s.close(resolve));
	return `http://${host}:${port}/gone`;
}

module.exports = { startReceiver, closedPortUrl };
