import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { unauthorized } from '../../shared/webhook/refusal';

/**
 * Which shops installed the app, tracked by the trigger from its own install callbacks and
 * uninstall webhooks, in the workflow's static data (n8n saves it when a production webhook
 * answers: live-webhooks.js calls saveStaticData in its response callback, with or without an
 * execution). Two requests handled at once each load the static data and the last save wins, so
 * the records of this process are also kept in memory and merged (the later change of a shop
 * wins) at every request. The boilerplate keeps the same states in its database
 * (server/src/sesami/installation/Installation.service.ts: INITIATED, INSTALLED, UNINSTALLED).
 */

export type ShopStatus = 'authorizing' | 'installed' | 'uninstalled';

interface ShopRecord {
	status: ShopStatus;
	/** ms since 1970 of the change */
	at: number;
	name?: string;
	/** ms since 1970 when an install was last started here (its callback is awaited) */
	pendingInstallAt?: number;
}

/** How long the callback of a started install is awaited. */
const PENDING_INSTALL_MS = 60 * 60 * 1000;

interface InstallState {
	shops: Record<string, ShopRecord>;
	/** digests of uninstall webhooks handled since the shop was last installed */
	uninstalls: Record<string, { shopId: string; at: number }>;
	/** the app ID the Admin sends with its loads (the redirect after an install) */
	appId?: string;
}

/** How the trigger decides which shops it serves (the Shops parameter). */
export type ShopsMode = 'installed' | 'listed' | 'any';

const memory = new Map<string, InstallState>();

function scopeOf(context: IWebhookFunctions): string {
	return `${context.getWorkflow().id ?? ''}:${context.getNode().name}`;
}

/** The trigger's install records: static data merged with this process's memory. */
export function installState(context: IWebhookFunctions): InstallState {
	const stored = context.getWorkflowStaticData('node') as IDataObject & { installs?: InstallState };
	const state = (stored.installs ??= { shops: {}, uninstalls: {} });
	state.shops ??= {};
	state.uninstalls ??= {};
	const remembered = memory.get(scopeOf(context));
	if (remembered) {
		for (const [shopId, record] of Object.entries(remembered.shops)) {
			const current = state.shops[shopId];
			if (!current || current.at < record.at) state.shops[shopId] = { ...record };
		}
		for (const [key, value] of Object.entries(remembered.uninstalls))
			if (state.uninstalls[key] === undefined) state.uninstalls[key] = { ...value };
		state.appId ??= remembered.appId;
	}
	memory.set(scopeOf(context), state);
	return state;
}

/** Records a shop's new status (an install clears the uninstall webhooks remembered for it). */
export function setShopStatus(
	context: IWebhookFunctions,
	shopId: string,
	status: ShopStatus,
	extra: { name?: string } = {},
): void {
	const state = installState(context);
	const at = Math.max(Date.now(), (state.shops[shopId]?.at ?? 0) + 1);
	state.shops[shopId] = { status, at, ...(extra.name ? { name: extra.name } : {}) };
	if (status === 'installed') {
		for (const [key, value] of Object.entries(state.uninstalls))
			if (value.shopId === shopId) delete state.uninstalls[key];
	}
}

/**
 * Notes that an install was started for the shop (the boilerplate's INITIATED), keeping its
 * status: a shop that installs again (new scopes) keeps being served until the callback.
 */
export function markInstallStarted(context: IWebhookFunctions, shopId: string): void {
	const state = installState(context);
	const current = state.shops[shopId];
	const at = Math.max(Date.now(), (current?.at ?? 0) + 1);
	state.shops[shopId] = { ...(current ?? { status: 'authorizing' }), at, pendingInstallAt: at };
}

/** Whether an install was started for the shop within the last hour and has not completed. */
export function installPending(context: IWebhookFunctions, shopId: string): boolean {
	const pending = installState(context).shops[shopId]?.pendingInstallAt;
	return pending !== undefined && Date.now() - pending < PENDING_INSTALL_MS;
}

export function shopStatus(context: IWebhookFunctions, shopId: string): ShopStatus | undefined {
	return installState(context).shops[shopId]?.status;
}

/** "a, b\nc" -> ["a", "b", "c"] */
export function shopIdList(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,]+/)
		.map((id) => id.trim())
		.filter((id) => id.length > 0);
}

/**
 * Refuses a load or an action for a shop the trigger does not serve: one not installed through
 * this trigger (Shops: installed), not listed (listed), or uninstalled since (every mode).
 */
export function assertShopServed(context: IWebhookFunctions, shopId: string): void {
	const mode = context.getNodeParameter('shops', 'installed') as ShopsMode;
	const status = shopStatus(context, shopId);
	if (status === 'uninstalled') throw unauthorized('the app is not installed for this shop');
	if (mode === 'installed' && status !== 'installed')
		throw unauthorized('the app is not installed for this shop');
	if (mode === 'listed' && !shopIdList(context.getNodeParameter('shopIds', '')).includes(shopId))
		throw unauthorized('shop not allowed');
}

/**
 * Records an uninstall webhook, or refuses it as a replay: the shop is not installed (Shops:
 * installed: never was, or already uninstalled) or this very webhook (`digest`) was handled since
 * the shop was last installed. The webhook has no timestamp or nonce, so a copy replayed after the
 * shop installs again cannot be told from a real uninstall.
 */
export function acceptUninstall(context: IWebhookFunctions, shopId: string, digest: string): void {
	const mode = context.getNodeParameter('shops', 'installed') as ShopsMode;
	const state = installState(context);
	const status = state.shops[shopId]?.status;
	if (state.uninstalls[digest] !== undefined) throw unauthorized('replayed webhook');
	if (status === 'uninstalled' || (mode === 'installed' && status !== 'installed'))
		throw unauthorized('the app is not installed for this shop');
	state.uninstalls[digest] = { shopId, at: Date.now() };
	const keys = Object.keys(state.uninstalls);
	for (const key of keys.slice(0, Math.max(0, keys.length - 1000))) delete state.uninstalls[key];
	setShopStatus(context, shopId, 'uninstalled');
}

export function rememberAppId(context: IWebhookFunctions, appId: string): void {
	const state = installState(context);
	if (appId && state.appId !== appId) state.appId = appId;
}
