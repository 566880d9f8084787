/**
 * The Sesami App credential's test (the trigger's `sesamiAppTest`): Sesami offers no endpoint to
 * check a client ID and secret against, so it checks what a merchant can get wrong when pasting.
 */
import type { ICredentialTestFunctions, ICredentialsDecrypted, IDataObject } from 'n8n-workflow';

import { SesamiAppTrigger } from '../../../../../nodes/Sesami/SesamiAppTrigger/SesamiAppTrigger.node';

const good: IDataObject = {
	clientId: 'client-1',
	clientSecret: 'a-long-client-secret',
	appUrl: 'https://n8n.example.com/webhook/0f0f',
	baseUrl: 'https://api.sesami.co/api/v1',
	adminUrl: 'https://admin.sesami.co',
};

async function test(data: IDataObject) {
	const credential = {
		id: '1',
		name: 'Sesami App',
		type: 'sesamiAppApi',
		data,
	} as ICredentialsDecrypted;
	return await new SesamiAppTrigger().methods.credentialTest.sesamiAppTest.call(
		{} as ICredentialTestFunctions,
		credential,
	);
}

describe('Sesami App credential test', () => {
	it('accepts well-formed values, and http:// for a local app URL', async () => {
		expect((await test(good)).status).toBe('OK');
		expect((await test({ ...good, appUrl: 'http://127.0.0.1:5678/webhook/x' })).status).toBe('OK');
		expect((await test({ ...good, appUrl: 'http://localhost:5678/webhook/x' })).status).toBe('OK');
	});

	it.each([
		[{ clientId: '' }, /client ID/],
		[{ clientSecret: ' secret-with-space' }, /client secret has spaces/],
		[{ clientId: 'client-1\n' }, /client ID has spaces/],
		[{ appUrl: 'n8n.example.com/webhook/x' }, /absolute https/],
		[{ appUrl: 'http://n8n.example.com/webhook/x' }, /must use https/],
		[{ baseUrl: 'api.sesami.co' }, /API base URL/],
		[{ adminUrl: 'ftp://admin.sesami.co' }, /Admin URL/],
	])('refuses %j', async (change, message) => {
		const result = await test({ ...good, ...change });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});
});
