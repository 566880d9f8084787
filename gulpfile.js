// Copies what tsc does not emit into dist/: node and credential icons (SVG/PNG) and the codex
// files (<Node>.node.json), keeping their relative paths so `file:sesami.svg` resolves.
const { src, dest } = require('gulp');

function buildAssets() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = buildAssets;
exports.default = buildAssets;
