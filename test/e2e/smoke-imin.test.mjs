// Smoke (runs on every n8n the package supports: `npm test` on 2.41.1, `npm run test:n8n1` on
// 1.123.81): workflows/imin-success-webhook.json runs. A booking in the imin simulator sends
// its Success webhook (twice: imin may repeat it) to imin-success-webhook.json's imin Trigger; it ends as ONE row in
// "imin bookings", ONE confirmation email and ONE row in "imin confirmations sent" (the repeat
// waits 10 s, then finds the email logged). The full imin-success-webhook.json / imin-firehose-checkout-links.json suite is imin.test.mjs.
// Run through test/run-all.mjs, which provides E2E_CONTEXT.
//
// Leaves behind: the simulator's default webhook delivery (imin-success-webhook.json's URL and key), one order.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, test } from 'node:test';
import {
	dataTableId,
	dataTableRows,
	executionWithData,
	executionsSince,
	getContext,
	iminControl,
	lastExecutionId,
	n8nApi,
	publish,
	emailsTo,
	waitFor,
	workflowByFile,
} from './lib/context.mjs';
import { webhookRegistered } from './lib/n8n.mjs';

const W3_FILE = 'imin-success-webhook.json';
const BOOKINGS_TABLE = 'imin bookings';
const CONFIRMATIONS_TABLE = 'imin confirmations sent';

const ctx = getContext();
const sim = iminControl();
const tag = crypto.randomBytes(3).toString('hex');
const customer = {
	email: `imin-smoke-${tag}@example.com`,
	givenName: 'Smoke',
	familyName: `Booker ${tag}`,
};

let w3;
let table;
let confirmations;

async function simCall(method, pathname, body, params) {
	const r = await sim.request({ method, url: pathname, data: body, params });
	assert.ok(
		r.status === 200 || r.status === 201,
		`${method} /__sim${pathname}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 500)}`,
	);
	return r.data;
}

before(async () => {
	w3 = workflowByFile(W3_FILE);
	assert.ok(w3.active, 'the runner published imin-success-webhook.json');
	assert.match(
		w3.webhookUrls[0].url,
		/\/webhook\/1a1a0003-f100-4000-8000-000000000003\/imin$/,
		'the webhook path uses the fixed webhookId of the workflow file',
	);
	assert.equal(
		ctx.imin.webhookUrl,
		w3.webhookUrls[0].url,
		"the simulator's Success webhook goes to imin-success-webhook.json's production URL",
	);
	// Published still? (In `npm test` other files run first.)
	const current = await n8nApi().get(`/workflows/${w3.id}`);
	assert.equal(current.status, 200, `GET /api/v1/workflows/${w3.id}: HTTP ${current.status}`);
	if (!current.data.active) {
		const r = await publish(w3.id); // publish on 2.x, activate on 1.x
		assert.equal(
			r.status,
			200,
			`publishing imin-success-webhook.json again: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
		);
	}
	const hook = w3.webhookUrls[0];
	await waitFor(() => webhookRegistered(hook.url, hook.httpMethod).catch(() => false), {
		timeoutMs: 30_000,
		intervalMs: 250,
		message: `${hook.url} registered`,
	});
	table = await dataTableId(BOOKINGS_TABLE);
	confirmations = await dataTableId(CONFIRMATIONS_TABLE);
});

test(`imin-success-webhook.json on n8n ${ctx.n8nVersion}: an imin Success webhook (delivered twice) ends as one booking and one email`, async () => {
	const expected = await simCall('get', '/expected/bookable');
	const session = expected.scheduledSessions[0];
	assert.ok(session, 'the simulator has a bookable scheduled session');
	const mark = await lastExecutionId([w3.id]);
	await simCall('post', '/webhook-delivery', {
		apiKey: ctx.imin.webhookKey,
		repeat: 1,
		repeatDelayMs: 150,
	});
	let order;
	try {
		order = await simCall('post', '/bookings', { identifier: session.identifier, customer });
		const sent = (
			await simCall('get', '/webhook-deliveries', undefined, { wait: 1, event: 'success' })
		).filter((d) => d.body?.identifier === order.identifier);
		assert.equal(
			sent.length,
			2,
			`two deliveries: ${JSON.stringify(sent.map((d) => [d.copy, d.attempt, d.status, d.error]))}`,
		);
		for (const d of sent)
			assert.equal(
				d.status,
				204,
				`delivery answered ${d.status} ${d.error ?? d.responseBody ?? ''}`,
			);
	} finally {
		await simCall('post', '/webhook-delivery', { apiKey: ctx.imin.webhookKey });
	}

	let runs = [];
	await waitFor(
		async () => {
			runs = await executionsSince(w3.id, mark);
			return (
				runs.length >= 2 &&
				runs.every((e) => e.stoppedAt && !['new', 'running', 'waiting'].includes(e.status))
			);
		},
		{
			timeoutMs: 60_000,
			intervalMs: 300,
			message: 'two finished imin-success-webhook.json executions',
		},
	);
	for (const e of runs.filter((x) => x.status !== 'success')) {
		const full = await executionWithData(e.id).catch(() => null);
		const err = full?.data?.resultData?.error;
		// What each node put out (first item), to see where the data went missing.
		const outputs = Object.entries(full?.data?.resultData?.runData ?? {}).map(
			([name, r]) =>
				`  ${name}: ${JSON.stringify(r[0]?.data?.main?.[0]?.[0]?.json ?? r[0]?.error?.message ?? null).slice(0, 400)}`,
		);
		assert.fail(
			`imin-success-webhook.json execution #${e.id} ${e.status} on n8n ${ctx.n8nVersion}: ${err?.message ?? '?'} ${err?.description ?? ''} (node ${err?.node?.name ?? '?'})\n${outputs.join('\n')}`,
		);
	}
	assert.equal(runs.length, 2, 'one execution per delivery');

	const rows = await dataTableRows(table, {
		type: 'and',
		filters: [{ columnName: 'orderId', condition: 'eq', value: order.identifier }],
	});
	assert.equal(
		rows.length,
		1,
		`exactly one row for order ${order.identifier}: ${JSON.stringify(rows)}`,
	);
	assert.equal(rows[0].confirmationNumber, order.confirmationNumber);
	assert.equal(rows[0].customerEmail, customer.email);
	assert.equal(rows[0].price, order.totalPaymentDue.price);

	const mails = await emailsTo(customer.email);
	assert.equal(
		mails.length,
		1,
		`exactly one email to the booker: ${JSON.stringify(mails.map((m) => m.subject))}`,
	);
	assert.ok(mails[0].subject.includes(order.confirmationNumber), mails[0].subject);
	assert.ok(
		mails[0].text.includes(`Confirmation number: ${order.confirmationNumber}`),
		mails[0].text,
	);

	const logged = await dataTableRows(confirmations, {
		type: 'and',
		filters: [{ columnName: 'orderId', condition: 'eq', value: order.identifier }],
	});
	assert.equal(
		logged.length,
		1,
		`the email is logged once in "${CONFIRMATIONS_TABLE}": ${JSON.stringify(logged)}`,
	);
	assert.equal(logged[0].toEmail, customer.email);
});
