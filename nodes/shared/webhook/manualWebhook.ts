import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IHookFunctions,
	INodeCredentialTestResult,
	WebhookSetupMethodNames,
} from 'n8n-workflow';

/**
 * Webhook triggers whose URL is handed over by hand (to imin's liaison, into the Shopify app's App
 * Proxy or extension code, into a Sesami Flow in Manual mode): there is no webhook to register
 * through an API (imin Trigger, My Page Trigger), and nothing to ask whether the credential is
 * right, because the service calls us (all three triggers' credential tests).
 */

type WebhookLifecycle = {
	[method in WebhookSetupMethodNames]: (this: IHookFunctions) => Promise<boolean>;
};

/** `webhookMethods` of such a trigger: nothing to check, create or delete remotely, so all succeed. */
export const manualWebhookMethods: { default: WebhookLifecycle } = {
	default: {
		async checkExists(): Promise<boolean> {
			return true;
		},
		async create(): Promise<boolean> {
			return true;
		},
		async delete(): Promise<boolean> {
			return true;
		},
	},
};

/**
 * A credential test that calls nothing: it checks the credential's own values. `problem` returns
 * what to fix, or undefined when the credential is usable; `usable` is then the message (or makes it).
 */
export function localCredentialTest(
	problem: (data: ICredentialDataDecryptedObject) => string | undefined,
	usable: string | ((data: ICredentialDataDecryptedObject) => string),
): ICredentialTestFunction {
	return async function (
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const data = credential.data ?? {};
		const message = problem(data);
		if (message !== undefined) return { status: 'Error', message };
		return { status: 'OK', message: typeof usable === 'string' ? usable : usable(data) };
	};
}
