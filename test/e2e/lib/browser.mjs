#!/usr/bin/env node
// Provisions the Chromium the browser tests drive with playwright-core (lib/editor.mjs and
// my-page-browser.test.mjs), the way provision.mjs provisions Node and n8n: nothing to install by
// hand, cached outside the repo. The first of these is used:
//
//   1. $CHROMIUM_PATH: a Chromium or Chrome binary of your choice (must be executable);
//   2. /usr/bin/chromium, the system's (Debian/Ubuntu package `chromium`), unless
//      N8N_SESAMI_NO_SYSTEM_CHROMIUM=1;
//   3. the devDependency @sparticuz/chromium (https://github.com/Sparticuz/chromium): a headless
//      Chromium carried inside its npm tarball, so `npm ci` has already fetched it from the npm
//      registry; nothing is downloaded at run time. Unpacked once into
//        <cache>/chromium-<package version>/  chromium, SwiftShader libraries, fonts/,
//                                             al2023/lib/, fonts.conf, .complete (written last)
//      <cache> is $N8N_SESAMI_CACHE or ~/.cache/n8n-nodes-sesami-imin, as for n8n.
//
// Why these details for the packaged build:
// - The package unpacks into os.tmpdir() and has no option for another folder; os.tmpdir()
//   follows $TMPDIR (https://nodejs.org/api/os.html#ostmpdir), so the unpack runs in a child
//   process whose TMPDIR is a fresh staging folder in the cache, renamed into place when complete.
//   Concurrent runs each unpack into their own staging folder; the first rename wins, the others
//   drop theirs.
// - The binary links the system's NSS and expat. The package also ships those libraries (built
//   for Amazon Linux 2023, al2023.tar.br); they go on LD_LIBRARY_PATH only when `ldd` reports a
//   library missing on this machine.
// - Chromium needs a fontconfig setup to render text; a machine without /etc/fonts/fonts.conf
//   gets the package's Open Sans through FONTCONFIG_FILE.
// - The package's own `args` are tuned for AWS Lambda (--single-process, --disable-web-security,
//   ...): they would switch off the same-origin checks the My Page test relies on, so the same
//   headless flags are used for every browser (BROWSER_ARGS).
//
// Usage:  import { launchChromium } from './browser.mjs'; const browser = await launchChromium();
//         node test/e2e/lib/browser.mjs [--json]      (npm run provision:browser)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { cacheRoot } from './provision.mjs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const NO_SYSTEM_CHROMIUM_ENV = 'N8N_SESAMI_NO_SYSTEM_CHROMIUM';
export const PACKAGE = '@sparticuz/chromium';
/** Headless, no sandbox (tests often run as root or in containers), nothing phoning home. */
export const BROWSER_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const HOW_TO_FIX =
	`run \`npm ci\` (the devDependency ${PACKAGE} carries a Chromium), ` +
	'or set CHROMIUM_PATH to a Chromium or Chrome binary, ' +
	"or install the system's (apt-get install -y chromium)";

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Where the registry package lives and its version, or null when it is not installed. */
function packageInfo() {
	let entry;
	try {
		entry = fileURLToPath(import.meta.resolve(PACKAGE));
	} catch {
		return null;
	}
	const pkgDir = path.resolve(path.dirname(entry), '..'); // <pkg>/build/index.js
	const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
	return { entry, binDir: path.join(pkgDir, 'bin'), version };
}

/** The folder provisionPackagedChromium() fills, whether or not it exists yet. */
export function packagedChromiumDir(version, cache = cacheRoot()) {
	return path.join(cache, `chromium-${version}`);
}

