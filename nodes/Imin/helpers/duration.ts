/**
 * ISO-8601 durations as OpenActive uses them (`P1W`, `P2D`, `PT12H`, `P1DT2H30M`, `P1M`).
 * Years and months are calendar units, so they are subtracted on the calendar (UTC).
 */
const ISO_DURATION =
	/^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

interface IsoDuration {
	years: number;
	months: number;
	ms: number;
}

export function parseIsoDuration(text: unknown): IsoDuration | undefined {
	if (typeof text !== 'string') return undefined;
	const match = ISO_DURATION.exec(text.trim().toUpperCase());
	if (!match || text.trim().toUpperCase() === 'P' || /T$/.test(text.trim())) return undefined;
	const n = (i: number) => (match[i] ? Number(match[i]) : 0);
	const ms = ((n(3) * 7 + n(4)) * 24 * 3600 + n(5) * 3600 + n(6) * 60 + n(7)) * 1000;
	return { years: n(1), months: n(2), ms };
}

/** The instant `duration` before `epochMs`. */
export function minusDuration(epochMs: number, duration: IsoDuration): number {
	const date = new Date(epochMs - duration.ms);
	if (duration.years || duration.months) {
		date.setUTCMonth(date.getUTCMonth() - Math.round(duration.years * 12 + duration.months));
	}
	return date.getTime();
}
