import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { headerValue } from '../../../shared/headers';
import { parseTolerantJson, unescapeDeep } from '../../../shared/tolerantJson';
import { checkWithCredential } from '../../../shared/webhook/credentialCache';
import { RecentKeys } from '../../../shared/webhook/duplicates';
import { readBodyOrRefuse } from '../../../shared/webhook/rawBody';
import { WebhookRefusal, unauthorized } from '../../../shared/webhook/refusal';
import { safeEqual } from '../../../shared/webhook/safeEqual';
import { withAppointmentTimes } from '../../helpers/appointmentTimes';
import { FLOW_EVENTS, isSesamiId } from '../../helpers/constants';
import { simplifyAppointment } from '../../helpers/utils';
import { completeFromAppointment, dropDefaults } from './complete';
import { templateDiagnostics } from './diagnostics';
import { normalizeEvent, normalizeFlowPush } from './normalize';
import { TOKEN_PARAMETER, registeredFlowSecret } from './registration';
import type { Resolution } from './resolve';
import { isEmail, resolveAppointment } from './resolve';
import { SECRET_HEADER } from './template';

/**
 * What the Sesami Trigger does with one Flow push, step by step: authenticate it, read its body,
 * name its event, find the appointment it is about, mark repeats, and emit one item. A step that
 * refuses the push throws a WebhookRefusal (answered by the node's webhook()).
 */

/** Pushes seen recently (duplicate marking). */
const recentPushes = new RecentKeys();

/**
 * The secret arrives as a header or, where Sesami drops or rewrites a Flow's headers, as the token
 * of the registered URL; either is compared in constant time and never output.
 */
async function authenticate(this: IWebhookFunctions, automatic: boolean): Promise<void> {
	const req = this.getRequestObject();
	const query = (req.query ?? {}) as IDataObject;
	const token =
		typeof query[TOKEN_PARAMETER] === 'string' ? (query[TOKEN_PARAMETER] as string) : undefined;
	const compare = (headerName: string, expected: string): void => {
		if (
			!safeEqual(headerValue(req.headers as IDataObject, headerName), expected) &&
			!safeEqual(token, expected)
		) {
			throw unauthorized(
				`missing or wrong ${headerName} header (or ${TOKEN_PARAMETER} in the URL)`,
			);
		}
	};
	// the credential read is cached briefly (nodes/shared/webhook/credentialCache.ts)
	if (automatic)
		return await checkWithCredential(this, 'sesamiApi', (credentials) =>
			compare(SECRET_HEADER, registeredFlowSecret.call(this, String(credentials.apiKey ?? ''))),
		);
	await checkWithCredential(this, 'sesamiFlowsWebhookApi', (credentials) =>
		compare(String(credentials.headerName || SECRET_HEADER), String(credentials.secret ?? '')),
	);
}

/** The Flow body: a JSON object (a merchant template's slips repaired), HTML escaping undone. */
async function readFlowBody(
	this: IWebhookFunctions,
): Promise<{ body: IDataObject; repairs: string[] }> {
	const parsed = parseTolerantJson(await readBodyOrRefuse.call(this));
	if (!parsed.ok)
		throw new WebhookRefusal(
			400,
			'invalid body',
			`the Flow body is not readable JSON: ${parsed.reason}`,
		);
	if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value))
		throw new WebhookRefusal(400, 'invalid body', 'the Flow body must be a JSON object');
	return { body: unescapeDeep(parsed.value) as IDataObject, repairs: parsed.repairs };
}

/**
 * The appointment the push is about: looked up in Sesami (Fetch Full Appointment, Automatic
 * registration), else taken on trust when the push carries a Sesami ID.
 */
async function resolvePush(
	this: IWebhookFunctions,
	push: IDataObject,
	fetchFull: boolean,
): Promise<Resolution> {
	const customer = push.customer as IDataObject;
	if (fetchFull) {
		// Before the push is remembered: when Sesami cannot be reached the push fails (the sender
		// gets a 5xx and re-sends it), and the re-sent push must not count as a duplicate.
		return await resolveAppointment.call(this, {
			appointmentId: push.appointmentId as string | null,
			email: customer.email as string | null,
			startUtc: push.startUtc as string | null,
			name: customer.name as string | null,
			phone: customer.phone as string | null,
			createdAtUtc: push.createdAtUtc as string | null,
		});
	}
	if (isSesamiId(push.appointmentId)) return { method: 'id' };
	return {
		method: null,
		reason: `the push carries no Sesami appointment ID${push.appointmentId ? ` ("${String(push.appointmentId).slice(0, 40)}" is not one)` : ''}; turn on Fetch Full Appointment (Automatic registration) to look it up by start time and customer`,
	};
}

/**
 * Whether the same push (appointment, event, start) arrived within the Duplicate Window.
 * When Last Node Finishes: the sender waits for each answer and re-sends a push whose execution
 * failed or was lost, so a copy that arrives here is one the previous attempt did not (or not
 * surely) process. Marking it a duplicate would make the workflow drop it and lose the push; the
 * workflow's stored state (upsert, email log) dedupes instead.
 */
function markDuplicate(
	this: IWebhookFunctions,
	push: IDataObject,
	now: number,
): { duplicate: boolean; dedupeKey: string } {
	const customer = push.customer as IDataObject;
	const dedupeKey = [
		push.appointmentId ??
			customer.email ??
			[customer.name, customer.phone, push.createdAtUtc].join('/'),
		push.event,
		push.startUtc,
	].join('|');
	if (this.getNodeParameter('responseMode', 'onReceived') === 'lastNode')
		return { duplicate: false, dedupeKey };
	return { duplicate: recentPushes.seenBy(this, dedupeKey, 60, now), dedupeKey };
}

/** One Flow push: authenticated, read, resolved and emitted, or refused. */
export async function receivePush(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const automatic = this.getNodeParameter('registration') === 'automatic';
	await authenticate.call(this, automatic);
	const { body, repairs } = await readFlowBody.call(this);

	const query = (this.getRequestObject().query ?? {}) as IDataObject;
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
		throw new WebhookRefusal(
			400,
			'invalid body',
			`the push names no Sesami event this node knows: add ?event=<EVENT> to the Flow URL or an "event" field (one of ${FLOW_EVENTS.join(', ')})`,
		);
	}

	const now = Date.now();
	const diagnostics = templateDiagnostics(body, dropDefaults(push, now));
	const settings = this.getNodeParameter('settings', {}) as IDataObject;
	const resolution = await resolvePush.call(
		this,
		push,
		automatic && settings.fetchFullAppointment === true,
	);
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
	const { duplicate, dedupeKey } = markDuplicate.call(this, push, now);

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
		repairs,
		raw: body,
	};
	return {
		workflowData: [this.helpers.returnJsonArray([item])],
		webhookResponse: { received: true, duplicate, resolved },
	};
}
