'use strict';
/**
 * The Firehose: RPDE feeds of opportunity data (https://docs.imin.co/firehose/introduction-to-the-firehose/,
 * paging as the OpenActive RPDE specification has it: https://openactive.io/realtime-paged-data-exchange/).
 *
 *   GET /firehose/{session-series|scheduled-sessions|facility-uses|slots}[?afterTimestamp=&afterId=]
 *   GET /firehose/standard/<same feeds>   (same data; `next` stays under /standard/)
 * RPDE pages {next, items, license}; the last page has items [] and next = the request URL.
 * Cache-Control: public, max-age=3600 (pages with items) / public, max-age=8 (last page).
 * A bad cursor (afterTimestamp not an integer, afterId without afterTimestamp) is a 400; any method
 * but GET / HEAD a 405.
 */

const D = require('../data');
const { SimError, json, requireKey, originOf } = require('../common');

const LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

/** One RPDE page of a feed: items after (afterTimestamp, afterId), at most pageSize. */
function readFeed(s, { req, headers, params, query, rawUrl }) {
	requireKey(s, headers, false);
	const feed = s.model.feeds[params.feed];
	const origin = originOf(s, req);
	let afterTimestamp;
	let afterId;
	if (query.afterTimestamp !== undefined) {
		if (Array.isArray(query.afterTimestamp) || !/^\d+$/.test(query.afterTimestamp)) {
			throw new SimError(
				400,
				'InvalidRequestError',
				'afterTimestamp must be an integer (take the next URL as given).',
			);
		}
		afterTimestamp = Number(query.afterTimestamp);
	}
	if (query.afterId !== undefined) {
		if (Array.isArray(query.afterId))
			throw new SimError(400, 'InvalidRequestError', 'afterId is given more than once.');
		if (afterTimestamp === undefined)
			throw new SimError(
				400,
				'InvalidRequestError',
				'afterId needs afterTimestamp (take the next URL as given).',
			);
		afterId = query.afterId;
	}
	const items = feed.page(afterTimestamp, afterId, s.opts.pageSize);
	const pathname = rawUrl.split('?')[0];
	let next;
	if (items.length === 0) {
		next = `${origin}${rawUrl}`;
	} else {
		const last = items[items.length - 1];
		next = `${origin}${pathname}?afterTimestamp=${last.modified}&afterId=${encodeURIComponent(last.id)}`;
	}
	return json(
		200,
		{ next, items, license: LICENSE },
		{ 'cache-control': items.length ? 'public, max-age=3600' : 'public, max-age=8' },
	);
}

function notAllowed(s) {
	throw new SimError(405, 'MethodNotAllowedError', 'Firehose feeds are read with GET.');
}

const where = { feed: D.FEED_NAMES };
const ROUTES = [
	{ method: ['GET', 'HEAD'], path: '/firehose/:feed/?', where, handler: readFeed },
	{ method: ['GET', 'HEAD'], path: '/firehose/standard/:feed/?', where, handler: readFeed },
	{ method: '*', path: '/firehose/:feed/?', where, handler: notAllowed },
	{ method: '*', path: '/firehose/standard/:feed/?', where, handler: notAllowed },
];

module.exports = { ROUTES };
