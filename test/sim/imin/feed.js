'use strict';
/**
 * RPDE feed storage (https://openactive.io/realtime-paged-data-exchange/): items ordered by (modified, id), read with the
 * `afterTimestamp` + `afterId` strategy:
 *   (modified = afterTimestamp AND id > afterId) OR modified > afterTimestamp  ORDER BY modified, id
 * Ids are compared as JavaScript strings (UTF-16 code units), exactly as the RPDE validator does.
 */

const cmpEntries = (a, b) => a.modified - b.modified || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** true when entry comes after the cursor (afterId undefined: only the timestamp counts) */
function isAfter(modified, id, afterTimestamp, afterId) {
	if (afterTimestamp === undefined) return true;
	if (modified !== afterTimestamp) return modified > afterTimestamp;
	return afterId !== undefined && id > afterId;
}

/** index of the first of `count` ordered keys that comes after the cursor (binary search) */
function firstAfter(count, keyAt, afterTimestamp, afterId) {
	let lo = 0;
	let hi = count;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		const k = keyAt(mid);
		if (isAfter(k.modified, k.id, afterTimestamp, afterId)) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

/** A stored feed: one entry per item id, the newest version only (older versions vanish, as RPDE requires). */
class Feed {
	constructor(name, kind) {
		this.name = name;
		this.kind = kind;
		/** @type {Map<string, {state: 'updated'|'deleted', kind: string, id: string, modified: number, data?: object}>} */
		this.entries = new Map();
		/** data `@id` (or `id`) -> item id, for updated items */
		this.byDataId = new Map();
		this.sorted = null;
		this.synthetic = false;
	}

	get(id) {
		return this.entries.get(id);
	}

	/** the entry whose data has this `@id` / `id` (updated items only) */
	getByDataId(dataId) {
		const id = this.byDataId.get(dataId);
		return id === undefined ? undefined : this.entries.get(id);
	}

	put(entry, idOf) {
		const old = this.entries.get(entry.id);
		if (old && old.data) this.byDataId.delete(idOf(old.data));
		this.entries.set(entry.id, entry);
		if (entry.data) this.byDataId.set(idOf(entry.data), entry.id);
		this.sorted = null;
	}

	/** @returns {import('./model').FeedEntry[]} */
	list() {
		if (!this.sorted) this.sorted = [...this.entries.values()].sort(cmpEntries);
		return this.sorted;
	}

	/** up to `limit` entries after the cursor */
	page(afterTimestamp, afterId, limit) {
		const list = this.list();
		const start = firstAfter(list.length, (i) => list[i], afterTimestamp, afterId);
		return list.slice(start, start + limit);
	}

	updated() {
		return this.list().filter((e) => e.state === 'updated');
	}

	get size() {
		return this.entries.size;
	}

	counts() {
		let updated = 0;
		let deleted = 0;
		for (const e of this.entries.values()) {
			if (e.state === 'updated') updated += 1;
			else deleted += 1;
		}
		return { items: updated + deleted, updated, deleted };
	}

	maxModified() {
		const list = this.list();
		return list.length ? list[list.length - 1].modified : 0;
	}
}

/**
 * A feed of `count` items computed from their index: nothing is stored, every page is generated
 * on request. `keyAt(i)` must be strictly increasing in (modified, id); `entryAt(i)` builds item i.
 */
class SyntheticFeed {
	constructor(name, kind, count, keyAt, entryAt) {
		this.name = name;
		this.kind = kind;
		this.count = count;
		this.keyAt = keyAt;
		this.entryAt = entryAt;
		this.synthetic = true;
	}

	page(afterTimestamp, afterId, limit) {
		const start = firstAfter(this.count, this.keyAt, afterTimestamp, afterId);
		const out = [];
		for (let i = start; i < Math.min(this.count, start + limit); i++) out.push(this.entryAt(i));
		return out;
	}

	get size() {
		return this.count;
	}

	counts() {
		let deleted = 0;
		// deletions are a pure function of the index (see the model); count without building items
		for (let i = 0; i < this.count; i++) if (this.keyAt(i).deleted) deleted += 1;
		return { items: this.count, updated: this.count - deleted, deleted, synthetic: true };
	}

	maxModified() {
		return this.count ? this.keyAt(this.count - 1).modified : 0;
	}
}

module.exports = { Feed, SyntheticFeed, cmpEntries, isAfter, firstAfter };
