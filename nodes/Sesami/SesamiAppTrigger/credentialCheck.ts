import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * What is wrong with a Sesami App credential's values, or undefined: there is no documented
 * endpoint to test a client ID and secret against, so the credential test checks their form.
 */

function absoluteUrl(value: string): URL | undefined {
	try {
		const url = new URL(value);
		return ['http:', 'https:'].includes(url.protocol) ? url : undefined;
	} catch {
		return undefined;
	}
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function credentialProblem(data: ICredentialDataDecryptedObject): string | undefined {
	for (const [name, label] of [
		['clientId', 'client ID'],
		['clientSecret', 'client secret'],
	]) {
		const value = String(data[name] ?? '');
		if (!value) return `Enter the app's ${label}`;
		if (value !== value.trim()) return `The ${label} has spaces around it: remove them`;
	}
	const appUrl = absoluteUrl(String(data.appUrl ?? '').trim());
	if (!appUrl) return 'Enter the app URL as an absolute https:// URL';
	if (appUrl.protocol !== 'https:' && !LOCAL_HOSTS.includes(appUrl.hostname))
		return 'The app URL must use https:// (http:// only for localhost)';
	if (!absoluteUrl(String(data.baseUrl ?? 'https://api.sesami.co/api/v1').trim()))
		return 'Enter the API base URL as an absolute URL';
	if (!absoluteUrl(String(data.adminUrl ?? 'https://admin.sesami.co').trim()))
		return 'Enter the Admin URL as an absolute URL';
	return undefined;
}
