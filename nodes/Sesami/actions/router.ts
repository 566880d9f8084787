import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as appointment from './appointment/Appointment.resource';
import * as availability from './availability/Availability.resource';
import * as customer from './customer/Customer.resource';
import * as flow from './flow/Flow.resource';
import * as location from './location/Location.resource';
import * as reservation from './reservation/Reservation.resource';
import * as resource from './resource/Resource.resource';
import * as service from './service/Service.resource';
import * as shop from './shop/Shop.resource';
import type { SesamiOperation } from './shared';

const resources: Record<string, Record<string, Pick<SesamiOperation, 'execute'>>> = {
	appointment: appointment.operations,
	availability: availability.operations,
	customer: customer.operations,
	flow: flow.operations,
	location: location.operations,
	reservation: reservation.operations,
	resource: resource.operations,
	service: service.operations,
	shop: shop.operations,
};

function isNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	return (
		error instanceof NodeApiError ||
		error instanceof NodeOperationError ||
		// A second copy of n8n-workflow (the one n8n itself loads) fails instanceof.
		['NodeApiError', 'NodeOperationError'].includes((error as Error)?.name ?? '')
	);
}

/** Runs the chosen operation once per input item, with continueOnFail and pairedItem. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resourceName = this.getNodeParameter('resource', itemIndex) as string;
			const operationName = this.getNodeParameter('operation', itemIndex) as string;
			const operation = resources[resourceName]?.[operationName];
			if (!operation) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operationName}" is not known for "${resourceName}"`,
					{ itemIndex },
				);
			}
			const result = await operation.execute.call(this, itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				returnData.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const nodeError = isNodeError(error)
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (this.continueOnFail()) {
				returnData.push({
					json: {
						error: nodeError.message,
						...(nodeError.description ? { errorDescription: nodeError.description } : {}),
						...((nodeError as NodeApiError).httpCode ? { httpCode: (nodeError as NodeApiError).httpCode } : {}),
					},
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
