import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperations } from '../../shared/runOperations';
import * as appointment from './appointment/Appointment.resource';
import * as availability from './availability/Availability.resource';
import * as customer from './customer/Customer.resource';
import * as flow from './flow/Flow.resource';
import * as location from './location/Location.resource';
import * as reservation from './reservation/Reservation.resource';
import * as resource from './resource/Resource.resource';
import * as service from './service/Service.resource';
import * as shop from './shop/Shop.resource';

/** Runs the chosen Sesami operation once per input item, with continueOnFail and pairedItem. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations.call(this, {
		appointment: appointment.operations,
		availability: availability.operations,
		customer: customer.operations,
		flow: flow.operations,
		location: location.operations,
		reservation: reservation.operations,
		resource: resource.operations,
		service: service.operations,
		shop: shop.operations,
	});
}
