'use strict';
/**
 * The imin simulator's fixtures (GET /__sim/fixtures, sim.fixtures): sample opportunities of every
 * kind the tests need (bookable per publisher, each reason not to be bookable, each spelling
 * variant, special characters), the feeds, the customer accounts and the bookable truth now.
 */

const B = require('./bookability');
const D = require('./data');

/**
 * One sample opportunity with its parent and its bookability now. The shape is the same for every
 * sample (null where it does not apply, e.g. a deleted item has no identifier); null when the
 * simulator was started too small to have this sample.
 * @param {import('./common').SimState} s
 */
function sampleOf(s, kind, itemId) {
	if (!itemId) return null;
	const feedName = kind === 'Slot' ? 'slots' : 'scheduled-sessions';
	const feed = s.model.feeds[feedName];
	const entry = feed.synthetic ? undefined : feed.get(itemId);
	if (!entry) return null;
	const data = entry.data;
	const parent = data ? s.model.resolveParent(kind, data) : undefined;
	const ev = data
		? B.evaluate(data, parent, s.clock())
		: { bookable: false, reason: 'deleted', reasons: ['deleted'], windowOpensAt: null };
	const ref = data ? (kind === 'Slot' ? data.facilityUse : data.superEvent) : undefined;
	const adult = s.model.adultOf(parent);
	const junior =
		parent && parent['imin:aggregateOffer']
			? parent['imin:aggregateOffer'].publicJunior
			: undefined;
	const offerRef =
		B.idOf(adult) ||
		B.idOf(junior) ||
		(parent && Array.isArray(parent.offers) && parent.offers[0]
			? B.idOf(parent.offers[0])
			: undefined);
	const identifier = data ? String(data.identifier) : null;
	return {
		/** the RPDE item id */
		id: entry.id,
		/** the data `@id` (or `id`) */
		dataId: data ? String(B.idOf(data)) : null,
		type: kind,
		state: entry.state,
		modified: entry.modified,
		identifier,
		encodedIdentifier: identifier === null ? null : encodeURIComponent(identifier),
		guestUrl:
			identifier === null
				? null
				: `${s.sim.checkoutBaseUrl}/v1/${kind === 'Slot' ? 'slots' : 'scheduled-sessions'}/${encodeURIComponent(identifier)}`,
		startDate: data ? String(data.startDate) : null,
		parentId: ref === undefined ? null : String(typeof ref === 'string' ? ref : B.idOf(ref)),
		parentEmbedded: !!ref && typeof ref === 'object',
		/** publicAdult id, else publicJunior id, else the parent's first offer */
		acceptedOffer: offerRef === undefined ? null : String(offerRef),
		bookable: ev.bookable,
		/** first failing rule (bookability.js REASONS), null when bookable */
		reason: ev.reason,
		reasons: ev.reasons,
		windowOpensAt: ev.windowOpensAt,
		item: JSON.parse(JSON.stringify(entry)),
		parent: parent ? JSON.parse(JSON.stringify(parent)) : null,
	};
}

/** @param {import('./common').SimState} s */
function samples(s, kind, designated) {
	const pick = (name) => sampleOf(s, kind, designated[name]);
	/** @type {Record<string, ReturnType<typeof sampleOf>>} */
	const byPublisher = {};
	for (const p of D.PUBLISHERS) byPublisher[p.key] = pick(`bookable:${p.key}`);
	return {
		bookable: pick('bookable:fusion-lifestyle'),
		byPublisher,
		notBookable: {
			'occurrence-not-bookable': pick('occurrenceNotBookable'),
			'parent-not-bookable': pick('parentNotBookable'),
			'children-only': pick('childrenOnly'),
			'window-not-open': pick('windowNotOpen'),
			'already-started': pick('alreadyStarted'),
			'parent-missing': pick('parentMissing'),
		},
		variants: {
			underscoreFlag: pick('underscoreFlag'),
			underscoreParentFlag: pick('underscoreParentFlag'),
			plainSpelling: pick('plainSpelling'),
			plainParent: pick('plainParent'),
			embeddedParent: pick('embeddedParent'),
			noWindow: pick('noWindow'),
			twelveHourWindow: pick('twelveHourWindow'),
			cancelled: pick('cancelled'),
			parentDeleted: pick('parentDeleted'),
			bookableAggregate: pick('bookableAggregate'),
		},
		specialCharacters: {
			colonAndSlash: byPublisher['acme-leisure'],
			queryString: byPublisher['riverside-trust'],
			spaceAndHash: byPublisher['parkside-clubs'],
			percent: byPublisher['northgate-sports'],
			unicodeAndPlus: byPublisher.cafesports,
		},
		deleted: pick('deleted'),
		unknownIdentifier:
			kind === 'Slot'
				? 'https://opendata.fusion-lifestyle.com/OpenActive/api/slots/0000000'
				: 'https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/0000000',
	};
}

