import { minusDuration, parseIsoDuration } from '../../../../../nodes/Imin/helpers/duration';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('ISO-8601 durations', () => {
	it.each([
		['P1W', 7 * DAY],
		['P2D', 2 * DAY],
		['PT12H', 12 * HOUR],
		['P1DT2H30M', DAY + 2.5 * HOUR],
		['PT90M', 1.5 * HOUR],
	])('%s', (text, ms) => {
		expect(parseIsoDuration(text)).toEqual({ years: 0, months: 0, ms });
	});

	it('subtracts months on the calendar and refuses nonsense', () => {
		expect(
			new Date(
				minusDuration(Date.parse('2026-03-31T10:00:00Z'), parseIsoDuration('P1M')!),
			).toISOString(),
		).toBe('2026-03-03T10:00:00.000Z');
		expect(parseIsoDuration('P')).toBeUndefined();
		expect(parseIsoDuration('1 week')).toBeUndefined();
		expect(parseIsoDuration('PT')).toBeUndefined();
	});
});
