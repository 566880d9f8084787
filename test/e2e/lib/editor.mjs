// The real n8n editor in Chromium (found or provisioned by lib/browser.mjs) driven by
// playwright-core: log in as the owner, open workflows, read what the canvas and the nodes panel
// render, and take screenshots.
// The one place that drives the editor: test/e2e/editor.test.mjs asserts with it, and
// `npm run screenshots` (scripts/screenshots.mjs) runs that test with UPDATE_DOCS_SCREENSHOTS=1.
//
// DOM of n8n 2.41.1 this relies on (read from the running editor):
// - canvas node: [data-test-id="canvas-node"][data-node-name][data-node-type]; its icon is
//   `.n8n-node-icon img[src="/icons/<package>/<path>.svg"]` for file icons, an inline <svg> for
//   built-in icon names, and `[class*="nodeIconPlaceholder"]` (the first letter, or "?") when n8n has
//   no icon or does not know the type; an unknown type also gets [data-test-id="node-not-installed"].
// - nodes panel: [data-test-id="node-creator-plus-button"] opens it, [data-test-id="node-creator-search-bar"]
//   searches, each hit is [data-test-id="item-iterator-item"] with data-keyboard-nav-id="<type>-<uuid>".
//   n8n merges a node and its trigger ("Sesami" + "Sesami Trigger") into one hit; its trigger events
//   are listed after clicking the hit, when the panel was opened to add a trigger.
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './browser.mjs';

/** The viewport of the editor; the canvas is resized to SHOT_SIZE before a screenshot. */
export const SHOT_SIZE = { width: 1600, height: 900 };

/** Launches Chromium (fresh temporary profile, removed on close) and logs into n8n as the owner. */
export async function openEditor({ n8nUrl, email, password, timeoutMs = 90_000 }) {
	const browser = await launchChromium();
	const context = await browser.newContext({
		viewport: { ...SHOT_SIZE },
		locale: 'en-GB',
		colorScheme: 'light',
		deviceScaleFactor: 1,
	});
	context.setDefaultTimeout(timeoutMs);
	const page = await context.newPage();
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));
	await page.goto(`${n8nUrl}/signin`);
	await page.fill('#emailOrLdapLoginId', email);
	await page.fill('#password', password);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith('/signin')),
		page.click('[data-test-id="form-submit-button"]'),
	]);
	return { browser, page, pageErrors, close: () => browser.close() };
}

/** n8n's node type descriptions as the editor gets them (`/types/nodes.json`, owner's session). */
export async function nodeTypes(page, n8nUrl) {
	const r = await page.request.get(`${n8nUrl}/types/nodes.json`);
	if (!r.ok()) throw new Error(`GET /types/nodes.json: HTTP ${r.status()}`);
	return r.json();
}

/**
 * Opens a workflow in the editor and waits until the canvas shows `nodes` nodes and `stickies` sticky
 * notes (a sticky note is not a [data-test-id="canvas-node"]; it is a [data-test-id="sticky"]).
 */
