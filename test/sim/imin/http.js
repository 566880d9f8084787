'use strict';
/**
 * The imin simulator's HTTP plumbing: read a request, send /__sim/* to the control endpoints
 * (./routes/admin.js) and everything else through the API route table (./routes/index.js), record
 * the exchange (../lib/faults.js), apply an injected fault, write the answer.
 */

const http = require('node:http');
const { applyFault, redactHeaders, parseQuery, tryJson } = require('../lib/faults');
const C = require('./checkout');
const { SimError, json } = require('./common');
const { router } = require('./routes');
const { handleControl } = require('./routes/admin');

/** the error bodies of injected faults, by status */
const FAULT_ERRORS = {
	429: ['TooManyRequestsError', 'Rate limit exceeded.'],
	500: ['InternalApplicationError', 'Internal server error.'],
	503: ['TemporarilyUnavailableError', 'Service temporarily unavailable.'],
};

function serialise(result) {
	if (result.type === 'html') return { text: result.text, contentType: 'text/html; charset=utf-8' };
	if (result.body === undefined) return { text: '', contentType: undefined };
	return { text: JSON.stringify(result.body), contentType: 'application/json; charset=utf-8' };
}

/**
 * What a request record keeps of the answer. RPDE pages are kept as a summary (they can be
 * fetched again; keeping them whole would make a long walk hold the whole feed), other bodies
 * whole up to recordBodyLimit characters.
 */
function recordedBody(limit, result, text) {
	if (result.type === 'html') return text.length > limit ? `${text.slice(0, limit)}…` : text;
	const b = result.body;
	const isPage = b && typeof b === 'object' && Array.isArray(b.items) && typeof b.next === 'string';
	if (!isPage && text.length <= limit) return b === undefined ? undefined : JSON.parse(text);
	const summary = { '@sim:summary': true, bytes: Buffer.byteLength(text) };
	if (isPage) {
		const first = b.items[0];
		const last = b.items[b.items.length - 1];
		Object.assign(summary, {
			next: b.next,
			license: b.license,
			itemCount: b.items.length,
			firstItem: first ? { id: first.id, modified: first.modified } : null,
			lastItem: last ? { id: last.id, modified: last.modified } : null,
		});
	}
	return summary;
}

function write(res, status, headers, text) {
	const h = { ...headers };
	h['content-length'] = Buffer.byteLength(text || '');
	res.writeHead(status, h);
	res.end(text || '');
}

/** One API request -> {status, body|text, headers, type}, through the route table. */
function handleApi(s, r) {
	const match = router.match(r.method, r.rawPath);
	if (!match || !match.route)
		throw new SimError(404, 'NotFoundError', `No route for ${r.method} ${r.rawPath}.`);
	return match.route.handler(s, { ...r, params: match.params });
}

/** The answer of one API request, recorded; an injected fault (../lib/faults.js) goes first. */
function answerApi(s, req, res, rawBody, rawUrl, url) {
	const rawPath = rawUrl.split('?')[0];
	const method = String(req.method).toUpperCase();
	const query = parseQuery(url.search);
	const headers = {};
	for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
	const bodyJson = tryJson(rawBody);
	const record = s.recorder.start({
		method,
		path: rawPath,
		url: rawUrl,
		query,
		headers: redactHeaders(headers, ['x-api-key', 'authorization', 'cookie']),
		body: bodyJson !== undefined ? bodyJson : rawBody,
		responseBody: undefined,
		responseHeaders: {},
	});
	const finish = (result) => {
		const { text, contentType } = serialise(result);
		const h = { ...result.headers };
		if (contentType) h['content-type'] = contentType;
		s.recorder.finish(record, {
			status: result.status,
			responseHeaders: h,
			responseBody: recordedBody(s.opts.recordBodyLimit, result, text),
		});
		write(res, result.status, h, method === 'HEAD' ? '' : text);
	};
	const run = () => {
		let result;
		try {
			result = handleApi(s, { req, method, rawUrl, rawPath, query, headers, rawBody });
		} catch (e) {
			if (e && e.body && e.status) result = json(e.status, e.body);
			else {
				record.error = String((e && e.stack) || e);
				result = json(
					500,
					C.errorBody('InternalApplicationError', 'The simulator failed on this request.'),
				);
			}
		}
		finish(result);
	};
	const fault = s.faults.take(method, rawPath);
	if (!fault) return run();
	record.fault = fault.mode;
	applyFault(fault, {
		run,
		socket: req.socket,
		onDrop: () => s.recorder.finish(record),
		answer: (status, faultHeaders) =>
			finish(json(status, C.errorBody(...FAULT_ERRORS[status]), faultHeaders)),
	});
	return undefined;
}

/** The simulator's HTTP server (not listening yet) and the set of its open sockets. */
function createSimServer(s) {
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rawBody = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
			const rawUrl = req.url || '/';
			const url = new URL(rawUrl, 'http://sim.local');
			if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/'))
				handleControl(s, write, req, res, url, rawBody);
			else answerApi(s, req, res, rawBody, rawUrl, url);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.keepAliveTimeout = 5000;
	return { server, sockets };
}

module.exports = { createSimServer };
