import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A required text parameter (or the value of a resource locator), trimmed; an error when it is
 * empty: "<label> is empty" (default label: The parameter "<name>"), with `hint` as its description.
 */
export function requiredString(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	options: { label?: string; hint?: string } = {},
): string {
	const value = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const text = String(value ?? '').trim();
	if (!text) {
		throw new NodeOperationError(
			this.getNode(),
			`${options.label ?? `The parameter "${name}"`} is empty`,
			{ itemIndex, description: options.hint },
		);
	}
	return text;
}

/** How many items a "Get Many" returns: Infinity for Return All, else Limit (at least 1). */
export function returnAllLimit(this: IExecuteFunctions, itemIndex: number): number {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return Infinity;
	return Math.max(1, Number(this.getNodeParameter('limit', itemIndex, 50)));
}
