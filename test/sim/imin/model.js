'use strict';
/**
 * The imin simulator's data: four Firehose feeds (SessionSeries, ScheduledSession, FacilityUse,
 * Slot), generated deterministically from a seed around the simulator's clock, changed over time by
 * `tick()`, and the bookability truth computed from them (./bookability.js).
 *
 * Generation (default sizes: 60 series, 400 scheduled sessions, 20 facility uses, 150 slots):
 * - A fixed set of DESIGNATED items covers every bookability outcome with exactly one failing rule
 *   (and every identifier scheme, flag spelling, `@type`/`type` spelling, embedded parent); ticks
 *   never change them, so the fixtures' samples stay what they say. The rest is random (seeded).
 * - Start dates run from ~2 days in the past to ~30 days ahead of the clock. No start and no
 *   booking-window opening lies within `edgeMarginMs` (default 2 h) of the clock when the item is
 *   generated, so a test that computes bookability a few minutes later gets the same answers.
 * - Initial items share `modified` values in groups of five (ties are ordered by id), so the
 *   `afterId` half of the cursor matters; every later change gets a `modified` greater than any in
 *   any feed (one value per tick).
 * - Some series are deleted from the start (tombstones), and some sessions reference a series that
 *   never existed: both are "parent missing" (orphans; a consumer must cope with them,
 *   https://developer.openactive.io/publishing-data/data-feeds/how-a-data-feed-works).
 */

const { Rng } = require('../lib/prng');
const B = require('./bookability');
const D = require('./data');
const { Feed, SyntheticFeed } = require('./feed');

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const QUARTER = 15 * MINUTE;

const DEFAULTS = {
	seed: 7,
	sessions: 400,
	series: 60,
	facilityUses: 20,
	slots: 150,
	syntheticItems: 0,
	edgeMarginMs: 2 * HOUR,
	idBase: D.DEFAULT_ID_BASE,
};

const WINDOWS = ['P1W', 'P7D', 'P2D', 'PT12H', 'P14D', 'P3D', 'PT36H', 'P1DT12H'];

const TICK_ACTIONS = [
	['session-capacity', 28],
	['session-reopen', 4],
	['session-reschedule', 5],
	['session-cancel', 3],
	['session-delete', 14],
	['session-add', 20],
	['series-price', 5],
	['series-flag', 3],
	['series-delete', 2],
	['series-add', 2],
	['slot-uses', 6],
	['slot-delete', 3],
	['slot-add', 4],
	['facility-use-update', 1],
];

const clone = (v) => JSON.parse(JSON.stringify(v));
const iso = (ms) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const roundQuarter = (ms) => Math.round(ms / QUARTER) * QUARTER;

function pickWeighted(rng, pairs) {
	const total = pairs.reduce((s, [, w]) => s + w, 0);
	let x = rng.float() * total;
	for (const [v, w] of pairs) {
		x -= w;
		if (x < 0) return v;
	}
	return pairs[pairs.length - 1][0];
}

/** length of an ISO duration in ms, measured back from `atMs` */
function windowLength(validFrom, atMs) {
	if (!validFrom) return undefined;
	return atMs - B.subtractDuration(atMs, validFrom);
}

/** the flag key an object uses (either spelling), default the documented one */
function flagKey(o) {
	return o &&
		Object.prototype.hasOwnProperty.call(o, '_imin:isPotentiallyBookable') &&
		!Object.prototype.hasOwnProperty.call(o, 'imin:isPotentiallyBookable')
		? '_imin:isPotentiallyBookable'
		: 'imin:isPotentiallyBookable';
}

/**
 * @typedef {{state: 'updated'|'deleted', kind: string, id: string, modified: number, data?: Record<string, any>}} FeedEntry
 * @typedef {{id: string, '@id': string, identifier: string, guestUrl: string, startDate: string, parentId: string, acceptedOffer: string|undefined, modified: number}} ExpectedEntry
 * @typedef {{at: string, scheduledSessions: ExpectedEntry[]|null, slots: ExpectedEntry[], reasons: {scheduledSessions: Record<string, number>, slots: Record<string, number>}, note?: string}} Expected
 * @typedef {{feed: string, id: string, state: 'updated'|'deleted', modified: number, action: string}} Change
 */

class IminModel {
	/**
	 * @param {object} options  see DEFAULTS; `now` is a function returning the clock (epoch ms)
	 */
	constructor(options = {}) {
		this.opts = { ...DEFAULTS };
		for (const [k, v] of Object.entries(options))
			if (v !== undefined && v !== null) this.opts[k] = v;
		for (const k of [
			'seed',
			'sessions',
			'series',
			'facilityUses',
			'slots',
			'syntheticItems',
			'edgeMarginMs',
		])
			this.opts[k] = Number(this.opts[k]);
		this.now = typeof this.opts.now === 'function' ? this.opts.now : () => Date.now();
		this.anchor = this.now();
		this.idBase = this.opts.idBase;
		this.rng = new Rng(this.opts.seed, 'model');
		this.tickRng = new Rng(this.opts.seed, 'tick');
		this.bookingRng = new Rng(this.opts.seed, 'bookings');
		this.counters = new Map();
		this.designated = { series: {}, sessions: {}, facilityUses: {}, slots: {} };
		/** item ids ticks never touch (feed:name) */
		this.protected = new Set();
		this.identifierIndex = { ScheduledSession: new Map(), Slot: new Map() };
		/** @type {Record<string, any>} Feed, or SyntheticFeed for scheduled-sessions with syntheticItems */
		this.feeds = {};
		for (const name of D.FEED_NAMES) this.feeds[name] = new Feed(name, D.FEEDS[name].kind);
		this.lastModified = 0;
		this.tickCount = 0;
		this.generate();
	}

	// -------------------------------------------------------------------------------------------
	// helpers

	nextNo(pub, type) {
		const key = `${pub.key}:${type}`;
		let n = this.counters.get(key);
		if (n === undefined) {
			const digits = type === 'session' || type === 'slot' ? 7 : type === 'series' ? 5 : 4;
			n = Number(this.rng.digits(digits));
		}
		n += this.rng.int(1, 37);
		this.counters.set(key, n);
		return n;
	}

	nextModified() {
		this.lastModified = Math.max(this.lastModified + 1, Math.floor(this.now()));
		return this.lastModified;
	}

