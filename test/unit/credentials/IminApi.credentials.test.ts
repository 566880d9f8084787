/**
 * The imin API credential: the X-API-KEY header it adds to every request
 * (https://docs.imin.co/platform-products/firehose-and-checkout), and that the simulated imin
 * Firehose accepts it and refuses a wrong key.
 */
import axios from 'axios';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { IminApi } from '../../../credentials/IminApi.credentials';
import { useIminSimulator, iminCredentials } from '../../helpers/setup';

const KEY = 'unit-imin-credential-key';
const { sim } = useIminSimulator({ apiKey: KEY });
/** The decrypted credential data n8n hands to authenticate(). */
const decrypted = (data: IDataObject) => data as ICredentialDataDecryptedObject;
const credential = new IminApi();

describe('imin API credential', () => {
	it('adds X-API-KEY and keeps the request headers', async () => {
		const options = await credential.authenticate(
			{ apiKey: 'k-1' },
			{ url: '/x', headers: { accept: 'application/json' } },
		);
		expect(options.headers).toEqual({ accept: 'application/json', 'X-API-KEY': 'k-1' });
		expect(options.url).toBe('/x');
	});

	it('the simulated Firehose accepts the header it builds and refuses a wrong key', async () => {
		for (const [apiKey, status] of [
			[KEY, 200],
			['wrong-key', 401],
		] as const) {
			const options = await credential.authenticate(decrypted(iminCredentials(sim, apiKey)), {
				url: '/',
			});
			const res = await axios.get(`${sim.firehoseBaseUrl}session-series`, {
				headers: options.headers as Record<string, string>,
				validateStatus: () => true,
			});
			expect([apiKey, res.status]).toEqual([apiKey, status]);
		}
	});

	it('its credential test reads the session-series feed', () => {
		expect(String(credential.test.request.url)).toMatch(/session-series$/);
	});
});
