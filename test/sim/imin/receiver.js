'use strict';
/**
 * A local HTTP receiver for the simulator's webhooks (TypeScript tests may not use `http` themselves).
 *
 *   const rx = await startWebhookReceiver();        // answers 204
 *   rx.url                                          // http://127.0.0.1:PORT
 *   rx.respond = (req, index) => 500;               // a status, {status, body}, or 'destroy'
 *   await rx.waitFor(3, 5000);                      // until 3 requests arrived (rejects after the timeout)
 *   rx.requests  // [{ method, path, headers (lower-case), body (text), json, at, index }]
 *   rx.clear(); await rx.close();
 */

const http = require('node:http');

/**
 * @typedef {{method: string, path: string, headers: Record<string, string | string[] | undefined>, body: string, json: any, at: string, index: number}} ReceivedRequest
 * @typedef {(req: ReceivedRequest, index: number) => (number | {status: number, body?: string} | 'destroy')} Responder
 */

/**
 * @param {{port?: number, respond?: Responder}} [options]
 */
async function startWebhookReceiver(options = {}) {
	/** @type {ReceivedRequest[]} */
	const requests = [];
	let waiters = [];
	let count = 0;
	const sockets = new Set();
	const rx = {
		url: '',
		requests,
		/** @type {Responder} */
		respond: options.respond || (() => 204),
		/**
		 * @param {number} n
		 * @param {number} [timeoutMs]
		 * @returns {Promise<ReceivedRequest[]>}
		 */
		waitFor(n, timeoutMs = 10000) {
			if (requests.length >= n) return Promise.resolve(requests.slice());
			return new Promise((resolve, reject) => {
				const w = { n, resolve };
				w.timer = setTimeout(() => {
					waiters = waiters.filter((x) => x !== w);
					reject(new Error(`receiver: ${requests.length} of ${n} requests after ${timeoutMs} ms`));
				}, timeoutMs);
				waiters.push(w);
			});
		},
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
			const body = Buffer.concat(chunks).toString('utf8');
			let parsed;
			try {
				parsed = JSON.parse(body);
			} catch {
				parsed = undefined;
			}
			const index = count++;
			const entry = { method: req.method, path: req.url, headers: { ...req.headers }, body, json: parsed, at: new Date().toISOString(), index };
			let answer = rx.respond(entry, index);
			if (answer === 'destroy') {
				req.socket.destroy();
			} else {
				if (typeof answer === 'number') answer = { status: answer };
				res.writeHead(answer.status, answer.body ? { 'content-type': 'application/json' } : {});
				res.end(answer.body || '');
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
	await new Promise((resolve) => server.listen(options.port || 0, '127.0.0.1', resolve));
	rx.url = `http://127.0.0.1:${server.address().port}`;
	return rx;
}

module.exports = { startWebhookReceiver };
