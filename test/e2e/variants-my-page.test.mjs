// End-to-end: workflows/sesami-my-page-backend.json (the Shopify "My Page" backend) under each
// variant of the Sesami Admin API points no public source settles (test/sim/sesami/variants.js):
//   times = iso-offset | naive-minutes | naive-seconds   appointment times with an offset, or naive
//                                                         wall-clock strings in the shop's zone
//   writeGatewayError = apply-then-502                    the first cancel / reschedule of each
//                                                         appointment is carried out, then 502
//   repeatCancel = noop-200 (with apply-then-502)         the retried cancel answers 200, not 400
//   arrayQuery = single-not-list                          a single ids value is not a list
// For each: the Sesami simulator is switched (POST /__sim/variants), then the customer lists,
// asks for slots, reschedules and cancels through sesami-my-page-backend.json, signed as Shopify's App Proxy signs. What the
// customer sees is checked: the right appointments with the right times, each change carried out
// exactly once (Sesami's events), the stored rows, and no failed execution. One line per variant
// on stdout: `variant <point>=<value>: ok`. The variants are reset at the end (DELETE /__sim/variants).
//
// Leaves behind: two new appointments of customer A per variant (one rescheduled, one cancelled)
// and their stored rows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { simControl, waitFor } from './lib/context.mjs';
import { webhookRegistered } from './lib/n8n.mjs';
import {
	appointmentsOf,
	asCustomer,
	changeCallsSince,
	createAppointment,
	customerA,
	executionsSince,
	lastExecutionId,
	localDateTime,
	relatedWorkflowIds,
	settle,
	simAppointment,
	storedRow,
	w4,
} from './lib/my-page.mjs';

const A = customerA();
const myPageWf = w4();
const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const VARIANTS = [
	{ label: 'times=iso-offset', set: { times: 'iso-offset' } },
	{ label: 'times=naive-minutes', set: { times: 'naive-minutes' } },
	{ label: 'times=naive-seconds', set: { times: 'naive-seconds' } },
	{
		label: 'writeGatewayError=apply-then-502',
		set: { writeGatewayError: 'apply-then-502' },
		lostAnswers: true,
	},
	{
		label: 'repeatCancel=noop-200',
		set: { repeatCancel: 'noop-200', writeGatewayError: 'apply-then-502' },
		lostAnswers: true,
	},
	{ label: 'arrayQuery=single-not-list', set: { arrayQuery: 'single-not-list' } },
];

async function setVariants(spec) {
	const sim = simControl();
	const reset = await sim.delete('/variants');
	assert.equal(reset.status, 200, JSON.stringify(reset.data));
	if (!spec) return reset.data.variants;
	const r = await sim.post('/variants', spec);
	assert.equal(r.status, 200, JSON.stringify(r.data));
	for (const [point, value] of Object.entries(spec)) assert.equal(r.data.variants[point], value);
	return r.data.variants;
}

const events = (a, type) => a.events.filter((e) => e.type === type).length;

before(async () => {
	assert.ok(myPageWf.active, 'the runner published sesami-my-page-backend.json');
	await waitFor(() => webhookRegistered(myPageWf.url, 'POST'), {
		timeoutMs: 30_000,
		message: 'sesami-my-page-backend.json webhook registered',
	});
	await setVariants(null);
});

after(async () => {
	await settle().catch((error) => console.error(`# ${error.message}`));
	const r = await simControl().delete('/variants');
	assert.equal(r.status, 200);
});