	/** shift `start` until neither it nor its window opening is within the edge margin of `nowMs` */
	awayFromEdges(start, validFrom, nowMs) {
		const margin = this.opts.edgeMarginMs;
		let s = roundQuarter(start);
		for (let i = 0; i < 20; i++) {
			const edges = [s];
			if (validFrom) edges.push(B.subtractDuration(s, validFrom));
			const near = edges.some((e) => Math.abs(e - nowMs) < margin);
			if (!near) return s;
			s = roundQuarter(s + 2 * margin + QUARTER);
		}
		return s;
	}

	put(feedName, entry) {
		const feed = this.feeds[feedName];
		const kind = feed.kind;
		if (this.identifierIndex[kind]) {
			const old = feed.get(entry.id);
			if (old && old.data && this.identifierIndex[kind].get(old.data.identifier) === entry.id)
				this.identifierIndex[kind].delete(old.data.identifier);
			if (entry.data) this.identifierIndex[kind].set(entry.data.identifier, entry.id);
		}
		feed.put(entry, B.idOf);
	}

	emit(feedName, id, data, modified) {
		const feed = this.feeds[feedName];
		const entry = data
			? { state: 'updated', kind: feed.kind, id, modified, data }
			: { state: 'deleted', kind: feed.kind, id, modified };
		this.put(feedName, entry);
		return entry;
	}

	adultOf(parentData) {
		const agg = parentData && parentData['imin:aggregateOffer'];
		return agg && typeof agg === 'object' ? agg.publicAdult : undefined;
	}

	// -------------------------------------------------------------------------------------------
	// builders

	buildSeries(spec) {
		const rng = this.rng;
		const pub = D.PUBLISHERS[spec.pub];
		const n = this.nextNo(pub, 'series');
		const itemId = `${pub.key}-SessionSeries-${n}`;
		const identifier = pub.seriesIdentifier(n);
		const junior = spec.category === 'children-only';
		const label = junior ? rng.pick(D.JUNIOR_ACTIVITIES) : rng.pick(D.ADULT_ACTIVITIES);
		const level = rng.pick(D.LEVELS);
		const venue = rng.pick(pub.venues);
		const adultPrice = rng.pick([0, 4.5, 5, 5.75, 6.2, 7, 8.5, 9.95, 12]);
		const juniorPrice = rng.pick([0, 2.5, 3, 3.6, 4.25, 5]);
		const validFrom = spec.validFrom === undefined ? rng.pick(WINDOWS) : spec.validFrom;
		const offers = [];
		const aggregate = {};
		const withWindow = (o) => (validFrom ? { ...o, validFromBeforeStartDate: validFrom } : o);
		if (!junior) {
			const adultOffer = withWindow({
				'@type': 'Offer',
				'@id': `${identifier}#/offers/adult`,
				identifier: 'adult',
				name: 'Adult',
				price: adultPrice,
				priceCurrency: 'GBP',
				ageRange: { '@type': 'QuantitativeValue', minValue: 16 },
			});
			offers.push(adultOffer);
			const flag = spec.category !== 'parent-not-bookable';
			aggregate.publicAdult = withWindow({
				'@type': 'AggregateOffer',
				'@id': adultOffer['@id'],
				price: adultPrice,
				priceCurrency: 'GBP',
				'imin:membershipRequired': false,
				[spec.underscore ? '_imin:isPotentiallyBookable' : 'imin:isPotentiallyBookable']: flag,
			});
		}
		const hasJunior = junior || rng.chance(0.4);
		if (hasJunior) {
			const juniorOffer = withWindow({
				'@type': 'Offer',
				'@id': `${identifier}#/offers/junior`,
				identifier: 'junior',
				name: 'Junior',
				price: juniorPrice,
				priceCurrency: 'GBP',
				ageRange: { '@type': 'QuantitativeValue', minValue: junior ? 3 : 8, maxValue: 15 },
			});
			offers.push(juniorOffer);
			aggregate.publicJunior = withWindow({
				'@type': 'AggregateOffer',
				'@id': juniorOffer['@id'],
				price: juniorPrice,
				priceCurrency: 'GBP',
				'imin:membershipRequired': false,
				'imin:isPotentiallyBookable': spec.category !== 'parent-not-bookable',
			});
		}
		let data = {
			'@context': D.CONTEXT,
			'@type': 'SessionSeries',
			'@id': `${this.idBase}session-series/${itemId}`,
			identifier,
			name: `${label} (${level})`,
			description: `${label} at ${venue.name}. ${level} welcome.`,
			url: `${pub.url}timetable/${n}`,
			activity: [D.concept(label)],
			level: [level],
			ageRange: junior
				? { '@type': 'QuantitativeValue', minValue: 3, maxValue: 15 }
				: { '@type': 'QuantitativeValue', minValue: hasJunior ? 8 : 16 },
			genderRestriction: 'https://openactive.io/NoRestriction',
			duration: rng.pick(['PT45M', 'PT1H', 'PT1H', 'PT1H30M']),
			location: D.place(venue),
			organizer: D.organization(pub),
			offers,
			'imin:aggregateOffer': aggregate,
			'imin:dataSource': { '@type': 'Dataset', identifier: pub.key },
		};
		if (spec.plain) data = D.plainKeys(data);
		return { itemId, data, pub, n };
	}

	/**
	 * The start time `when` asks for, relative to the offer's booking window (validFrom before the
	 * start): inWindow (bookable now), beforeWindow (not yet bookable), started, soon (+1 day),
	 * far (+20 days), or anything else: a random day in [-2, +30] days whose time of day
	 * `setTimeOfDay(date)` picks. Kept away from the window's edges.
	 */
	plannedStart(when, validFrom, nowMs, setTimeOfDay) {
		const win = windowLength(validFrom, nowMs);
		let start;
		switch (when) {
			case 'inWindow': {
				const margin = this.opts.edgeMarginMs;
				const w = win === undefined ? 3 * DAY : win;
				start = nowMs + Math.min(Math.max(w / 2, 1.5 * margin), w - 1.5 * margin);
				break;
			}
			case 'beforeWindow':
				start = nowMs + (win === undefined ? 10 * DAY : win) + 2 * DAY;
				break;
			case 'started':
				start = nowMs - DAY;
				break;
			case 'soon':
				start = nowMs + DAY;
				break;
			case 'far':
				start = nowMs + 20 * DAY;
				break;
			default: {
				const d = new Date(roundQuarter(nowMs - 2 * DAY + this.rng.float() * 32 * DAY));
				setTimeOfDay(d);
				start = d.getTime();
			}
		}
		return this.awayFromEdges(start, validFrom, nowMs);
	}

