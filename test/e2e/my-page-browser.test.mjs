// End-to-end in a real browser: Chromium (the system's, or the one the devDependency
// @sparticuz/chromium carries; lib/browser.mjs picks it) driven by playwright-core, on the
// storefront simulator (test/sim/storefront), which renders the theme snippet
// workflows/storefront/sesami-my-page.liquid with liquidjs, serves sesami-my-page.js and forwards
// /apps/bookings to sesami-my-page-backend.json in the real n8n, signed as Shopify's App Proxy.
// Customer A logs in, sees exactly their appointments, reschedules one to an offered slot, cancels
// another, and is told why a third cannot be cancelled; the Sesami simulator and the stored rows
// follow. Every run saves a screenshot to test-results/my-page.png; docs/my-page.png (the README's) is
// written when it is missing or with UPDATE_DOCS_SCREENSHOT=1.
//
// Leaves behind: three new appointments of A in shop 0 (one rescheduled, two cancelled) and their rows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launchChromium } from './lib/browser.mjs';
import {
	appointmentsOf,
	createAppointment,
	customerA,
	customerB,
	lastExecutionId,
	localDateTime,
	myPage,
	settle,
	simAct,
	simAppointment,
	storedRow,
	w4,
} from './lib/my-page.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const A = customerA();
const B = customerB();
const app = myPage();
const myPageWf = w4();

let browser;
let page;
const pageErrors = [];
let x; // rescheduled in the browser
let y; // cancelled in the browser
let z; // cancelled by the store while the page is open: the customer's Cancel is refused with the reason
let startedAt; // ISO time the browser started (the storefront's request log is read from there on)

const item = (id) => page.locator(`[data-appointment-id="${id}"]`);
const shownIds = async () =>
	(
		await page
			.locator('[data-appointment-id]')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-appointment-id')))
	).sort();
const message = () => page.locator('[data-role="message"]');

before(async () => {
	// First, so that a machine without a usable Chromium fails before the appointments are created.
	// A fresh temporary profile (user-data-dir), removed on close.
	browser = await launchChromium();
	x = await createAppointment({ customer: A, service: 'standard', hoursAhead: 5 * 24 });
	y = await createAppointment({ customer: A, service: 'standard', hoursAhead: 6 * 24 + 2 });
	z = await createAppointment({ customer: A, service: 'standard', hoursAhead: 7 * 24 + 3 });
	await settle(); // sesami-flows-to-stored-links.json stores the new appointments from their Flows
	startedAt = new Date().toISOString();
	const context = await browser.newContext({
		viewport: { width: 1000, height: 900 },
		locale: 'en-GB',
		timezoneId: 'Europe/London',
	});
	context.setDefaultTimeout(30_000);
	page = await context.newPage();
	page.on('pageerror', (error) => pageErrors.push(error.message));
});

after(async () => {
	await browser?.close();
	await settle().catch((error) => console.error(`# ${error.message}`));
});

