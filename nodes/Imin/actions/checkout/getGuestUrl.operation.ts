import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withDisplay } from '../../../shared/descriptions';
import { guestCheckoutUrl } from '../../helpers/checkout';
import { checkoutSettings, identifierField, kindField, opportunity } from '../shared';

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
	const { identifier, kind } = opportunity.call(this, itemIndex);
	const { checkoutBaseUrl } = await checkoutSettings.call(this, itemIndex);
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
