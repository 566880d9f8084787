/**
 * Every Resource / Operation the imin node offers in the editor reaches an operation module, and
 * every operation module the router knows is offered in the editor.
 */
import { Imin } from '../../../../../nodes/Imin/Imin.node';
import * as bookability from '../../../../../nodes/Imin/actions/bookability/Bookability.resource';
import * as checkout from '../../../../../nodes/Imin/actions/checkout/Checkout.resource';
import * as firehose from '../../../../../nodes/Imin/actions/firehose/Firehose.resource';
import * as order from '../../../../../nodes/Imin/actions/order/Order.resource';
import { errorOf, offeredOperations } from '../../../../helpers/operations';

const modules: Record<string, Record<string, unknown>> = {
	bookability: bookability.operations,
	checkout: checkout.operations,
	firehose: firehose.operations,
	order: order.operations,
};
const offered = offeredOperations(new Imin());
const pairs = Object.entries(offered).flatMap(([r, operations]) =>
	operations.map((operation) => [r, operation]),
);

describe('imin: editor options and operation modules', () => {
	it('offers the same resources and operations as there are operation modules', () => {
		const known = Object.fromEntries(
			Object.entries(modules).map(([r, operations]) => [r, Object.keys(operations).sort()]),
		);
		expect(offered).toEqual(known);
		expect(pairs.length).toBeGreaterThan(5);
	});

	it.each(pairs)('%s / %s: execute reaches the operation', async (r, operation) => {
		const error = await errorOf(new Imin(), r, operation);
		expect(error).not.toMatch(/is not known/);
	});

	it('an operation that is not offered is refused by name', async () => {
		expect(await errorOf(new Imin(), 'order', 'explode')).toBe(
			'The operation "explode" is not known for "order"',
		);
	});
});
