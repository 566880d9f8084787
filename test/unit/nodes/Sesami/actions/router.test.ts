/**
 * Every Resource / Operation the Sesami node offers in the editor reaches an operation module,
 * and every operation module the router knows is offered in the editor.
 */
import { Sesami } from '../../../../../nodes/Sesami/Sesami.node';
import * as appointment from '../../../../../nodes/Sesami/actions/appointment/Appointment.resource';
import * as availability from '../../../../../nodes/Sesami/actions/availability/Availability.resource';
import * as customer from '../../../../../nodes/Sesami/actions/customer/Customer.resource';
import * as flow from '../../../../../nodes/Sesami/actions/flow/Flow.resource';
import * as location from '../../../../../nodes/Sesami/actions/location/Location.resource';
import * as reservation from '../../../../../nodes/Sesami/actions/reservation/Reservation.resource';
import * as resource from '../../../../../nodes/Sesami/actions/resource/Resource.resource';
import * as service from '../../../../../nodes/Sesami/actions/service/Service.resource';
import * as shop from '../../../../../nodes/Sesami/actions/shop/Shop.resource';
import { errorOf, offeredOperations } from '../../../../helpers/operations';

const modules: Record<string, Record<string, unknown>> = {
	appointment: appointment.operations,
	availability: availability.operations,
	customer: customer.operations,
	flow: flow.operations,
	location: location.operations,
	reservation: reservation.operations,
	resource: resource.operations,
	service: service.operations,
	shop: shop.operations,
};
const offered = offeredOperations(new Sesami());
const pairs = Object.entries(offered).flatMap(([r, operations]) =>
	operations.map((operation) => [r, operation]),
);

describe('Sesami: editor options and operation modules', () => {
	it('offers the same resources and operations as there are operation modules', () => {
		const known = Object.fromEntries(
			Object.entries(modules).map(([r, operations]) => [r, Object.keys(operations).sort()]),
		);
		expect(offered).toEqual(known);
		expect(pairs.length).toBeGreaterThan(20);
	});

	it.each(pairs)('%s / %s: execute reaches the operation', async (r, operation) => {
		const error = await errorOf(new Sesami(), r, operation);
		expect(error).not.toMatch(/is not known/);
	});

	it('an operation that is not offered is refused by name', async () => {
		expect(await errorOf(new Sesami(), 'shop', 'explode')).toBe(
			'The operation "explode" is not known for "shop"',
		);
	});
});
