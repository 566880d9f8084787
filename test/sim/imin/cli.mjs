#!/usr/bin/env node
/**
 * Start the imin simulator from the command line.
 *
 *   node test/sim/imin/cli.mjs [--port 4020] [--host 127.0.0.1] [--seed 7] [--api-key imin-test-key]
 *        [--sessions 400] [--series 60] [--facility-uses 20] [--slots 150] [--page-size 50]
 *        [--synthetic-items 0] [--webhook-url URL] [--webhook-api-key KEY] [--broker-name NAME]
 *        [--now ISO] [--freeze-clock] [--public-url URL] [--strict-customer-accounts] [--tick-every-ms N [--tick-size 5]]
 *
 * Prints exactly one JSON line on stdout: { url, firehoseBaseUrl, checkoutBaseUrl, bookBaseUrl, fixtures }.
 * Stops on SIGINT / SIGTERM.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startIminSimulator } = require('./index.js');

function parseArgs(argv) {
	const opts = {};
	const numeric = {
		'--port': 'port',
		'--seed': 'seed',
		'--sessions': 'sessions',
		'--series': 'series',
		'--facility-uses': 'facilityUses',
		'--slots': 'slots',
		'--page-size': 'pageSize',
		'--synthetic-items': 'syntheticItems',
		'--tick-every-ms': 'tickEveryMs',
		'--tick-size': 'tickSize',
	};
	const strings = {
		'--host': 'host',
		'--api-key': 'apiKey',
		'--broker-name': 'brokerName',
		'--broker-url': 'brokerUrl',
		'--now': 'now',
		'--public-url': 'publicUrl',
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split(/=(.*)/s, 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (numeric[flag]) {
			const n = Number(value());
			if (!Number.isFinite(n)) throw new Error(`${flag} needs a number`);
			opts[numeric[flag]] = n;
		} else if (strings[flag]) opts[strings[flag]] = value();
		else if (flag === '--webhook-url') opts.webhook = { ...(opts.webhook || {}), url: value() };
		else if (flag === '--webhook-api-key')
			opts.webhook = { ...(opts.webhook || {}), apiKey: value() };
		else if (flag === '--freeze-clock') opts.freezeClock = true;
		else if (flag === '--strict-customer-accounts') opts.strictCustomerAccounts = true;
		else if (flag === '--help' || flag === '-h') {
			process.stderr.write(
				'usage: cli.mjs [--port 4020] [--seed 7] [--api-key KEY] [--sessions 400] [--page-size 50] [--synthetic-items N] [--webhook-url URL] [--webhook-api-key KEY] [--tick-every-ms N]\n',
			);
			process.exit(0);
		} else throw new Error(`unknown argument ${argv[i]}`);
	}
	return opts;
}

let sim;
let ticker;
let args;
try {
	args = parseArgs(process.argv.slice(2));
	const { tickEveryMs, tickSize, ...options } = args;
	sim = await startIminSimulator({ port: 4020, ...options });
	if (tickEveryMs > 0) ticker = setInterval(() => sim.tick(tickSize || 5), tickEveryMs);
} catch (e) {
	process.stderr.write(`imin simulator: ${e.message}\n`);
	process.exit(1);
}

let stopping = false;
const stop = async () => {
	if (stopping) return;
	stopping = true;
	if (ticker) clearInterval(ticker);
	await sim.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// handlers are in place before the ready line, so a parent may signal as soon as it reads it
process.stdout.write(
	`${JSON.stringify({ url: sim.url, firehoseBaseUrl: sim.firehoseBaseUrl, checkoutBaseUrl: sim.checkoutBaseUrl, bookBaseUrl: sim.bookBaseUrl, fixtures: sim.fixtures })}\n`,
);
