import type { IDataObject, IHookFunctions, IWebhookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { createHmac } from 'crypto';

import { sesamiApiRequest, sesamiApiRequestAllItems } from '../../transport';
import { SECRET_HEADER, canonicalFlowTemplate } from './template';

/**
 * Automatic registration: one Sesami Flow per event (https://sesami.dev/docs/sesami-flows/flows;
 * POST/GET/DELETE /{shop}/flows in Sesami's OpenAPI document, https://api.sesami.co/swagger).
 *
 * What no public source settles, and how this copes:
 * - How Sesami reads `template.headers` (a plain string in CreateFlowRequest): the secret goes both
 *   into a JSON header map and, as `token`, into the target URL, and the trigger accepts either.
 * - Whether a Flow keeps what was registered: every publish checks each Flow's target, enabled
 *   state, template and secret and recreates the registration when anything drifted (e.g. n8n's URL
 *   changed), never leaving two Flows for one event.
 * - The plan's Flow limit (Small 1, Pro 6, Premium 9: https://help.sesami.co/automations/sesami-flows;
 *   `Shop.maxFlows`): checked before anything is created, so publishing fails whole, with the
 *   limit and the Flows in use named, instead of half-registering.
 */

/** Flow (de)registration runs while n8n publishes or shuts down: fail fast rather than retry for long. */
const HOOK_REQUEST = { timeoutMs: 10_000, idempotent: false } as const;

/** The query parameter of the Flow target that carries the secret (when Sesami drops the headers). */
export const TOKEN_PARAMETER = 'token';

function baseUrl(url: string): string {
	return url.split('?')[0].replace(/\/+$/, '');
}

/**
 * The secret of the Flows of one webhook URL, derived from the Sesami API key: the same on every
 * (re)publish, so a push that arrives while n8n is still saving the workflow is not refused, and
 * nothing secret is stored in the workflow. Changing the API key changes it (publishing repairs).
 */
function flowSecret(apiKey: string, webhookUrl: string): string {
	return createHmac('sha256', apiKey)
		.update(`n8n-nodes-sesami-imin:flow-secret:${baseUrl(webhookUrl)}`)
		.digest('hex');
}

/**
 * A mark written into the body of the Flows of one trigger node, so that they are found again
 * after n8n's public URL changed (their target then no longer names this webhook). Not a secret.
 */
function registrationMark(apiKey: string, workflowId: string, nodeId: string): string {
	return createHmac('sha256', apiKey)
		.update(`n8n-nodes-sesami-imin:registration:${workflowId}:${nodeId}`)
		.digest('hex')
		.slice(0, 20);
}

interface Registration {
	webhookUrl: string;
	secret: string;
	mark: string;
}

/** The secret the Flows registered for this trigger carry, from the Sesami API key. */
export function registeredFlowSecret(
	this: IHookFunctions | IWebhookFunctions,
	apiKey: string,
): string {
	return flowSecret(apiKey, baseUrl(this.getNodeWebhookUrl('default') as string));
}

export async function registrationOf(
	this: IHookFunctions | IWebhookFunctions,
): Promise<Registration> {
	const credentials = await this.getCredentials('sesamiApi');
	const apiKey = String(credentials.apiKey ?? '');
	const webhookUrl = baseUrl(this.getNodeWebhookUrl('default') as string);
	const workflowId = String(this.getWorkflow().id ?? '');
	return {
		webhookUrl,
		secret: flowSecret(apiKey, webhookUrl),
		mark: registrationMark(apiKey, workflowId, this.getNode().id),
	};
}

function flowTarget(registration: Registration, event: string): string {
	return `${registration.webhookUrl}?event=${event}&${TOKEN_PARAMETER}=${registration.secret}`;
}

/** The Flow this trigger wants for one event (CreateFlowRequest). */
function wantedFlow(registration: Registration, event: string, name: string): IDataObject {
	return {
		status: true,
		name: name.slice(0, 120),
		trigger: event,
		action: 'WEBHOOK',
		target: flowTarget(registration, event),
		when: { amount: 0, unit: 'IMMEDIATELY' },
		template: {
			headers: JSON.stringify({ [SECRET_HEADER]: registration.secret }),
			body: canonicalFlowTemplate(event, registration.mark),
		},
	};
}

/** Flows of this trigger: its webhook URL as target, or its mark in the body. */
function isOurs(flow: IDataObject, registration: Registration): boolean {
	if (flow.action !== 'WEBHOOK') return false;
	if (baseUrl(String(flow.target ?? '')) === registration.webhookUrl) return true;
	const body = String(((flow.template ?? {}) as IDataObject).body ?? '');
	return body.includes(`"${registration.mark}"`);
}

async function allFlows(this: IHookFunctions): Promise<IDataObject[]> {
	return await sesamiApiRequestAllItems.call(this, '/{shop}/flows', {}, Infinity, HOOK_REQUEST);
}

/** Why the registered Flows are not exactly what is wanted (empty: nothing drifted). */
function driftOf(flows: IDataObject[], registration: Registration, events: string[]): string[] {
	const ours = flows.filter((flow) => isOurs(flow, registration));
	const problems: string[] = [];
	for (const event of events) {
		const mine = ours.filter((flow) => flow.trigger === event);
		if (mine.length === 0) {
			problems.push(`${event}: no Flow`);
			continue;
		}
		if (mine.length > 1) problems.push(`${event}: ${mine.length} Flows`);
		const flow = mine[0];
		const template = (flow.template ?? {}) as IDataObject;
		const wanted = wantedFlow(registration, event, '');
		if (flow.status === false) problems.push(`${event}: Flow disabled`);
		if (String(flow.target ?? '') !== wanted.target) problems.push(`${event}: target changed`);
		if (String(template.body ?? '') !== (wanted.template as IDataObject).body)
			problems.push(`${event}: template changed`);
		if (!String(template.headers ?? '').includes(registration.secret))
			problems.push(`${event}: secret changed`);
		const unit = ((flow.when ?? {}) as IDataObject).unit;
		if (unit !== undefined && unit !== 'IMMEDIATELY') problems.push(`${event}: not immediate`);
	}
	for (const flow of ours) {
		if (!events.includes(String(flow.trigger)))
			problems.push(`${String(flow.trigger)}: Flow of an event no longer chosen`);
	}
	return problems;
}

export async function registrationIsIntact(
	this: IHookFunctions,
	events: string[],
): Promise<boolean> {
	const registration = await registrationOf.call(this);
	return driftOf(await allFlows.call(this), registration, events).length === 0;
}

/** The shop's Flow limit, or undefined when Sesami does not say. */
async function maxFlows(this: IHookFunctions): Promise<number | undefined> {
	const shop = (await sesamiApiRequest.call(
		this,
		'GET',
		'/shops/{shop}',
		HOOK_REQUEST,
	)) as IDataObject;
	const max = Number(shop?.maxFlows);
	return Number.isFinite(max) && max >= 0 ? max : undefined;
}

async function deleteFlow(this: IHookFunctions, flow: IDataObject): Promise<void> {
	await sesamiApiRequest.call(
		this,
		'DELETE',
		`/{shop}/flows/${encodeURIComponent(String(flow.id))}`,
		HOOK_REQUEST,
	);
}

/**
 * (Re)creates this trigger's Flows: checks the plan's free slots first (nothing is changed when
 * they are not enough), replaces this trigger's Flows, and removes what it created when one
 * creation fails (nothing half-registered). Returns the IDs of the Flows now registered.
 */
export async function register(
	this: IHookFunctions,
	events: string[],
	namePrefix: string,
): Promise<string[]> {
	const registration = await registrationOf.call(this);
	const flows = await allFlows.call(this);
	const ours = flows.filter((flow) => isOurs(flow, registration));
	const others = flows.filter((flow) => !isOurs(flow, registration));
	const limit = await maxFlows.call(this);
	if (limit !== undefined && others.length + events.length > limit) {
		const inUse = others
			.map((flow) => `"${String(flow.name ?? flow.id)}" (${String(flow.trigger ?? '?')})`)
			.join(', ');
		throw new NodeOperationError(
			this.getNode(),
			`Not enough Sesami Flow slots: this trigger needs ${events.length} (one per event: ${events.join(', ')}), the shop's plan allows ${limit} Flows and ${others.length} are used by other Flows`,
			{
				description: `Flows in use: ${inUse || 'none'}. Delete or disable Flows you no longer need in Sesami (Flows), choose fewer events, or upgrade the plan (Small 1, Pro 6, Premium 9 Flows). Nothing was created or changed.`,
			},
		);
	}
	for (const flow of ours) await deleteFlow.call(this, flow);
	const workflowName = this.getWorkflow().name ?? this.getWorkflow().id ?? 'workflow';
	for (const event of events) {
		try {
			await sesamiApiRequest.call(this, 'POST', '/{shop}/flows', {
				...HOOK_REQUEST,
				body: wantedFlow(registration, event, `${namePrefix} · ${workflowName} · ${event}`),
			});
		} catch (error) {
			// Remove what this attempt created, so that nothing is left half-registered.
			const created = (await allFlows.call(this).catch(() => [])).filter((flow) =>
				isOurs(flow, registration),
			);
			for (const flow of created) await deleteFlow.call(this, flow).catch(() => undefined);
			// (NodeApiError hands back an error that already is one, unchanged.)
			throw new NodeApiError(this.getNode(), error as JsonObject);
		}
	}
	// Sesami answers 201 without a body: find the Flows again to keep their IDs.
	return (await allFlows.call(this))
		.filter((flow) => isOurs(flow, registration))
		.map((flow) => String(flow.id));
}

/** Deletes this trigger's Flows. */
export async function unregister(this: IHookFunctions): Promise<void> {
	const registration = await registrationOf.call(this);
	for (const flow of (await allFlows.call(this)).filter((f) => isOurs(f, registration)))
		await deleteFlow.call(this, flow);
}