	buildSession(series, spec, nowMs) {
		const rng = this.rng;
		const pub = series.pub;
		const parent = series.data;
		const adult = parent ? this.adultOf(parent) : undefined;
		const validFrom = adult && adult.validFromBeforeStartDate;
		const duration = (parent && parent.duration) || 'PT1H';
		const durationMs = windowLength(duration, nowMs);
		// sessions start on a quarter hour between 06:00 and 21:45 UTC
		let start = this.plannedStart(spec.when, validFrom, nowMs, (d) =>
			d.setUTCHours(6 + rng.int(0, 15), rng.pick([0, 15, 30, 45]), 0, 0),
		);
		let n;
		let identifier;
		for (let i = 0; ; i++) {
			n = this.nextNo(pub, 'session');
			identifier = pub.sessionIdentifier({ n, seriesNo: series.n, start: iso(start) });
			if (!this.identifierIndex.ScheduledSession.has(identifier)) break;
			start = this.awayFromEdges(start + QUARTER, validFrom, nowMs);
			if (i > 50) throw new Error('could not find a free identifier');
		}
		const itemId = `${pub.key}-ScheduledSession-${n}`;
		const flag = spec.flag === undefined ? rng.chance(0.85) : spec.flag;
		const cancelled = spec.cancelled === undefined ? !flag && rng.chance(0.3) : spec.cancelled;
		const max = rng.pick([8, 12, 16, 20, 24, 30, 40]);
		const remaining =
			spec.capacity !== undefined
				? spec.capacity
				: flag
					? rng.int(1, max)
					: cancelled
						? rng.int(1, max)
						: 0;
		const superEvent = spec.embedded && parent ? this.embeddedCopy(parent) : series.dataId;
		let data = {
			'@context': D.CONTEXT,
			'@type': 'ScheduledSession',
			'@id': `${this.idBase}scheduled-sessions/${itemId}`,
			identifier,
			superEvent,
			startDate: iso(start),
			endDate: iso(start + durationMs),
			duration,
			eventStatus: cancelled
				? 'https://schema.org/EventCancelled'
				: 'https://schema.org/EventScheduled',
			maximumAttendeeCapacity: Math.max(max, remaining),
			remainingAttendeeCapacity: remaining,
			[spec.underscore ? '_imin:isPotentiallyBookable' : 'imin:isPotentiallyBookable']: flag,
		};
		if (spec.plain) data = D.plainKeys(data);
		return { itemId, data };
	}

	embeddedCopy(parentData) {
		const copy = clone(parentData);
		delete copy['@context'];
		return copy;
	}

