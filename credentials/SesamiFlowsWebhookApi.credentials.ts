import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The shared secret a Sesami Flow sends in a header of its webhook (Manual registration of the
 * Sesami Trigger). Sesami signs nothing, so this header is what proves a push comes from the
 * merchant's Flow: paste the same name and value into the Flow's headers in Sesami.
 */
export class SesamiFlowsWebhookApi implements ICredentialType {
	name = 'sesamiFlowsWebhookApi';

	displayName = 'Sesami Flows Webhook API';

	icon: Icon = {
		light: 'file:../nodes/Sesami/sesami.svg',
		dark: 'file:../nodes/Sesami/sesami.dark.svg',
	};

	documentationUrl = 'https://sesami.dev/docs/sesami-flows/flows';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'x-sesami-flow-secret',
			required: true,
			description: "Name of the header the Flow sends (set it in the Flow's headers in Sesami)",
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random value (e.g. 32+ characters); the Flow must send exactly this value',
		},
	];
}
