import type { IDataObject } from 'n8n-workflow';

import { normalizeFlowPush } from '../../../../../../nodes/Sesami/SesamiTrigger/helpers/normalize';
import { parseTolerantJson, unescapeDeep } from '../../../../../../nodes/shared/tolerantJson';
import { corpus } from '../../../../../helpers/corpus';

describe('normalising a push', () => {
	it('reads the canonical template', () => {
		const push = normalizeFlowPush(
			{
				trigger: 'APPOINTMENT_RESCHEDULED',
				appointmentId: '64F1C2A9B7E4D3A1C2B3D4E5',
				startUtc: '2026-12-01T09:00:00+00:00',
				endUtc: '2026-12-01T10:00:00+00:00',
				customerTimezone: 'Europe/Berlin',
				customerName: 'Ada Lovelace',
				customerEmail: 'Ada@Example.com',
				shopifyCustomerId: 'gid://shopify/Customer/7001234567890',
				orderId: '5551234567890',
				orderName: '#1001',
				managementLink: 'https://app.sesami.co/manage/x?token=1',
				price: '45.00',
			},
			null,
		);
		expect(push).toMatchObject({
			event: 'APPOINTMENT_RESCHEDULED',
			appointmentId: '64f1c2a9b7e4d3a1c2b3d4e5',
			startUtc: '2026-12-01T09:00:00.000Z',
			start: '2026-12-01T10:00:00+01:00',
			end: '2026-12-01T11:00:00+01:00',
			customer: {
				name: 'Ada Lovelace',
				email: 'ada@example.com',
				shopifyCustomerId: '7001234567890',
			},
			orderId: '5551234567890',
			orderName: '#1001',
			customerManagementLink: 'https://app.sesami.co/manage/x?token=1',
			price: 45,
		});
	});

	it('reads nested, snake_case and unix-seconds templates, and takes the event from the URL', () => {
		const push = normalizeFlowPush(
			{
				customer: { email: 'b@x.test', name: 'B' },
				order_id: '42',
				start: '1796115600',
				customer_management_link: 'https://l',
			},
			'APPOINTMENT_CREATED',
		);
		expect(push).toMatchObject({
			event: 'APPOINTMENT_CREATED',
			customer: { email: 'b@x.test', name: 'B' },
			orderId: '42',
			startUtc: new Date(1796115600 * 1000).toISOString(),
			customerManagementLink: 'https://l',
		});
	});
});

describe('the corpus of rendered Flow bodies', () => {
	interface Entry {
		name: string;
		trigger: string;
		body: string;
		expect: { ok: boolean; fields?: Record<string, string | null> };
	}

	const entries = corpus as Entry[];

	/** What the Sesami Trigger reads from a body, in the corpus's field names. */
	function read(entry: Entry) {
		const parsed = parseTolerantJson(entry.body);
		if (
			!parsed.ok ||
			!parsed.value ||
			typeof parsed.value !== 'object' ||
			Array.isArray(parsed.value)
		) {
			return { ok: false as const, reason: parsed.ok ? 'not an object' : parsed.reason };
		}
		const push = normalizeFlowPush(unescapeDeep(parsed.value) as IDataObject, entry.trigger);
		const customer = push.customer as IDataObject;
		return {
			ok: true as const,
			fields: {
				appointmentId: push.appointmentId,
				customerEmail: customer.email,
				customerName: customer.name,
				customerManagementLink: push.customerManagementLink,
				startUtc: push.startUtc,
				orderId: push.orderId,
				shopifyCustomerId: customer.shopifyCustomerId,
			} as Record<string, unknown>,
		};
	}

	describe('the corpus of real-looking Flow renderings', () => {
		it('has at least 30 renderings, quirks included, and some that must be refused', () => {
			expect(entries.length).toBeGreaterThanOrEqual(30);
			expect(entries.filter((entry) => !entry.expect.ok).length).toBeGreaterThan(0);
			expect(entries.some((entry) => /&amp;/.test(entry.body))).toBe(true);
		});

		it.each(
			entries.filter((entry) => entry.expect.ok).map((entry) => [entry.name, entry] as const),
		)('reads %s', (_name, entry) => {
			const result = read(entry);
			expect(result).toMatchObject({ ok: true });
			if (!result.ok) return;
			for (const [field, expected] of Object.entries(entry.expect.fields ?? {})) {
				const actual = result.fields[field];
				if (field === 'startUtc' && expected) {
					expect([field, Date.parse(String(actual))]).toEqual([field, Date.parse(expected)]);
				} else if (field === 'customerEmail' && expected) {
					expect([field, String(actual).toLowerCase()]).toEqual([field, expected.toLowerCase()]);
				} else {
					expect([field, actual ?? null]).toEqual([field, expected]);
				}
			}
		});

		it.each(
			entries.filter((entry) => !entry.expect.ok).map((entry) => [entry.name, entry] as const),
		)('refuses %s with a reason', (_name, entry) => {
			const result = read(entry);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
		});
	});
});