describe('My Page in Chromium (storefront simulator -> App Proxy -> sesami-my-page-backend.json)', () => {
	test('a visitor who is not logged in is sent to the login page', async () => {
		await page.goto(`${app.storefrontUrl}/pages/my-bookings`);
		await assertLoginLink();
		await page.goto(`${app.storefrontUrl}/account`);
		assert.match(page.url(), /\/account\/login/);
	});

	test("A logs in and sees exactly A's upcoming appointments (none of B's)", async () => {
		const mark = await lastExecutionId(myPageWf.id);
		await page.fill('#customer_email', A.email);
		await page.fill('#customer_password', A.password);
		await Promise.all([page.waitForURL(/\/account$/), page.click('button[type="submit"]')]);
		await page.locator('[data-role="list"]').waitFor();
		const expected = (await appointmentsOf(A.id)).map((a) => a.id).sort();
		assert.deepEqual(await shownIds(), expected);
		for (const b of await appointmentsOf(B.id))
			assert.equal(await item(b.id).count(), 0, `B's ${b.id} is not shown`);
		for (const a of [x, y, z]) {
			await item(a.id).locator('[data-action="reschedule"]').waitFor();
			await item(a.id).locator('[data-action="cancel"]').waitFor();
		}
		assert.match(
			await page.locator('h1').textContent(),
			new RegExp(A.firstName ?? A.name.split(' ')[0]),
		);
		// sesami-my-page-backend.json refreshes the stored rows after answering the list; a person looks at the page before clicking.
		await settle(mark);
	});

	test("a Cancel the backend refuses (the store cancelled it meanwhile) shows the backend's reason", async () => {
		await simAct(z.id, 'cancel', { content: 'Cancelled by the store' });
		const before = (await simAppointment(z.id)).events.length;
		const mark = await lastExecutionId(myPageWf.id);
		await item(z.id).locator('[data-action="cancel"]').click();
		await item(z.id).locator('[data-action="confirm-cancel"]').click();
		await page.waitForFunction(
			() => document.querySelector('[data-role="message"]')?.getAttribute('data-kind') === 'error',
		);
		assert.match(await message().textContent(), /already cancelled/);
		assert.equal((await simAppointment(z.id)).events.length, before, 'nothing changed');
		await item(z.id).waitFor({ state: 'detached' }); // the page reloaded the list: z is no longer upcoming
		await settle(mark);
	});

	test('A reschedules one to an offered slot: Sesami, the stored row and the page follow', async () => {
		const tz = (await simAppointment(x.id)).customerTimezone;
		await item(x.id).locator('[data-action="reschedule"]').click();
		const day = item(x.id).locator('[data-role="day"]');
		await day.waitFor();
		const days = await day.locator('option').evaluateAll((o) => o.map((e) => e.value));
		const currentDay = localDateTime(x.datetime, tz).slice(0, 10);
		const otherDays = days.filter((d) => d !== currentDay && d > currentDay);
		assert.ok(otherDays.length > 0, `days are offered after ${currentDay}: ${days.join(', ')}`);
		await day.selectOption(otherDays[0]);
		const times = await item(x.id)
			.locator('[data-role="time"] option')
			.evaluateAll((o) => o.map((e) => e.value));
		assert.ok(times.length > 0);
		const chosen = times[Math.floor(times.length / 2)];
		await item(x.id).locator('[data-role="time"]').selectOption(chosen);
		const mark = await lastExecutionId(myPageWf.id);
		await item(x.id).locator('[data-action="confirm-reschedule"]').click();
		await page.waitForFunction(() =>
			/^Done: .* is now on /.test(
				document.querySelector('[data-role="message"]')?.textContent ?? '',
			),
		);
		const after = await simAppointment(x.id);
		assert.equal(
			localDateTime(after.datetime, tz),
			chosen.replace('T', ' '),
			'Sesami holds the slot A picked',
		);
		assert.equal(after.status, 'RESCHEDULED');
		// The page reloaded the list: the appointment carries its new start.
		assert.equal(
			Date.parse(await item(x.id).getAttribute('data-start')),
			Date.parse(after.datetime),
		);
		await settle(mark); // a person reads the message before the next click
		const row = await storedRow(x.id);
		assert.equal(Date.parse(row.startUtc), Date.parse(after.datetime));
		assert.equal(row.status, 'RESCHEDULED');
	});

	test('A cancels another: Sesami, the stored row and the page follow', async () => {
		await item(y.id).locator('[data-action="cancel"]').click();
		const mark = await lastExecutionId(myPageWf.id);
		await item(y.id).locator('[data-action="confirm-cancel"]').click();
		await page.waitForFunction(() =>
			/^Done: .* is cancelled\./.test(
				document.querySelector('[data-role="message"]')?.textContent ?? '',
			),
		);
		assert.match(
			await message().textContent(),
			/refunded/,
			'the standard service refunds on cancel',
		);
		const after = await simAppointment(y.id);
		assert.equal(after.status, 'CANCELLED');
		assert.equal(await item(y.id).count(), 0, 'the cancelled appointment is gone from the page');
		assert.deepEqual(await shownIds(), (await appointmentsOf(A.id)).map((a) => a.id).sort());
		await settle(mark);
		const row = await storedRow(y.id);
		assert.equal(row.cancelled, true);
		assert.equal(row.status, 'CANCELLED');
	});

	test('the page never sent who the customer is; screenshot', async () => {
		const r = await fetch(`${app.storefrontUrl}/__storefront/requests`);
		const sent = (await r.json()).filter((q) => q.at >= startedAt && q.customerId === A.id);
		assert.ok(sent.length >= 5, `the page called the App Proxy (${sent.length} requests)`);
		for (const q of sent) {
			for (const secret of [A.id, A.email])
				assert.ok(
					!`${q.query} ${q.body}`.includes(secret),
					`${q.method} ${q.path}?${q.query} carries no customer id or email`,
				);
			assert.match(q.query, /^op=[a-z]+$/, 'the only query key is op');
		}
		assert.deepEqual(pageErrors, [], 'no script errors on the page');
		// For the README: the list after the changes, with the slot picker open on the rescheduled one.
		await item(x.id).locator('[data-action="reschedule"]').click();
		await item(x.id).locator('[data-role="time"]').waitFor();
		fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
		const shot = await page.screenshot({
			fullPage: true,
			path: path.join(root, 'test-results', 'my-page.png'),
		});
		const docs = path.join(root, 'docs', 'my-page.png');
		if (!fs.existsSync(docs) || process.env.UPDATE_DOCS_SCREENSHOT === '1')
			fs.writeFileSync(docs, shot);
	});
});

async function assertLoginLink() {
	const link = page.locator('.sesami-my-page__login a');
	await link.waitFor();
	assert.equal(await link.getAttribute('href'), '/account/login');
	assert.equal(
		await page.locator('[data-sesami-my-page]').count(),
		0,
		'no booking list for a visitor',
	);
}
