/**
 * imin Firehose Trigger (issue 12): deleted items by default from version 2 (version 1 keeps its
 * default), a random 60-120 minute pause after a 503 with no request before it, `modified` read
 * losslessly (strings of digits, compared as BigInt), and an update older than one already emitted
 * for the same id dropped. Against the imin simulator, and a local receiver serving hand-written
 * RPDE pages where the simulator's values cannot show the point (integers above 2^53).
 */
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import { IminApi } from '../../../../../credentials/IminApi.credentials';
import {
	IminFirehoseTrigger,
	MAX_REMEMBERED,
	olderThanRemembered,
	retryAfter503Ms,
} from '../../../../../nodes/Imin/IminFirehoseTrigger/IminFirehoseTrigger.node';
import { quoteItemModified } from '../../../../../nodes/Imin/helpers/rpde';
import type { RpdeItem } from '../../../../../nodes/Imin/helpers/rpde';
import { pollContext } from '../../../../helpers/n8n-context';
import { startIminSimulator } from '../../../../sim/imin';
import { startReceiver } from '../../../../sim/lib/receiver';

type Sim = Awaited<ReturnType<typeof startIminSimulator>>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const KEY = 'firehose-unit-key';
const MINUTE = 60_000;
let sim: Sim;
let rx: Receiver;

beforeAll(async () => {
	sim = await startIminSimulator({
		port: 0,
		seed: 11,
		apiKey: KEY,
		sessions: 60,
		series: 12,
		slots: 5,
		facilityUses: 3,
		pageSize: 25,
	});
	rx = await startReceiver();
});
afterAll(async () => {
	await sim.close();
	await rx.close();
});
beforeEach(async () => {
	rx.clear();
	await axios.delete(`${sim.url}/__sim/faults`);
});

interface PollOptions {
	version: number;
	parameters: IDataObject;
	staticData: IDataObject;
	mode?: 'trigger' | 'manual';
	firehoseBaseUrl?: string;
}

/** One poll as n8n runs it: a poll context with the node's version, its parameters and static data. */
async function poll({
	version,
	parameters,
	staticData,
	mode = 'trigger',
	firehoseBaseUrl,
}: PollOptions) {
	const context = pollContext({
		parameters,
		staticData,
		mode,
		nodeName: 'Sessions feed',
		nodeType: 'n8n-nodes-sesami-imin.iminFirehoseTrigger',
		typeVersion: version,
		credentials: {
			iminApi: {
				apiKey: KEY,
				firehoseBaseUrl: firehoseBaseUrl ?? sim.firehoseBaseUrl,
				checkoutBaseUrl: sim.checkoutBaseUrl,
				bookBaseUrl: sim.bookBaseUrl,
			},
		},
		credentialTypes: { iminApi: new IminApi() },
	});
	const output = await new IminFirehoseTrigger().poll.call(context);
	return {
		items: output ? output[0].map((item) => item.json) : null,
		requests: context.requests.length,
	};
}

/** Polls until the feed's end, collecting what was emitted. */
async function pollToEnd(options: PollOptions) {
	const all: IDataObject[] = [];
	for (let i = 0; i < 50; i++) {
		const { items } = await poll(options);
		if (items) all.push(...items);
		if ((options.staticData as { reachedEnd?: boolean }).reachedEnd) return all;
	}
	throw new Error('no RPDE end after 50 polls');
}

describe('deleted items: emitted by default from version 2, version 1 keeps its default', () => {
	const deletedInFeed = () =>
		(sim.feedItems('scheduled-sessions') ?? [])
			.filter((e) => e.state === 'deleted')
			.map((e) => String(e.id));

	it('version 2 without the option set emits the deleted items (no data), version 1 does not', async () => {
		expect(deletedInFeed().length).toBeGreaterThan(0);
		const v2 = await pollToEnd({
			version: 2,
			parameters: { feed: 'scheduled-sessions', maxPages: 3 },
			staticData: {},
		});
		const v1 = await pollToEnd({
			version: 1,
			parameters: { feed: 'scheduled-sessions', maxPages: 3 },
			staticData: {},
		});
		const deletedIds = (items: IDataObject[]) =>
			items.filter((i) => i.state === 'deleted').map((i) => String(i.id));
		expect(deletedIds(v2).sort()).toEqual(deletedInFeed().sort());
		for (const item of v2.filter((i) => i.state === 'deleted'))
			expect(item).not.toHaveProperty('data');
		expect(deletedIds(v1)).toEqual([]);
		expect(v1.length).toBe(v2.length - deletedInFeed().length);
		// version 1 with the option on, version 2 with it off
		const v1On = await pollToEnd({
			version: 1,
			parameters: { feed: 'scheduled-sessions', maxPages: 3, includeDeleted: true },
			staticData: {},
		});
		const v2Off = await pollToEnd({
			version: 2,
			parameters: { feed: 'scheduled-sessions', maxPages: 3, includeDeleted: false },
			staticData: {},
		});
		expect(deletedIds(v1On).sort()).toEqual(deletedInFeed().sort());
		expect(deletedIds(v2Off)).toEqual([]);
	});

	it('the description: one includeDeleted per version, default false for 1 and true from 2', () => {
		const { description } = new IminFirehoseTrigger();
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
		const options = description.properties.filter((p) => p.name === 'includeDeleted');
		expect(options.map((p) => [p.default, p.displayOptions?.show?.['@version']])).toEqual([
			[false, [1]],
			[true, [{ _cnd: { gte: 2 } }]],
		]);
	});

	it("modified: a string in version 2, a number in version 1 (the simulator's values are below 2^53)", async () => {
		const [v2] = (
			await poll({
				version: 2,
				parameters: { feed: 'session-series', maxPages: 1 },
				staticData: {},
			})
		).items!;
		const [v1] = (
			await poll({
				version: 1,
				parameters: { feed: 'session-series', maxPages: 1 },
				staticData: {},
			})
		).items!;
		const first = sim.feedItems('session-series')![0];
		expect(v2.modified).toBe(String(first.modified));
		expect(v1.modified).toBe(first.modified);
	});
});

