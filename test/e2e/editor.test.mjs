// The package in the real n8n editor (Debian's Chromium driven by playwright-core, lib/editor.mjs):
// the owner logs in, opens every example workflow (workflows/*.json, as the runner imported them) and
// every node of ours renders as a known node with its own icon (the SVG n8n serves from dist/, loaded);
// no node of any type shows n8n's unknown-node placeholder. The nodes panel finds all six node types,
// each with its icon (the ones no workflow uses too). Every run saves a canvas screenshot per workflow
// to test-results/workflows/<file>.png; with UPDATE_DOCS_SCREENSHOTS=1 (`npm run screenshots`) also to
// docs/workflows/<file>.png, which the README shows.
//
// Leaves behind: nothing (it opens workflows without changing them; the empty new workflow it uses
// for the nodes panel is never saved).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { getContext } from './lib/context.mjs';
import {
	canvasNodes,
	canvasStickies,
	nodesPanelBack,
	nodesPanelHits,
	nodeTypes,
	openEditor,
	openNodesPanelForTrigger,
	openNodesPanelHit,
	openWorkflow,
	screenshotCanvas,
} from './lib/editor.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const PREFIX = `${PKG.name}.`;
const ours = (type) => String(type).startsWith(PREFIX);
/** Our node types from package.json's n8n.nodes ("dist/nodes/Sesami/SesamiTrigger/SesamiTrigger.node.js" -> "sesamiTrigger"). */
const OUR_TYPES = PKG.n8n.nodes.map((f) => {
	const base = path.basename(f, '.node.js');
	return PREFIX + base.charAt(0).toLowerCase() + base.slice(1);
});
const workflowFiles = fs
	.readdirSync(path.join(root, 'workflows'))
	.filter((f) => f.endsWith('.json'))
	.sort();
const updateDocs = process.env.UPDATE_DOCS_SCREENSHOTS === '1';

const ctx = getContext();
let editor;
let iconUrls; // type -> { light, dark } as n8n hands them to the editor

before(async () => {
	editor = await openEditor({
		n8nUrl: ctx.n8nUrl,
		email: ctx.owner.email,
		password: ctx.owner.password,
	});
	iconUrls = new Map();
	for (const d of await nodeTypes(editor.page, ctx.n8nUrl)) {
		if (ours(d.name))
			iconUrls.set(
				d.name,
				typeof d.iconUrl === 'string' ? { light: d.iconUrl, dark: d.iconUrl } : d.iconUrl,
			);
	}
});

after(async () => {
	if (editor?.pageErrors.length)
		console.log(
			`# script errors in the editor (not asserted): ${editor.pageErrors.slice(0, 5).join(' | ')}`,
		);
	await editor?.close();
});

