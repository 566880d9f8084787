import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperations } from '../../shared/runOperations';
import type { SesamiOperation } from './shared';
import * as appointment from './appointment/Appointment.resource';
import * as availability from './availability/Availability.resource';
import * as customer from './customer/Customer.resource';
import * as flow from './flow/Flow.resource';
import * as location from './location/Location.resource';
import * as reservation from './reservation/Reservation.resource';
import * as resource from './resource/Resource.resource';
import * as service from './service/Service.resource';
import * as shop from './shop/Shop.resource';
import { refuseAppWrite } from '../transport';

type Operations = Record<string, SesamiOperation>;

/**
 * The operations that change data in Sesami. With App Installation they are refused before
 * anything is sent: app tokens are read-only (Shop:Read, https://sesami.dev/docs/sesami-apps/).
 * The transport also refuses every non-GET call made with an app token (transport/auth.ts).
 */
export const WRITE_OPERATIONS: Record<string, string[]> = {
	appointment: ['cancel', 'checkIn', 'markNoShow', 'reschedule', 'resendConfirmation'],
	customer: ['create'],
	flow: ['create', 'delete', 'update'],
};

/** The resource's operations, its writes refused up front with an app installation. */
function guarded(resource: string, operations: Operations): Operations {
	const writes = WRITE_OPERATIONS[resource] ?? [];
	return Object.fromEntries(
		Object.entries(operations).map(([name, operation]) => [
			name,
			writes.includes(name)
				? {
						...operation,
						async execute(this: IExecuteFunctions, itemIndex: number) {
							refuseAppWrite.call(this, `The ${resource} operation "${name}"`, itemIndex);
							return await operation.execute.call(this, itemIndex);
						},
					}
				: operation,
		]),
	);
}

/**
 * Runs the chosen Sesami operation once per input item, with continueOnFail and pairedItem; a
 * write with an app installation fails for its item, nothing sent.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations.call(this, {
		appointment: guarded('appointment', appointment.operations),
		availability: availability.operations,
		customer: guarded('customer', customer.operations),
		flow: guarded('flow', flow.operations),
		location: location.operations,
		reservation: reservation.operations,
		resource: resource.operations,
		service: service.operations,
		shop: shop.operations,
	});
}
