import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { SesamiApi } from '../../../../../credentials/SesamiApi.credentials';
import { SesamiAppApi } from '../../../../../credentials/SesamiAppApi.credentials';
import { Sesami } from '../../../../../nodes/Sesami/Sesami.node';
import { createSesamiContract } from '../../../../contract/sesami-contract';
import { loadOptionsContext } from '../../../../helpers/n8n-context';
import { installApp, sesamiAppCredentials, useSesamiSimulator } from '../../../../helpers/setup';

type Exchange = {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string>;
	requestBody?: IDataObject;
	status: number;
	responseBody?: unknown;
	at?: number | string;
};

const contract = createSesamiContract();
const { sim, shop, credentials } = useSesamiSimulator();

function exchanges(): Exchange[] {
	return sim.exchanges as Exchange[];
}

function expectContractClean() {
	const report = contract.validateExchanges(exchanges());
	expect(report.violations).toEqual([]);
	expect(report.checked).toBeGreaterThan(0);
}

beforeEach(() => sim.clearExchanges());

describe('list search (resource locators)', () => {
	it.each([
		['searchAppointments', '/appointments'],
		['searchServices', '/services'],
		['searchResources', '/resources'],
		['searchLocations', '/locations'],
	])('%s lists items with their IDs', async (method, path) => {
		const context = loadOptionsContext({
			parameters: {},
			credentials: { sesamiApi: credentials() },
			credentialTypes: { sesamiApi: new SesamiApi() },
		});
		const node = new Sesami();
		const search = (
			node.methods.listSearch as Record<
				string,
				(this: ILoadOptionsFunctions) => Promise<INodeListSearchResult>
			>
		)[method];
		const result = await search.call(context);
		expect(result.results.length).toBeGreaterThan(0);
		for (const entry of result.results) expect(entry.value).toMatch(/^[a-f0-9]{24}$/);
		expect(exchanges()[0].path).toBe(`/${shop.id}${path}`);
		expectContractClean();
	});
});

describe('list search labels and pages', () => {
	const search = (method: string) =>
		(
			new Sesami().methods.listSearch as Record<
				string,
				(
					this: ILoadOptionsFunctions,
					filter?: string,
					paginationToken?: string,
				) => Promise<INodeListSearchResult>
			>
		)[method];
	const context = () =>
		loadOptionsContext({
			parameters: {},
			credentials: { sesamiApi: credentials() },
			credentialTypes: { sesamiApi: new SesamiApi() },
		});

	it("services are labelled with their title in Sesami, appointments with 'date time · customer ...'", async () => {
		const services = await search('searchServices').call(context());
		const titles = new Map(
			(sim.state.services as IDataObject[]).map((service) => [String(service.id), service.title]),
		);
		expect(services.results.length).toBeGreaterThan(0);
		for (const entry of services.results) expect(entry.name).toBe(titles.get(String(entry.value)));
		const appointments = await search('searchAppointments').call(context());
		expect(appointments.results.length).toBeGreaterThan(0);
		for (const entry of appointments.results)
			expect(entry.name).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} · \S/);
	});

	it('pages of at most 50, each asked with the previous cursor, until the last page; no entry twice', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await search('searchAppointments').call(context(), undefined, token);
			expect(page.results.length).toBeLessThanOrEqual(50);
			seen.push(...page.results.map((entry) => String(entry.value)));
			token = page.paginationToken as string | undefined;
			pages++;
		} while (token && pages < 20);
		expect(token).toBeUndefined();
		// the simulator's shop has more than 50 upcoming appointments
		expect(pages).toBeGreaterThan(1);
		expect(new Set(seen).size).toBe(seen.length);
		const calls = exchanges().filter((e) => e.path.endsWith('/appointments'));
		expect(calls).toHaveLength(pages);
		for (const call of calls) expect(call.query.limit).toBe('50');
		for (const call of calls.slice(1)) expect(call.query.after).toBeDefined();
		expectContractClean();
	});
});

describe('list search with App Installation', () => {
	it("lists the shop of the node's Shop ID, with its token", async () => {
		const other = sim.fixtures.shops[1];
		const context = loadOptionsContext({
			parameters: {
				authentication: 'appInstallation',
				appShopId: other.id,
				appAccessToken: installApp(sim, other),
			},
			credentials: { sesamiAppApi: sesamiAppCredentials(sim) },
			credentialTypes: { sesamiAppApi: new SesamiAppApi() },
		});
		const result = await new Sesami().methods.listSearch.searchServices.call(context);
		expect(result.results.map((entry) => entry.value).sort()).toEqual([...other.serviceIds].sort());
		expect(exchanges()[0]).toMatchObject({
			path: `/${other.id}/services`,
			headers: { 'x-shop-id': other.id },
		});
	});

	it('without a usable Shop ID the list says so', async () => {
		const context = loadOptionsContext({
			parameters: { authentication: 'appInstallation', appShopId: '', appAccessToken: 'x' },
			credentials: { sesamiAppApi: sesamiAppCredentials(sim) },
			credentialTypes: { sesamiAppApi: new SesamiAppApi() },
		});
		const error = (await new Sesami().methods.listSearch.searchServices
			.call(context)
			.catch((e: unknown) => e)) as Error & { description?: string };
		expect(error.message).toBe('The Shop ID of the app installation is empty');
		expect(error.description).toMatch(/choose By ID when they are expressions/);
		expect(exchanges()).toEqual([]);
	});
});
