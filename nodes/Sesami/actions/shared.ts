import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationProperty, returnAllAndLimit, withDisplay } from '../../shared/descriptions';
import { requiredString, returnAllLimit } from '../../shared/parameters';
import { isValidTimeZone, toSesamiDateTime } from '../helpers/time';
import { getSesamiSettings, sesamiApiRequest, sesamiApiRequestAllItems } from '../transport';
import { SESAMI_ID_HINT } from './common.descriptions';

type OperationResult = IDataObject | IDataObject[];

export interface SesamiOperation {
	description: INodeProperties[];
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult>;
}

/** The timezone to send: the node's value, else the credential's default, else UTC. */
export async function resolveTimezone(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): Promise<string> {
	const given = String(value ?? '').trim();
	const timezone = given || (await getSesamiSettings.call(this, itemIndex)).timezone;
	if (!isValidTimeZone(timezone)) {
		throw new NodeOperationError(this.getNode(), `"${timezone}" is not a valid timezone`, {
			itemIndex,
			description: 'Use an IANA timezone name such as Europe/London or America/New_York.',
		});
	}
	return timezone;
}

export function dateTimeParam(
	this: IExecuteFunctions,
	value: unknown,
	timezone: string,
	name: string,
	itemIndex: number,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const iso = toSesamiDateTime(value, timezone);
	if (!iso) {
		throw new NodeOperationError(
			this.getNode(),
			`"${String(value)}" is not a date and time (${name})`,
			{
				itemIndex,
				description: 'Use ISO-8601, e.g. 2026-12-01T10:00:00 or 2026-12-01T10:00:00+01:00.',
			},
		);
	}
	return iso;
}

/** Get one object by ID: GET `<path>/<id>`. */
export function getOneOperation(config: {
	resource: string;
	idParameter: INodeProperties;
	path: (id: string) => string;
	extra?: INodeProperties[];
	query?: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;
	map?: (this: IExecuteFunctions, item: IDataObject, itemIndex: number) => IDataObject;
}): SesamiOperation {
	return {
		description: withDisplay(config.resource, 'get', [config.idParameter, ...(config.extra ?? [])]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const id = requiredString.call(this, config.idParameter.name, itemIndex, {
				hint: SESAMI_ID_HINT,
			});
			const qs = config.query ? await config.query.call(this, itemIndex) : undefined;
			const item = (await sesamiApiRequest.call(this, 'GET', config.path(encodeURIComponent(id)), {
				qs,
				itemIndex,
			})) as IDataObject;
			return config.map ? config.map.call(this, item, itemIndex) : item;
		},
	};
}

/** Get many: a cursor-paginated GET list with Return All / Limit and optional filters. */
export function getManyOperation(config: {
	resource: string;
	path: string;
	filters?: INodeProperties[];
	/** Parameters shown before the filters. */
	extra?: INodeProperties[];
	/** Parameters shown after the filters (e.g. an Options collection). */
	trailing?: INodeProperties[];
	query?: (
		this: IExecuteFunctions,
		filters: IDataObject,
		itemIndex: number,
	) => Promise<IDataObject>;
	map?: (this: IExecuteFunctions, item: IDataObject, itemIndex: number) => IDataObject;
	/** Runs on the items before `map` (e.g. reading appointment times); gets the query sent. */
	prepare?: (
		this: IExecuteFunctions,
		items: IDataObject[],
		qs: IDataObject,
		itemIndex: number,
	) => Promise<IDataObject[]>;
	arrayFormat?: (this: IExecuteFunctions, itemIndex: number) => 'repeat' | 'comma';
}): SesamiOperation {
	const properties: INodeProperties[] = [...returnAllAndLimit(), ...(config.extra ?? [])];
	if (config.filters?.length) {
		properties.push({
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: config.filters,
		});
	}
	properties.push(...(config.trailing ?? []));
	return {
		description: withDisplay(config.resource, 'getAll', properties),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const max = returnAllLimit.call(this, itemIndex);
			const filters = config.filters?.length
				? (this.getNodeParameter('filters', itemIndex, {}) as IDataObject)
				: {};
			const qs = config.query ? await config.query.call(this, filters, itemIndex) : { ...filters };
			const fetched = await sesamiApiRequestAllItems.call(this, config.path, qs, max, {
				itemIndex,
				arrayFormat: config.arrayFormat ? config.arrayFormat.call(this, itemIndex) : 'repeat',
			});
			const items = config.prepare
				? await config.prepare.call(this, fetched, qs, itemIndex)
				: fetched;
			return config.map ? items.map((item) => config.map!.call(this, item, itemIndex)) : items;
		},
	};
}

/**
 * A resource that only has Get and Get Many (location, reservation, resource, service): its
 * operations for the router and its properties for the node.
 */
export function getAndGetManyResource(
	resource: string,
	plural: string,
	get: SesamiOperation,
	getAll: SesamiOperation,
): { operations: Record<string, SesamiOperation>; description: INodeProperties[] } {
	const options = [
		{ name: 'Get', value: 'get', description: `Get a ${resource}`, action: `Get a ${resource}` },
		{
			name: 'Get Many',
			value: 'getAll',
			description: `Get many ${plural}`,
			action: `Get many ${plural}`,
		},
	];
	return {
		operations: { get, getAll },
		description: [
			operationProperty(resource, options, 'getAll'),
			...get.description,
			...getAll.description,
		],
	};
}
