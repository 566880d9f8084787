// End-to-end (issue 12): the imin points no public source settles, played by the imin simulator's
// variant switch (test/sim/imin/variants.js, POST /__sim/variants), against the example workflows
// in a real n8n 2.41.1:
//   successShape  order | not-order | no-ordered-item | wrapped   -> workflows/imin-success-webhook.json
//   customerDetailChange  once | twice-different                  -> an imin Trigger listening to
//                       Customer Detail Change (a workflow this file creates and deletes again)
// For each variant it checks what a merchant would: the booking row and exactly one email when the
// webhook carries the booking (order, wrapped); when it does not (not-order, no-ordered-item), no
// booking and no email but a kept, visible row in "imin unrecognised webhooks" naming the order;
// for Customer Detail Changes, one execution per real change, none marked as a repeat. Zero failed
// executions. One line per variant on stdout: `variant <point>=<value>: ok`.
// imin-firehose-checkout-links.json is not played here: its points (deleted items, 503, modified) are not simulator variants; the
// Firehose Trigger's handling is unit-tested (test/unit/imin-firehose-trigger.test.ts) and imin-firehose-checkout-links.json (now on
// the trigger's version 2) runs in test/e2e/imin.test.mjs, deletes included.
// Run through `npm run test:e2e` (test/run-all.mjs), which provides E2E_CONTEXT.
//
// Leaves behind: a few orders in the simulator, rows in imin-success-webhook.json's tables for this run's bookers; the
// variants back at their defaults (DELETE /__sim/variants), the default webhook delivery.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
	assertSucceeded,
	dataTableId,
	dataTableRows,
	emailsTo,
	executionNodeOutput,
	executionWithData,
	finishedExecutions,
	getContext,
	iminControl,
	lastExecutionId,
	n8nApi,
	publish,
	smtpMessages,
	unpublish,
	waitFor,
	workflowByFile,
} from './lib/context.mjs';
import { webhookRegistered } from './lib/n8n.mjs';

const W3_FILE = 'imin-success-webhook.json';
const BOOKINGS_TABLE = 'imin bookings';
const CONFIRMATIONS_TABLE = 'imin confirmations sent';
const UNRECOGNISED_TABLE = 'imin unrecognised webhooks';