/** Unpacks the package's Chromium into the cache once (see the header); returns its folder. */
function provisionPackagedChromium(pkg, log) {
	const dir = packagedChromiumDir(pkg.version);
	if (fs.existsSync(path.join(dir, '.complete'))) return dir;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	for (const name of fs.readdirSync(path.dirname(dir))) {
		const m = name.startsWith(`${path.basename(dir)}.partial-`) && /\.partial-(\d+)-/.exec(name);
		if (m && !pidAlive(Number(m[1])))
			fs.rmSync(path.join(path.dirname(dir), name), { recursive: true, force: true });
	}
	const staging = `${dir}.partial-${process.pid}-${Date.now()}`;
	fs.mkdirSync(staging);
	log(`[browser] unpacking Chromium from ${PACKAGE} ${pkg.version} (once, ~10 s) into ${dir}`);
	const moduleUrl = pathToFileURL(pkg.entry).href;
	const script = [
		`const { default: Chromium, inflate } = await import(${JSON.stringify(moduleUrl)});`,
		`const exe = await Chromium.executablePath(${JSON.stringify(pkg.binDir)});`,
		`await inflate(${JSON.stringify(path.join(pkg.binDir, 'al2023.tar.br'))});`,
		'process.stdout.write(exe);',
	].join('\n');
	const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
		env: { ...process.env, TMPDIR: staging },
		encoding: 'utf8',
		timeout: 5 * 60_000,
	});
	if (r.status !== 0 || r.stdout !== path.join(staging, 'chromium')) {
		fs.rmSync(staging, { recursive: true, force: true });
		const output = (r.stderr || r.error?.message || r.stdout || '').trim().slice(-2000);
		throw new Error(
			`unpacking ${PACKAGE} ${pkg.version} failed (exit ${r.status ?? r.signal}): ${output}\n` +
				`Fix: ${HOW_TO_FIX}`,
		);
	}
	fs.writeFileSync(
		path.join(staging, 'fonts.conf'),
		[
			'<?xml version="1.0"?>',
			'<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
			'<fontconfig>',
			`  <dir>${path.join(dir, 'fonts', 'fonts')}</dir>`,
			'  <dir>/usr/share/fonts</dir>',
			'  <dir>/usr/local/share/fonts</dir>',
			`  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
			'</fontconfig>',
			'',
		].join('\n'),
	);
	fs.writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
	try {
		fs.renameSync(staging, dir);
	} catch (error) {
		fs.rmSync(staging, { recursive: true, force: true });
		if (!fs.existsSync(path.join(dir, '.complete'))) throw error; // else another run finished first
	}
	return dir;
}

/** Environment additions the packaged build needs on this machine (see the header). */
function packagedChromiumEnv(dir, executablePath) {
	const env = {};
	const ldd = spawnSync('ldd', [executablePath], { encoding: 'utf8' });
	if (ldd.status !== 0 || /not found/.test(ldd.stdout)) {
		const libs = path.join(dir, 'al2023', 'lib');
		env.LD_LIBRARY_PATH = process.env.LD_LIBRARY_PATH
			? `${libs}:${process.env.LD_LIBRARY_PATH}`
			: libs;
	}
	if (!process.env.FONTCONFIG_FILE && !fs.existsSync('/etc/fonts/fonts.conf'))
		env.FONTCONFIG_FILE = path.join(dir, 'fonts.conf');
	return env;
}

/**
 * Finds or provisions Chromium (see the header).
 * @returns {Promise<{ source: string, executablePath: string, env: Record<string, string> }>}
 *   env: variables to add to the browser's environment.
 */
export async function findChromium({ log = (m) => console.error(m) } = {}) {
	const chosen = process.env.CHROMIUM_PATH;
	if (chosen) {
		if (!isExecutable(chosen))
			throw new Error(
				`CHROMIUM_PATH=${chosen} is not an executable file: point it at a Chromium or Chrome ` +
					`binary, or unset it to use ${SYSTEM_CHROMIUM} or ${PACKAGE}`,
			);
		return { source: 'CHROMIUM_PATH', executablePath: chosen, env: {} };
	}
	const skipSystem = process.env[NO_SYSTEM_CHROMIUM_ENV] === '1';
	if (!skipSystem && isExecutable(SYSTEM_CHROMIUM))
		return { source: 'system', executablePath: SYSTEM_CHROMIUM, env: {} };
	const pkg = packageInfo();
	if (!pkg) {
		const system = skipSystem ? `ignored (${NO_SYSTEM_CHROMIUM_ENV}=1)` : 'absent';
		throw new Error(
			`No Chromium for the browser tests: CHROMIUM_PATH is unset, ${SYSTEM_CHROMIUM} is ` +
				`${system} and ${PACKAGE} is not installed. Fix: ${HOW_TO_FIX}`,
		);
	}
	const dir = provisionPackagedChromium(pkg, log);
	const executablePath = path.join(dir, 'chromium');
	return {
		source: `${PACKAGE} ${pkg.version}`,
		executablePath,
		env: packagedChromiumEnv(dir, executablePath),
	};
}

/**
 * Launches the Chromium findChromium() picks, headless, with playwright-core. launch() runs it on a
 * fresh temporary profile (user-data-dir), removed on close.
 */
export async function launchChromium({ log = (m) => console.error(m) } = {}) {
	const found = await findChromium({ log });
	try {
		const browser = await chromium.launch({
			executablePath: found.executablePath,
			args: BROWSER_ARGS,
			env: { ...process.env, ...found.env },
		});
		log(`[browser] Chromium ${browser.version()} (${found.source})`);
		return browser;
	} catch (error) {
		throw new Error(
			`Chromium (${found.source}, ${found.executablePath}) did not start: ${error.message}\n` +
				`Fix: ${HOW_TO_FIX}`,
		);
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	launchChromium()
		.then(async (browser) => {
			const found = await findChromium();
			const out = { ...found, version: browser.version() };
			await browser.close();
			if (process.argv.includes('--json')) console.log(JSON.stringify(out));
			else
				for (const [k, v] of Object.entries(out))
					console.log(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
		})
		.catch((error) => {
			console.error(error.message);
			process.exit(1);
		});
}
