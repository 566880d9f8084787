import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	JsonObject,
} from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { createHmac } from 'crypto';

import { localCredentialTest } from '../shared/manualWebhook';
import { RecentKeys, rawBodyParameter, readBody } from '../shared/rawBody';
import { headerValue, safeEqual } from '../shared/webhookAuth';
import { sesamiApiRequest, sesamiApiRequestAllItems } from '../Sesami/transport';
import { FLOW_TRIGGERS } from '../Sesami/actions/flow/fields';
import { simplifyAppointment } from '../Sesami/helpers/utils';
import { FLOW_EVENTS, normalizeEvent, normalizeFlowPush } from './helpers/normalize';
import { SECRET_HEADER, canonicalFlowTemplate } from './helpers/template';
import { parseTolerantJson, unescapeDeep } from '../shared/tolerantJson';


interface FlowRegistration {
	/** Left over from earlier versions, which stored the secret: removed on the next registration. */
	secret?: string;
	flowIds?: string[];
	events?: string[];
	recent?: Record<string, number>;
}

/** Pushes seen recently (duplicate marking). */
const recentPushes = new RecentKeys();

/**
 * The secret header value of the Flows of one webhook URL, derived from the Sesami API key:
 * the same on every (re)publish, so a push that arrives while n8n is still saving the workflow
 * after registration is not refused, and nothing secret is stored in the workflow. Changing the
 * API key changes it (re-publish to update the Flows).
 */
function flowSecret(apiKey: string, webhookUrl: string): string {
	return createHmac('sha256', apiKey).update(`n8n-nodes-sesami-imin:flow-secret:${baseUrl(webhookUrl)}`).digest('hex');
}

async function automaticSecret(this: IHookFunctions | IWebhookFunctions): Promise<string> {
	const credentials = await this.getCredentials('sesamiApi');
	return flowSecret(String(credentials.apiKey ?? ''), this.getNodeWebhookUrl('default') as string);
}

function baseUrl(url: string): string {
	return url.split('?')[0].replace(/\/+$/, '');
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
				responseData: n8nWorkflow.fromFunction((parameters) => (parameters.responseMode === 'lastNode' ? 'noData' : '')),
			})
		: {
				responseMode: '={{$parameter["responseMode"] || "onReceived"}}',
				responseData: '={{$parameter["responseMode"] === "lastNode" ? "noData" : ""}}',
			};

/** Flow (de)registration runs while n8n publishes or shuts down: fail fast rather than retry for long. */
const HOOK_REQUEST = { timeoutMs: 10_000, idempotent: false } as const;

async function flowsForThisWebhook(this: IHookFunctions): Promise<IDataObject[]> {
	const webhookUrl = baseUrl(this.getNodeWebhookUrl('default') as string);
	const flows = await sesamiApiRequestAllItems.call(this, '/{shop}/flows', {}, Infinity, HOOK_REQUEST);
	return flows.filter((flow) => flow.action === 'WEBHOOK' && baseUrl(String(flow.target ?? '')) === webhookUrl);
}

function reject(this: IWebhookFunctions, status: number, error: string, reason: string): IWebhookResponseData {
	const res = this.getResponseObject();
	res.status(status).json({ error, reason });
	return { noWebhookResponse: true };
}

