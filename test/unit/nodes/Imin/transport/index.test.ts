/**
 * What a user sees when imin answers an error status (iminApiError): the HTTP code and a message
 * in words, through the imin node's `execute` (Order: Get) against a local receiver that answers
 * each status. 429 and 500 / 502 are retried first (bounded backoff), so the message counts the
 * attempts; 503 is not (imin asks clients to come back much later).
 * imin's Booking Platform API: https://docs.imin.co/incorporating-book-and-pay/imin-booking-platform
 */
import type { IDataObject } from 'n8n-workflow';

import { IminApi } from '../../../../../credentials/IminApi.credentials';
import { Imin } from '../../../../../nodes/Imin/Imin.node';
import { executeContext } from '../../../../helpers/n8n-context';
import { startReceiver } from '../../../../sim/lib/receiver';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let rx: Receiver;

beforeAll(async () => {
	rx = await startReceiver();
});
afterAll(async () => {
	await rx.close();
});
beforeEach(() => rx.clear());

/** Order: Get against the receiver answering `status` with `body`; the item with its error. */
async function orderGetAnswered(status: number, body: IDataObject = {}) {
	rx.respond = () => ({ status, body: JSON.stringify(body) });
	const context = executeContext({
		parameters: { resource: 'order', operation: 'get', orderId: 'o-1' },
		credentials: {
			iminApi: {
				apiKey: 'unit-imin-key',
				firehoseBaseUrl: `${rx.url}/firehose/`,
				checkoutBaseUrl: rx.url,
				bookBaseUrl: `${rx.url}/api/v2/`,
			},
		},
		credentialTypes: { iminApi: new IminApi() },
		continueOnFail: true,
	});
	const [[item]] = await new Imin().execute.call(context);
	return { json: item.json, requests: rx.requests.length };
}

describe('imin API errors in words a user understands', () => {
	it.each([401, 403])('%s: the API key was not accepted, asked once', async (status) => {
		const { json, requests } = await orderGetAnswered(status, { message: 'bad key' });
		expect(json.httpCode).toBe(String(status));
		expect(json.error).toBe(`imin did not accept the API key (${status})`);
		expect(String(json.errorDescription ?? json.description ?? '')).toMatch(/API key/);
		expect(requests).toBe(1);
	});

	it.each([404, 410])('%s: no such resource, with what imin said', async (status) => {
		const { json, requests } = await orderGetAnswered(status, { message: 'Order not found' });
		expect(json.httpCode).toBe(String(status));
		expect(json.error).toBe(`imin has no such resource (${status}): Order not found`);
		expect(requests).toBe(1);
	});

	it('409: an unexpected answer, with its status and what imin said', async () => {
		const { json, requests } = await orderGetAnswered(409, { message: 'Order is being changed' });
		expect(json.httpCode).toBe('409');
		expect(json.error).toBe('imin answered with HTTP 409: Order is being changed');
		expect(requests).toBe(1);
	});

	it.each([
		[429, 'imin is rate-limiting requests (429) after 4 attempts'],
		[500, 'imin had a server error (500) after 4 attempts'],
		[502, 'imin had a server error (502) after 4 attempts'],
	])('%s: retried, then "%s"', async (status, message) => {
		const { json, requests } = await orderGetAnswered(status);
		expect(json.httpCode).toBe(String(status));
		expect(json.error).toBe(message);
		expect(requests).toBe(4);
	});

	it('503: not retried (imin asks for 60 to 120 minutes), said so once', async () => {
		const { json, requests } = await orderGetAnswered(503);
		expect(json.httpCode).toBe('503');
		expect(json.error).toBe('imin is unavailable (503)');
		expect(String(json.errorDescription ?? json.description ?? '')).toMatch(/come back later/);
		expect(requests).toBe(1);
	});
});
