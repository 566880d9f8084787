import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperations } from '../../shared/runOperations';
import * as bookability from './bookability/Bookability.resource';
import * as checkout from './checkout/Checkout.resource';
import * as firehose from './firehose/Firehose.resource';
import * as order from './order/Order.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperations.call(this, {
		bookability: bookability.operations,
		checkout: checkout.operations,
		firehose: firehose.operations,
		order: order.operations,
	});
}
