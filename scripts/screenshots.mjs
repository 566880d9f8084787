#!/usr/bin/env node
// `npm run screenshots`: the README's pictures of every example workflow, docs/workflows/<file>.png.
// One code path with the suite: it runs the e2e file test/e2e/editor.test.mjs through the runner
// (build, n8n 2.41.1 with the package, the simulators, every workflows/*.json imported) with
// UPDATE_DOCS_SCREENSHOTS=1, so the same test that checks the nodes and their icons in Debian's
// Chromium writes the screenshots. Extra arguments go to the runner (e.g. --no-build).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(
	process.execPath,
	[
		path.join(root, 'test', 'run-all.mjs'),
		'--e2e-only',
		'--only=editor.test',
		...process.argv.slice(2),
	],
	{
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, UPDATE_DOCS_SCREENSHOTS: '1' },
	},
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('close', (code) => {
	if (code === 0) console.log('[screenshots] docs/workflows/*.png written');
	process.exit(code ?? 1);
});
