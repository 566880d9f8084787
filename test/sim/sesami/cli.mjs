#!/usr/bin/env node
/**
 * Start the Sesami Admin API simulator from the command line.
 *
 *   node test/sim/sesami/cli.mjs [--port 4010] [--host 127.0.0.1] [--appointments 260] [--seed 42]
 *                                [--no-strict-client-id] [--reschedule-requires-availability]
 *
 * Prints exactly one JSON line on stdout: { url, baseUrl, fixtures }. Stops on SIGINT / SIGTERM.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSesamiSimulator } = require('./index.js');

function parseArgs(argv) {
	const opts = {};
	const numeric = {
		'--port': 'port',
		'--appointments': 'appointments',
		'--other-appointments': 'otherAppointments',
		'--seed': 'seed',
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (numeric[flag]) {
			const n = Number(value());
			if (!Number.isFinite(n)) throw new Error(`${flag} needs a number`);
			opts[numeric[flag]] = n;
		} else if (flag === '--host') opts.host = value();
		else if (flag === '--no-strict-client-id') opts.strictClientId = false;
		else if (flag === '--reschedule-requires-availability')
			opts.rescheduleRequiresAvailability = true;
		else if (flag === '--help' || flag === '-h') {
			process.stderr.write(
				'usage: cli.mjs [--port 4010] [--host 127.0.0.1] [--appointments 260] [--seed 42] [--no-strict-client-id]\n',
			);
			process.exit(0);
		} else throw new Error(`unknown argument ${argv[i]}`);
	}
	return opts;
}

let sim;
try {
	sim = await startSesamiSimulator({ port: 4010, ...parseArgs(process.argv.slice(2)) });
} catch (e) {
	process.stderr.write(`sesami simulator: ${e.message}\n`);
	process.exit(1);
}

let stopping = false;
const stop = async () => {
	if (stopping) return;
	stopping = true;
	await sim.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// handlers are in place before the ready line, so a parent may signal as soon as it reads it
process.stdout.write(
	`${JSON.stringify({ url: sim.url, baseUrl: sim.baseUrl, fixtures: sim.fixtures })}\n`,
);