describe('sesami-my-page-backend.json under each Sesami Admin API variant: list, slots, reschedule, cancel', () => {
	for (const variant of VARIANTS) {
		test(`variant ${variant.label}`, async () => {
			// the appointments are created before the switch (the simulator's control endpoints are not affected by it anyway)
			await setVariants(null);
			const x = await createAppointment({ customer: A, service: 'standard', hoursAhead: 5 * 24 });
			const y = await createAppointment({ customer: A, service: 'standard', hoursAhead: 6 * 24 });
			await settle();
			const since = new Date().toISOString();
			const mark = await lastExecutionId(relatedWorkflowIds());
			const w4Mark = await lastExecutionId(myPageWf.id);
			await setVariants(variant.set);
			try {
				// 1. the list: exactly A's upcoming appointments, each with its true start and end, ISO with offset
				const list = await asCustomer(A.id, 'list');
				assert.equal(list.status, 200, list.data);
				const expected = await appointmentsOf(A.id);
				assert.deepEqual(
					list.json.appointments.map((a) => a.id).sort(),
					expected.map((a) => a.id).sort(),
				);
				for (const item of list.json.appointments) {
					const truth = expected.find((a) => a.id === item.id);
					assert.match(String(item.start), ISO_OFFSET, `${item.id} start ${item.start}`);
					assert.match(String(item.end), ISO_OFFSET, `${item.id} end ${item.end}`);
					assert.equal(
						Date.parse(item.start),
						Date.parse(truth.datetime),
						`${item.id}: start ${item.start} is ${truth.datetime}`,
					);
					assert.equal(
						Date.parse(item.end) - Date.parse(item.start),
						truth.duration * 60_000,
						`${item.id}: end - start = duration`,
					);
				}
				const listedX = list.json.appointments.find((a) => a.id === x.id);
				assert.equal(
					listedX.canReschedule && listedX.canCancel,
					true,
					'a standard appointment days ahead may be changed',
				);

				// 2. slots, then reschedule to one of them: Sesami moved it exactly once
				const slots = await asCustomer(A.id, 'slots', { appointmentId: x.id });
				assert.equal(slots.status, 200, slots.data);
				const tz = slots.json.timezone;
				const current = localDateTime(x.datetime, tz);
				const offered = slots.json.slots.filter(
					(s) =>
						s.startTime !== current && s.startTime > localDateTime(Date.now() + 3 * 86400_000, tz),
				);
				assert.ok(offered.length > 0, 'free slots are offered');
				const slot = offered[Math.floor(offered.length / 2)];
				const moved = await asCustomer(A.id, 'reschedule', {
					appointmentId: x.id,
					dateTime: slot.startTime.replace(' ', 'T'),
					timezone: tz,
				});
				assert.equal(moved.status, 200, moved.data);
				assert.equal(moved.json.ok, true);
				const xAfter = await simAppointment(x.id);
				assert.equal(
					localDateTime(xAfter.datetime, tz),
					slot.startTime,
					'Sesami holds the chosen slot',
				);
				assert.equal(events(xAfter, 'RESCHEDULED'), 1, 'rescheduled exactly once');
				assert.equal(
					Date.parse(moved.json.appointment.startUtc),
					Date.parse(xAfter.datetime),
					'the answer has the new start',
				);

				// 3. cancel: cancelled exactly once
				const cancelled = await asCustomer(A.id, 'cancel', { appointmentId: y.id });
				assert.equal(cancelled.status, 200, cancelled.data);
				assert.equal(cancelled.json.ok, true);
				const yAfter = await simAppointment(y.id);
				assert.equal(yAfter.status, 'CANCELLED');
				assert.equal(events(yAfter, 'CANCELLED'), 1, 'cancelled exactly once');

				// what n8n sent: under a lost answer, the reschedule is not sent again (read instead); the cancel is retried once
				const calls = await changeCallsSince(since, [x.id, y.id]);
				const reschedules = calls.filter((c) => c.path.endsWith(`${x.id}/reschedule`));
				const cancels = calls.filter((c) => c.path.endsWith(`${y.id}/cancel`));
				assert.equal(
					reschedules.length,
					1,
					`one reschedule call: ${reschedules.map((c) => c.status)}`,
				);
				if (variant.lostAnswers) {
					assert.deepEqual(
						reschedules.map((c) => c.status),
						[502],
					);
					assert.deepEqual(
						cancels.map((c) => c.status),
						[502, variant.set.repeatCancel === 'noop-200' ? 200 : 400],
					);
				} else {
					assert.deepEqual(
						cancels.map((c) => c.status),
						[200],
					);
				}

				// 4. the stored rows follow, and nothing failed
				await settle(mark);
				const xRow = await storedRow(x.id);
				assert.equal(
					Date.parse(xRow.startUtc),
					Date.parse(xAfter.datetime),
					'the stored row has the new start',
				);
				assert.equal((await storedRow(y.id)).cancelled, true, 'the stored row is cancelled');
				const w4Runs = await executionsSince(myPageWf.id, w4Mark);
				assert.equal(w4Runs.length, 4, 'list, slots, reschedule, cancel');
				const failed = [];
				for (const id of relatedWorkflowIds())
					for (const e of await executionsSince(id, mark))
						if (e.status !== 'success') failed.push(`#${e.id} (workflow ${id}) ${e.status}`);
				assert.deepEqual(failed, [], 'no failed execution');
			} finally {
				await setVariants(null);
			}
			console.log(`variant ${variant.label}: ok`);
		});
	}
});
