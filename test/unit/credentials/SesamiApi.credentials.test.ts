/**
 * The Sesami API credential: the headers it adds to every request (x-api-key, x-shop-id, and
 * x-client-id only when filled in: https://api.sesami.co/swagger), and that the simulated Sesami
 * accepts exactly those and refuses a wrong token.
 */
import axios from 'axios';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { SesamiApi } from '../../../credentials/SesamiApi.credentials';
import { useSesamiSimulator, sesamiCredentials } from '../../helpers/setup';

const { sim, shop } = useSesamiSimulator({ appointments: 5 });
/** The decrypted credential data n8n hands to authenticate(). */
const decrypted = (data: IDataObject) => data as ICredentialDataDecryptedObject;
const credential = new SesamiApi();

async function get(options: IHttpRequestOptions) {
	return axios.get(`${sim.baseUrl}/shops/${shop.id}`, {
		headers: options.headers as Record<string, string>,
		validateStatus: () => true,
	});
}

describe('Sesami API credential', () => {
	it('adds the token, the shop ID (trimmed) and the client ID, keeping the request headers', async () => {
		const options = await credential.authenticate(
			{ apiKey: 'token-1', shopId: '  shop-1 ', clientId: 'client-1' },
			{ url: '/x', headers: { accept: 'application/json' } },
		);
		expect(options.headers).toEqual({
			accept: 'application/json',
			'x-api-key': 'token-1',
			'x-shop-id': 'shop-1',
			'x-client-id': 'client-1',
		});
		expect(options.url).toBe('/x');
	});

	it('sends no x-client-id when the Client ID is blank', async () => {
		const options = await credential.authenticate(
			{ apiKey: 'token-1', shopId: 'shop-1', clientId: '  ' },
			{ url: '/x' },
		);
		expect(Object.keys(options.headers ?? {}).sort()).toEqual(['x-api-key', 'x-shop-id']);
	});

	it('the simulated Sesami accepts the headers it builds and refuses a wrong token', async () => {
		const good = await credential.authenticate(decrypted(sesamiCredentials(sim, shop)), {
			url: '/',
		});
		expect((await get(good)).status).toBe(200);
		const wrong = await credential.authenticate(
			decrypted(sesamiCredentials(sim, shop, { apiKey: 'not-the-token' })),
			{ url: '/' },
		);
		expect((await get(wrong)).status).toBe(401);
	});

	it('its credential test reads the shop (GET /shops/{shop ID})', () => {
		expect(credential.test.request).toMatchObject({ method: 'GET' });
		expect(String(credential.test.request.url)).toContain('/shops/');
		expect(String(credential.test.request.url)).toContain('$credentials.shopId');
	});
});
