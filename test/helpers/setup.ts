/**
 * The set-up most node tests share: start a simulator for the file (beforeAll / afterAll), build
 * the credentials that point at it, and run an action node's `execute` through a typed context.
 *
 *   const { sim, shop, run } = useSesamiSimulator({ appointments: 250 });
 *   it('...', async () => { const [item] = await run({ resource: 'appointment', ... }); });
 *
 * `sim` and `shop` are usable inside tests and hooks (they stand for the simulator started in
 * beforeAll, which does not exist yet when the file's top level runs).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { IminApi } from '../../credentials/IminApi.credentials';
import { SesamiApi } from '../../credentials/SesamiApi.credentials';
import { SesamiAppApi } from '../../credentials/SesamiAppApi.credentials';
import { Imin } from '../../nodes/Imin/Imin.node';
import { Sesami } from '../../nodes/Sesami/Sesami.node';
import { startIminSimulator } from '../sim/imin';
import { startSesamiSimulator } from '../sim/sesami';
import { executeContext, webhookContext } from './n8n-context';
import type { ContextOptions, WebhookContextOptions } from './n8n-context';

export type SesamiSim = Awaited<ReturnType<typeof startSesamiSimulator>>;
export type SesamiShop = SesamiSim['fixtures']['shops'][number];
export type IminSim = Awaited<ReturnType<typeof startIminSimulator>>;

/** A resource locator value in "By ID" mode, as the editor stores it. */
export const rl = (value: string) => ({ __rl: true, mode: 'id', value });

