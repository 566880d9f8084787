import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { shopifyCustomerId } from '../../helpers/constants';
import { customerPolicy, ownsAppointment } from '../../helpers/policy';
import { PAGE_SIZE_MAX, sesamiApiRequest, sesamiApiRequestAllItems } from '../../transport';
import { simplifyField, timezoneField } from '../common.descriptions';
import { resolveTimezone } from '../shared';
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
	const maxPages = Math.max(1, Number(options.maxPages ?? 10));
	const all = await sesamiApiRequestAllItems.call(
		this,
		'/{shop}/appointments',
		{ filterType: this.getNodeParameter('filterType', itemIndex, 'UPCOMING'), timezone },
		maxPages * PAGE_SIZE_MAX,
		{ itemIndex },
	);
	const mine = await timedAppointments.call(
		this,
		all.filter((appointment) => ownsAppointment(appointment, customerId)),
		timezone,
		itemIndex,
	);
	if (!options.includePolicy)
		return mine.map((appointment) => appointmentOutput.call(this, appointment, itemIndex));
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
		});
	}
	return result;
}
