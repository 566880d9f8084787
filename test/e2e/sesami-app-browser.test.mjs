// workflows/sesami-app-appointment-panel.json in a real browser: Chromium (lib/browser.mjs) opens
// the simulated Sesami Admin (test/sim/sesami-admin) at an appointment's drawer; the Admin loads the
// app from the real n8n in its iframe with parameters signed as Sesami signs them and speaks
// app-message's host side. Shop 0's appointment is booked in the Sesami simulator, whose Flows push
// it to sesami-flows-to-stored-links.json (the stored links row) and sesami-portal-emails.json (the
// first portal email); the panel shows its customer, management link and that email, and "Resend
// portal email" sends exactly one more (SMTP sink). Shop 1 has no Flows workflow here: its row is
// written as that workflow writes it, and its panel shows its own data only.
//
// Leaves behind: shops 0 and 1 installed, one appointment in each, the rows and two emails of shop 0's.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launchChromium } from './lib/browser.mjs';
import {
	dataTableId,
	dataTableRows,
	emailsTo,
	lastExecutionId,
	n8nApi,
	simControl,
	simShop,
	smtpMessages,
	waitFor,
	waitForFlowsSettled,
	workflowByFile,
} from './lib/context.mjs';
import {
	EMAILS_TABLE,
	LINKS_TABLE,
	appWorkflow,
	installShop,
	sesamiApp,
	waitForInstallationRows,
} from './lib/sesami-app.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = crypto.randomBytes(3).toString('hex');
const shop0 = simShop(0);
const shop1 = simShop(1);
let browser;
let page;
let a0; // shop 0's appointment (pushed through the Flows workflows)
let a1; // shop 1's appointment (row written as the Flows workflow writes it)
const pageErrors = [];

const drawerUrl = (shopId, appointmentId) =>
	`${sesamiApp().adminUrl}/admin/${shopId}/appointments/${appointmentId}?appId=${encodeURIComponent(sesamiApp().appId)}`;
const frame = () => page.frameLocator('#app-frame');

async function book(shop, tag) {
	const at = new Date(Date.now() + (5 * 24 + (Number.parseInt(tag, 36) % 48)) * 3600_000);
	at.setUTCMinutes(0, 0, 0);
	const r = await simControl().post('/appointments', {
		shopId: shop.id,
		datetime: at.toISOString(),
		customer: {
			firstName: 'Panel',
			lastName: `Tester ${tag}`,
			email: `app-panel-${run}-${tag}@example.com`,
		},
	});
	assert.equal(r.status, 201, `POST /__sim/appointments: ${JSON.stringify(r.data)}`);
	return r.data;
}

/** Opens the drawer and waits for the handshake (16 s, Sesami's limit) and the panel's data. */
async function openPanel(shopId, appointmentId) {
	await page.goto(drawerUrl(shopId, appointmentId));
	await page.waitForSelector('#app-status[data-status="ready"]', { timeout: 16_000 });
	await frame().locator('#panel:not([data-state="loading"])').waitFor({ timeout: 20_000 });
}

before(async () => {
	browser = await launchChromium();
	appWorkflow();
	for (const shop of [shop0, shop1]) {
		await installShop(shop.id);
		await waitForInstallationRows(shop.id, 1);
	}
	const flows = ['sesami-flows-to-stored-links.json', 'sesami-portal-emails.json'].map(
		(f) => workflowByFile(f).id,
	);
	const mark = await lastExecutionId(flows);
	a0 = await book(shop0, 'zero');
	await waitForFlowsSettled({
		workflowIds: flows,
		afterId: mark,
		expected: { [flows[0]]: 1, [flows[1]]: 1 },
	});
	a1 = await book(shop1, 'one');
	const links = await dataTableId(LINKS_TABLE);
	const r = await n8nApi().post(`/data-tables/${links}/rows`, {
		data: [
			{
				appointmentId: a1.id,
				shopId: shop1.id,
				customerEmail: a1.customer.email,
				customerName: `${a1.customer.firstName} ${a1.customer.lastName}`,
				status: a1.status,
				cancelled: false,
				customerManagementLink: a1.customerManagementLink,
				lastEvent: 'APPOINTMENT_CREATED',
				storedAt: new Date().toISOString(),
			},
		],
		returnType: 'id',
	});
	assert.equal(r.status, 200, `insert shop 1's row: ${JSON.stringify(r.data)}`);
	const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
	context.setDefaultTimeout(20_000);
	page = await context.newPage();
	page.on('pageerror', (error) => pageErrors.push(error.message));
});

