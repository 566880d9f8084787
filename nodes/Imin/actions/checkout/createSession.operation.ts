import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { succeeded } from '../../../shared/httpRetry';
import { requiredString } from '../../../shared/parameters';
import { checkBookability } from '../../helpers/bookability';
import { checkoutSessionBody, readCheckoutSessionResponse } from '../../helpers/checkout';
import { iminApiCall, iminCallError, locationHeader } from '../../transport';
import {
	checkoutSettings,
	identifierField,
	jsonParameter,
	kindField,
	opportunity,
} from '../shared';

const properties: INodeProperties[] = [
	identifierField,
	kindField,
	{
		displayName: 'Accepted Offer ID',
		name: 'acceptedOffer',
		type: 'string',
		required: true,
		default: '',
		description:
			'ID of the chosen offer: for sessions an offer of the SessionSeries (e.g. its ' +
			'imin:aggregateOffer.publicAdult ID), for slots an offer of the slot',
	},
	{
		displayName: 'Customer',
		name: 'customerType',
		type: 'options',
		options: [
			{ name: 'Name and Email', value: 'person' },
			{ name: 'Imin Customer Account ID', value: 'account' },
		],
		default: 'person',
	},
	{
		displayName: 'Customer Account ID',
		name: 'customerAccountId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { customerType: ['account'] } },
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. nathan@example.com',
		default: '',
		required: true,
		displayOptions: { show: { customerType: ['person'] } },
	},
	{
		displayName: 'Given Name',
		name: 'givenName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { customerType: ['person'] } },
	},
	{
		displayName: 'Family Name',
		name: 'familyName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { customerType: ['person'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Back to Broker URL', name: 'backToBrokerUrl', type: 'string', default: '' },
			{
				displayName: 'Back to User Profile URL',
				name: 'backToProfileUrl',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Broker Name',
				name: 'brokerName',
				type: 'string',
				default: '',
				description: "Default: the credential's broker name",
			},
			{
				displayName: 'Broker URL',
				name: 'brokerUrl',
				type: 'string',
				default: '',
				description: "Default: the credential's broker home page URL",
			},
			{
				displayName: 'Customer Identifier',
				name: 'customerIdentifier',
				type: 'string',
				default: '',
				description: 'Your own ID of the customer (Name and Email only)',
			},
			{
				displayName: 'Is 13 or Over',
				name: 'is13OrOver',
				type: 'boolean',
				default: true,
				description: 'Whether the customer is 13 or over (Name and Email only)',
			},
		],
	},
	{
		displayName: 'Check Bookability First',
		name: 'checkBookability',
		type: 'boolean',
		default: false,
		description:
			'Whether to refuse (without calling imin) when the bookability check rejects ' +
			'the session or slot',
	},
	{
		displayName: 'Session or Slot',
		name: 'occurrence',
		type: 'json',
		default: '={{ $json }}',
		displayOptions: { show: { checkBookability: [true] } },
		description: 'The ScheduledSession or Slot to check (RPDE item or data)',
	},
	{
		displayName: 'Parent (SessionSeries or FacilityUse)',
		name: 'parent',
		type: 'json',
		default: '',
		displayOptions: { show: { checkBookability: [true] } },
		description: 'Its SessionSeries or FacilityUse (empty when embedded in the session)',
	},
];

export const description = withDisplay('checkout', 'createSession', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { identifier, kind } = opportunity.call(this, itemIndex);
	const acceptedOffer = requiredString.call(this, 'acceptedOffer', itemIndex, {
		label: 'Accepted Offer ID',
	});
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const settings = await checkoutSettings.call(this, itemIndex);

	if (this.getNodeParameter('checkBookability', itemIndex, false)) {
		const check = checkBookability(
			jsonParameter.call(this, 'occurrence', itemIndex),
			jsonParameter.call(this, 'parent', itemIndex),
		);
		if (!check.bookable) {
			throw new NodeOperationError(this.getNode(), `Not bookable: ${check.explanation}`, {
				itemIndex,
				description: `No checkout session was created for ${identifier} (reasons: ${check.reasons.join(', ')}).`,
			});
		}
	}

	const customer =
		this.getNodeParameter('customerType', itemIndex) === 'account'
			? requiredString.call(this, 'customerAccountId', itemIndex, { label: 'Customer Account ID' })
			: {
					email: requiredString.call(this, 'email', itemIndex, { label: 'Email' }),
					givenName: requiredString.call(this, 'givenName', itemIndex, { label: 'Given Name' }),
					familyName: requiredString.call(this, 'familyName', itemIndex, { label: 'Family Name' }),
					identifier: additional.customerIdentifier
						? String(additional.customerIdentifier)
						: undefined,
					is13OrOver:
						additional.is13OrOver === undefined ? undefined : additional.is13OrOver === true,
				};
	const brokerName = String(additional.brokerName || settings.brokerName || '');
	if (!brokerName) {
		throw new NodeOperationError(this.getNode(), 'No broker name', {
			itemIndex,
			description: 'Set the Broker Name in the imin API credential (or under Additional Fields).',
		});
	}
	const body = checkoutSessionBody({
		identifier,
		kind,
		acceptedOffer,
		customer,
		broker: {
			name: brokerName,
			url: String(additional.brokerUrl || settings.brokerUrl || '') || undefined,
		},
		backToBrokerUrl: additional.backToBrokerUrl ? String(additional.backToBrokerUrl) : undefined,
		backToProfileUrl: additional.backToProfileUrl ? String(additional.backToProfileUrl) : undefined,
	});
	// Not retried after a 5xx: a second call could create a second session.
	const response = await iminApiCall.call(
		this,
		'POST',
		`${settings.checkoutBaseUrl}/api/checkout-sessions/`,
		{ body, itemIndex, idempotent: false },
	);
	if (!succeeded(response)) throw iminCallError.call(this, response, itemIndex);
	return readCheckoutSessionResponse(
		(response.body ?? {}) as IDataObject,
		locationHeader(response),
	);
}
