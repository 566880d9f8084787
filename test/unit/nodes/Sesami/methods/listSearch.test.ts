import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { SesamiApi } from '../../../../../credentials/SesamiApi.credentials';
import { Sesami } from '../../../../../nodes/Sesami/Sesami.node';
import { createSesamiContract } from '../../../../contract/sesami-contract';
import { loadOptionsContext } from '../../../../helpers/n8n-context';
import { useSesamiSimulator } from '../../../../helpers/setup';

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