describe('after a 503: a random 60-120 minutes without requests', () => {
	it('retryAfter503Ms spans 60 to 120 minutes', () => {
		expect(retryAfter503Ms(0)).toBe(60 * MINUTE);
		expect(retryAfter503Ms(0.5)).toBe(90 * MINUTE);
		expect(retryAfter503Ms(1)).toBe(120 * MINUTE);
	});

	it('a 503 stores the not-before time; polls before it return null and make no request; after it the walk goes on', async () => {
		const staticData: IDataObject = {};
		const parameters = { feed: 'scheduled-sessions', maxPages: 1 };
		await poll({ version: 2, parameters, staticData });
		const positionBefore = staticData.next;
		await axios.post(`${sim.url}/__sim/faults`, {
			mode: '503',
			count: 1,
			match: { pathPrefix: '/firehose/scheduled-sessions' },
		});
		const t0 = Date.now();
		const refused = await poll({ version: 2, parameters, staticData });
		expect(refused.items).toBeNull();
		expect(refused.requests).toBe(1);
		expect(staticData.next).toBe(positionBefore);
		const notBefore = Date.parse(String(staticData.notBefore));
		expect(notBefore).toBeGreaterThanOrEqual(t0 + 60 * MINUTE);
		expect(notBefore).toBeLessThanOrEqual(Date.now() + 120 * MINUTE);
		expect(String(staticData.lastError)).toMatch(/503/);

		const feedRequests = async () =>
			(
				(
					await axios.get(`${sim.url}/__sim/requests`, {
						params: { pathPrefix: '/firehose/scheduled-sessions' },
					})
				).data as unknown[]
			).length;
		const before = await feedRequests();
		expect(before).toBeGreaterThan(0);
		const quiet = await poll({ version: 2, parameters, staticData });
		expect(quiet).toEqual({ items: null, requests: 0 });
		expect(await feedRequests()).toBe(before);
		// a manual run says why instead of asking imin
		await expect(poll({ version: 2, parameters, staticData, mode: 'manual' })).rejects.toThrow(
			/503.*not before/,
		);

		// the time has come: the walk continues from where it stood
		staticData.notBefore = new Date(Date.now() - 1000).toISOString();
		const resumed = await poll({ version: 2, parameters, staticData });
		expect(resumed.requests).toBe(1);
		expect(resumed.items!.length).toBeGreaterThan(0);
		expect(staticData.notBefore).toBeUndefined();
		expect(staticData.next).not.toBe(positionBefore);
	});

	it('the random draw differs between 503s (not a fixed pause)', async () => {
		const draws = new Set<string>();
		for (let i = 0; i < 4; i++) {
			const staticData: IDataObject = {};
			await axios.post(`${sim.url}/__sim/faults`, {
				mode: '503',
				count: 1,
				match: { pathPrefix: '/firehose/slots' },
			});
			await poll({ version: 2, parameters: { feed: 'slots', maxPages: 1 }, staticData });
			draws.add(String(staticData.notBefore));
		}
		expect(draws.size).toBeGreaterThan(1);
	});
});

