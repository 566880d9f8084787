import { PackageDirectoryLoader } from 'n8n-core';

import { exists, readJson, repoRoot } from '../helpers/paths';

const pkg = readJson('package.json');

describe('package.json follows n8n community package rules', () => {
	it('has the n8n section, keyword, licence and no runtime dependencies', () => {
		expect(pkg.name).toBe('n8n-nodes-sesami-imin');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(file).toMatch(/^dist\//);
	});
});

describe('n8n-core loads the built package (dist/)', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		if (!exists('dist/nodes/Sesami/Sesami.node.js'))
			throw new Error('dist/ is missing: run `npm run build` first');
		loader = new PackageDirectoryLoader(repoRoot);
		await loader.loadAll();
	});

	it('knows every node and credential listed in package.json', () => {
		const nodeNames = Object.keys(loader.known.nodes);
		const credentialNames = Object.keys(loader.known.credentials);
		expect(nodeNames).toEqual(expect.arrayContaining(['sesami']));
		expect(credentialNames).toEqual(expect.arrayContaining(['sesamiApi']));
		expect(nodeNames).toHaveLength(pkg.n8n.nodes.length);
		expect(credentialNames).toHaveLength(pkg.n8n.credentials.length);
	});

	it('ships the icons and codex files next to the compiled nodes', () => {
		// n8n turns `icon: file:...` into `iconUrl`, one per theme, served from the package.
		for (const description of loader.types.nodes) {
			const iconUrl = description.iconUrl as { light: string; dark: string };
			expect(iconUrl.light).toMatch(/\.svg$/);
			expect(iconUrl.dark).toMatch(/\.svg$/);
			expect(iconUrl.light).not.toBe(iconUrl.dark);
		}
		expect(exists('dist/nodes/Sesami/sesami.svg')).toBe(true);
		expect(exists('dist/nodes/Sesami/sesami.dark.svg')).toBe(true);
		expect(exists('dist/nodes/Sesami/Sesami.node.json')).toBe(true);
	});

	it('is an action node usable as an AI tool, with resources and operations', () => {
		const sesami = loader.types.nodes.find((node) => node.name === 'sesami');
		expect(sesami?.usableAsTool).toBe(true);
		const resource = sesami?.properties.find((property) => property.name === 'resource');
		const values = (resource?.options as Array<{ value: string }>).map((option) => option.value);
		expect(values).toEqual(
			expect.arrayContaining([
				'appointment',
				'availability',
				'service',
				'resource',
				'location',
				'reservation',
				'shop',
				'flow',
				'customer',
			]),
		);
	});

	it('does not ship tests', () => {
		expect(exists('dist/test')).toBe(false);
	});
});
