import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './errors';

type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;
type ResourceOperations = Record<string, Record<string, { execute: OperationExecute }>>;

/**
 * The resource / operation router of the package's action nodes: runs the chosen operation once
 * per input item, pairs every output item with its input (pairedItem), and with Continue On Fail
 * turns a failed item into an error item instead of stopping.
 */
export async function runOperations(
	this: IExecuteFunctions,
	resources: ResourceOperations,
): Promise<INodeExecutionData[][]> {
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
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (this.continueOnFail()) {
				const details: IDataObject = {
					...(nodeError.description ? { errorDescription: nodeError.description } : {}),
					...((nodeError as NodeApiError).httpCode
						? { httpCode: (nodeError as NodeApiError).httpCode }
						: {}),
				};
				// "Continue (using error output)": n8n sends an item to the error output only when its
				// json holds nothing but error / message / details, so the status and description go
				// under details there. "Continue" (regular output) keeps them beside the error.
				const json: IDataObject =
					this.getNode().onError === 'continueErrorOutput'
						? { error: nodeError.message, ...(Object.keys(details).length ? { details } : {}) }
						: { error: nodeError.message, ...details };
				returnData.push({ json, pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}
