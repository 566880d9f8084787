import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Whether an error is one of n8n's node errors already. */
function isNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	return (
		error instanceof NodeApiError ||
		error instanceof NodeOperationError ||
		// A second copy of n8n-workflow (the one n8n itself loads) fails instanceof.
		['NodeApiError', 'NodeOperationError'].includes((error as Error)?.name ?? '')
	);
}

/** An error as n8n shows it: a node error unchanged, anything else wrapped in NodeOperationError. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	return isNodeError(error) ? error : new NodeOperationError(node, error as Error, { itemIndex });
}
