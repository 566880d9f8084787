import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { shopifyCustomerId } from '../../helpers/constants';
import type { CustomerPolicy } from '../../helpers/policy';
import { customerPolicy, ownsAppointment } from '../../helpers/policy';
import { sesamiApiRequest } from '../../transport';
import { readAppointment } from './helpers';

export const onlyForCustomerOption: INodeProperties = {
	displayName: 'Only for Customer',
	name: 'onlyForCustomer',
	type: 'string',
	default: '',
	placeholder: 'e.g. 7001234567890 or gid://shopify/Customer/7001234567890',
	description:
		'Shopify customer ID the appointment must belong to (its customer.externalId). ' +
		'Use the ID a verified trigger gives (e.g. Sesami My Page Trigger), never one ' +
		'sent by the browser.',
};

export const includePolicyOption: INodeProperties = {
	displayName: 'Include Customer Policy',
	name: 'includePolicy',
	type: 'boolean',
	default: false,
	description:
		'Whether to add "policy": may the customer cancel or reschedule it themselves, ' +
		'and why not (loads the service)',
};

export const enforcePolicyOption: INodeProperties = {
	displayName: 'Enforce Customer Policy',
	name: 'enforcePolicy',
	type: 'boolean',
	default: false,
	description:
		"Whether to refuse unless the customer may do this themselves: the service's " +
		'Customer Can Cancel / Reschedule and Manage Before (hours) settings, and at ' +
		'most 6 reschedules',
};

/** A refusal a merchant and a customer understand, as a 403-style error. */
export function forbidden(
	this: IExecuteFunctions,
	message: string,
	reason: string,
	itemIndex: number,
): NodeApiError {
	return new NodeApiError(this.getNode(), { httpCode: '403', message, reason } as JsonObject, {
		message,
		description: reason,
		httpCode: '403',
		itemIndex,
	});
}

interface GuardResult {
	appointment: IDataObject;
	service?: IDataObject;
	policy?: CustomerPolicy;
}

/**
 * Loads the appointment (and its service when a policy is needed) and refuses, before anything
 * changes, when it is not the customer's or the policy does not allow `action`.
 */
export async function guardAppointment(
	this: IExecuteFunctions,
	id: string,
	itemIndex: number,
	options: {
		customerId?: unknown;
		action?: 'cancel' | 'reschedule';
		withPolicy?: boolean;
		timezone: string;
	},
): Promise<GuardResult> {
	const appointment = await readAppointment.call(this, id, options.timezone, itemIndex);
	const customerId = String(options.customerId ?? '').trim();
	if (customerId) {
		if (!shopifyCustomerId(customerId)) {
			throw forbidden.call(
				this,
				'The customer ID is not a Shopify customer ID',
				'Expected digits or gid://shopify/Customer/<digits>.',
				itemIndex,
			);
		}
		if (!ownsAppointment(appointment, customerId)) {
			throw forbidden.call(
				this,
				'This appointment does not belong to this customer',
				'The appointment does not belong to this customer; nothing was changed.',
				itemIndex,
			);
		}
	}
	if (!options.action && !options.withPolicy) return { appointment };
	const service = (await sesamiApiRequest.call(
		this,
		'GET',
		`/{shop}/services/${encodeURIComponent(String(appointment.service))}`,
		{
			itemIndex,
		},
	)) as IDataObject;
	const policy = customerPolicy(appointment, service);
	if (options.action === 'cancel' && !policy.canCancel) {
		throw forbidden.call(
			this,
			`The customer may not cancel this appointment: ${policy.cancelReason}`,
			String(policy.cancelReason),
			itemIndex,
		);
	}
	if (options.action === 'reschedule' && !policy.canReschedule) {
		throw forbidden.call(
			this,
			`The customer may not reschedule this appointment: ${policy.rescheduleReason}`,
			String(policy.rescheduleReason),
			itemIndex,
		);
	}
	return { appointment, service, policy };
}

/**
 * The guard a change asks for in its Additional Fields: Only for Customer, Enforce Customer Policy
 * (for `action`), and the policy itself when `withPolicy`. Undefined when none is asked for.
 */
export async function guardChange(
	this: IExecuteFunctions,
	id: string,
	action: 'cancel' | 'reschedule',
	additional: IDataObject,
	timezone: string,
	itemIndex: number,
	options: { withPolicy?: boolean } = {},
): Promise<GuardResult | undefined> {
	if (!additional.onlyForCustomer && !additional.enforcePolicy && !options.withPolicy)
		return undefined;
	return await guardAppointment.call(this, id, itemIndex, {
		customerId: additional.onlyForCustomer,
		action: additional.enforcePolicy ? action : undefined,
		withPolicy: options.withPolicy === true,
		timezone,
	});
}
