// Fixes found by the malformed-request e2e suite (test/e2e/malformed-requests.test.mjs): every
// trigger answers a body or field it cannot use with 4xx and a reason and starts nothing, never
// throws (n8n would answer 500 and record a failed execution), and never spends minutes of CPU.
import type { IDataObject } from 'n8n-workflow';

import { MAX_BODY_BYTES, readBody } from '../../../../../nodes/shared/webhook/rawBody';
import { webhookContext } from '../../../../helpers/n8n-context';

function bodyContext(extra: IDataObject) {
	return webhookContext({ parameters: {}, credentials: {}, credentialTypes: {}, ...extra });
}

describe('readBody: never throws, answers what n8n could not read', () => {
	const read = (extra: IDataObject) => readBody.call(bodyContext(extra));

	it('reads UTF-8 text', async () => {
		await expect(read({ body: '{"a":"é ✓ 😀"}' })).resolves.toEqual({
			ok: true,
			text: '{"a":"é ✓ 😀"}',
		});
	});

	it("413 from Content-Length before reading, from the bytes read, and from n8n's own limit", async () => {
		await expect(
			read({
				headers: { 'content-length': String(MAX_BODY_BYTES + 1) },
				readRawBodyError: new Error('must not read'),
			}),
		).resolves.toMatchObject({ ok: false, status: 413 });
		await expect(read({ body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20) })).resolves.toMatchObject({
			ok: false,
			status: 413,
		});
		const tooLarge = Object.assign(new Error('request entity too large'), {
			status: 413,
			type: 'entity.too.large',
		});
		await expect(read({ readRawBodyError: tooLarge })).resolves.toMatchObject({
			ok: false,
			status: 413,
			reason: expect.stringMatching(/larger than/),
		});
	});

	it('400 for a broken gzip body, an aborted upload and bytes that are not UTF-8; 415 for an unknown encoding', async () => {
		const zlib = Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' });
		await expect(
			read({ headers: { 'content-encoding': 'gzip' }, readRawBodyError: zlib }),
		).resolves.toMatchObject({
			ok: false,
			status: 400,
			reason: expect.stringMatching(/gzip data is broken/),
		});
		const aborted = Object.assign(new Error('Request body stream was aborted mid-read'), {
			httpStatusCode: 400,
		});
		await expect(read({ readRawBodyError: aborted })).resolves.toMatchObject({
			ok: false,
			status: 400,
			reason: expect.stringMatching(/aborted/),
		});
		await expect(
			read({ body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }),
		).resolves.toMatchObject({ ok: false, status: 400, reason: 'the body is not valid UTF-8' });
		await expect(read({ headers: { 'content-encoding': 'br' } })).resolves.toMatchObject({
			ok: false,
			status: 415,
		});
	});
});
