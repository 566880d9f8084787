import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import {
	CREDENTIAL_CACHE_MAX_ENTRIES,
	CREDENTIAL_CACHE_TTL_SECONDS,
	checkWithCredential,
	clearCredentialCache,
} from '../../../../../nodes/shared/webhook/credentialCache';
import { unauthorized } from '../../../../../nodes/shared/webhook/refusal';

/** A webhook context whose credential (by ID) can be changed between requests, counting reads. */
function fakeTrigger(options: { credentialId?: string; workflowId?: string; nodeId?: string }) {
	const store: { current: string; reads: number } = {
		current: 'first-secret-0123456789',
		reads: 0,
	};
	const context = {
		getNode: () => ({
			id: options.nodeId ?? 'node-1',
			name: 'Trigger',
			type: 'x.trigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			...(options.credentialId
				? { credentials: { testApi: { id: options.credentialId, name: 'test' } } }
				: {}),
		}),
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', active: true }),
		getCredentials: async () => {
			store.reads++;
			return { secret: store.current } as ICredentialDataDecryptedObject;
		},
	} as unknown as IWebhookFunctions;
	/** One request presenting `presented`: true when accepted, false when refused. */
	const request = async (presented: string) => {
		try {
			return await checkWithCredential(context, 'testApi', (data) => {
				if (data.secret !== presented) throw unauthorized('wrong secret');
				return true;
			});
		} catch {
			return false;
		}
	};
	return { store, request };
}

describe('credential cache of the triggers', () => {
	let now = Date.parse('2026-12-03T20:00:00Z');
	beforeEach(() => {
		clearCredentialCache();
		now = Date.parse('2026-12-03T20:00:00Z');
		jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => jest.restoreAllMocks());

	it('reads the credential once for many requests within the TTL, again after it', async () => {
		const { store, request } = fakeTrigger({ credentialId: 'cred-1' });
		for (let i = 0; i < 5; i++) expect(await request('first-secret-0123456789')).toBe(true);
		expect(store.reads).toBe(1);
		now += CREDENTIAL_CACHE_TTL_SECONDS * 1000 + 1;
		expect(await request('first-secret-0123456789')).toBe(true);
		expect(store.reads).toBe(2);
	});

	it('a rotated secret: the new one works at once, the old one at most TTL seconds', async () => {
		const { store, request } = fakeTrigger({ credentialId: 'cred-1' });
		expect(await request('first-secret-0123456789')).toBe(true);
		store.current = 'second-secret-0123456789';
		// the cached credential refuses the new secret, so it is read afresh and accepted
		expect(await request('second-secret-0123456789')).toBe(true);
		expect(store.reads).toBe(2);
		// that fresh read replaced the cached one: the old secret is refused from now on
		expect(await request('first-secret-0123456789')).toBe(false);
	});

	it('a revoked secret nobody replaced keeps working until the TTL ends, not after', async () => {
		const { store, request } = fakeTrigger({ credentialId: 'cred-1' });
		expect(await request('first-secret-0123456789')).toBe(true);
		store.current = 'rotated-secret-0123456789';
		now += (CREDENTIAL_CACHE_TTL_SECONDS - 1) * 1000;
		expect(await request('first-secret-0123456789')).toBe(true);
		now += 2000;
		expect(await request('first-secret-0123456789')).toBe(false);
	});

	it('a wrong secret is refused only after a fresh read (each wrong request reads the credential)', async () => {
		const { store, request } = fakeTrigger({ credentialId: 'cred-1' });
		expect(await request('first-secret-0123456789')).toBe(true);
		expect(await request('guess')).toBe(false);
		expect(await request('guess')).toBe(false);
		expect(store.reads).toBe(3);
	});

	it('is kept per workflow, node and credential ID; a node without a credential ID reads every time', async () => {
		const a = fakeTrigger({ credentialId: 'cred-1', workflowId: 'wf-1' });
		const b = fakeTrigger({ credentialId: 'cred-1', workflowId: 'wf-2' });
		const c = fakeTrigger({ credentialId: 'cred-2', workflowId: 'wf-1' });
		const d = fakeTrigger({ credentialId: 'cred-1', workflowId: 'wf-1', nodeId: 'node-2' });
		for (const t of [a, b, c, d]) await t.request('first-secret-0123456789');
		for (const t of [a, b, c, d]) expect(t.store.reads).toBe(1);
		const none = fakeTrigger({});
		await none.request('first-secret-0123456789');
		await none.request('first-secret-0123456789');
		expect(none.store.reads).toBe(2);
	});

	it('holds at most CREDENTIAL_CACHE_MAX_ENTRIES credentials (the oldest goes first)', async () => {
		const triggers = Array.from({ length: CREDENTIAL_CACHE_MAX_ENTRIES + 1 }, (_, i) =>
			fakeTrigger({ credentialId: `cred-${i}` }),
		);
		for (const t of triggers) await t.request('first-secret-0123456789');
		await triggers[0].request('first-secret-0123456789');
		expect(triggers[0].store.reads).toBe(2);
		await triggers[CREDENTIAL_CACHE_MAX_ENTRIES].request('first-secret-0123456789');
		expect(triggers[CREDENTIAL_CACHE_MAX_ENTRIES].store.reads).toBe(1);
	});

	it('an error of the check other than a refusal is thrown (after a fresh read)', async () => {
		const { request } = fakeTrigger({ credentialId: 'cred-1' });
		await request('first-secret-0123456789');
		const context = {
			getNode: () => ({ id: 'node-1', credentials: { testApi: { id: 'cred-1', name: 't' } } }),
			getWorkflow: () => ({ id: 'wf-1' }),
			getCredentials: async () => ({}),
		} as unknown as IWebhookFunctions;
		await expect(
			checkWithCredential(context, 'testApi', () => {
				throw new Error('boom');
			}),
		).rejects.toThrow('boom');
	});
});
