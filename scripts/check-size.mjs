// Size check run by `npm run lint`: no production file (nodes/, credentials/) over 300 lines and
// no function over 80 lines. Long units are where a newcomer gets lost; split them into named steps.
// Functions are found with the TypeScript compiler's own parser (a devDependency already).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function listTs(dir) {
	const out = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...listTs(full));
		else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
	}
	return out;
}

function functionName(node) {
	if (node.name && ts.isIdentifier(node.name)) return node.name.text;
	if (node.name && ts.isStringLiteral(node.name)) return node.name.text;
	const parent = node.parent;
	if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
		return parent.name.text;
	if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
	return '(anonymous)';
}

const problems = [];
for (const file of ['nodes', 'credentials'].flatMap((d) => listTs(path.join(root, d)))) {
	const text = fs.readFileSync(file, 'utf8');
	const rel = path.relative(root, file);
	const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
	if (lines > MAX_FILE_LINES) problems.push(`${rel}: ${lines} lines (max ${MAX_FILE_LINES})`);
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const visit = (node) => {
		if (ts.isFunctionLike(node) && 'body' in node && node.body) {
			const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
			const end = source.getLineAndCharacterOfPosition(node.end).line;
			const length = end - start + 1;
			if (length > MAX_FUNCTION_LINES) {
				problems.push(
					`${rel}:${start + 1}: function ${functionName(node)} is ${length} lines (max ${MAX_FUNCTION_LINES})`,
				);
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
}

if (problems.length > 0) {
	console.error(`size check: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
	process.exit(1);
}
console.log('size check: every production file <= 300 lines, every function <= 80 lines');