export class SesamiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sesami Trigger',
		name: 'sesamiTrigger',
		icon: { light: 'file:../Sesami/sesami.svg', dark: 'file:../Sesami/sesami.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a Sesami Flow pushes an appointment event',
		defaults: { name: 'Sesami Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'sesamiApi', required: true, displayOptions: { show: { registration: ['automatic'] } } },
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
				options: FLOW_TRIGGERS,
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
						description: 'Publishing the workflow creates one Sesami Flow per event (uses Flow slots of your plan)',
					},
					{
						name: 'Manual',
						value: 'manual',
						description: 'You create the Flows in Sesami yourself and paste the URL, header and template',
					},
				],
				default: 'automatic',
			},
			{
				displayName:
					'In Sesami, create one Flow per event: action Webhook, when Immediately, target = this node\'s Production URL with ?event=EVENT_NAME appended, headers = {"x-sesami-flow-secret": "<the secret of the credential>"} (use the header name of the credential), and as body the template in the README ("Sesami Trigger: the Flow template").',
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
							'Answer once the workflow has finished (empty body); a failed or lost execution (e.g. a queue-mode worker that died) answers HTTP 500, so the sender can send the push again. Pushes are then never marked "duplicate" (a re-sent push must be processed): dedupe with stored state, as the example workflows do.',
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
					{
						displayName: 'Duplicate Window (Minutes)',
						name: 'duplicateWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 60,
						description:
							'Pushes of the same appointment, event and start time within this window are marked "duplicate: true" (only when Respond is Immediately)',
					},
					{
						displayName: 'Fetch Full Appointment',
						name: 'fetchFullAppointment',
						type: 'boolean',
						default: false,
						displayOptions: { show: { '/registration': ['automatic'] } },
						description:
							'Whether to load the appointment from the Sesami API (by ID, or by customer email and start time when the push has no ID)',
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
				if (!/^[A-Za-z0-9-]+$/.test(String(data.headerName ?? ''))) return 'The header name may contain only letters, digits and dashes';
				if (String(data.secret ?? '').length < 16) return 'Use a secret of at least 16 characters';
				return undefined;
			}, 'The header name and secret are usable'),
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') !== 'automatic') return true;
				const events = this.getNodeParameter('events', []) as string[];
				const secret = await automaticSecret.call(this);
				const flows = (await flowsForThisWebhook.call(this)).filter((flow) => {
					const template = (flow.template ?? {}) as IDataObject;
					return String(template.headers ?? '').includes(secret);
				});
				const registered = new Set(flows.filter((flow) => flow.status !== false).map((flow) => String(flow.trigger)));
				return events.every((event) => registered.has(event));
			},

			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') !== 'automatic') return true;
				const events = this.getNodeParameter('events', []) as string[];
				if (!events.length) {
					throw new NodeOperationError(this.getNode(), 'Choose at least one event');
				}
				const settings = this.getNodeParameter('settings', {}) as IDataObject;
				const prefix = String(settings.flowNamePrefix ?? 'n8n') || 'n8n';
				const webhookUrl = baseUrl(this.getNodeWebhookUrl('default') as string);
				// Start clean: Flows left behind for this URL (e.g. by a crash) are replaced.
				for (const flow of await flowsForThisWebhook.call(this)) {
					await sesamiApiRequest.call(this, 'DELETE', `/{shop}/flows/${encodeURIComponent(String(flow.id))}`, HOOK_REQUEST);
				}
				const secret = await automaticSecret.call(this);
				const workflowName = this.getWorkflow().name ?? this.getWorkflow().id ?? 'workflow';
				for (const event of events) {
					await sesamiApiRequest.call(this, 'POST', '/{shop}/flows', {
						body: {
							status: true,
							name: `${prefix} · ${workflowName} · ${event}`.slice(0, 120),
							trigger: event,
							action: 'WEBHOOK',
							target: `${webhookUrl}?event=${event}`,
							when: { amount: 0, unit: 'IMMEDIATELY' },
							template: { headers: JSON.stringify({ [SECRET_HEADER]: secret }), body: canonicalFlowTemplate(event) },
						},
					});
				}
				// Sesami answers 201 without a body: find the Flows again to keep their IDs.
				const flows = await flowsForThisWebhook.call(this);
				const data = this.getWorkflowStaticData('node') as FlowRegistration;
				delete data.secret;
				data.events = events;
				data.flowIds = flows.map((flow) => String(flow.id));
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') !== 'automatic') return true;
				const data = this.getWorkflowStaticData('node') as FlowRegistration;
				try {
					for (const flow of await flowsForThisWebhook.call(this)) {
						await sesamiApiRequest.call(this, 'DELETE', `/{shop}/flows/${encodeURIComponent(String(flow.id))}`, HOOK_REQUEST);
					}
				} catch (error) {
					this.logger.warn(`Sesami Trigger: could not delete the Flows of this webhook: ${(error as Error).message}`);
					return false;
				}
				delete data.secret;
				delete data.flowIds;
				delete data.events;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const registration = this.getNodeParameter('registration') as string;
		const data = this.getWorkflowStaticData('node') as FlowRegistration;

		let headerName = SECRET_HEADER;
		let expected: string;
		if (registration === 'automatic') {
			expected = await automaticSecret.call(this);
		} else {
			const credentials = await this.getCredentials('sesamiFlowsWebhookApi');
			headerName = String(credentials.headerName || SECRET_HEADER);
			expected = String(credentials.secret ?? '');
		}
		if (!safeEqual(headerValue(req.headers as IDataObject, headerName), expected)) {
			return reject.call(this, 401, 'unauthorized', `missing or wrong ${headerName} header`);
		}

		const read = await readBody.call(this);
		if (!read.ok) return reject.call(this, read.status, read.error, read.reason);
		const parsed = parseTolerantJson(read.text);
		if (!parsed.ok) return reject.call(this, 400, 'invalid body', `the Flow body is not readable JSON: ${parsed.reason}`);
		if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
			return reject.call(this, 400, 'invalid body', 'the Flow body must be a JSON object');
		}
		const body = unescapeDeep(parsed.value) as IDataObject;

		const query = (req.query ?? {}) as IDataObject;
		const push = normalizeFlowPush(body, typeof query.event === 'string' ? query.event : null);
		const events = this.getNodeParameter('events', []) as string[];
		if (push.event && !events.includes(String(push.event))) {
			// A Flow for an event this node does not listen to: accept it, start nothing.
			return { webhookResponse: { received: true, ignored: `event ${String(push.event)} is not selected` } };
		}
		if (!push.event && events.length === 1) push.event = normalizeEvent(events[0]);
		const invalid = invalidPush(push);
		if (invalid) return reject.call(this, 400, 'invalid body', invalid);

		const settings = this.getNodeParameter('settings', {}) as IDataObject;
		const windowMs = Number(settings.duplicateWindowMinutes ?? 60) * 60_000;
		const now = Date.now();
		const dedupeKey = [push.appointmentId ?? (push.customer as IDataObject).email, push.event, push.startUtc].join('|');
		const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
		let appointment: IDataObject | undefined;
		if (registration === 'automatic' && settings.fetchFullAppointment === true) {
			// Before the push is remembered: when Sesami cannot be reached the push fails (the sender
			// gets a 5xx and re-sends it), and the re-sent push must not count as a duplicate.
			try {
				appointment = await loadAppointment.call(this, push);
			} catch (error) {
				// An appointment Sesami does not know is the sender's mistake: answer it, start nothing
				// (a throw here makes n8n answer 500 and record a failed execution). Other failures
				// (Sesami down, rate limits) stay errors so the sender retries.
				// (NodeApiError hands back an error that already is one, unchanged.)
				if (!['400', '404'].includes(String((error as { httpCode?: unknown }).httpCode))) throw new NodeApiError(this.getNode(), error as JsonObject);
			}
			if (!appointment) {
				const which = push.appointmentId ? `appointment ${String(push.appointmentId)}` : 'appointment of that customer email and start time';
				return reject.call(this, 422, 'unknown appointment', `Sesami has no ${which}`);
			}
		}
		// When Last Node Finishes: the sender waits for each answer and re-sends a push whose execution
		// failed or was lost, so a copy that arrives here is one the previous attempt did not (or not
		// surely) process. Marking it a duplicate would make the workflow drop it and lose the push; the
		// workflow's stored state (upsert, email log) dedupes instead.
		const duplicate =
			this.getNodeParameter('responseMode', 'onReceived') === 'lastNode'
				? false
				: recentPushes.seen(scope, dedupeKey, windowMs, (data.recent ??= {}), now);

		const item: IDataObject = {
			...push,
			...(appointment ? { appointment: simplifyAppointment(appointment), appointmentRaw: appointment } : {}),
			duplicate,
			dedupeKey,
			receivedAt: new Date(now).toISOString(),
			repairs: parsed.repairs,
			raw: body,
		};
		return {
			workflowData: [this.helpers.returnJsonArray([item])],
			webhookResponse: { received: true, duplicate },
		};
	}
}

