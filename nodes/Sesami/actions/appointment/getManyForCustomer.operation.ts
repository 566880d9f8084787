import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { shopifyCustomerId } from '../../helpers/constants';
import { customerPolicy, ownsAppointment } from '../../helpers/policy';
import { PAGE_SIZE_MAX, sesamiApiRequest, sesamiApiRequestAllItems } from '../../transport';
import { simplifyField, timezoneField } from '../common.descriptions';
import { resolveTimezone } from '../shared';
import type { ListSource } from './customerIndex';
import {
	credentialShopId,
	indexProperties,
	listFromIndex,
	listParameter,
	readIndex,
} from './customerIndex';
import { forbidden, includePolicyOption } from './guard';
import { appointmentOutput, timedAppointments } from './helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Shopify Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 7001234567890 or gid://shopify/Customer/7001234567890',
		description:
			'Keep the appointments whose customer.externalId is this Shopify customer. Use ' +
			'the ID a verified trigger gives, never one sent by the browser.',
	},
	{
		displayName: 'Which',
		name: 'filterType',
		type: 'options',
		options: [
			{ name: 'All', value: 'ALL' },
			{ name: 'Past', value: 'PAST' },
			{ name: 'Upcoming', value: 'UPCOMING' },
		],
		default: 'UPCOMING',
	},
	...indexProperties,
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			includePolicyOption,
			{
				displayName: 'Max Pages',
				name: 'maxPages',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description:
					'Sesami has no customer filter: the node reads up to this many pages of 100 appointments',
			},
			timezoneField('IANA timezone of the times in the answer. Empty uses the credential default.'),
		],
	},
];

export const description = withDisplay('appointment', 'getManyForCustomer', properties);

/**
 * The customer's appointments, and the path that listed them in index mode (undefined in walk
 * mode): from the stored links index when it has rows for the shop, else by walking the shop's
 * appointments (up to maxPages pages of 100) and keeping the customer's.
 */
async function customerAppointments(
	this: IExecuteFunctions,
	customerId: string,
	qs: IDataObject,
	maxPages: number,
	itemIndex: number,
): Promise<{ appointments: IDataObject[]; source?: ListSource }> {
	const indexMode = this.getNodeParameter('listFrom', itemIndex, 'walk') === 'index';
	if (indexMode) {
		const index = readIndex(
			listParameter(this.getNodeParameter('storedLinks', itemIndex, '')),
			listParameter(this.getNodeParameter('indexShopIds', itemIndex, '')),
			await credentialShopId.call(this, itemIndex),
		);
		if (index.populated) {
			const listed = index.ids.length
				? await listFromIndex.call(this, index.ids, customerId, qs, itemIndex)
				: [];
			if (listed) return { appointments: listed, source: 'index' };
		}
	}
	const all = await sesamiApiRequestAllItems.call(
		this,
		'/{shop}/appointments',
		qs,
		maxPages * PAGE_SIZE_MAX,
		{ itemIndex },
	);
	return {
		appointments: all.filter((appointment) => ownsAppointment(appointment, customerId)),
		source: indexMode ? 'walk' : undefined,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const customerId = shopifyCustomerId(this.getNodeParameter('customerId', itemIndex, ''));
	if (!customerId) {
		throw forbidden.call(
			this,
			'The customer ID is not a Shopify customer ID',
			'Expected digits or gid://shopify/Customer/<digits>.',
			itemIndex,
		);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const timezone = await resolveTimezone.call(this, options.timezone, itemIndex);
	const qs = { filterType: this.getNodeParameter('filterType', itemIndex, 'UPCOMING'), timezone };
	const { appointments, source } = await customerAppointments.call(
		this,
		customerId,
		qs,
		Math.max(1, Number(options.maxPages ?? 10)),
		itemIndex,
	);
	const mine = await timedAppointments.call(this, appointments, timezone, itemIndex);
	// In index mode every item says which path listed it (saved walk-mode workflows keep their output)
	const tag = source ? { listedFrom: source } : {};
	if (!options.includePolicy)
		return mine.map((appointment) => ({
			...appointmentOutput.call(this, appointment, itemIndex),
			...tag,
		}));
	const services = new Map<string, IDataObject>();
	const result: IDataObject[] = [];
	for (const appointment of mine) {
		const serviceId = String(appointment.service ?? '');
		let service = services.get(serviceId) ?? (appointment.serviceObject as IDataObject | undefined);
		if (!service) {
			service = (await sesamiApiRequest.call(
				this,
				'GET',
				`/{shop}/services/${encodeURIComponent(serviceId)}`,
				{ itemIndex },
			)) as IDataObject;
		}
		services.set(serviceId, service);
		result.push({
			...appointmentOutput.call(this, appointment, itemIndex),
			policy: customerPolicy(appointment, service) as unknown as IDataObject,
			...tag,
		});
	}
	return result;
}