/** An object that stands for the one `get()` returns when it is used (after beforeAll). */
function later<T extends object>(get: () => T): T {
	return new Proxy({} as T, {
		get(_, property) {
			const target = get();
			const value = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
		set(_, property, value) {
			return Reflect.set(get(), property, value);
		},
		has: (_, property) => Reflect.has(get(), property),
		ownKeys: () => Reflect.ownKeys(get()),
		getOwnPropertyDescriptor: (_, property) => Reflect.getOwnPropertyDescriptor(get(), property),
	});
}

export interface RunOptions {
	/** Overrides of the credential's fields. */
	credentials?: IDataObject;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	onError?: ContextOptions['onError'];
}

/** The Sesami API credential of a simulated shop. */
export function sesamiCredentials(
	sim: SesamiSim,
	shop: SesamiShop,
	overrides: IDataObject = {},
): IDataObject {
	return {
		apiKey: shop.apiKey,
		clientId: shop.clientId,
		shopId: shop.id,
		baseUrl: sim.baseUrl,
		timezone: shop.timezone,
		...overrides,
	};
}

/** The Sesami App's client ID in the tests (the app whose offline tokens the simulator is given). */
export const APP_CLIENT_ID = 'n8n-test-app-client';

/** The Sesami App credential of the test app, pointing at the simulator. */
export function sesamiAppCredentials(sim: SesamiSim, overrides: IDataObject = {}): IDataObject {
	return {
		clientId: APP_CLIENT_ID,
		clientSecret: ['app', 'secret', 'for', 'tests'].join('-'),
		appUrl: 'https://n8n.example.com/webhook/sesami-app',
		baseUrl: sim.baseUrl,
		adminUrl: 'https://admin.sesami.co',
		...overrides,
	};
}

/**
 * Installs the test app on `shop` in the simulator (as an install's token exchange would) and
 * returns the offline token Sesami would have issued.
 */
export function installApp(sim: SesamiSim, shop: SesamiShop): string {
	const token = ['offline', 'app', 'token', shop.id].join('-');
	sim.appTokens.register({ token, shopId: shop.id, clientId: APP_CLIENT_ID });
	return token;
}

/**
 * An execute context of the Sesami node for `parameters` (one object, or one per item), with the
 * Sesami API credential of the simulator's first shop and the test app's Sesami App credential.
 */
export function sesamiNodeContext(
	sim: SesamiSim,
	parameters: IDataObject | IDataObject[],
	runOptions: RunOptions = {},
) {
	return executeContext({
		parameters,
		credentials: {
			sesamiApi: sesamiCredentials(sim, sim.fixtures.shops[0], runOptions.credentials),
			sesamiAppApi: sesamiAppCredentials(sim),
		},
		credentialTypes: { sesamiApi: new SesamiApi(), sesamiAppApi: new SesamiAppApi() },
		items: runOptions.items,
		continueOnFail: runOptions.continueOnFail,
		onError: runOptions.onError,
	});
}

/** The imin API credential pointing at every base URL of the imin simulator. */
export function iminCredentials(sim: IminSim, apiKey: string, overrides: IDataObject = {}) {
	return {
		apiKey,
		firehoseBaseUrl: sim.firehoseBaseUrl,
		checkoutBaseUrl: sim.checkoutBaseUrl,
		bookBaseUrl: sim.bookBaseUrl,
		...overrides,
	} as IDataObject;
}

/**
 * Starts the Sesami simulator for this test file; `run` executes the Sesami node with the first
 * shop's credential and returns its first output.
 */
export function useSesamiSimulator(options: Parameters<typeof startSesamiSimulator>[0] = {}) {
	let started: SesamiSim | undefined;
	const current = () => {
		if (!started) throw new Error('the Sesami simulator is used before beforeAll ran');
		return started;
	};
	beforeAll(async () => {
		started = await startSesamiSimulator({ port: 0, ...options });
	});
	afterAll(async () => {
		await started?.close();
	});
	const sim = later(current);
	const shop = later(() => current().fixtures.shops[0]);
	const credentials = (overrides: IDataObject = {}) =>
		sesamiCredentials(current(), current().fixtures.shops[0], overrides);
	async function run(
		parameters: IDataObject | IDataObject[],
		runOptions: RunOptions = {},
	): Promise<INodeExecutionData[]> {
		const context = executeContext({
			parameters,
			credentials: { sesamiApi: credentials(runOptions.credentials) },
			credentialTypes: { sesamiApi: new SesamiApi() },
			items: runOptions.items,
			continueOnFail: runOptions.continueOnFail,
			onError: runOptions.onError,
		});
		const [output] = await new Sesami().execute.call(context);
		return output;
	}
	return { sim, shop, credentials, run };
}

/**
 * Starts the imin simulator for this test file (with `apiKey` as the key it accepts); `run`
 * executes the imin node with a credential pointing at it and returns its first output.
 */
export function useIminSimulator(
	options: Parameters<typeof startIminSimulator>[0] & { apiKey: string },
	credentialExtras: IDataObject = {},
) {
	let started: IminSim | undefined;
	const current = () => {
		if (!started) throw new Error('the imin simulator is used before beforeAll ran');
		return started;
	};
	beforeAll(async () => {
		started = await startIminSimulator({ port: 0, ...options });
	});
	afterAll(async () => {
		await started?.close();
	});
	const sim = later(current);
	const credentials = (overrides: IDataObject = {}) =>
		iminCredentials(current(), options.apiKey, { ...credentialExtras, ...overrides });
	async function run(
		parameters: IDataObject | IDataObject[],
		runOptions: RunOptions = {},
	): Promise<INodeExecutionData[]> {
		const context = executeContext({
			parameters,
			credentials: { iminApi: credentials(runOptions.credentials) },
			credentialTypes: { iminApi: new IminApi() },
			items: runOptions.items,
			continueOnFail: runOptions.continueOnFail,
			onError: runOptions.onError,
		});
		const [output] = await new Imin().execute.call(context);
		return output;
	}
	return { sim, credentials, run };
}

/**
 * A Sesami Trigger's webhook / hook context against a simulated shop: the Sesami API credential
 * of `shop`, and the Flows webhook credential when `flowCredential` is given (Manual mode).
 */
export function sesamiTriggerContext(
	sim: SesamiSim,
	shop: SesamiShop,
	options: Omit<WebhookContextOptions, 'credentials' | 'credentialTypes' | 'nodeName'> & {
		flowCredential?: IDataObject;
	},
) {
	const { flowCredential, ...rest } = options;
	return webhookContext({
		...rest,
		nodeName: 'Sesami Trigger',
		credentials: {
			sesamiApi: sesamiCredentials(sim, shop),
			...(flowCredential ? { sesamiFlowsWebhookApi: flowCredential } : {}),
		},
		credentialTypes: { sesamiApi: new SesamiApi() },
	});
}

/** The Flows webhook credential's secret in Manual mode, generated so no literal looks like a secret. */
export const MANUAL_FLOW_SECRET = ['manual', 'flow', 'value', '0123456789'].join('-');

/**
 * Starts the Sesami simulator for this test file; `context` builds a Sesami Trigger context for
 * `webhookUrl` (with the Manual mode credential, header x-my-flow-secret), `flowsOfThisWebhook`
 * lists the Flows the simulated shop holds for it.
 */
export function useSesamiTrigger(webhookUrl: string) {
	const { sim, shop } = useSesamiSimulator();
	function context(
		parameters: IDataObject,
		extra: Omit<WebhookContextOptions, 'parameters' | 'credentials' | 'credentialTypes'> = {},
	) {
		return sesamiTriggerContext(sim, shop, {
			parameters,
			flowCredential: { headerName: 'x-my-flow-secret', secret: MANUAL_FLOW_SECRET },
			webhookUrl,
			...extra,
		});
	}
	const flowsOfThisWebhook = () =>
		(sim.state.flows as IDataObject[]).filter((flow) => String(flow.target).startsWith(webhookUrl));
	return { sim, shop, context, flowsOfThisWebhook };
}

/**
 * Starts the Sesami simulator for this test file (or describe block) with its variants and faults
 * reset after each test; `context` builds an Automatic-mode Sesami Trigger context for
 * `webhookUrl` and `events` (Fetch Full Appointment on), each part overridable.
 */
export function useSesamiTriggerVariants(webhookUrl: string, events: string[]) {
	const { sim, shop } = useSesamiSimulator();
	afterEach(() => {
		sim.variants.reset();
		sim.clearFaults();
	});
	function context(
		extra: {
			body?: string;
			headers?: IDataObject;
			query?: IDataObject;
			webhookUrl?: string;
			settings?: IDataObject;
			events?: string[];
		} = {},
	) {
		return sesamiTriggerContext(sim, shop, {
			parameters: {
				registration: 'automatic',
				events: extra.events ?? events,
				settings: extra.settings ?? { fetchFullAppointment: true },
			},
			webhookUrl: extra.webhookUrl ?? webhookUrl,
			body: extra.body,
			headers: extra.headers as Record<string, string>,
			query: extra.query ?? { event: 'APPOINTMENT_CREATED' },
		});
	}
	return { sim, shop: () => shop, context };
}
