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

import { localCredentialTest } from '../../shared/manualWebhook';
import { RecentKeys, rawBodyParameter, readBody } from '../../shared/rawBody';
import { headerValue, safeEqual } from '../../shared/webhookAuth';
import { FLOW_TRIGGERS } from '../actions/flow/fields';
import { simplifyAppointment } from '../helpers/utils';
import { withAppointmentTimes } from '../helpers/appointmentTimes';
import { FLOW_EVENTS, inZone, normalizeEvent, normalizeFlowPush } from './helpers/normalize';
import { SECRET_HEADER } from './helpers/template';
import {
	TOKEN_PARAMETER,
	register,
	registrationIsIntact,
	registrationOf,
	unregister,
} from './helpers/registration';
import { isEmail, isSesamiId, resolveAppointment } from './helpers/resolve';
import type { Resolution } from './helpers/resolve';
import { looksLikeSendTime, templateDiagnostics } from './helpers/diagnostics';
import { parseTolerantJson, unescapeDeep } from '../../shared/tolerantJson';

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

function reject(
	this: IWebhookFunctions,
	status: number,
	error: string,
	reason: string,
): IWebhookResponseData {
	const res = this.getResponseObject();
	res.status(status).json({ error, reason });
	return { noWebhookResponse: true };
}

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
						description:
							'Publishing the workflow creates one Sesami Flow per event (uses Flow slots of your plan)',
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
				const flowIds = await register.call(this, events, prefix);
				const data = this.getWorkflowStaticData('node') as FlowRegistration;
				delete data.secret;
				data.events = events;
				data.flowIds = flowIds;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registration') !== 'automatic') return true;
				const data = this.getWorkflowStaticData('node') as FlowRegistration;
				try {
					await unregister.call(this);
				} catch (error) {
					this.logger.warn(
						`Sesami Trigger: could not delete the Flows of this webhook: ${(error as Error).message}`,
					);
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

		// The secret arrives as a header or, where Sesami drops or rewrites a Flow's headers, as the
		// token of the registered URL; either is compared in constant time and never output.
		let headerName = SECRET_HEADER;
		let expected: string;
		if (registration === 'automatic') {
			expected = (await registrationOf.call(this)).secret;
		} else {
			const credentials = await this.getCredentials('sesamiFlowsWebhookApi');
			headerName = String(credentials.headerName || SECRET_HEADER);
			expected = String(credentials.secret ?? '');
		}
		const query = (req.query ?? {}) as IDataObject;
		const token =
			typeof query[TOKEN_PARAMETER] === 'string' ? (query[TOKEN_PARAMETER] as string) : undefined;
		if (
			!safeEqual(headerValue(req.headers as IDataObject, headerName), expected) &&
			!safeEqual(token, expected)
		) {
			return reject.call(
				this,
				401,
				'unauthorized',
				`missing or wrong ${headerName} header (or ${TOKEN_PARAMETER} in the URL)`,
			);
		}

		const read = await readBody.call(this);
		if (!read.ok) return reject.call(this, read.status, read.error, read.reason);
		const parsed = parseTolerantJson(read.text);
		if (!parsed.ok)
			return reject.call(
				this,
				400,
				'invalid body',
				`the Flow body is not readable JSON: ${parsed.reason}`,
			);
		if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
			return reject.call(this, 400, 'invalid body', 'the Flow body must be a JSON object');
		}
		const body = unescapeDeep(parsed.value) as IDataObject;

		const push = normalizeFlowPush(body, typeof query.event === 'string' ? query.event : null);
		const events = this.getNodeParameter('events', []) as string[];
		if (push.event && !events.includes(String(push.event))) {
			// A Flow for an event this node does not listen to: accept it, start nothing.
			return {
				webhookResponse: { received: true, ignored: `event ${String(push.event)} is not selected` },
			};
		}
		if (!push.event && events.length === 1) push.event = normalizeEvent(events[0]);
		if (!push.event) {
			return reject.call(
				this,
				400,
				'invalid body',
				`the push names no Sesami event this node knows: add ?event=<EVENT> to the Flow URL or an "event" field (one of ${FLOW_EVENTS.join(', ')})`,
			);
		}

		const now = Date.now();
		const defaulted = dropDefaults(push, now);
		const diagnostics = templateDiagnostics(body, defaulted);
		const settings = this.getNodeParameter('settings', {}) as IDataObject;
		const customer = push.customer as IDataObject;
		let resolution: Resolution;
		if (registration === 'automatic' && settings.fetchFullAppointment === true) {
			// Before the push is remembered: when Sesami cannot be reached the push fails (the sender
			// gets a 5xx and re-sends it), and the re-sent push must not count as a duplicate.
			resolution = await resolveAppointment.call(this, {
				appointmentId: push.appointmentId as string | null,
				email: customer.email as string | null,
				startUtc: push.startUtc as string | null,
				name: customer.name as string | null,
				phone: customer.phone as string | null,
				createdAtUtc: push.createdAtUtc as string | null,
			});
		} else if (isSesamiId(push.appointmentId)) {
			resolution = { method: 'id' };
		} else {
			resolution = {
				method: null,
				reason: `the push carries no Sesami appointment ID${push.appointmentId ? ` ("${String(push.appointmentId).slice(0, 40)}" is not one)` : ''}; turn on Fetch Full Appointment (Automatic registration) to look it up by start time and customer`,
			};
		}
		const simple = resolution.appointment
			? simplifyAppointment(
					await withAppointmentTimes.call(
						this,
						resolution.appointment,
						(push.customerTimezone as string | null) || undefined,
					),
				)
			: undefined;
		if (simple) completeFromAppointment(push, simple, resolution.method === 'id');
		if (push.customer && !isEmail((push.customer as IDataObject).email))
			(push.customer as IDataObject).email = null;

		// When Last Node Finishes: the sender waits for each answer and re-sends a push whose execution
		// failed or was lost, so a copy that arrives here is one the previous attempt did not (or not
		// surely) process. Marking it a duplicate would make the workflow drop it and lose the push; the
		// workflow's stored state (upsert, email log) dedupes instead.
		const dedupeKey = [
			push.appointmentId ??
				customer.email ??
				[customer.name, customer.phone, push.createdAtUtc].join('/'),
			push.event,
			push.startUtc,
		].join('|');
		const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
		const windowMs = Number(settings.duplicateWindowMinutes ?? 60) * 60_000;
		const duplicate =
			this.getNodeParameter('responseMode', 'onReceived') === 'lastNode'
				? false
				: recentPushes.seen(scope, dedupeKey, windowMs, (data.recent ??= {}), now);

		const resolved = resolution.method !== null;
		const item: IDataObject = {
			...push,
			resolved,
			resolution: resolution.method,
			unresolvedReason: resolved
				? null
				: (resolution.reason ?? 'the appointment could not be identified'),
			...(resolution.appointment
				? { appointment: simple, appointmentRaw: resolution.appointment }
				: {}),
			templateDiagnostics: diagnostics,
			duplicate,
			dedupeKey,
			receivedAt: new Date(now).toISOString(),
			repairs: parsed.repairs,
			raw: body,
		};
		return {
			workflowData: [this.helpers.returnJsonArray([item])],
			webhookResponse: { received: true, duplicate, resolved },
		};
	}
}