const ctx = getContext();
const api = n8nApi();
const sim = iminControl();
const run = crypto.randomBytes(3).toString('hex');
const booker = (tag) => ({
	email: `imin-variant-${run}-${tag}@example.com`,
	givenName: 'Variant',
	familyName: `Booker ${tag}`,
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let w3;
let bookingsTable;
let confirmationsTable;
let unrecognisedTable;

async function simCall(method, pathname, body, expected = [200, 201, 202]) {
	const r = await sim.request({ method, url: pathname, data: body });
	assert.ok(
		expected.includes(r.status),
		`${method.toUpperCase()} /__sim${pathname}: HTTP ${r.status} ${JSON.stringify(r.data).slice(0, 500)}`,
	);
	return r.data;
}
const setVariant = async (spec) => {
	const answer = await simCall('post', '/variants', spec);
	for (const [point, value] of Object.entries(spec))
		assert.equal(answer.variants[point], value, `the simulator plays ${point}=${value}`);
};

const rowsWhere = (tableId, column, value) =>
	dataTableRows(tableId, {
		type: 'and',
		filters: [{ columnName: column, condition: 'eq', value }],
	});

/** Books a bookable session for `customer` under the current variant; resolves the Order once its webhook was answered. */
async function book(customer) {
	const expected = await simCall('get', '/expected/bookable');
	const session = expected.scheduledSessions[0];
	assert.ok(session, 'the simulator has a bookable scheduled session');
	const order = await simCall('post', '/bookings', { identifier: session.identifier, customer });
	const deliveries = (
		await sim.get('/webhook-deliveries', { params: { wait: 1, event: 'success' }, timeout: 20_000 })
	).data;
	const mine = deliveries.filter(
		(d) =>
			JSON.stringify(d.body ?? '').includes(order.id) || d.body?.identifier === order.identifier,
	);
	assert.equal(
		mine.length,
		1,
		`one delivery of order ${order.identifier}: ${JSON.stringify(mine.map((d) => [d.status, d.error]))}`,
	);
	assert.ok(
		mine[0].status >= 200 && mine[0].status < 300,
		`imin-success-webhook.json accepted the delivery (HTTP ${mine[0].status} ${mine[0].responseBody ?? mine[0].error ?? ''})`,
	);
	return { order, session, body: mine[0].body };
}

/** No email to `address` arrives within `settleMs`. */
async function noEmailTo(address, settleMs = 3000) {
	await sleep(settleMs);
	const mails = (await smtpMessages()).filter((m) => m.to.includes(address));
	assert.deepEqual(
		mails.map((m) => m.subject),
		[],
		`no email to ${address}`,
	);
}

before(async () => {
	w3 = workflowByFile(W3_FILE);
	assert.ok(w3.active, 'the runner published imin-success-webhook.json');
	assert.equal(
		ctx.imin.webhookUrl,
		w3.webhookUrls[0].url,
		"the simulator's Success webhook goes to imin-success-webhook.json's production URL",
	);
	bookingsTable = await dataTableId(BOOKINGS_TABLE);
	confirmationsTable = await dataTableId(CONFIRMATIONS_TABLE);
	unrecognisedTable = await dataTableId(UNRECOGNISED_TABLE);
	await simCall('post', '/webhook-delivery', { apiKey: ctx.imin.webhookKey });
	await simCall('delete', '/variants');
});

after(async () => {
	const reset = await sim
		.delete('/variants')
		.catch((error) => ({ status: 0, data: error.message }));
	if (reset.status !== 200)
		console.error(`# could not reset the imin simulator's variants: ${JSON.stringify(reset.data)}`);
});

describe('imin-success-webhook.json under each successShape variant', () => {
	/** The webhook carries the booking: one row, one email, logged once, nothing kept as unrecognised. */
	for (const shape of ['order', 'wrapped']) {
		test(`successShape=${shape}: the booking is stored and emailed once`, async () => {
			await setVariant({ successShape: shape });
			const customer = booker(shape);
			const mark = await lastExecutionId([w3.id]);
			const { order, body } = await book(customer);
			if (shape === 'wrapped')
				assert.deepEqual(
					body,
					{ event: 'checkout.success', data: order },
					'the simulator wrapped the Order',
				);
			else assert.deepEqual(body, order, 'the simulator sent the Order');
			const runs = await finishedExecutions(w3.id, mark, { atLeast: 1 });
			await assertSucceeded(runs, 'imin-success-webhook.json');
			assert.equal(runs.length, 1, 'one execution for the one delivery');

			const rows = await rowsWhere(bookingsTable, 'orderId', order.identifier);
			assert.equal(
				rows.length,
				1,
				`one booking row for order ${order.identifier}: ${JSON.stringify(rows)}`,
			);
			assert.equal(rows[0].confirmationNumber, order.confirmationNumber);
			assert.equal(rows[0].customerEmail, customer.email);
			assert.equal(rows[0].sessionIdentifier, order.orderedItem[0].orderedItem.identifier);
			assert.equal(rows[0].price, order.totalPaymentDue.price);
			const mails = await emailsTo(customer.email);
			assert.equal(
				mails.length,
				1,
				`exactly one email to the booker: ${JSON.stringify(mails.map((m) => m.subject))}`,
			);
			assert.ok(mails[0].subject.includes(order.confirmationNumber), mails[0].subject);
			assert.equal(
				(await rowsWhere(confirmationsTable, 'orderId', order.identifier)).length,
				1,
				'the email is logged once',
			);
			assert.equal(
				(await rowsWhere(unrecognisedTable, 'customerEmail', customer.email)).length,
				0,
				'nothing kept as unrecognised',
			);
			const trigger = executionNodeOutput(await executionWithData(runs[0].id), 'imin Trigger')?.[0];
			assert.equal(
				trigger?.recognized,
				true,
				`the trigger recognised the delivery: ${JSON.stringify(trigger).slice(0, 300)}`,
			);
			console.log(`variant successShape=${shape}: ok`);
		});
	}

	/** The webhook does not carry the booking: no made-up booking, no email, a visible row naming the order. */
	for (const shape of ['not-order', 'no-ordered-item']) {
		test(`successShape=${shape}: no booking, no email, the delivery kept in "${UNRECOGNISED_TABLE}"`, async () => {
			await setVariant({ successShape: shape });
			const customer = booker(shape);
			const mark = await lastExecutionId([w3.id]);
			const { order, body } = await book(customer);
			if (shape === 'not-order')
				assert.deepEqual(body, {
					'@context': 'https://openactive.io/',
					'@type': 'OrderNotification',
					order: { '@id': order.id },
				});
			else assert.equal(body.orderedItem, undefined, 'the Order came without orderedItem');
			const runs = await finishedExecutions(w3.id, mark, { atLeast: 1 });
			await assertSucceeded(runs, 'imin-success-webhook.json');
			assert.equal(runs.length, 1, 'one execution for the one delivery');

			const ref = shape === 'not-order' ? order.id : order.identifier;
			const kept = await rowsWhere(unrecognisedTable, 'orderRef', ref);
			assert.equal(
				kept.length,
				1,
				`one kept row naming the order (${ref}): ${JSON.stringify(kept).slice(0, 500)}`,
			);
			assert.equal(kept[0].event, 'checkoutSuccess');
			assert.match(kept[0].reason, shape === 'not-order' ? /names the order/ : /orderedItem/);
			assert.deepEqual(JSON.parse(kept[0].body), body, 'the body is kept as it arrived');
			if (shape === 'no-ordered-item') assert.equal(kept[0].customerEmail, customer.email);
			assert.equal(
				(await rowsWhere(bookingsTable, 'orderId', order.identifier)).length,
				0,
				'no booking row made up from a delivery without the session',
			);
			await noEmailTo(customer.email);
			const trigger = executionNodeOutput(await executionWithData(runs[0].id), 'imin Trigger')?.[0];
			assert.equal(trigger?.recognized, false);
			console.log(`variant successShape=${shape}: ok`);
		});
	}
});

describe('Customer Detail Change under each customerDetailChange variant', () => {
	let wf;
	let hookUrl;

	before(async () => {
		const template = JSON.parse(
			JSON.stringify(
				(await api.get(`/workflows/${w3.id}`)).data.nodes.find((n) => n.name === 'imin Trigger'),
			),
		);
		const webhookId = crypto.randomUUID();
		const created = await api.post('/workflows', {
			name: `imin customer changes (variants e2e ${run})`,
			nodes: [
				{
					...template,
					id: crypto.randomUUID(),
					webhookId,
					parameters: { ...template.parameters, events: ['customerDetailChange'] },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		assert.equal(
			created.status,
			200,
			`creating the Customer Detail Change workflow: HTTP ${created.status} ${JSON.stringify(created.data).slice(0, 300)}`,
		);
		wf = created.data;
		const published = await publish(wf.id);
		assert.equal(
			published.status,
			200,
			`publishing it: HTTP ${published.status} ${JSON.stringify(published.data).slice(0, 300)}`,
		);
		hookUrl = `${ctx.n8nUrl}/webhook/${webhookId}/imin`;
		await waitFor(() => webhookRegistered(hookUrl, 'POST').catch(() => false), {
			timeoutMs: 30_000,
			intervalMs: 250,
			message: `${hookUrl} registered`,
		});
	});

	after(async () => {
		if (!wf) return;
		await unpublish(wf.id).catch(() => undefined);
		await api.delete(`/workflows/${wf.id}`).catch(() => undefined);
	});

	/** Fires the simulator's Customer Detail Change for one customer to the workflow; resolves the trigger's outputs. */
	async function fire(expectedDeliveries) {
		const customerId = (await simCall('get', '/fixtures')).customerAccounts[0].identifier;
		const mark = await lastExecutionId([wf.id]);
		const fired = await simCall('post', '/customer-detail-change', {
			identifier: customerId,
			url: hookUrl,
			apiKey: ctx.imin.webhookKey,
		});
		assert.equal(
			fired.scheduled,
			expectedDeliveries,
			`the simulator sends ${expectedDeliveries} webhook(s)`,
		);
		const deliveries = (
			await sim.get('/webhook-deliveries', {
				params: { wait: 1, event: 'customer-detail-change' },
				timeout: 20_000,
			})
		).data.filter((d) => d.url === hookUrl);
		const runs = await finishedExecutions(wf.id, mark, { atLeast: expectedDeliveries });
		await assertSucceeded(runs, 'Customer Detail Change');
		const outputs = [];
		for (const e of runs)
			outputs.push(executionNodeOutput(await executionWithData(e.id), 'imin Trigger')?.[0]);
		return { customerId, fired, deliveries, runs, outputs };
	}

	test('customerDetailChange=once: one change, one execution, not a repeat', async () => {
		await setVariant({ customerDetailChange: 'once' });
		const { customerId, runs, outputs, deliveries } = await fire(1);
		assert.ok(
			deliveries.slice(-1)[0].status >= 200 && deliveries.slice(-1)[0].status < 300,
			`accepted: HTTP ${deliveries.slice(-1)[0].status}`,
		);
		assert.equal(runs.length, 1);
		assert.equal(outputs[0].event, 'customerDetailChange');
		assert.equal(outputs[0].customerIdentifier, customerId);
		assert.equal(outputs[0].recognized, true);
		console.log('variant customerDetailChange=once: ok');
	});

	test('customerDetailChange=twice-different: two real changes of one customer, two executions, neither a repeat', async () => {
		await setVariant({ customerDetailChange: 'twice-different' });
		const { customerId, fired, runs, outputs } = await fire(2);
		assert.notDeepEqual(fired.bodies[0], fired.bodies[1], 'two different bodies');
		assert.equal(fired.bodies[0]['@id'], fired.bodies[1]['@id'], 'for the same customer @id');
		assert.equal(runs.length, 2, 'one execution per change');
		for (const out of outputs) {
			assert.equal(out.customerIdentifier, customerId);
			assert.equal(
				out.duplicate,
				false,
				`a second real change is not a repeat: ${JSON.stringify(out).slice(0, 300)}`,
			);
		}
		assert.notEqual(outputs[0].dedupeKey, outputs[1].dedupeKey);
		console.log('variant customerDetailChange=twice-different: ok');
	});
});
