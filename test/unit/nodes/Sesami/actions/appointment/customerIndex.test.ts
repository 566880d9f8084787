import type { IExecuteFunctions } from 'n8n-workflow';

import {
	honoursIds,
	listFromIndex,
	listParameter,
	readIndex,
} from '../../../../../../nodes/Sesami/actions/appointment/customerIndex';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccccccc';

describe('customer index', () => {
	it('reads a list given as an array, JSON text or comma-separated text', () => {
		expect(listParameter([A, B])).toEqual([A, B]);
		expect(listParameter(`["${A}","${B}"]`)).toEqual([A, B]);
		expect(listParameter(` ${A}, ${B} `)).toEqual([A, B]);
		expect(listParameter('')).toEqual([]);
		expect(listParameter(undefined)).toEqual([]);
	});

	it("keeps the shop's rows with Sesami IDs; the index counts only for shops named complete", () => {
		const rows = [
			{ appointmentId: A, shopId: 'shop1' },
			{ appointmentId: B, shopId: 'shop2' },
			{ appointmentId: 'not-an-id', shopId: 'shop1' },
			{ appointmentId: A, shopId: 'shop1' },
			{},
		];
		expect(readIndex(rows, ['shop1'], 'shop1')).toEqual({ populated: true, ids: [A] });
		// the customer's rows alone (Flows since the install) do not make the index complete
		expect(readIndex(rows, [], 'shop1')).toEqual({ populated: false, ids: [A] });
		expect(readIndex([{}], ['shop2'], 'shop1')).toEqual({ populated: false, ids: [] });
		expect(readIndex([{}], ['shop2', 'shop1'], 'shop1')).toEqual({ populated: true, ids: [] });
		expect(readIndex([C], ['shop1'], 'shop1')).toEqual({ populated: true, ids: [C] });
	});

	it('an answer with an item not asked for, or counting more, did not honour ids', () => {
		expect(honoursIds({ data: [{ id: A }], totalItems: 1 }, [A, B])).toBe(true);
		expect(honoursIds({ data: [] }, [A])).toBe(true);
		expect(honoursIds({ data: [{ id: A }, { id: C }] }, [A, B])).toBe(false);
		expect(honoursIds({ data: [{ id: A }], totalItems: 250 }, [A])).toBe(false);
		expect(honoursIds({ data: [{ id: A }], remainingItems: 3 }, [A])).toBe(false);
	});

	it('gives up (undefined: the caller walks) when no encoding is honoured, after one call each', async () => {
		const formats: string[] = [];
		const context = {
			getCredentials: async () => ({ baseUrl: 'http://sesami.test', shopId: 'shop1' }),
			getNode: () => ({ name: 'Sesami', type: 'sesami', typeVersion: 1, parameters: {} }),
			helpers: {
				httpRequestWithAuthentication: async (_: string, request: { arrayFormat: string }) => {
					formats.push(request.arrayFormat);
					// a server that ignores ids whatever the encoding: the shop's first page
					return {
						statusCode: 200,
						headers: {},
						body: { data: [{ id: C, customer: { externalId: '1' } }], totalItems: 500 },
					};
				},
			},
		} as unknown as IExecuteFunctions;
		const listed = await listFromIndex.call(context, [A, B], '1', { filterType: 'UPCOMING' }, 0);
		expect(listed).toBeUndefined();
		expect(formats).toEqual(['repeat', 'comma', 'brackets']);
	});
});