describe('modified kept losslessly; an older update of an item is dropped', () => {
	// 2^53 = 9007199254740992: as JavaScript numbers, ...992 and ...993 are the same value
	const BIG = (n: number) => `900719925474099${n}`;
	const pages: Record<string, string> = {
		'/feed': `{"next": "/feed?afterTimestamp=${BIG(5)}&afterId=b", "items": [
			{"state": "updated", "kind": "SessionSeries", "id": "a", "modified": ${BIG(3)}, "data": {"@type": "SessionSeries", "name": "A \\"modified\\": 1", "modified": 5}},
			{"state": "updated", "kind": "SessionSeries", "id": "b", "modified": ${BIG(5)}, "data": {"@type": "SessionSeries", "name": "B"}}]}`,
		[`/feed?afterTimestamp=${BIG(5)}&afterId=b`]: `{"next": "/feed?page=3", "items": [
			{"state": "updated", "kind": "SessionSeries", "id": "a", "modified": ${BIG(2)}, "data": {"@type": "SessionSeries", "name": "A, older"}},
			{"state": "deleted", "kind": "SessionSeries", "id": "b", "modified": ${BIG(6)}}]}`,
		'/feed?page=3': `{"next": "/feed?page=3", "items": []}`,
	};

	beforeEach(() => {
		rx.respond = (req) =>
			pages[req.path] ? { status: 200, body: pages[req.path] } : { status: 404, body: '{}' };
	});

	it('emits every digit of modified as a string, drops the older update of "a", keeps data untouched', async () => {
		const staticData: IDataObject = {};
		const items = await pollToEnd({
			version: 2,
			parameters: { feed: 'url', url: `${rx.url}/feed`, maxPages: 5 },
			staticData,
		});
		expect(items.map((i) => [i.id, i.state, i.modified])).toEqual([
			['a', 'updated', BIG(3)],
			['b', 'updated', BIG(5)],
			['b', 'deleted', BIG(6)],
		]);
		const a = items[0].data as IDataObject;
		expect(a.modified).toBe(5);
		expect(a.name).toBe('A "modified": 1');
		expect(staticData.modifiedById).toEqual({ a: BIG(3), b: BIG(6) });
		expect(String(staticData.lastError)).toMatch(/1 update\(s\) older/);
	});

	it('version 1: modified above 2^53 is a string too (a number would be wrong), and the older update is dropped', async () => {
		const items = await pollToEnd({
			version: 1,
			parameters: { feed: 'url', url: `${rx.url}/feed`, maxPages: 5 },
			staticData: {},
		});
		expect(items.map((i) => [i.id, i.modified])).toEqual([
			['a', BIG(3)],
			['b', BIG(5)],
		]);
	});

	it('a page read again later (the feed went back) does not overwrite newer versions', async () => {
		const staticData: IDataObject = {};
		await pollToEnd({
			version: 2,
			parameters: { feed: 'url', url: `${rx.url}/feed`, maxPages: 5 },
			staticData,
		});
		staticData.next = `${rx.url}/feed`;
		staticData.reachedEnd = false;
		const again = await pollToEnd({
			version: 2,
			parameters: { feed: 'url', url: `${rx.url}/feed`, maxPages: 5 },
			staticData,
		});
		// a@...993 equals what was emitted (kept: the same version); b@...995 is older than its delete
		expect(again.map((i) => [i.id, i.state, i.modified])).toEqual([
			['a', 'updated', BIG(3)],
			['b', 'deleted', BIG(6)],
		]);
	});
});

describe('helpers', () => {
	it("quoteItemModified touches only the items' own modified, not strings or nested data", () => {
		const text =
			'{"items":[{"id":"x","modified":12345678901234567890,"data":{"modified":7,"note":"\\"modified\\":9"}}],"next":"n","modified":3}';
		expect(JSON.parse(quoteItemModified(text))).toEqual({
			items: [
				{ id: 'x', modified: '12345678901234567890', data: { modified: 7, note: '"modified":9' } },
			],
			next: 'n',
			modified: 3,
		});
		expect(quoteItemModified('{"next":"n","items":[]}')).toBe('{"next":"n","items":[]}');
	});

	it('the remembered ids are bounded: the most recent MAX_REMEMBERED', () => {
		const remembered: Record<string, string> = {};
		const item = (id: number, modified: string): RpdeItem => ({
			state: 'updated',
			kind: 'ScheduledSession',
			id: `s${id}`,
			modified,
		});
		for (let i = 0; i < MAX_REMEMBERED + 50; i++)
			expect(olderThanRemembered(remembered, item(i, '100'))).toBe(false);
		expect(Object.keys(remembered)).toHaveLength(MAX_REMEMBERED);
		expect(remembered.s0).toBeUndefined();
		expect(remembered[`s${MAX_REMEMBERED + 49}`]).toBe('100');
		expect(olderThanRemembered(remembered, item(MAX_REMEMBERED + 49, '99'))).toBe(true);
		expect(olderThanRemembered(remembered, item(MAX_REMEMBERED + 49, '100'))).toBe(false);
		// not an integer: cannot be compared, so never dropped
		expect(olderThanRemembered(remembered, item(MAX_REMEMBERED + 49, '2026-01-01'))).toBe(false);
	});
});
