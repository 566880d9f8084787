#!/usr/bin/env node
/**
 * Run the sandbox SMTP server on its own.
 *
 *   node test/sim/smtp/cli.mjs [--port 2525] [--http-port 8025] [--host 127.0.0.1] [--user n8n] [--password n8n-sandbox]
 *                              [--no-http] [--log]
 *
 * Prints exactly one JSON line on stdout: { host, port, user, password, httpUrl, credential }
 * (credential = the n8n SMTP credential data). With --log, one line per received message goes to
 * stderr. Stops on SIGINT / SIGTERM.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSmtpServer } = require('./index.js');

function parseArgs(argv) {
	const opts = { port: 2525, httpPort: 8025 };
	let log = false;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--port' || flag === '--http-port') {
			const n = Number(value());
			if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a port number`);
			opts[flag === '--port' ? 'port' : 'httpPort'] = n;
		} else if (flag === '--host') opts.host = value();
		else if (flag === '--user') opts.user = value();
		else if (flag === '--password') opts.password = value();
		else if (flag === '--no-http') opts.httpPort = false;
		else if (flag === '--log') log = true;
		else if (flag === '--help' || flag === '-h') {
			process.stderr.write(
				'usage: cli.mjs [--port 2525] [--http-port 8025] [--host 127.0.0.1] [--user n8n] [--password n8n-sandbox] [--no-http] [--log]\n',
			);
			process.exit(0);
		} else throw new Error(`unknown argument ${argv[i]}`);
	}
	return { opts, log };
}

let smtp;
let log = false;
try {
	const parsed = parseArgs(process.argv.slice(2));
	log = parsed.log;
	smtp = await startSmtpServer(parsed.opts);
} catch (e) {
	process.stderr.write(`smtp server: ${e.message}\n`);
	process.exit(1);
}

if (log) {
	let seen = 0;
	const tick = setInterval(() => {
		while (seen < smtp.messages.length) {
			const m = smtp.messages[seen++];
			process.stderr.write(`[smtp] #${m.id} to ${m.to.join(', ')}: ${m.subject}\n`);
		}
		if (seen > smtp.messages.length) seen = smtp.messages.length;
	}, 500);
	tick.unref();
}

let stopping = false;
const stop = async () => {
	if (stopping) return;
	stopping = true;
	await smtp.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

process.stdout.write(
	`${JSON.stringify({ host: smtp.host, port: smtp.port, user: smtp.user, password: smtp.password, httpUrl: smtp.httpUrl, credential: smtp.credential })}\n`,
);
