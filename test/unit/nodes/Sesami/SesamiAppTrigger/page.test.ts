/**
 * The bridge script a load hands to the page, run in a stand-in window (node:vm): it speaks the
 * app side of app-message's protocol as the host side expects it (messages
 * `{action: messageId + '_' + ACTION, payload}`, https://github.com/sesamiapp/app-message
 * src/methods/host/*.ts): INIT at once, HEIGHT on load, TOKEN, NOTIFICATION, BACK; and postAction
 * sends the token and the signed context to the action URL.
 */
import {
	bridgeScript,
	signContext,
	verifyContext,
} from '../../../../../nodes/Sesami/SesamiAppTrigger/page';
import { pageWindow } from '../../../../helpers/appMessageHost';

type Page = ReturnType<typeof pageWindow>;

function run(page: Page, context = 'ctx.sig') {
	const window = page.run(bridgeScript(context)) as unknown as Record<string, unknown>;
	return window.SesamiApp as {
		ready: Promise<{ shopId: string; appointmentId: string | null }>;
		getToken: () => Promise<string | null>;
		postAction: (name: string, payload: unknown) => Promise<unknown>;
		showNotification: (message: string, type: string) => void;
		navBack: () => void;
	};
}

describe('Sesami App Trigger page bridge (app-message protocol, app side)', () => {
	it('sends INIT at once and HEIGHT, and takes the context the host answers', async () => {
		const page = pageWindow();
		const app = run(page);
		expect(page.sent[0]).toMatchObject({ action: 'm-123_INIT', origin: '*' });
		expect(page.sent).toContainEqual(
			expect.objectContaining({ action: 'm-123_HEIGHT', payload: { height: 321 } }),
		);
		// another messageId, or a message from elsewhere than the host, is ignored
		page.hostSays('other_INIT', { shopId: 'x' });
		page.hostSays('m-123_INIT', { shopId: 'x' }, {});
		page.hostSays('m-123_INIT', { shopId: 's1', locale: 'en', extra: { appointmentId: 'a-5' } });
		await expect(app.ready).resolves.toMatchObject({ shopId: 's1', appointmentId: 'a-5' });
	});

	it('asks for a token, notifies, goes back, and posts an action with the token and context', async () => {
		const page = pageWindow();
		const app = run(page, 'signed.context');
		page.hostSays('m-123_INIT', { shopId: 's1', locale: 'en', extra: { appointmentId: 'a-5' } });
		const token = app.getToken();
		expect(page.sent.at(-1)).toMatchObject({ action: 'm-123_TOKEN', payload: null });
		page.hostSays('m-123_TOKEN', { token: 'jwt-1' });
		await expect(token).resolves.toBe('jwt-1');
		app.showNotification('Sent', 'SUCCESS');
		expect(page.sent.at(-1)).toMatchObject({
			action: 'm-123_NOTIFICATION',
			payload: { message: 'Sent', type: 'SUCCESS' },
		});
		app.navBack();
		expect(page.sent.at(-1)).toMatchObject({ action: 'm-123_BACK' });
		const done = app.postAction('resend', { n: 1 });
		await Promise.resolve();
		await Promise.resolve();
		page.hostSays('m-123_TOKEN', { token: 'jwt-2' });
		await expect(done).resolves.toEqual({ done: true });
		expect(page.fetches[0].url).toBe('https://n8n.example.test/webhook/abc/action');
		expect(
			(page.fetches[0].init as { headers: Record<string, string> }).headers.Authorization,
		).toBe('Bearer jwt-2');
		expect(JSON.parse((page.fetches[0].init as { body: string }).body)).toEqual({
			action: 'resend',
			payload: { n: 1 },
			context: 'signed.context',
			appointmentId: 'a-5',
		});
	});

	it('signs a context that verifies, and refuses it expired or with another secret', () => {
		const exp = Math.floor(Date.now() / 1000) + 60;
		const context = {
			shopId: 's',
			appointmentId: null,
			target: 'ADMIN_APP_LOADER',
			userId: 'u',
			exp,
		};
		const signed = signContext(context, 'secret-1');
		expect(verifyContext(signed, 'secret-1')).toEqual(context);
		expect(() => verifyContext(signed, 'secret-2')).toThrow(/context signature/);
		expect(() => verifyContext(signed, 'secret-1', (exp + 1) * 1000)).toThrow(/expired/);
	});
});
