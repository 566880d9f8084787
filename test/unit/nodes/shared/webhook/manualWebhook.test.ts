import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	IHookFunctions,
} from 'n8n-workflow';

import { IminTrigger } from '../../../../../nodes/Imin/IminTrigger/IminTrigger.node';
import { SesamiMyPageTrigger } from '../../../../../nodes/Sesami/SesamiMyPageTrigger/SesamiMyPageTrigger.node';
import { SesamiTrigger } from '../../../../../nodes/Sesami/SesamiTrigger/SesamiTrigger.node';

// nodes/shared/webhook/manualWebhook.ts: the credential tests that call nothing, and the no-op webhook lifecycle.

/** Test values, generated so no literal looks like a secret. */
const LONG = 'v'.repeat(16);
const SHORT = 'v'.repeat(15);

function runTest(test: ICredentialTestFunction, data?: ICredentialDataDecryptedObject) {
	return test.call({} as ICredentialTestFunctions, {
		id: 'c1',
		name: 'credential',
		type: 'test',
		data,
	});
}

describe('credential tests (nothing is called)', () => {
	it('imin Trigger: the webhook key needs at least 16 characters', async () => {
		const test = new IminTrigger().methods.credentialTest.iminWebhookKeyTest;
		const refused = { status: 'Error', message: 'Use a key of at least 16 characters' };
		expect(await runTest(test)).toEqual(refused);
		expect(await runTest(test, { apiKey: SHORT })).toEqual(refused);
		expect(await runTest(test, { apiKey: LONG })).toEqual({
			status: 'OK',
			message: 'The key is usable',
		});
	});

	it('Sesami My Page Trigger: shop domains, client ID and client secret', async () => {
		const test = new SesamiMyPageTrigger().methods.credentialTest.shopifyAppTest;
		const good = {
			shopDomains: 'https://One-Store.myshopify.com/admin, two-store.myshopify.com',
			clientId: 'client-1',
			clientSecret: LONG,
		};
		expect(await runTest(test)).toEqual({
			status: 'Error',
			message: 'Enter the shop domain(s) as your-store.myshopify.com',
		});
		expect(await runTest(test, { ...good, shopDomains: 'one-store.example.com' })).toEqual({
			status: 'Error',
			message: 'Enter the shop domain(s) as your-store.myshopify.com',
		});
		expect(await runTest(test, { ...good, clientId: '  ' })).toEqual({
			status: 'Error',
			message: "Enter the app's client ID",
		});
		expect(await runTest(test, { ...good, clientSecret: SHORT })).toEqual({
			status: 'Error',
			message: "Enter the app's client secret",
		});
		expect(await runTest(test, good)).toEqual({
			status: 'OK',
			message: 'Requests from one-store.myshopify.com, two-store.myshopify.com can be verified',
		});
	});

	it('Sesami Trigger (Manual): header name and secret', async () => {
		const test = new SesamiTrigger().methods.credentialTest.sesamiFlowsSecretTest;
		expect(await runTest(test, { headerName: 'x flow secret', secret: LONG })).toEqual({
			status: 'Error',
			message: 'The header name may contain only letters, digits and dashes',
		});
		expect(await runTest(test, { headerName: 'x-flow-secret', secret: SHORT })).toEqual({
			status: 'Error',
			message: 'Use a secret of at least 16 characters',
		});
		expect(await runTest(test, { headerName: 'x-flow-secret', secret: LONG })).toEqual({
			status: 'OK',
			message: 'The header name and secret are usable',
		});
	});
});

describe('webhook lifecycle of the triggers registered by hand', () => {
	it.each([
		['imin Trigger', new IminTrigger()],
		['Sesami My Page Trigger', new SesamiMyPageTrigger()],
	])('%s: checkExists, create and delete do nothing and succeed', async (_name, node) => {
		const hooks = node.webhookMethods.default;
		const context = {} as IHookFunctions;
		expect(await hooks.checkExists.call(context)).toBe(true);
		expect(await hooks.create.call(context)).toBe(true);
		expect(await hooks.delete.call(context)).toBe(true);
	});
});