	buildFacilityUse(spec) {
		const rng = this.rng;
		const pub = D.PUBLISHERS[spec.pub];
		const n = this.nextNo(pub, 'facility-use');
		const itemId = `${pub.key}-FacilityUse-${n}`;
		const identifier = pub.facilityUseIdentifier(n);
		const junior = spec.category === 'children-only';
		const ft =
			spec.individual === true
				? rng.pick(D.FACILITY_TYPES.filter((f) => f.individual))
				: spec.individual === false
					? rng.pick(D.FACILITY_TYPES.filter((f) => !f.individual))
					: rng.pick(D.FACILITY_TYPES);
		const venue = rng.pick(pub.venues);
		const id = `${this.idBase}facility-uses/${itemId}`;
		const validFrom = spec.validFrom === undefined ? rng.pick(WINDOWS) : spec.validFrom;
		const withWindow = (o) => (validFrom ? { ...o, validFromBeforeStartDate: validFrom } : o);
		const price = rng.pick([6, 8.4, 9.5, 11, 14.2, 20, 32]);
		const offers = [];
		const aggregate = {};
		const name = junior ? `Junior ${ft.label} Hire` : `${ft.label} Hire`;
		const adultId = `${identifier}#/offers/${junior ? 'junior' : 'adult'}`;
		offers.push(
			withWindow({
				'@type': 'Offer',
				'@id': adultId,
				identifier: junior ? 'junior' : 'adult',
				name: junior ? 'Junior' : 'Adult',
				price,
				priceCurrency: 'GBP',
			}),
		);
		const flag = spec.category !== 'parent-not-bookable';
		if (junior) {
			aggregate.publicJunior = withWindow({
				'@type': 'AggregateOffer',
				'@id': adultId,
				price,
				priceCurrency: 'GBP',
				'imin:isPotentiallyBookable': true,
			});
		} else {
			aggregate.publicAdult = withWindow({
				'@type': 'AggregateOffer',
				'@id': adultId,
				price,
				priceCurrency: 'GBP',
				[spec.underscore ? '_imin:isPotentiallyBookable' : 'imin:isPotentiallyBookable']: flag,
			});
		}
		let data = {
			'@context': D.CONTEXT,
			'@type': 'FacilityUse',
			'@id': id,
			identifier,
			name,
			description: `${name} at ${venue.name}.`,
			url: `${pub.url}facilities/${n}`,
			provider: D.organization(pub),
			location: D.place(venue),
			activity: [D.concept(ft.label.replace(/ (Court|Pitch|Table)$/, ''))],
			facilityType: [
				{
					'@type': 'Concept',
					'@id': `https://openactive.io/facility-types#${ft.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
					prefLabel: ft.label,
					inScheme: 'https://openactive.io/facility-types',
				},
			],
			offers,
			'imin:aggregateOffer': aggregate,
			'imin:dataSource': { '@type': 'Dataset', identifier: pub.key },
		};
		const individualCount = ft.individual ? rng.int(2, 6) : 0;
		if (individualCount) {
			data.individualFacilityUse = [];
			for (let i = 1; i <= individualCount; i++) {
				data.individualFacilityUse.push({
					'@type': 'IndividualFacilityUse',
					'@id': `${id}/individual-facility-uses/${i}`,
					name: `${ft.individual} ${i}`,
					url: `${pub.url}facilities/${n}/${i}`,
					location: data.location,
					provider: data.provider,
					facilityType: data.facilityType,
				});
			}
		}
		if (spec.plain) data = D.plainKeys(data);
		return { itemId, data, pub, n };
	}

	buildSlot(fu, spec, nowMs) {
		const rng = this.rng;
		const pub = fu.pub;
		const parent = fu.data;
		const adult = parent ? this.adultOf(parent) : undefined;
		const validFrom = adult && adult.validFromBeforeStartDate;
		// slots start on the hour between 07:00 and 21:00 UTC
		let start = this.plannedStart(spec.when, validFrom, nowMs, (d) =>
			d.setUTCHours(7 + rng.int(0, 14), 0, 0, 0),
		);
		const individuals = parent ? parent.individualFacilityUse || [] : [];
		const useIndividual =
			spec.individual === undefined
				? individuals.length > 0 && rng.chance(0.8)
				: spec.individual && individuals.length > 0;
		const facilityUse = useIndividual ? B.idOf(rng.pick(individuals)) : fu.dataId;
		let n;
		let identifier;
		for (let i = 0; ; i++) {
			n = this.nextNo(pub, 'slot');
			identifier = pub.slotIdentifier({ n, parentNo: fu.n, start: iso(start) });
			if (!this.identifierIndex.Slot.has(identifier)) break;
			start = this.awayFromEdges(start + HOUR, validFrom, nowMs);
			if (i > 50) throw new Error('could not find a free identifier');
		}
		const itemId = `${pub.key}-Slot-${n}`;
		const flag = spec.flag === undefined ? rng.chance(0.8) : spec.flag;
		const maximumUses = useIndividual ? 1 : rng.int(2, 8);
		const remainingUses = flag ? rng.int(1, maximumUses) : 0;
		const duration = rng.pick(['PT40M', 'PT1H', 'PT1H']);
		const offer = parent && Array.isArray(parent.offers) && parent.offers[0];
		let data = {
			'@context': D.CONTEXT,
			'@type': 'Slot',
			'@id': `${this.idBase}slots/${itemId}`,
			identifier,
			facilityUse,
			startDate: iso(start),
			endDate: iso(start + windowLength(duration, nowMs)),
			duration,
			maximumUses,
			remainingUses,
			[spec.underscore ? '_imin:isPotentiallyBookable' : 'imin:isPotentiallyBookable']: flag,
			offers: offer
				? [
						{
							'@type': 'Offer',
							'@id': B.idOf(offer),
							price: offer.price,
							priceCurrency: offer.priceCurrency,
						},
					]
				: [{ '@type': 'Offer', '@id': `${identifier}#/offers/0`, price: 10, priceCurrency: 'GBP' }],
		};
		if (spec.plain) data = D.plainKeys(data);
		return { itemId, data };
	}

	// -------------------------------------------------------------------------------------------
	// generation

	generate() {
		const o = this.opts;
		const nowMs = this.anchor;
		const rng = this.rng;
		const initial = []; // [feedName, itemId, data|null]
		const pubWeights = D.PUBLISHERS.map((p, i) => [i, p.weight]);

		// --- SessionSeries
		const seriesSpecs = [
			...D.PUBLISHERS.map((p, i) => ({
				name: `bookable:${p.key}`,
				category: 'bookable',
				pub: i,
				validFrom: ['P1W', 'P2D', 'P1W', 'P14D', 'P7D', 'PT36H'][i],
			})),
			{ name: 'parentNotBookable', category: 'parent-not-bookable', pub: 0, validFrom: 'P1W' },
			{ name: 'childrenOnly', category: 'children-only', pub: 0, validFrom: 'P1W' },
			{
				name: 'underscoreParentFlag',
				category: 'bookable',
				pub: 1,
				validFrom: 'P1W',
				underscore: true,
			},
			{ name: 'noWindow', category: 'bookable', pub: 2, validFrom: null },
			{ name: 'twelveHourWindow', category: 'bookable', pub: 0, validFrom: 'PT12H' },
			{ name: 'plainSpelling', category: 'bookable', pub: 0, validFrom: 'P1W', plain: true },
		].slice(0, o.series);
		while (seriesSpecs.length < o.series) {
			const category = pickWeighted(rng, [
				['bookable', 76],
				['parent-not-bookable', 12],
				['children-only', 8],
				['no-window', 4],
			]);
			seriesSpecs.push({
				category: category === 'no-window' ? 'bookable' : category,
				validFrom: category === 'no-window' ? null : undefined,
				pub: pickWeighted(rng, pubWeights),
				underscore: rng.chance(0.1),
				plain: rng.chance(0.05),
			});
		}
		/** @type {Array<{itemId: string, data: object|null, dataId: string, pub: object, n: number, deleted?: boolean}>} */
		const series = [];
		for (const spec of seriesSpecs) {
			const s = this.buildSeries(spec);
			s.dataId = B.idOf(s.data);
			series.push(s);
			initial.push(['session-series', s.itemId, s.data]);
			if (spec.name) {
				this.designated.series[spec.name] = s.itemId;
				this.protected.add(`session-series:${s.itemId}`);
			}
		}
		// tombstones: series deleted before the feed was read; their sessions are orphans
		const tombstones = [];
		const tombstoneCount = o.series >= 20 ? 2 : 0;
		for (let i = 0; i < tombstoneCount; i++) {
			const s = this.buildSeries({ category: 'bookable', pub: 0 });
			s.dataId = B.idOf(s.data);
			s.data = null;
			s.deleted = true;
			tombstones.push(s);
			initial.push(['session-series', s.itemId, null]);
		}
		// a series that never existed in the feed
		const ghostPub = D.PUBLISHERS[0];
		const ghostNo = this.nextNo(ghostPub, 'series');
		const ghost = {
			itemId: `${ghostPub.key}-SessionSeries-${ghostNo}`,
			data: null,
			pub: ghostPub,
			n: ghostNo,
			dataId: `${this.idBase}session-series/${ghostPub.key}-SessionSeries-${ghostNo}`,
		};
		this.ghostSeriesId = ghost.dataId;
		this.seriesRefs = { series, tombstones, ghost };

		const byName = (name) => series.find((s) => s.itemId === this.designated.series[name]);

		// --- ScheduledSession
		const sessionSpecs = [];
		if (series.length >= seriesSpecs.length && o.series >= 12) {
			for (const p of D.PUBLISHERS)
				sessionSpecs.push({
					name: `bookable:${p.key}`,
					series: byName(`bookable:${p.key}`),
					when: 'inWindow',
					flag: true,
					capacity: 50,
				});
			const main = byName('bookable:fusion-lifestyle');
			sessionSpecs.push(
				{
					name: 'occurrenceNotBookable',
					series: main,
					when: 'inWindow',
					flag: false,
					capacity: 0,
					cancelled: false,
				},
				{
					name: 'parentNotBookable',
					series: byName('parentNotBookable'),
					when: 'inWindow',
					flag: true,
					capacity: 50,
				},
				{
					name: 'childrenOnly',
					series: byName('childrenOnly'),
					when: 'inWindow',
					flag: true,
					capacity: 50,
				},
				{ name: 'windowNotOpen', series: main, when: 'beforeWindow', flag: true, capacity: 50 },
				{ name: 'alreadyStarted', series: main, when: 'started', flag: true, capacity: 50 },
				{ name: 'parentMissing', series: ghost, when: 'soon', flag: true, capacity: 50 },
				{
					name: 'underscoreFlag',
					series: main,
					when: 'inWindow',
					flag: true,
					capacity: 50,
					underscore: true,
				},
				{
					name: 'plainSpelling',
					series: byName('bookable:acme-leisure'),
					when: 'inWindow',
					flag: true,
					capacity: 50,
					plain: true,
				},
				{
					name: 'plainParent',
					series: byName('plainSpelling'),
					when: 'inWindow',
					flag: true,
					capacity: 50,
				},
				{
					name: 'embeddedParent',
					series: byName('bookable:acme-leisure'),
					when: 'inWindow',
					flag: true,
					capacity: 50,
					embedded: true,
				},
				{
					name: 'underscoreParentFlag',
					series: byName('underscoreParentFlag'),
					when: 'inWindow',
					flag: true,
					capacity: 50,
				},
				{ name: 'noWindow', series: byName('noWindow'), when: 'far', flag: true, capacity: 50 },
				{
					name: 'twelveHourWindow',
					series: byName('twelveHourWindow'),
					when: 'inWindow',
					flag: true,
					capacity: 50,
				},
				{
					name: 'cancelled',
					series: main,
					when: 'inWindow',
					flag: false,
					cancelled: true,
					capacity: 9,
				},
			);
			if (tombstones.length)
				sessionSpecs.push({
					name: 'parentDeleted',
					series: tombstones[0],
					when: 'soon',
					flag: true,
					capacity: 50,
				});
		}
		const sessionCount = o.syntheticItems > 0 ? 0 : o.sessions;
		const designatedSessions = sessionSpecs.slice(0, sessionCount);
		const parents = [...series, ...tombstones];
		while (designatedSessions.length < sessionCount) {
			const s = rng.chance(0.02) || parents.length === 0 ? ghost : rng.pick(parents);
			designatedSessions.push({
				series: s,
				underscore: rng.chance(0.1),
				plain: rng.chance(0.05),
				embedded: !!s.data && !s.deleted && rng.chance(0.08),
			});
		}
		for (const spec of designatedSessions) {
			const s = this.buildSession(spec.series, spec, nowMs);
			initial.push(['scheduled-sessions', s.itemId, s.data]);
			// index identifiers now so later sessions avoid them
			this.identifierIndex.ScheduledSession.set(s.data.identifier, s.itemId);
			if (spec.name) {
				this.designated.sessions[spec.name] = s.itemId;
				this.protected.add(`scheduled-sessions:${s.itemId}`);
			}
		}
		// two sessions deleted before the feed was read
		if (sessionCount >= 20) {
			for (let i = 0; i < 2; i++) {
				const s = this.buildSession(rng.pick(series), {}, nowMs);
				this.identifierIndex.ScheduledSession.delete(s.data.identifier);
				initial.push(['scheduled-sessions', s.itemId, null]);
				if (i === 0) this.designated.sessions.deleted = s.itemId;
			}
		}

		// --- FacilityUse
		const fuSpecs = [
			...D.PUBLISHERS.map((p, i) => ({
				name: `bookable:${p.key}`,
				category: 'bookable',
				pub: i,
				validFrom: ['P1W', 'P2D', 'P1W', 'P14D', 'P7D', 'PT36H'][i],
				individual: i === 0 ? true : i === 1 ? false : undefined,
			})),
			{ name: 'parentNotBookable', category: 'parent-not-bookable', pub: 0, validFrom: 'P1W' },
			{ name: 'childrenOnly', category: 'children-only', pub: 0, validFrom: 'P1W' },
		].slice(0, o.facilityUses);
		while (fuSpecs.length < o.facilityUses) {
			const category = pickWeighted(rng, [
				['bookable', 80],
				['parent-not-bookable', 12],
				['children-only', 8],
			]);
			fuSpecs.push({
				category,
				pub: pickWeighted(rng, pubWeights),
				underscore: rng.chance(0.1),
				plain: rng.chance(0.05),
			});
		}
		const facilityUses = [];
		for (const spec of fuSpecs) {
			const f = this.buildFacilityUse(spec);
			f.dataId = B.idOf(f.data);
			facilityUses.push(f);
			initial.push(['facility-uses', f.itemId, f.data]);
			if (spec.name) {
				this.designated.facilityUses[spec.name] = f.itemId;
				this.protected.add(`facility-uses:${f.itemId}`);
			}
		}
		const ghostFuNo = this.nextNo(ghostPub, 'facility-use');
		const ghostFu = {
			itemId: `${ghostPub.key}-FacilityUse-${ghostFuNo}`,
			data: null,
			pub: ghostPub,
			n: ghostFuNo,
			dataId: `${this.idBase}facility-uses/${ghostPub.key}-FacilityUse-${ghostFuNo}`,
		};
		this.facilityUseRefs = { facilityUses, ghost: ghostFu };
		const fuByName = (name) =>
			facilityUses.find((f) => f.itemId === this.designated.facilityUses[name]);

		// --- Slot
		const slotSpecs = [];
		if (o.facilityUses >= fuSpecs.length && o.facilityUses >= 8 && o.slots >= 16) {
			for (const p of D.PUBLISHERS)
				slotSpecs.push({
					name: `bookable:${p.key}`,
					fu: fuByName(`bookable:${p.key}`),
					when: 'inWindow',
					flag: true,
				});
			slotSpecs[0].individual = true;
			const main = fuByName('bookable:fusion-lifestyle');
			const aggregate = fuByName('bookable:acme-leisure');
			slotSpecs.push(
				{
					name: 'bookableAggregate',
					fu: aggregate,
					when: 'inWindow',
					flag: true,
					individual: false,
				},
				{ name: 'occurrenceNotBookable', fu: main, when: 'inWindow', flag: false },
				{
					name: 'parentNotBookable',
					fu: fuByName('parentNotBookable'),
					when: 'inWindow',
					flag: true,
				},
				{ name: 'childrenOnly', fu: fuByName('childrenOnly'), when: 'inWindow', flag: true },
				{ name: 'windowNotOpen', fu: main, when: 'beforeWindow', flag: true },
				{ name: 'alreadyStarted', fu: main, when: 'started', flag: true },
				{ name: 'parentMissing', fu: ghostFu, when: 'soon', flag: true },
				{ name: 'underscoreFlag', fu: main, when: 'inWindow', flag: true, underscore: true },
				{ name: 'plainSpelling', fu: main, when: 'inWindow', flag: true, plain: true },
			);
		}
		const slotList = slotSpecs.slice(0, o.slots);
		while (slotList.length < o.slots) {
			const f = rng.chance(0.02) || facilityUses.length === 0 ? ghostFu : rng.pick(facilityUses);
			slotList.push({ fu: f, underscore: rng.chance(0.1), plain: rng.chance(0.05) });
		}
		for (const spec of slotList) {
			const s = this.buildSlot(spec.fu, spec, nowMs);
			initial.push(['slots', s.itemId, s.data]);
			this.identifierIndex.Slot.set(s.data.identifier, s.itemId);
			if (spec.name) {
				this.designated.slots[spec.name] = s.itemId;
				this.protected.add(`slots:${s.itemId}`);
			}
		}
		if (o.slots >= 20) {
			const s = this.buildSlot(rng.pick(facilityUses), {}, nowMs);
			this.identifierIndex.Slot.delete(s.data.identifier);
			initial.push(['slots', s.itemId, null]);
			this.designated.slots.deleted = s.itemId;
		}

		// --- modified: shuffled, five items per value (ties ordered by id), all before the clock
		this.identifierIndex.ScheduledSession.clear();
		this.identifierIndex.Slot.clear();
		const order = rng.shuffle(initial.map((_, i) => i));
		const base = Math.floor(nowMs) - 40 * DAY;
		order.forEach((idx, rank) => {
			const [feedName, itemId, data] = initial[idx];
			this.emit(feedName, itemId, data, base + Math.floor(rank / 5) * 1000);
		});
		this.lastModified = Math.max(base, ...D.FEED_NAMES.map((f) => this.feeds[f].maxModified()));

		// --- synthetic scheduled sessions (benchmark): computed from the index, never stored
		if (o.syntheticItems > 0)
			this.feeds['scheduled-sessions'] = this.syntheticFeed(o.syntheticItems, series, nowMs);
	}

	syntheticFeed(count, series, nowMs) {
		const base = Math.floor(nowMs) - 60 * DAY;
		const seed = this.opts.seed;
		const idBase = this.idBase;
		const refs = series.length ? series.map((s) => s.dataId) : [this.ghostSeriesId];
		const keyAt = (i) => ({
			modified: base + Math.floor(i / 4),
			id: `synthetic-ScheduledSession-${String(i).padStart(9, '0')}`,
			deleted: i % 101 === 100,
		});
		const startAt = (i) =>
			roundQuarter(nowMs - 2 * DAY + ((i * 7919 + seed * 104729) % (32 * 24 * 4)) * QUARTER);
		const entryAt = (i) => {
			const k = keyAt(i);
			if (k.deleted)
				return { state: 'deleted', kind: 'ScheduledSession', id: k.id, modified: k.modified };
			const start = startAt(i);
			const flag = i % 5 !== 0;
			return {
				state: 'updated',
				kind: 'ScheduledSession',
				id: k.id,
				modified: k.modified,
				data: {
					'@context': D.CONTEXT,
					'@type': 'ScheduledSession',
					'@id': `${idBase}scheduled-sessions/${k.id}`,
					identifier: `https://opendata.synthetic-leisure.example/OpenActive/api/scheduled-sessions/${i}`,
					superEvent: refs[i % refs.length],
					startDate: iso(start),
					endDate: iso(start + HOUR),
					duration: 'PT1H',
					eventStatus: 'https://schema.org/EventScheduled',
					maximumAttendeeCapacity: 20,
					remainingAttendeeCapacity: flag ? 1 + (i % 19) : 0,
					'imin:isPotentiallyBookable': flag,
				},
			};
		};
		return new SyntheticFeed('scheduled-sessions', 'ScheduledSession', count, keyAt, entryAt);
	}

	// -------------------------------------------------------------------------------------------
	// reading

	/** the parent data of an occurrence (embedded object, or the referenced updated feed item) */
	resolveParent(kind, data) {
		if (!data) return undefined;
		if (kind === 'ScheduledSession') {
			const se = data.superEvent;
			if (se && typeof se === 'object') return se;
			if (typeof se !== 'string') return undefined;
			const e = this.feeds['session-series'].getByDataId(se);
			return e && e.state === 'updated' ? e.data : undefined;
		}
		if (kind === 'Slot') {
			const fu = data.facilityUse;
			if (fu && typeof fu === 'object') return fu;
			if (typeof fu !== 'string') return undefined;
			const feed = this.feeds['facility-uses'];
			const direct = feed.getByDataId(fu);
			if (direct) return direct.state === 'updated' ? direct.data : undefined;
			for (const e of feed.updated()) {
				const list = e.data.individualFacilityUse;
				if (Array.isArray(list) && list.some((x) => B.idOf(x) === fu)) return e.data;
			}
		}
		return undefined;
	}

	/** find an updated ScheduledSession / Slot by its (publisher) identifier */
	findOpportunity(type, identifier) {
		const kind = type === 'Slot' ? 'Slot' : 'ScheduledSession';
		const feedName = kind === 'Slot' ? 'slots' : 'scheduled-sessions';
		const feed = this.feeds[feedName];
		let entry;
		if (feed.synthetic) {
			const m =
				/^https:\/\/opendata\.synthetic-leisure\.example\/OpenActive\/api\/scheduled-sessions\/(\d+)$/.exec(
					String(identifier),
				);
			if (m && Number(m[1]) < feed.count) entry = feed.entryAt(Number(m[1]));
		} else {
			const id = this.identifierIndex[kind].get(identifier);
			entry = id === undefined ? undefined : feed.get(id);
		}
		if (!entry || entry.state !== 'updated') return undefined;
		return {
			kind,
			feedName,
			entry,
			data: entry.data,
			parent: this.resolveParent(kind, entry.data),
		};
	}

	evaluateEntry(kind, entry, nowMs) {
		return B.evaluate(entry.data, this.resolveParent(kind, entry.data), nowMs);
	}

	/** the offers a booker may accept for an occurrence: ids on the parent (offers, aggregate offers) and on a Slot */
	offersFor(kind, data, parent) {
		const out = new Map();
		const add = (o, role) => {
			const id = B.idOf(o);
			if (typeof id === 'string' && !out.has(id)) out.set(id, { id, role, offer: o });
		};
		if (parent) {
			const agg = parent['imin:aggregateOffer'] || {};
			if (agg.publicAdult) add(agg.publicAdult, 'publicAdult');
			if (agg.publicJunior) add(agg.publicJunior, 'publicJunior');
			for (const o of Array.isArray(parent.offers) ? parent.offers : []) add(o, 'offer');
		}
		if (kind === 'Slot')
			for (const o of Array.isArray(data.offers) ? data.offers : []) add(o, 'offer');
		return out;
	}

	/**
	 * The truth for the current feed state at `nowMs`: every updated ScheduledSession / Slot that is
	 * bookable, with its guest checkout URL, plus counts of each not-bookable reason.
	 * @param {number} nowMs
	 * @param {string} checkoutBaseUrl
	 * @returns {Expected}
	 */
	expected(nowMs, checkoutBaseUrl) {
		/** @type {Expected} */
		const out = {
			at: new Date(nowMs).toISOString(),
			scheduledSessions: null,
			slots: [],
			reasons: { scheduledSessions: {}, slots: {} },
		};
		const collect = (feedName, kind, pathName, reasonCounts) => {
			/** @type {ExpectedEntry[]} */
			const list = [];
			for (const entry of this.feeds[feedName].updated()) {
				const parent = this.resolveParent(kind, entry.data);
				const ev = B.evaluate(entry.data, parent, nowMs);
				if (!ev.bookable) {
					reasonCounts[ev.reason] = (reasonCounts[ev.reason] || 0) + 1;
					continue;
				}
				const adult = this.adultOf(parent);
				list.push({
					id: entry.id,
					'@id': B.idOf(entry.data),
					identifier: entry.data.identifier,
					guestUrl: `${checkoutBaseUrl}/v1/${pathName}/${encodeURIComponent(entry.data.identifier)}`,
					startDate: entry.data.startDate,
					parentId: B.idOf(parent),
					acceptedOffer: B.idOf(adult),
					modified: entry.modified,
				});
			}
			return list;
		};
		if (!this.feeds['scheduled-sessions'].synthetic) {
			out.scheduledSessions = collect(
				'scheduled-sessions',
				'ScheduledSession',
				'scheduled-sessions',
				out.reasons.scheduledSessions,
			);
			out.reasons.scheduledSessions.bookable = out.scheduledSessions.length;
		} else {
			out.note = 'scheduled-sessions is synthetic (syntheticItems): its truth is not listed';
		}
		out.slots = collect('slots', 'Slot', 'slots', out.reasons.slots);
		out.reasons.slots.bookable = out.slots.length;
		return out;
	}

	// -------------------------------------------------------------------------------------------
	// changes

	/** a booking took one place: capacity / remaining uses down by one; 0 turns the flag false */
	recordBooking(kind, itemId) {
		const feedName = kind === 'Slot' ? 'slots' : 'scheduled-sessions';
		const feed = this.feeds[feedName];
		if (feed.synthetic) return undefined;
		const entry = feed.get(itemId);
		if (!entry || entry.state !== 'updated') return undefined;
		const data = clone(entry.data);
		const field = kind === 'Slot' ? 'remainingUses' : 'remainingAttendeeCapacity';
		if (typeof data[field] === 'number') {
			data[field] = Math.max(0, data[field] - 1);
			if (data[field] === 0) data[flagKey(data)] = false;
		}
		return this.emit(feedName, itemId, data, this.nextModified());
	}

	eligible(feedName, predicate) {
		const feed = this.feeds[feedName];
		if (feed.synthetic) return [];
		return feed
			.updated()
			.filter((e) => !this.protected.has(`${feedName}:${e.id}`) && (!predicate || predicate(e)));
	}

	/** re-emit the sessions that embed this series (their copy must follow the series) */
	reemitEmbedders(seriesData, modified, changes) {
		const seriesId = B.idOf(seriesData);
		const feed = this.feeds['scheduled-sessions'];
		if (feed.synthetic) return;
		for (const e of feed.updated()) {
			const se = e.data.superEvent;
			if (se && typeof se === 'object' && B.idOf(se) === seriesId) {
				const data = clone(e.data);
				data.superEvent = this.embeddedCopy(seriesData);
				this.emit('scheduled-sessions', e.id, data, modified);
				changes.push({
					feed: 'scheduled-sessions',
					id: e.id,
					state: 'updated',
					modified,
					action: 'embedded-parent-changed',
				});
			}
		}
	}

	isEmbedded(seriesData) {
		const seriesId = B.idOf(seriesData);
		const feed = this.feeds['scheduled-sessions'];
		if (feed.synthetic) return false;
		return feed
			.updated()
			.some(
				(e) =>
					e.data.superEvent &&
					typeof e.data.superEvent === 'object' &&
					B.idOf(e.data.superEvent) === seriesId,
			);
	}

	/**
	 * Apply `n` changes (deterministic for a seed and a sequence of ticks). All of them get one new
	 * `modified`, greater than any before, so they appear at the END of their feeds.
	 * @returns {Change[]}
	 */
	tick(n = 1) {
		const rng = this.tickRng;
		const modified = this.nextModified();
		/** @type {Change[]} */
		const changes = [];
		const nowMs = this.now();
		const synthetic = this.feeds['scheduled-sessions'].synthetic;
		const actions = synthetic
			? TICK_ACTIONS.filter(([a]) => !a.startsWith('session-'))
			: TICK_ACTIONS;
		for (let i = 0; i < n; i++) {
			let done = false;
			for (let attempt = 0; attempt < 10 && !done; attempt++) {
				done = this.applyAction(pickWeighted(rng, actions), rng, modified, nowMs, changes);
			}
			if (!done) {
				this.applyAction(synthetic ? 'slot-add' : 'session-add', rng, modified, nowMs, changes);
			}
		}
		this.tickCount += 1;
		return changes;
	}

	applyAction(action, rng, modified, nowMs, changes) {
		const push = (feed, id, state, extra = {}) =>
			changes.push({ feed, id, state, modified, action, ...extra });
		const emitData = (feedName, entry, data) => {
			this.emit(feedName, entry.id, data, modified);
			push(feedName, entry.id, 'updated');
		};
		// the generators draw from this.rng; ticks use their own stream for determinism
		const generatorRng = this.rng;
		this.rng = rng;
		try {
			switch (action) {
				case 'session-capacity': {
					const list = this.eligible(
						'scheduled-sessions',
						(e) =>
							B.flagOf(e.data) === true && typeof e.data.remainingAttendeeCapacity === 'number',
					);
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					data.remainingAttendeeCapacity = Math.max(
						0,
						data.remainingAttendeeCapacity - rng.int(1, 4),
					);
					if (data.remainingAttendeeCapacity === 0) data[flagKey(data)] = false;
					emitData('scheduled-sessions', e, data);
					return true;
				}
				case 'session-reopen': {
					const list = this.eligible(
						'scheduled-sessions',
						(e) =>
							B.flagOf(e.data) === false &&
							e.data.eventStatus !== 'https://schema.org/EventCancelled',
					);
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					data.remainingAttendeeCapacity = rng.int(1, 5);
					data[flagKey(data)] = true;
					emitData('scheduled-sessions', e, data);
					return true;
				}
				case 'session-reschedule': {
					const list = this.eligible('scheduled-sessions');
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					const parent = this.resolveParent('ScheduledSession', data);
					const adult = this.adultOf(parent);
					const length = Date.parse(data.endDate) - Date.parse(data.startDate);
					const start = this.awayFromEdges(
						Date.parse(data.startDate) + rng.pick([-2, -1, 1, 2, 3]) * DAY,
						adult && adult.validFromBeforeStartDate,
						nowMs,
					);
					data.startDate = iso(start);
					data.endDate = iso(start + (Number.isFinite(length) ? length : HOUR));
					emitData('scheduled-sessions', e, data);
					return true;
				}
				case 'session-cancel': {
					const list = this.eligible(
						'scheduled-sessions',
						(e) => e.data.eventStatus !== 'https://schema.org/EventCancelled',
					);
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					data.eventStatus = 'https://schema.org/EventCancelled';
					data[flagKey(data)] = false;
					emitData('scheduled-sessions', e, data);
					return true;
				}
				case 'session-delete': {
					const list = this.eligible('scheduled-sessions');
					if (!list.length) return false;
					const e = rng.pick(list);
					this.emit('scheduled-sessions', e.id, null, modified);
					push('scheduled-sessions', e.id, 'deleted');
					return true;
				}
				case 'session-add': {
					if (this.feeds['scheduled-sessions'].synthetic) return false;
					const seriesList = this.feeds['session-series'].updated();
					if (!seriesList.length) return false;
					const se = rng.pick(seriesList);
					const pub = D.PUBLISHERS.find((p) => se.id.startsWith(`${p.key}-`)) || D.PUBLISHERS[0];
					const seriesNo = Number(se.id.slice(se.id.lastIndexOf('-') + 1));
					const s = this.buildSession(
						{ pub, n: seriesNo, data: se.data, dataId: B.idOf(se.data) },
						{ underscore: rng.chance(0.1), plain: rng.chance(0.05) },
						nowMs,
					);
					this.emit('scheduled-sessions', s.itemId, s.data, modified);
					push('scheduled-sessions', s.itemId, 'updated');
					return true;
				}
				case 'series-price': {
					const list = this.eligible('session-series');
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					const bump = rng.pick([0.25, 0.5, 1]);
					for (const o of data.offers || [])
						if (typeof o.price === 'number') o.price = Math.round((o.price + bump) * 100) / 100;
					for (const o of Object.values(data['imin:aggregateOffer'] || {}))
						if (o && typeof o.price === 'number')
							o.price = Math.round((o.price + bump) * 100) / 100;
					emitData('session-series', e, data);
					this.reemitEmbedders(data, modified, changes);
					return true;
				}
				case 'series-flag': {
					const list = this.eligible('session-series', (e) => !!this.adultOf(e.data));
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					const adult = this.adultOf(data);
					const key = flagKey(adult);
					adult[key] = adult[key] !== true;
					emitData('session-series', e, data);
					this.reemitEmbedders(data, modified, changes);
					return true;
				}
				case 'series-delete': {
					const list = this.eligible('session-series', (e) => !this.isEmbedded(e.data));
					if (!list.length) return false;
					const e = rng.pick(list);
					this.emit('session-series', e.id, null, modified);
					push('session-series', e.id, 'deleted');
					return true;
				}
				case 'series-add': {
					const s = this.buildSeries({
						category: pickWeighted(rng, [
							['bookable', 80],
							['parent-not-bookable', 12],
							['children-only', 8],
						]),
						pub: pickWeighted(
							rng,
							D.PUBLISHERS.map((p, i) => [i, p.weight]),
						),
					});
					this.emit('session-series', s.itemId, s.data, modified);
					push('session-series', s.itemId, 'updated');
					return true;
				}
				case 'slot-uses': {
					const list = this.eligible(
						'slots',
						(e) => B.flagOf(e.data) === true && typeof e.data.remainingUses === 'number',
					);
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					data.remainingUses = Math.max(0, data.remainingUses - 1);
					if (data.remainingUses === 0) data[flagKey(data)] = false;
					emitData('slots', e, data);
					return true;
				}
				case 'slot-delete': {
					const list = this.eligible('slots');
					if (!list.length) return false;
					const e = rng.pick(list);
					this.emit('slots', e.id, null, modified);
					push('slots', e.id, 'deleted');
					return true;
				}
				case 'slot-add': {
					const fus = this.feeds['facility-uses'].updated();
					if (!fus.length) return false;
					const f = rng.pick(fus);
					const pub = D.PUBLISHERS.find((p) => f.id.startsWith(`${p.key}-`)) || D.PUBLISHERS[0];
					const fuNo = Number(f.id.slice(f.id.lastIndexOf('-') + 1));
					const s = this.buildSlot(
						{ pub, n: fuNo, data: f.data, dataId: B.idOf(f.data) },
						{},
						nowMs,
					);
					this.emit('slots', s.itemId, s.data, modified);
					push('slots', s.itemId, 'updated');
					return true;
				}
				case 'facility-use-update': {
					const list = this.eligible('facility-uses');
					if (!list.length) return false;
					const e = rng.pick(list);
					const data = clone(e.data);
					data.description = `${data.name}: updated ${new Date(nowMs).toISOString().slice(0, 10)}.`;
					emitData('facility-uses', e, data);
					return true;
				}
				default:
					return false;
			}
		} finally {
			this.rng = generatorRng;
		}
	}

	stats() {
		/** @type {Record<string, {stored: number, served: number, synthetic: boolean}>} */
		const feeds = {};
		for (const [name, feed] of Object.entries(this.feeds))
			feeds[name] = {
				stored: feed.synthetic ? 0 : feed.size,
				served: feed.size,
				synthetic: !!feed.synthetic,
			};
		return { feeds, lastModified: this.lastModified, ticks: this.tickCount };
	}
}

module.exports = { IminModel, DEFAULTS, TICK_ACTIONS, iso };
