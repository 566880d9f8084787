import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { guestCheckoutUrl } from '../../helpers/checkout';
import { getIminSettings } from '../../transport';
import { identifierField, kindField } from '../shared';
import { withDisplay } from '../../../shared/descriptions';
import { requiredString } from '../../../shared/parameters';

export const description = withDisplay('checkout', 'getGuestUrl', [
	identifierField,
	kindField,
	{
		displayName: 'Include Input Fields',
		name: 'includeInput',
		type: 'boolean',
		default: false,
		description: 'Whether to output the input item\'s fields too, with the link in "checkoutUrl"',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const identifier = requiredString.call(this, 'identifier', itemIndex, { label: 'Identifier' });
	const kind = this.getNodeParameter('kind', itemIndex, 'ScheduledSession') as
		| 'ScheduledSession'
		| 'Slot';
	const { checkoutBaseUrl } = await getIminSettings.call(this);
	if (!checkoutBaseUrl) {
		throw new NodeOperationError(
			this.getNode(),
			'The imin API credential has no Checkout Base URL',
			{
				itemIndex,
				description:
					'Enter your imin Checkout host (e.g. https://checkout.example.com) in the credential.',
			},
		);
	}
	const input = this.getNodeParameter('includeInput', itemIndex, false)
		? this.getInputData()[itemIndex].json
		: {};
	return {
		...input,
		identifier,
		kind,
		checkoutUrl: guestCheckoutUrl(checkoutBaseUrl, identifier, kind),
		...(kind === 'Slot'
			? { beta: true, note: 'imin documents Slot booking through the Firehose as beta' }
			: {}),
	};
}
