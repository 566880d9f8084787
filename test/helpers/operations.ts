/**
 * The resource / operation options an action node offers in the editor (its description), and a
 * run of its `execute` for one of them that must reach the operation (an unknown one is refused by
 * the router with "The operation ... is not known"). No credentials are given, so an operation
 * stops at its first parameter or credential read and nothing is sent anywhere.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType } from 'n8n-workflow';

import { executeContext } from './n8n-context';

/** resource -> the operations the editor offers for it. */
export function offeredOperations(node: INodeType): Record<string, string[]> {
	const properties = node.description.properties;
	const values = (property: INodeProperties | undefined) =>
		(property?.options ?? []).map((option) => String((option as { value: unknown }).value));
	const resources = values(properties.find((property) => property.name === 'resource'));
	return Object.fromEntries(
		resources.map((resource) => [
			resource,
			properties
				.filter(
					(property) =>
						property.name === 'operation' &&
						(property.displayOptions?.show?.resource ?? []).includes(resource),
				)
				.flatMap(values)
				.sort(),
		]),
	);
}

/** What `execute` answers for this resource / operation, with continueOnFail (the item's error). */
export async function errorOf(
	node: INodeType & { execute(this: IExecuteFunctions): Promise<unknown> },
	resource: string,
	operation: string,
): Promise<string> {
	const context = executeContext({ parameters: { resource, operation }, continueOnFail: true });
	const [output] = (await node.execute.call(context)) as Array<Array<{ json: IDataObject }>>;
	return String(output[0].json.error ?? '');
}
