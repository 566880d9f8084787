/**
 * What the tests of the Sesami node under the simulator's variant switches share
 * (test/sim/sesami/variants.js): a simulator whose exchanges are cleared before and whose variants
 * and faults are reset after each test, a `run` that continues on fail, and readers of what the
 * simulator stored and exchanged.
 *
 *   const { sim, run, stored, exchanges, newAppointment } = useSesamiVariants();
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { useSesamiSimulator } from './setup';

export type Appointment = IDataObject & {
	id: string;
	customer: IDataObject;
	events: IDataObject[];
	datetime: string;
	status: string;
};

export function useSesamiVariants() {
	const { sim, shop, run: runNode } = useSesamiSimulator();

	beforeEach(() => sim.clearExchanges());
	afterEach(() => {
		sim.variants.reset();
		sim.clearFaults();
	});

	/** The Sesami node with continueOnFail; the credential's time zone may be overridden. */
	async function run(
		parameters: IDataObject,
		credentialTimezone = shop.timezone,
	): Promise<INodeExecutionData[]> {
		return await runNode(parameters, {
			continueOnFail: true,
			credentials: { timezone: credentialTimezone },
		});
	}

	const stored = (id: string) =>
		(sim.state.appointments as Appointment[]).find((a) => a.id === id)!;
	const exchanges = (method: string, pathEnd: string) =>
		(sim.exchanges as IDataObject[]).filter(
			(e) => e.method === method && String(e.path).endsWith(pathEnd),
		);
	const eventsOf = (id: string, type: string) =>
		stored(id).events.filter((e) => e.type === type).length;

	/** A new appointment `daysAhead` days from now, on a whole quarter hour (as Sesami slots are). */
	async function newAppointment(daysAhead: number): Promise<Appointment> {
		const start = Math.floor((Date.now() + daysAhead * 86400_000) / 900_000) * 900_000;
		return (await sim.createAppointment({
			serviceId: shop.services.standard,
			datetime: new Date(start).toISOString(),
		})) as Appointment;
	}

	return { sim, shop, run, stored, exchanges, eventsOf, newAppointment };
}
