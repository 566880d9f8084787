import type { INodeProperties } from 'n8n-workflow';

import { FLOW_EVENT_OPTIONS } from '../../helpers/constants';

const WHEN_UNITS = [
	{ name: 'Days After', value: 'DAYS_AFTER' },
	{ name: 'Days Before', value: 'DAYS_BEFORE' },
	{ name: 'Hours After', value: 'HOURS_AFTER' },
	{ name: 'Hours Before', value: 'HOURS_BEFORE' },
	{ name: 'Immediately', value: 'IMMEDIATELY' },
	{ name: 'Minutes After', value: 'MINUTES_AFTER' },
	{ name: 'Minutes Before', value: 'MINUTES_BEFORE' },
];

export const flowIdField: INodeProperties = {
	displayName: 'Flow ID',
	name: 'flowId',
	type: 'string',
	required: true,
	default: '',
	description: 'ID of the Sesami Flow',
};

/** Fields of a Flow (CreateFlowRequest); `required` marks those Create needs. */
export function flowFields(required: boolean): INodeProperties[] {
	return [
		{ displayName: 'Name', name: 'name', type: 'string', default: '', required },
		{
			displayName: 'Trigger',
			name: 'trigger',
			type: 'options',
			options: FLOW_EVENT_OPTIONS,
			default: 'APPOINTMENT_CREATED',
			required,
			description: 'The appointment event that runs the Flow',
		},
		{
			displayName: 'Action',
			name: 'action',
			type: 'options',
			options: [
				{ name: 'Webhook', value: 'WEBHOOK' },
				{ name: 'Email', value: 'EMAIL' },
			],
			default: 'WEBHOOK',
			required,
		},
		{
			displayName: 'Target',
			name: 'target',
			type: 'string',
			default: '',
			required,
			placeholder: 'e.g. https://n8n.example.com/webhook/...',
			description: 'Webhook URL (Webhook action) or recipient (Email action)',
		},
		{
			displayName: 'Active',
			name: 'status',
			type: 'boolean',
			default: true,
			description: 'Whether the Flow is enabled',
		},
		{
			displayName: 'When',
			name: 'whenUnit',
			type: 'options',
			options: WHEN_UNITS,
			default: 'IMMEDIATELY',
			description: 'When the Flow runs, relative to the event or the appointment',
		},
		{
			displayName: 'Amount',
			name: 'whenAmount',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'How many minutes, hours or days (ignored for Immediately)',
		},
		{
			displayName: 'Template Headers',
			name: 'templateHeaders',
			type: 'string',
			default: '{}',
			description:
				'Headers Sesami sends with the webhook, as a JSON object in a string, e.g. ' +
				'{"x-flow-secret":"..."}',
		},
		{
			displayName: 'Template Body',
			name: 'templateBody',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			description:
				'Handlebars template of the webhook body (or email), e.g. {"name": ' +
				'"{{CustomerName}}"}. Sesami fills in the variables.',
		},
	];
}
