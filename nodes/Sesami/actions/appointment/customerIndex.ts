import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ownsAppointment } from '../../helpers/policy';
import type { SesamiPage } from '../../transport';
import { PAGE_SIZE_MAX, getSesamiSettings, sesamiApiRequest } from '../../transport';

/**
 * "Get Many for Customer" from the stored links index: the Data Table rows that say which
 * appointments are the customer's (workflows/sesami-flows-to-stored-links.json writes one per
 * appointment) give the IDs; Sesami is then asked for exactly those, `GET /{shop}/appointments?ids=`
 * (https://api.sesami.co/swagger: `ids` restricts the page to the given ids), at most 100 per call.
 * A row never makes an appointment the customer's: every answer is checked against Sesami's own
 * record (customer.externalId).
 *
 * The encoding of `ids` is not documented (repeated keys, the OpenAPI default, or comma-joined as
 * the third-party client sends). A server that does not read an encoding may ignore the parameter
 * and answer the unfiltered list; an answer holding an appointment that was not asked for (or
 * counting more than were asked for) did not honour the filter, and the next encoding is tried.
 * When none is honoured, the caller walks the shop's appointments as before.
 */

export type ListSource = 'index' | 'walk';

export const indexProperties: INodeProperties[] = [
	{
		displayName: 'List From',
		name: 'listFrom',
		type: 'options',
		options: [
			{
				name: "Walk the Shop's Appointments",
				value: 'walk',
				description:
					"Read the shop's appointments page by page (up to Max Pages) and keep the customer's",
			},
			{
				name: 'Stored Links Index',
				value: 'index',
				description:
					'Ask Sesami only for the appointments the stored links table lists for the customer (cost follows the customer, not the shop)',
			},
		],
		default: 'walk',
	},
	{
		displayName: "Customer's Stored Links",
		name: 'storedLinks',
		type: 'string',
		default: '',
		displayOptions: { show: { listFrom: ['index'] } },
		placeholder: "e.g. {{ $('Stored links of the customer').all().map((item) => item.json) }}",
		description:
			"The customer's rows of the stored links table (objects with appointmentId and shopId), or appointment IDs (a list or comma-separated). Rows of another Sesami shop are ignored.",
	},
	{
		displayName: 'Shops With a Complete Index',
		name: 'indexShopIds',
		type: 'string',
		default: '',
		displayOptions: { show: { listFrom: ['index'] } },
		placeholder: "e.g. {{ $('Index filled for the shop?').all().map((item) => item.json.shopId) }}",
		description:
			"Sesami shop IDs whose stored links table holds every appointment (the backfill ran, and Flows keep it current). For any other shop the node walks the shop's appointments, since rows the Flows wrote after the install miss the bookings made before it.",
	},
];

const ENCODINGS = ['repeat', 'comma', 'brackets'] as const;
type Encoding = (typeof ENCODINGS)[number];
const MONGO_ID = /^[a-f0-9]{24}$/i;

/** A list parameter given as an array, a JSON array, or comma-separated text. */
export function listParameter(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (value && typeof value === 'object') return [value];
	const text = String(value ?? '').trim();
	if (!text) return [];
	if (text.startsWith('[') || text.startsWith('{')) {
		try {
			return listParameter(JSON.parse(text));
		} catch {
			// not JSON: read as comma-separated
		}
	}
	return text.split(',').map((part) => part.trim());
}

/**
 * The shop's rows: the appointment IDs of the customer in this shop, and whether the index is
 * complete for the shop (the shop among `indexShopIds`). A customer's rows alone do not make it
 * so: the Flows only push what is booked or changed after the install.
 */
export function readIndex(
	rows: unknown[],
	shopIds: unknown[],
	shopId: string,
): { populated: boolean; ids: string[] } {
	const ids = new Set<string>();
	for (const row of rows) {
		const record = (row && typeof row === 'object' ? row : { appointmentId: row }) as IDataObject;
		const rowShop = String(record.shopId ?? '').trim();
		if (rowShop && rowShop !== shopId) continue;
		const id = String(record.appointmentId ?? record.id ?? '').trim();
		if (!MONGO_ID.test(id)) continue;
		ids.add(id);
	}
	const named = shopIds.some((value) => String(value ?? '').trim() === shopId);
	return { populated: named, ids: [...ids] };
}

/** Whether an answer to `ids=<chunk>` kept to the chunk (a server that ignored `ids` did not). */
export function honoursIds(page: SesamiPage, chunk: string[]): boolean {
	const wanted = new Set(chunk);
	const data = Array.isArray(page?.data) ? page.data : [];
	if (data.some((item) => !wanted.has(String(item?.id ?? '')))) return false;
	if (typeof page?.totalItems === 'number' && page.totalItems > chunk.length) return false;
	return !(typeof page?.remainingItems === 'number' && page.remainingItems > 0);
}

function startOf(appointment: IDataObject): number {
	const ms = Date.parse(String(appointment.datetime ?? ''));
	return Number.isNaN(ms) ? 0 : ms;
}

/**
 * The customer's appointments among `ids`, fresh from Sesami: one call per 100 IDs with the first
 * encoding that Sesami honours; undefined when none is honoured (the caller walks). IDs Sesami
 * does not return (deleted, or outside Which) are dropped; so is every appointment whose
 * customer.externalId is not the customer's, whatever the index said.
 */
export async function listFromIndex(
	this: IExecuteFunctions,
	ids: string[],
	customerId: string,
	qs: IDataObject,
	itemIndex: number,
): Promise<IDataObject[] | undefined> {
	const found: IDataObject[] = [];
	let encodings: Encoding[] = [...ENCODINGS];
	for (let at = 0; at < ids.length; at += PAGE_SIZE_MAX) {
		const chunk = ids.slice(at, at + PAGE_SIZE_MAX);
		let answered: IDataObject[] | undefined;
		while (!answered && encodings.length) {
			const page = (await sesamiApiRequest.call(this, 'GET', '/{shop}/appointments', {
				itemIndex,
				arrayFormat: encodings[0],
				qs: { ...qs, ids: chunk, limit: chunk.length },
			})) as SesamiPage;
			if (honoursIds(page, chunk)) answered = Array.isArray(page.data) ? page.data : [];
			else encodings = encodings.slice(1);
		}
		if (!answered) return undefined;
		found.push(...answered);
	}
	const direction = qs.filterType === 'PAST' ? -1 : 1;
	return found
		.filter((appointment) => ownsAppointment(appointment, customerId))
		.sort((a, b) => direction * (startOf(a) - startOf(b)));
}

/**
 * The shop this item's calls go to: the credential's, or the item's with an app installation (rows
 * of other shops are not this shop's index).
 */
export async function credentialShopId(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<string> {
	return (await getSesamiSettings.call(this, itemIndex)).shopId;
}