export async function openWorkflow(page, { n8nUrl, id, nodes = 1, stickies = 0 }) {
	await page.goto(`${n8nUrl}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await fitCanvas(page);
	await page
		.waitForFunction(
			([n, s]) =>
				document.querySelectorAll('[data-test-id="canvas-node"]').length >= n &&
				document.querySelectorAll('[data-test-id="sticky"]').length >= s,
			[nodes, stickies],
			{ timeout: 15_000 },
		)
		.catch(() => {}); // the caller asserts on what is shown
	await waitForIcons(page);
}

/** Number of sticky notes on the canvas. */
export async function canvasStickies(page) {
	return page.locator('[data-test-id="sticky"]').count();
}

/** Zoom to fit (n8n's own control), then let the transition end. */
export async function fitCanvas(page) {
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(600);
}

/** Waits until every <img> in the canvas / nodes panel has finished loading (or failed). */
async function waitForIcons(page, root = 'body') {
	await page
		.waitForFunction(
			(sel) => [...document.querySelectorAll(`${sel} img`)].every((i) => i.complete),
			root,
			{ timeout: 15_000 },
		)
		.catch(() => {});
}

/**
 * What the canvas renders for each node: { name, type, icon: { src, loaded } | null,
 * svgIcon, placeholder, notInstalled }. `loaded` = the image finished loading with a width.
 */
export async function canvasNodes(page) {
	await waitForIcons(page, '[data-test-id="canvas-node"]');
	return page.locator('[data-test-id="canvas-node"]').evaluateAll((els) =>
		els.map((e) => {
			const iconRoot = e.querySelector('.n8n-node-icon');
			const img = iconRoot?.querySelector('img');
			return {
				name: e.dataset.nodeName,
				type: e.dataset.nodeType,
				icon: img
					? { src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 }
					: null,
				svgIcon: Boolean(iconRoot?.querySelector('svg')),
				placeholder: Boolean(e.querySelector('[class*="nodeIconPlaceholder"]')),
				notInstalled: Boolean(e.querySelector('[data-test-id="node-not-installed"]')),
			};
		}),
	);
}

/**
 * Screenshot of the canvas alone: n8n's tabs, controls, buttons and node "+" handles hidden, the
 * canvas resized to SHOT_SIZE.width and, for a wide workflow, a lower height that fits its shape
 * (between SHOT_MIN_HEIGHT and SHOT_SIZE.height), zoomed to fit. Writes the PNG to each of `files`.
 */
export async function screenshotCanvas(page, files) {
	const style = await page.addStyleTag({
		content: [
			'.tab-bar-container',
			'[data-test-id="canvas-wrapper"] .vue-flow__panel',
			'[data-test-id="canvas-controls"]',
			'[class*="_executionButtons_"]',
			'[class*="_nodeButtonsWrapper_"]',
			'[data-test-id="canvas-handle-plus-wrapper"]',
			'[data-test-id="canvas-node-toolbar"]',
			'[data-test-id="canvas-minimap"]',
		]
			.map((sel) => `${sel} { visibility: hidden !important; }`)
			.join('\n'),
	});
	await page.mouse.move(0, 0); // no hover state on a node
	await resizeCanvas(page, SHOT_SIZE);
	const content = await contentBox(page);
	const height = Math.max(
		SHOT_MIN_HEIGHT,
		Math.min(
			SHOT_SIZE.height,
			Math.round((SHOT_SIZE.width * content.height) / content.width) + 160,
		),
	);
	if (height !== SHOT_SIZE.height) await resizeCanvas(page, { width: SHOT_SIZE.width, height });
	await waitForIcons(page);
	const shot = await page
		.locator('[data-test-id="canvas-wrapper"]')
		.screenshot({ animations: 'disabled' });
	await style.evaluate((el) => el.remove());
	for (const file of [].concat(files)) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, shot);
	}
	return shot;
}
export const SHOT_MIN_HEIGHT = 520;

/** Grows or shrinks the window so that the canvas is exactly `size`, then zooms to fit. */
async function resizeCanvas(page, size) {
	const box = await page.locator('[data-test-id="canvas-wrapper"]').boundingBox();
	const viewport = page.viewportSize();
	const wanted = {
		width: viewport.width + size.width - Math.round(box.width),
		height: viewport.height + size.height - Math.round(box.height),
	};
	if (wanted.width !== viewport.width || wanted.height !== viewport.height)
		await page.setViewportSize(wanted);
	await page.waitForTimeout(300);
	await page.locator('[data-test-id="zoom-to-fit"]').evaluate((b) => b.click()); // hidden: click through the DOM
	await page.waitForTimeout(700);
}

/** The on-screen box around every node and sticky note. */
async function contentBox(page) {
	return page.locator('.vue-flow__node').evaluateAll((els) => {
		const boxes = els.map((e) => e.getBoundingClientRect());
		const left = Math.min(...boxes.map((b) => b.left));
		const top = Math.min(...boxes.map((b) => b.top));
		return {
			width: Math.max(...boxes.map((b) => b.right)) - left,
			height: Math.max(...boxes.map((b) => b.bottom)) - top,
		};
	});
}

/**
 * Hits of the nodes panel for `query`: [{ type, name, kind: 'node' | 'action', icons: [{ src, loaded }] }].
 * `type` is the node type the hit adds (data-keyboard-nav-id without its uuid).
 */
export async function nodesPanelHits(page, query) {
	const search = page.locator('[data-test-id="node-creator-search-bar"]');
	await search.fill(query);
	await page.waitForFunction(
		(q) => document.querySelector('[data-test-id="node-creator-search-bar"]')?.value === q,
		query,
	);
	await page.waitForTimeout(400); // the list re-renders after the input event
	return panelItems(page);
}

/** Clicks the hit named `name` (a merged node + trigger) and returns what the panel lists then. */
export async function openNodesPanelHit(page, name) {
	await page
		.locator('[data-test-id="item-iterator-item"]', {
			has: page.locator('[data-test-id="node-creator-item-name"]', {
				hasText: new RegExp(`^${name}$`),
			}),
		})
		.first()
		.click();
	await page.waitForTimeout(600);
	return panelItems(page);
}

/** Back from a hit's list to the search results. */
export async function nodesPanelBack(page) {
	await page.keyboard.press('ArrowLeft');
	await page.waitForTimeout(400);
}

async function panelItems(page) {
	await waitForIcons(page, '[data-test-id="node-creator"]');
	return page
		.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"]')
		.evaluateAll((els) =>
			els
				.filter((e) => e.dataset.keyboardNavType)
				.map((e) => ({
					type: String(e.dataset.keyboardNavId).replace(
						/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
						'',
					),
					kind: e.dataset.keyboardNavType,
					name: e.querySelector('[data-test-id="node-creator-item-name"]')?.textContent?.trim(),
					icons: [...e.querySelectorAll('img')].map((i) => ({
						src: i.getAttribute('src'),
						loaded: i.complete && i.naturalWidth > 0,
					})),
					placeholder: Boolean(e.querySelector('[class*="nodeIconPlaceholder"]')),
				})),
		);
}

/** A new, empty workflow with the nodes panel opened to add its first step (trigger mode). */
export async function openNodesPanelForTrigger(page, { n8nUrl }) {
	await page.goto(`${n8nUrl}/workflow/new`);
	await page.locator('[data-test-id="canvas-add-button"]').click();
	await page.locator('[data-test-id="node-creator-search-bar"]').waitFor();
}
