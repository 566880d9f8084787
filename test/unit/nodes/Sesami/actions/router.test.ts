/**
 * Every Resource / Operation the Sesami node offers in the editor reaches an operation module,
 * and every operation module the router knows is offered in the editor. With App Installation
 * every write is refused for its item before anything is sent, whatever Sesami would answer.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { Sesami } from '../../../../../nodes/Sesami/Sesami.node';
import { WRITE_OPERATIONS } from '../../../../../nodes/Sesami/actions/router';
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
import { installApp, sesamiNodeContext, useSesamiSimulator } from '../../../../helpers/setup';

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

describe('Sesami: writes with an app installation', () => {
	const { sim, shop } = useSesamiSimulator({ appointments: 40 });
	let token: string;
	beforeAll(() => {
		token = installApp(sim, shop);
	});
	beforeEach(() => sim.clearExchanges());
	afterEach(() => sim.variants.reset());

	const writes = Object.entries(WRITE_OPERATIONS).flatMap(([r, operations]) =>
		operations.map((operation) => [r, operation]),
	);
	const asApp = (r: string, operation: string): IDataObject => ({
		authentication: 'appInstallation',
		appShopId: shop.id,
		appAccessToken: token,
		resource: r,
		operation,
	});
	const refusal = (r: string, operation: string) =>
		`The ${r} operation "${operation}" needs a Sesami personal access token with write permission: app installation tokens are read-only`;

	it('are every operation that changes Sesami data', () => {
		expect(WRITE_OPERATIONS).toEqual({
			appointment: ['cancel', 'checkIn', 'markNoShow', 'reschedule', 'resendConfirmation'],
			customer: ['create'],
			flow: ['create', 'delete', 'update'],
		});
		for (const [r, operation] of writes) expect(offered[r]).toContain(operation);
	});

	it.each(['403', '401', '404'])(
		'appTokenWrite=%s: each write fails its item with the message, nothing sent',
		async (variant) => {
			sim.variants.set({ appTokenWrite: variant });
			const parameters = writes.map(([r, operation]) => asApp(r, operation));
			const context = sesamiNodeContext(sim, parameters, {
				items: parameters.map(() => ({ json: {} })),
				continueOnFail: true,
			});
			const [output] = (await new Sesami().execute.call(context)) as INodeExecutionData[][];
			expect(output.map((item) => item.json.error)).toEqual(
				writes.map(([r, operation]) => refusal(r, operation)),
			);
			expect(output.map((item) => item.pairedItem)).toEqual(writes.map((_, item) => ({ item })));
			expect(String(output[0].json.errorDescription)).toMatch(/Personal Access Token/);
			expect(context.requests).toEqual([]);
			expect(sim.exchanges).toEqual([]);
		},
	);

	it('without Continue On Fail the run stops at the write, with its item index', async () => {
		const parameters = [{ ...asApp('shop', 'get') }, { ...asApp('appointment', 'cancel') }];
		const context = sesamiNodeContext(sim, parameters, {
			items: [{ json: {} }, { json: {} }],
		});
		const error = await new Sesami().execute.call(context).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe(refusal('appointment', 'cancel'));
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
		expect((sim.exchanges as IDataObject[]).map((e) => e.method)).toEqual(['GET']);
	});
});
