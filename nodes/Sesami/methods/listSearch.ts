import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { SesamiPage } from '../transport';
import { sesamiApiRequest, getSesamiSettings } from '../transport';

async function searchList(
	this: ILoadOptionsFunctions,
	path: string,
	label: (item: IDataObject) => string,
	filter?: string,
	paginationToken?: string,
	extraQuery: IDataObject = {},
): Promise<INodeListSearchResult> {
	const qs: IDataObject = { limit: 50, ...extraQuery };
	if (filter) qs.searchTerm = filter;
	if (paginationToken) qs.after = paginationToken;
	const page = (await sesamiApiRequest.call(this, 'GET', path, { qs })) as SesamiPage;
	const data = Array.isArray(page?.data) ? page.data : [];
	return {
		results: data.map((item) => ({ name: label(item), value: String(item.id) })),
		paginationToken:
			page?.nextCursor && data.length && page.remainingItems !== 0 ? page.nextCursor : undefined,
	};
}

function customerName(item: IDataObject): string {
	const customer = (item.customer ?? {}) as IDataObject;
	return (
		(customer.name as string) ||
		[customer.firstName, customer.lastName].filter((part) => part).join(' ') ||
		(customer.email as string) ||
		'Customer'
	);
}

export async function searchAppointments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { timezone } = await getSesamiSettings.call(this);
	return await searchList.call(
		this,
		'/{shop}/appointments',
		(item) => {
			const service = (item.serviceObject as IDataObject)?.title;
			const when = String(item.datetime ?? '')
				.replace('T', ' ')
				.slice(0, 16);
			return [when, customerName(item), service, item.orderName].filter((part) => part).join(' · ');
		},
		filter,
		paginationToken,
		{ filterType: 'UPCOMING', timezone },
	);
}

export async function searchServices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList.call(
		this,
		'/{shop}/services',
		(item) => String(item.title ?? item.id),
		filter,
		paginationToken,
	);
}

export async function searchResources(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList.call(
		this,
		'/{shop}/resources',
		(item) => String(item.name ?? item.id),
		filter,
		paginationToken,
	);
}

export async function searchLocations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await searchList.call(
		this,
		'/{shop}/locations',
		(item) => String(item.name ?? item.id),
		filter,
		paginationToken,
	);
}