after(async () => {
	await browser?.close();
});

describe('Sesami App panel in Chromium (Admin simulator -> n8n -> sesami-app-appointment-panel.json)', () => {
	test("shop 0's appointment: the panel renders with its customer, stored management link and the email already sent", async () => {
		const [row] = await dataTableRows(await dataTableId(LINKS_TABLE), {
			type: 'and',
			filters: [{ columnName: 'appointmentId', condition: 'eq', value: a0.id }],
		});
		assert.ok(row?.customerManagementLink, 'the Flows workflow stored the link');
		const t0 = Date.now();
		await openPanel(shop0.id, a0.id);
		const readyMs = Date.now() - t0;
		assert.equal(await frame().locator('#panel').getAttribute('data-state'), 'ready');
		assert.equal(await frame().locator('#customer-email').textContent(), a0.customer.email);
		assert.match(await frame().locator('#customer-name').textContent(), /Panel Tester zero/);
		assert.equal(
			await frame().locator('#management-link').getAttribute('href'),
			row.customerManagementLink,
		);
		assert.equal(await frame().locator('#emails li[data-event]').count(), 1);
		assert.equal(
			await frame().locator('#emails li[data-event]').first().getAttribute('data-event'),
			'APPOINTMENT_CREATED',
		);
		const height = Number(await page.locator('#app-frame').getAttribute('data-height'));
		assert.ok(height > 50, `the page reported its height (${height})`);
		console.log(`# panel ready ${readyMs} ms after opening the drawer; height ${height}`);
	});

	test('"Resend portal email" sends exactly one email, logs it and the panel shows it', async () => {
		const address = a0.customer.email;
		const before = (await smtpMessages()).filter((m) => m.to.includes(address)).length;
		assert.equal(before, 1, 'the portal emails workflow sent the first one');
		await frame().locator('#resend').click();
		const notice = page.locator('#notifications li[data-type="SUCCESS"]');
		await notice.waitFor({ timeout: 20_000 });
		assert.equal(await notice.textContent(), `Portal email sent to ${address}`);
		await waitFor(async () => (await frame().locator('#emails li[data-event]').count()) === 2, {
			timeoutMs: 10_000,
			message: 'the panel lists two emails',
		});
		assert.equal(
			await frame().locator('#emails li[data-event]').nth(1).getAttribute('data-event'),
			'RESEND',
		);
		const mine = await emailsTo(address, { settleMs: 2000 });
		assert.equal(mine.length, before + 1, 'exactly one more email');
		const resent = mine[mine.length - 1];
		const [row] = await dataTableRows(await dataTableId(LINKS_TABLE), {
			type: 'and',
			filters: [{ columnName: 'appointmentId', condition: 'eq', value: a0.id }],
		});
		assert.ok(
			JSON.stringify(resent).includes(row.customerManagementLink),
			'the email carries the management link',
		);
		const logged = await dataTableRows(await dataTableId(EMAILS_TABLE), {
			type: 'and',
			filters: [{ columnName: 'appointmentId', condition: 'eq', value: a0.id }],
		});
		assert.deepEqual(logged.map((r) => r.event).sort(), ['APPOINTMENT_CREATED', 'RESEND']);
		fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
		await page.screenshot({ path: path.join(root, 'test-results', 'sesami-app-panel.png') });
	});

	test("shop 1's appointment shows shop 1's data only; shop 0's appointment is not readable from shop 1", async () => {
		await openPanel(shop1.id, a1.id);
		assert.equal(await frame().locator('#panel').getAttribute('data-state'), 'ready');
		assert.equal(await frame().locator('#customer-email').textContent(), a1.customer.email);
		assert.equal(
			await frame().locator('#management-link').getAttribute('href'),
			a1.customerManagementLink,
		);
		assert.equal(await frame().locator('#emails li[data-event]').count(), 0);
		const text = await frame().locator('body').textContent();
		assert.ok(!text.includes(a0.customer.email), "nothing of shop 0's appointment");
		await openPanel(shop1.id, a0.id);
		assert.equal(await frame().locator('#panel').getAttribute('data-state'), 'error');
		const other = await frame().locator('body').textContent();
		assert.ok(!other.includes(a0.customer.email), "shop 0's customer is not shown in shop 1");
		assert.match(await frame().locator('#error').textContent(), /did not return this appointment/);
		assert.deepEqual(pageErrors, [], 'no script error in the pages');
	});
});
