import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as appointment from './actions/appointment/Appointment.resource';
import { authenticationProperties, credentials } from './actions/authentication.descriptions';
import * as availability from './actions/availability/Availability.resource';
import * as customer from './actions/customer/Customer.resource';
import * as flow from './actions/flow/Flow.resource';
import * as location from './actions/location/Location.resource';
import * as reservation from './actions/reservation/Reservation.resource';
import * as resource from './actions/resource/Resource.resource';
import { router } from './actions/router';
import * as service from './actions/service/Service.resource';
import * as shop from './actions/shop/Shop.resource';
import * as listSearch from './methods/listSearch';

export class Sesami implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sesami',
		name: 'sesami',
		icon: { light: 'file:sesami.svg', dark: 'file:sesami.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read, reschedule and cancel Sesami appointments and manage Flows (Shopify booking app)',
		defaults: { name: 'Sesami' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: [
			...authenticationProperties,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Appointment', value: 'appointment' },
					{ name: 'Availability', value: 'availability' },
					{ name: 'Customer', value: 'customer' },
					{ name: 'Flow', value: 'flow' },
					{ name: 'Location', value: 'location' },
					{ name: 'Reservation', value: 'reservation' },
					{ name: 'Resource', value: 'resource' },
					{ name: 'Service', value: 'service' },
					{ name: 'Shop', value: 'shop' },
				],
				default: 'appointment',
			},
			...appointment.description,
			...availability.description,
			...customer.description,
			...flow.description,
			...location.description,
			...reservation.description,
			...resource.description,
			...service.description,
			...shop.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
