import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { sesamiApiRequest, sesamiApiRequestAllItems } from '../../transport';
import { flowFields } from './fields';
import { flowBody } from './helpers';

const FIELD_NAMES = flowFields(true).map((field) => field.name);

export const description = withDisplay('flow', 'create', flowFields(true));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const fields: IDataObject = {};
	for (const name of FIELD_NAMES) fields[name] = this.getNodeParameter(name, itemIndex);
	const body = flowBody(fields);
	// Not retried after a 5xx or a dropped connection: a second call could create a second Flow.
	await sesamiApiRequest.call(this, 'POST', '/{shop}/flows', { body, itemIndex });
	// Sesami answers 201 with no body: find the new Flow again by listing and matching it.
	const flows = await sesamiApiRequestAllItems.call(this, '/{shop}/flows', {}, Infinity, {
		itemIndex,
	});
	const matches = flows.filter(
		(flow) =>
			flow.target === body.target && flow.name === body.name && flow.trigger === body.trigger,
	);
	const created = matches.sort((a, b) =>
		String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')),
	)[0];
	return created ?? { created: true, ...body };
}