describe('the example workflows in the n8n editor', () => {
	test('n8n serves an SVG icon (light and dark) for each of our six node types', async () => {
		assert.deepEqual(
			[...iconUrls.keys()].filter((t) => OUR_TYPES.includes(t)).sort(),
			[...OUR_TYPES].sort(),
			'n8n knows all six node types',
		);
		for (const type of OUR_TYPES) {
			const urls = iconUrls.get(type);
			for (const theme of ['light', 'dark']) {
				assert.match(
					String(urls?.[theme]),
					new RegExp(`^icons/${PKG.name}/dist/nodes/.+\\.svg$`),
					`${type} ${theme} icon URL`,
				);
				const r = await fetch(`${ctx.n8nUrl}/${urls[theme]}`);
				const body = await r.text();
				assert.equal(r.status, 200, `${type} ${theme} icon: GET /${urls[theme]}`);
				assert.match(
					r.headers.get('content-type') ?? '',
					/^image\/svg\+xml/,
					`${type} ${theme} icon content type`,
				);
				assert.match(body, /<svg[\s>]/, `${type} ${theme} icon is an SVG`);
			}
		}
	});

	test('the runner imported every workflows/*.json', () => {
		const imported = ctx.workflows.map((w) => path.basename(w.file)).sort();
		assert.deepEqual(imported, workflowFiles);
	});

	for (const file of workflowFiles) {
		test(`${file}: every node renders, ours with their icon; screenshot`, async () => {
			const json = JSON.parse(fs.readFileSync(path.join(root, 'workflows', file), 'utf8'));
			const wf = ctx.workflows.find((w) => path.basename(w.file) === file);
			const { page } = editor;
			const isSticky = (n) => n.type === 'n8n-nodes-base.stickyNote';
			const nodes = json.nodes.filter((n) => !isSticky(n));
			const stickies = json.nodes.length - nodes.length;
			await openWorkflow(page, { n8nUrl: ctx.n8nUrl, id: wf.id, nodes: nodes.length, stickies });
			const shown = await canvasNodes(page);
			assert.deepEqual(
				shown.map((n) => n.name).sort(),
				nodes.map((n) => n.name).sort(),
				'the canvas shows every node of the file',
			);
			assert.equal(await canvasStickies(page), stickies, 'and every sticky note');
			const ourNodes = json.nodes.filter((n) => ours(n.type));
			// The recovery workflow is made of n8n's own nodes only (it drives n8n's public API), and
			// so is the Data Tables setup workflow (n8n's Data Table node).
			if (!['n8n-execution-recovery.json', 'setup-data-tables.json'].includes(file))
				assert.ok(ourNodes.length > 0, `${file} uses a node of ours`);
			for (const node of nodes) {
				const s = shown.find((n) => n.name === node.name);
				assert.equal(s.type, node.type, `${node.name}: type`);
				assert.equal(
					s.notInstalled,
					false,
					`${node.name} (${node.type}) is not shown as "not installed"`,
				);
				assert.equal(
					s.placeholder,
					false,
					`${node.name} (${node.type}) has an icon, not the placeholder letter`,
				);
				if (ours(node.type)) {
					assert.ok(s.icon, `${node.name} (${node.type}) renders an <img> icon`);
					assert.equal(
						s.icon.src,
						`/${iconUrls.get(node.type).light}`,
						`${node.name}: the icon is our SVG`,
					);
					assert.equal(s.icon.loaded, true, `${node.name}: its icon ${s.icon.src} loaded`);
				} else {
					assert.ok(s.svgIcon || s.icon?.loaded, `${node.name} (${node.type}) renders its icon`);
				}
			}
			const name = `${path.basename(file, '.json')}.png`;
			const targets = [path.join(root, 'test-results', 'workflows', name)];
			if (updateDocs) targets.push(path.join(root, 'docs', 'workflows', name));
			const shot = await screenshotCanvas(page, targets);
			assert.ok(shot.length > 10_000, `screenshot of ${file} (${shot.length} bytes)`);
		});
	}

	test('the nodes panel finds all six node types, each with its icon', async () => {
		const { page } = editor;
		await openNodesPanelForTrigger(page, { n8nUrl: ctx.n8nUrl });
		const seen = new Map(); // type -> hits
		const note = (hits) =>
			hits
				.filter((h) => ours(h.type))
				.forEach((h) => seen.set(h.type, [...(seen.get(h.type) ?? []), h]));
		for (const query of ['Sesami', 'imin']) {
			const hits = await nodesPanelHits(page, query);
			note(hits);
			// n8n lists a node and its trigger as one hit; the trigger's events are inside it.
			for (const merged of hits.filter((h) => ours(h.type) && !/Trigger$/.test(h.type))) {
				note(await openNodesPanelHit(page, merged.name));
				await nodesPanelBack(page);
			}
		}
		assert.deepEqual(
			[...seen.keys()].sort(),
			[...OUR_TYPES].sort(),
			'every node type of ours is in the nodes panel',
		);
		for (const [type, hits] of seen) {
			for (const h of hits) {
				assert.equal(h.placeholder, false, `${type} "${h.name}": no placeholder icon`);
				assert.ok(h.icons.length > 0, `${type} "${h.name}": an <img> icon`);
				for (const icon of h.icons) {
					assert.equal(icon.src, `/${iconUrls.get(type).light}`, `${type} "${h.name}": our SVG`);
					assert.equal(icon.loaded, true, `${type} "${h.name}": ${icon.src} loaded`);
				}
			}
		}
	});
});