const FLOW_EVENTS_TEXT = FLOW_EVENTS.join(', ');
const SESAMI_ID = /^[a-f0-9]{24}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Why a normalised push cannot be processed (undefined when it can). */
export function invalidPush(push: IDataObject): string | undefined {
	if (!push.event) {
		return `the push names no Sesami event this node knows: add ?event=<EVENT> to the Flow URL or an "event" field (one of ${FLOW_EVENTS_TEXT})`;
	}
	const email = (push.customer as IDataObject | undefined)?.email;
	if (!push.appointmentId && !email) return 'the Flow body carries neither an appointment ID nor a customer email';
	if (push.appointmentId && !SESAMI_ID.test(String(push.appointmentId))) {
		return `appointmentId "${String(push.appointmentId).slice(0, 40)}" is not a Sesami appointment ID (24 hexadecimal characters)`;
	}
	if (!push.appointmentId && !EMAIL.test(String(email))) return `customer email "${String(email).slice(0, 60)}" is not an email address`;
	return undefined;
}

/** The full appointment: by ID, or by customer email + start time when the push has no ID. */
async function loadAppointment(this: IWebhookFunctions, push: IDataObject): Promise<IDataObject | undefined> {
	if (push.appointmentId) {
		return (await sesamiApiRequest.call(this, 'GET', `/{shop}/appointments/${encodeURIComponent(String(push.appointmentId))}`, {
			qs: { timezone: 'UTC' },
		})) as IDataObject;
	}
	const email = (push.customer as IDataObject).email as string;
	const matches = await sesamiApiRequestAllItems.call(
		this,
		'/{shop}/appointments',
		{ searchTerm: email, filterType: 'ALL', timezone: 'UTC' },
		500,
	);
	const start = push.startUtc ? Date.parse(String(push.startUtc)) : NaN;
	return matches.find((candidate) => {
		const customer = (candidate.customer ?? {}) as IDataObject;
		const sameEmail = String(customer.email ?? '').toLowerCase() === email;
		return sameEmail && (Number.isNaN(start) || Date.parse(String(candidate.datetime)) === start);
	});
}
