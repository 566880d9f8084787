// Throw-away PostgreSQL and Redis servers for the queue-mode test: each in a temporary directory,
// on a free port on 127.0.0.1, stopped and removed by stop() (and on exit / SIGINT / SIGTERM).
//
//   const pg = await startPostgres({ log });     // { host, port, user, database, env(), stop() }
//   const redis = await startRedis({ log });     // { host, port, env(), stop() }
//
// PostgreSQL refuses to run as root: as root, initdb and postgres run as the `postgres` system user
// (Debian's package creates it) through runuser, with the data directory owned by that user.
// Binaries: $PG_BIN, else /usr/lib/postgresql/<newest>/bin, else PATH. Redis: `redis-server` on PATH.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../e2e/lib/n8n.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const live = new Set(); // { name, child, dir }
let hooks = false;
function installHooks() {
	if (hooks) return;
	hooks = true;
	process.on('exit', () => {
		for (const s of live) {
			try {
				process.kill(-s.child.pid, 'SIGKILL');
			} catch {
				// gone
			}
			fs.rmSync(s.dir, { recursive: true, force: true });
		}
	});
}

function pgBinDir() {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const base = '/usr/lib/postgresql';
	if (fs.existsSync(base)) {
		const versions = fs
			.readdirSync(base)
			.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
			.sort((a, b) => Number(b) - Number(a));
		if (versions.length) return path.join(base, versions[0], 'bin');
	}
	return ''; // PATH
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** [cmd, args] running `bin args` as the postgres user when we are root. */
function asPgUser(bin, args) {
	if (!isRoot()) return [bin, args];
	return ['runuser', ['-u', 'postgres', '--', bin, ...args]];
}

function portOpen(port) {
	return new Promise((resolve) => {
		const s = net.connect({ host: '127.0.0.1', port }, () => {
			s.destroy();
			resolve(true);
		});
		s.on('error', () => resolve(false));
		s.setTimeout(1000, () => {
			s.destroy();
			resolve(false);
		});
	});
}

function spawnServer(name, cmd, args, dir, logFile) {
	installHooks();
	const out = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	const entry = { name, child, dir };
	live.add(entry);
	let exited = null;
	child.once('exit', (code, signal) => (exited = { code, signal }));
	const stop = async () => {
		if (!live.has(entry)) return;
		if (!exited) {
			const done = new Promise((resolve) => child.once('exit', resolve));
			try {
				process.kill(-child.pid, 'SIGTERM'); // postgres: "smart" shutdown; redis: save-less exit
			} catch {
				// gone
			}
			const t = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// gone
				}
			}, 10_000);
			await done;
			clearTimeout(t);
		}
		live.delete(entry);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	return { child, stop, exited: () => exited };
}

async function waitReady(name, check, server, logFile, timeoutMs = 60_000) {
	const t0 = Date.now();
	for (;;) {
		if (server.exited())
			throw new Error(
				`${name} exited at start-up (${JSON.stringify(server.exited())}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
			);
		if (await check()) return Date.now() - t0;
		if (Date.now() - t0 > timeoutMs)
			throw new Error(
				`${name} not ready within ${timeoutMs / 1000} s:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
			);
		await sleep(200);
	}
}

/** A PostgreSQL server (trust authentication on 127.0.0.1 only; user and database `n8n`). */
export async function startPostgres({ log = () => {}, exclude = [] } = {}) {
	const bin = pgBinDir();
	const tool = (t) => (bin ? path.join(bin, t) : t);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	const data = path.join(dir, 'data');
	const sock = path.join(dir, 'sock');
	fs.mkdirSync(data);
	fs.mkdirSync(sock);
	if (isRoot()) {
		const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		if (pw.status !== 0)
			throw new Error(
				'running as root, and there is no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)',
			);
		spawnSync('chown', ['-R', 'postgres:postgres', dir]);
		fs.chmodSync(dir, 0o755);
	}
	const logFile = path.join(os.tmpdir(), `n8n-queue-pg-${process.pid}.log`);
	const [c, a] = asPgUser(tool('initdb'), [
		'-D',
		data,
		'-U',
		'n8n',
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	const init = spawnSync(c, a, { encoding: 'utf8' });
	if (init.status !== 0)
		throw new Error(`initdb failed (exit ${init.status}):\n${init.stdout}\n${init.stderr}`);
	const port = await freePort(exclude);
	const [pc, pa] = asPgUser(tool('postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		sock,
		'-c',
		'listen_addresses=127.0.0.1',
		// a throw-away database: durability off, enough connections for main + 2 workers + runners
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	]);
	const server = spawnServer('postgres', pc, pa, dir, logFile);
	const readyMs = await waitReady(
		'PostgreSQL',
		async () => {
			if (!(await portOpen(port))) return false;
			const r = spawnSync(
				tool('pg_isready'),
				['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n'],
				{ encoding: 'utf8' },
			);
			return r.status === 0;
		},
		server,
		logFile,
	);
	const [cc, ca] = asPgUser(tool('createdb'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'n8n',
		'n8n',
	]);
	const created = spawnSync(cc, ca, { encoding: 'utf8' });
	if (created.status !== 0) throw new Error(`createdb n8n failed: ${created.stderr}`);
	log(
		`PostgreSQL ${spawnSync(tool('postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim()} on 127.0.0.1:${port} (data ${data}, ready in ${(readyMs / 1000).toFixed(1)} s)`,
	);
	return {
		host: '127.0.0.1',
		port,
		user: 'n8n',
		database: 'n8n',
		logFile,
		/** The env n8n needs for this database. */
		env: () => ({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
		}),
		stop: async () => {
			await server.stop();
			fs.rmSync(logFile, { force: true });
		},
	};
}

/** A Redis server without persistence. */
export async function startRedis({ log = () => {}, exclude = [] } = {}) {
	const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	if (which.status !== 0)
		throw new Error('redis-server is not installed (Debian: apt-get install -y redis-server)');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-redis-'));
	const port = await freePort(exclude);
	const logFile = path.join(dir, 'redis.log');
	const server = spawnServer(
		'redis',
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		dir,
		logFile,
	);
	const readyMs = await waitReady('Redis', () => portOpen(port), server, logFile);
	log(
		`Redis ${spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.split(' ')[2] ?? ''} on 127.0.0.1:${port} (ready in ${(readyMs / 1000).toFixed(1)} s)`,
	);
	return {
		host: '127.0.0.1',
		port,
		env: () => ({ QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) }),
		stop: () => server.stop(),
	};
}
