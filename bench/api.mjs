#!/usr/bin/env node
// HTTP calls per "Appointment: Get Many" with Return All, measured at the Sesami simulator, for
// 1, 100, 250 and 1,000 appointments. Goal: ceil(N / 100) calls (pages of 100).
// Runs the compiled node (dist/) through the unit-test execution context; `npm run build` first.
// Prints a table, then one JSON line: {"calls": {"1": n, "100": n, "250": n, "1000": n}}.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist/nodes/Sesami/Sesami.node.js'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const { Sesami } = require(path.join(root, 'dist/nodes/Sesami/Sesami.node.js'));
const { SesamiApi } = require(path.join(root, 'dist/credentials/SesamiApi.credentials.js'));
const { createContext } = require(path.join(root, 'test/helpers/fake-n8n.js'));
const { startSesamiSimulator } = require(path.join(root, 'test/sim/sesami'));

const sizes = [1, 100, 250, 1000];
const rows = [];
const calls = {};
for (const size of sizes) {
	const sim = await startSesamiSimulator({ port: 0, appointments: size });
	try {
		const shop = sim.fixtures.shops[0];
		const context = createContext({
			parameters: {
				resource: 'appointment',
				operation: 'getAll',
				returnAll: true,
				filters: { filterType: 'ALL' },
			},
			credentials: {
				sesamiApi: {
					apiKey: shop.apiKey,
					clientId: shop.clientId,
					shopId: shop.id,
					baseUrl: sim.baseUrl,
					timezone: shop.timezone,
				},
			},
			credentialTypes: { sesamiApi: new SesamiApi() },
		});
		sim.clearExchanges();
		const started = performance.now();
		const [output] = await new Sesami().execute.call(context);
		const ms = performance.now() - started;
		const made = sim.exchanges.filter(
			(e) => e.method === 'GET' && e.path.endsWith('/appointments'),
		).length;
		calls[String(size)] = made;
		rows.push({
			appointments: size,
			returned: output.length,
			calls: made,
			goal: Math.ceil(size / 100),
			ms: ms.toFixed(0),
		});
	} finally {
		await sim.close();
	}
}
console.log('Sesami node: HTTP calls per Get Many (Return All), counted at the simulator');
console.table(rows);
console.log(JSON.stringify({ calls }));
