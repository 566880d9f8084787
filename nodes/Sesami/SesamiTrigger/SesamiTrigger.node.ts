import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { duplicateWindowOption } from '../../shared/webhook/duplicates';
import { localCredentialTest } from '../../shared/webhook/manualWebhook';
import { rawBodyParameter } from '../../shared/webhook/rawBody';
import { answerRefusals } from '../../shared/webhook/refusal';
import { FLOW_EVENT_OPTIONS } from '../helpers/constants';
import { receivePush } from './helpers/receive';
import { register, registrationIsIntact, unregister } from './helpers/registration';

/**
 * What earlier versions kept about the registration in the workflow's static data (the secret, the
 * events, the Flow IDs). Nothing is kept now: the Flows are found by their target or registration
 * mark (helpers/registration.ts), and the secret is derived. Removed on the next registration.
 */
interface LegacyRegistration {
	secret?: string;
	events?: string[];
	flowIds?: string[];
}

/** Forgets what earlier versions stored about the registration. */
function dropLegacyKeys(data: LegacyRegistration): void {
	delete data.secret;
	delete data.events;
	delete data.flowIds;
}

/**
 * The webhook's Respond fields, as expressions of the node's own parameter. Declared with
 * n8n-workflow's `webhookDescriptionFields` where it exists (n8n 2.x): n8n then resolves them from the
 * node's parameters without its expression engine (no isolate evaluation per request); older
 * n8n-workflow copies get the same expressions as plain templates.
 */
const respondFields: { responseMode: string; responseData: string } =
	typeof n8nWorkflow.webhookDescriptionFields === 'function'
		? n8nWorkflow.webhookDescriptionFields({
				responseMode: n8nWorkflow.fromParameter('responseMode', 'onReceived'),
				responseData: n8nWorkflow.fromFunction((parameters) =>
					parameters.responseMode === 'lastNode' ? 'noData' : '',
				),
			})
		: {
				responseMode: '={{$parameter["responseMode"] || "onReceived"}}',
				responseData: '={{$parameter["responseMode"] === "lastNode" ? "noData" : ""}}',
			};

export class SesamiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sesami Trigger',
		name: 'sesamiTrigger',
		icon: { light: 'file:../sesami.svg', dark: 'file:../sesami.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a Sesami Flow pushes an appointment event',
		defaults: { name: 'Sesami Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'sesamiApi',
				required: true,
				displayOptions: { show: { registration: ['automatic'] } },
			},
			{
				name: 'sesamiFlowsWebhookApi',
				required: true,
				testedBy: 'sesamiFlowsSecretTest',
				displayOptions: { show: { registration: ['manual'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// "Respond": immediately (the push is acknowledged before the workflow runs) or once the
				// last node has finished (a failed or lost execution answers 500, so the sender re-sends).
				...respondFields,
				path: 'flows',
			},
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: FLOW_EVENT_OPTIONS,
				required: true,
				default: ['APPOINTMENT_CREATED', 'APPOINTMENT_RESCHEDULED', 'APPOINTMENT_CANCELLED'],
				description: 'The Sesami Flow triggers to listen to',
			},
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'automatic',
						description:
							'Publishing the workflow creates one Sesami Flow per event (uses Flow slots of ' +
							'your plan)',
					},
					{
						name: 'Manual',
						value: 'manual',
						description:
							'You create the Flows in Sesami yourself and paste the URL, header and template',
					},
				],
				default: 'automatic',
			},
			{
				displayName:
					'In Sesami, create one Flow per event: action Webhook, when Immediately, ' +
					"target = this node's Production URL with ?event=EVENT_NAME appended, headers " +
					'= {"x-sesami-flow-secret": "<the secret of the credential>"} (use the header ' +
					'name of the credential), and as body the template in the README ("Sesami ' +
					'Trigger: the Flow template").',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] } },
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'Immediately',
						value: 'onReceived',
						description: 'Answer Sesami as soon as the push is accepted, before the workflow runs',
					},
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description:
							'Answer once the workflow has finished (empty body); a failed or lost ' +
							'execution (e.g. a queue-mode worker that died) answers HTTP 500, so the ' +
							'sender can send the push again. Pushes are then never marked "duplicate" (a ' +
							're-sent push must be processed): dedupe with stored state, as the example ' +
							'workflows do.',
					},
				],
				default: 'onReceived',
				description: 'When to answer the push',
			},
			rawBodyParameter,
			{
				displayName: 'Options',
				name: 'settings',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					duplicateWindowOption(
						60,
						'Pushes of the same appointment, event and start time within this window are marked "duplicate: true" (only when Respond is Immediately)',
					),
					{
						displayName: 'Fetch Full Appointment',
						name: 'fetchFullAppointment',
						type: 'boolean',
						default: false,
						displayOptions: { show: { '/registration': ['automatic'] } },
						description:
							'Whether to load the appointment from the Sesami API (by ID, or by customer ' +
							'email and start time when the push has no ID)',
					},
					{
						displayName: 'Flow Name Prefix',
						name: 'flowNamePrefix',
						type: 'string',
						default: 'n8n',
						displayOptions: { show: { '/registration': ['automatic'] } },
						description: 'Name of the Flows this node creates: "prefix · workflow name · event"',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			// Nothing remote to call: Sesami sends the header, it cannot be asked about it. The test
			// checks that the header name is valid and the secret is long enough to be guessed by no one.
			sesamiFlowsSecretTest: localCredentialTest((data) => {
				if (!/^[A-Za-z0-9-]+$/.test(String(data.headerName ?? '')))
					return 'The header name may contain only letters, digits and dashes';
				if (String(data.secret ?? '').length < 16) return 'Use a secret of at least 16 characters';
				return undefined;
			}, 'The header name and secret are usable'),
		},
	};

	webhookMethods = {
		default: {
			// Publishing checks the registration and repairs what drifted (helpers/registration.ts).
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') !== 'automatic') return true;
				return await registrationIsIntact.call(
					this,
					this.getNodeParameter('events', []) as string[],
				);
			},

			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') !== 'automatic') return true;
				const events = this.getNodeParameter('events', []) as string[];
				if (!events.length) {
					throw new NodeOperationError(this.getNode(), 'Choose at least one event');
				}
				const settings = this.getNodeParameter('settings', {}) as IDataObject;
				const prefix = String(settings.flowNamePrefix ?? 'n8n') || 'n8n';
				await register.call(this, events, prefix);
				dropLegacyKeys(this.getWorkflowStaticData('node') as LegacyRegistration);
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') !== 'automatic') return true;
				const data = this.getWorkflowStaticData('node') as LegacyRegistration;
				try {
					await unregister.call(this);
				} catch (error) {
					this.logger.warn(
						`Sesami Trigger: could not delete the Flows of this webhook: ${(error as Error).message}`,
					);
					return false;
				}
				dropLegacyKeys(data);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerRefusals.call(this, async () => await receivePush.call(this));
	}
}