/**
 * Drops values that are defaults, not data: an end time that is the send time (formatDate of a
 * variable Sesami does not have renders "now"), or not after the start. Returns the dropped fields.
 */
export function dropDefaults(push: IDataObject, receivedAtMs: number): string[] {
	const dropped: string[] = [];
	const start = Date.parse(String(push.startUtc ?? ''));
	const end = Date.parse(String(push.endUtc ?? ''));
	if (
		push.endUtc &&
		(looksLikeSendTime(push.endUtc, receivedAtMs) || (Number.isFinite(start) && end <= start))
	) {
		push.endUtc = null;
		push.end = null;
		dropped.push('endUtc');
	}
	return dropped;
}

/**
 * Fills what the push lacked from the appointment Sesami holds (the push's own values win, but the
 * appointment's ID replaces one that did not identify it), and gives start and end in one format:
 * ISO with the customer's offset, plus UTC.
 */
export function completeFromAppointment(
	push: IDataObject,
	appointment: IDataObject,
	byId: boolean,
): void {
	if (!byId) push.appointmentId = appointment.id;
	const fill = (key: string, value: unknown) => {
		if ((push[key] === null || push[key] === undefined || push[key] === '') && value !== undefined)
			push[key] = value as IDataObject[string];
	};
	fill('status', appointment.status);
	fill('startUtc', appointment.startUtc);
	fill('endUtc', appointment.endUtc);
	fill('customerTimezone', appointment.timezone);
	fill('orderId', appointment.orderId);
	fill('orderName', appointment.orderName);
	fill('service', appointment.serviceName);
	fill('serviceId', appointment.serviceId);
	fill('shopId', appointment.shopId);
	fill('customerManagementLink', appointment.customerManagementLink);
	const customer = push.customer as IDataObject;
	for (const [key, from] of [
		['name', 'customerName'],
		['email', 'customerEmail'],
		['phone', 'customerPhone'],
		['shopifyCustomerId', 'shopifyCustomerId'],
	] as const) {
		if (!customer[key] || (key === 'email' && !isEmail(customer[key])))
			customer[key] = (appointment[from] as string | null) ?? null;
	}
	const tz = (push.customerTimezone as string | null) || 'UTC';
	push.start =
		inZone(push.startUtc as string | null, tz) ?? inZone(push.startUtc as string | null, 'UTC');
	push.end =
		inZone(push.endUtc as string | null, tz) ?? inZone(push.endUtc as string | null, 'UTC');
}
