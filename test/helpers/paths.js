'use strict';
const path = require('path');

/** The repository root (TypeScript tests may not use __dirname or process under the strict lint). */
const repoRoot = path.resolve(__dirname, '..', '..');
const readJson = (relative) =>
	JSON.parse(require('fs').readFileSync(path.join(repoRoot, relative), 'utf8'));
const exists = (relative) => require('fs').existsSync(path.join(repoRoot, relative));

module.exports = { repoRoot, readJson, exists };
