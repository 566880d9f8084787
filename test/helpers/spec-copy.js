'use strict';
const fs = require('fs');
const path = require('path');
const { repoRoot } = require('./paths');

/** The repo's copy of Sesami's OpenAPI document and, when present, the shared reference beside the repo. */
function specCopies() {
	const copy = fs.readFileSync(
		path.join(repoRoot, 'test', 'contract', 'sesami-openapi.json'),
		'utf8',
	);
	const referencePath = path.resolve(repoRoot, '..', 'shared', 'reference', 'sesami-openapi.json');
	const reference = fs.existsSync(referencePath) ? fs.readFileSync(referencePath, 'utf8') : null;
	return { copy, reference };
}

module.exports = { specCopies };
