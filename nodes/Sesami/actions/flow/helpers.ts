import type { IDataObject } from 'n8n-workflow';

/** Turns the node's flat Flow fields into the API's CreateFlowRequest / UpdateFlowRequest shape. */
export function flowBody(fields: IDataObject, current?: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const key of ['name', 'trigger', 'action', 'target', 'status']) {
		if (fields[key] !== undefined && fields[key] !== '') body[key] = fields[key];
	}
	const currentWhen = (current?.when ?? {}) as IDataObject;
	if (fields.whenUnit !== undefined || fields.whenAmount !== undefined) {
		const unit = (fields.whenUnit as string) ?? (currentWhen.unit as string) ?? 'IMMEDIATELY';
		body.when = {
			unit,
			amount: unit === 'IMMEDIATELY' ? 0 : Number(fields.whenAmount ?? currentWhen.amount ?? 0),
		};
	}
	const currentTemplate = (current?.template ?? {}) as IDataObject;
	if (fields.templateHeaders !== undefined || fields.templateBody !== undefined) {
		body.template = {
			headers: String(fields.templateHeaders ?? currentTemplate.headers ?? '{}'),
			body: String(fields.templateBody ?? currentTemplate.body ?? ''),
		};
	}
	return body;
}