/** @param {import('./common').SimState} s */
function feedInfo(s) {
	/** @type {Record<string, {kind: string, url: string, standardUrl: string, items: number, updated: number, deleted: number, synthetic?: boolean, lastModified: number}>} */
	const out = {};
	for (const name of D.FEED_NAMES) {
		const f = s.model.feeds[name];
		out[name] = {
			kind: f.kind,
			url: `${s.sim.firehoseBaseUrl}${name}`,
			standardUrl: `${s.sim.firehoseBaseUrl}standard/${name}`,
			...f.counts(),
			lastModified: f.maxModified(),
		};
	}
	return out;
}

/** @param {import('./common').SimState} s */
function buildFixtures(s) {
	const nowMs = s.clock();
	const accounts = [...s.customers.values()].map((p) => ({
		...p,
		id: `${s.sim.bookBaseUrl}customer-accounts/${p.identifier}`,
		orders: [...s.orders.values()].filter((o) => o.customer.identifier === p.identifier).length,
	}));
	const orderList = [...s.orders.values()];
	const historyOrder = orderList.find(
		(o) => accounts[0] && o.customer.identifier === accounts[0].identifier,
	);
	const webhookTarget = s.webhooks.targetFor('success');
	return {
		seed: s.opts.seed,
		now: new Date(nowMs).toISOString(),
		apiKey: s.opts.apiKey,
		invalidApiKey: `${s.opts.apiKey}-wrong`,
		apiKeyHeader: 'X-API-KEY',
		broker: { name: s.opts.brokerName, url: s.opts.brokerUrl },
		webhook: {
			url: webhookTarget.url || null,
			apiKey: webhookTarget.apiKey || null,
			header: 'X-Api-Key',
		},
		url: s.sim.url,
		firehoseBaseUrl: s.sim.firehoseBaseUrl,
		standardFirehoseBaseUrl: `${s.sim.firehoseBaseUrl}standard/`,
		checkoutBaseUrl: s.sim.checkoutBaseUrl,
		checkoutSessionsUrl: `${s.sim.checkoutBaseUrl}/api/checkout-sessions/`,
		bookBaseUrl: s.sim.bookBaseUrl,
		pageSize: s.opts.pageSize,
		syntheticItems: s.opts.syntheticItems,
		idBase: s.model.idBase,
		feeds: feedInfo(s),
		scheduledSessions: samples(s, 'ScheduledSession', s.model.designated.sessions),
		slots: samples(s, 'Slot', s.model.designated.slots),
		series: { ...s.model.designated.series },
		facilityUses: { ...s.model.designated.facilityUses },
		ghostSeriesId: s.model.ghostSeriesId,
		sellers: D.PUBLISHERS.map((p) => ({ id: p.sellerId, name: p.name, url: p.url })),
		customerAccounts: accounts,
		orders: {
			customerIdentifier: accounts[0] ? accounts[0].identifier : null,
			count: historyOrder
				? orderList.filter((o) => o.customer.identifier === accounts[0].identifier).length
				: 0,
			sampleOrderId: historyOrder ? historyOrder.identifier : null,
			sampleOrderUrl: historyOrder ? historyOrder.id : null,
			pageSize: s.opts.orderHistoryPageSize,
		},
		expected: s.model.expected(nowMs, s.sim.checkoutBaseUrl),
	};
}

module.exports = { buildFixtures };
