import type { IDataObject } from 'n8n-workflow';

/** imin data mixes `@id`/`@type` (Firehose) and `id`/`type` (Search, Booking, Checkout). */
export function idOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (!value || typeof value !== 'object') return undefined;
	const object = value as IDataObject;
	const id = object['@id'] ?? object.id;
	return id === undefined || id === null ? undefined : String(id);
}

export function typeOf(value: unknown): string | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const object = value as IDataObject;
	const type = object['@type'] ?? object.type;
	return type === undefined || type === null
		? undefined
		: String(type).replace(/^schema:|^oa:/, '');
}

/** An RPDE item `{state, kind, id, modified, data}` -> its `data`; a bare object as it is. */
export function unwrapItem(value: unknown): IDataObject | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const object = value as IDataObject;
	if ('state' in object && 'kind' in object && 'modified' in object) {
		return object.data && typeof object.data === 'object'
			? (object.data as IDataObject)
			: undefined;
	}
	return object;
}

/** `imin:isPotentiallyBookable`, or the `_imin:` spelling imin's own types use. */
export function bookableFlag(value: unknown): boolean | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const object = value as IDataObject;
	const flag = object['imin:isPotentiallyBookable'] ?? object['_imin:isPotentiallyBookable'];
	if (flag === true || flag === 'true') return true;
	if (flag === false || flag === 'false') return false;
	return undefined;
}
