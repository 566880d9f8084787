'use strict';
/** Deterministic PRNG (xmur3 string hash + mulberry32), one independent stream per label; shared by the simulators. */

function xmur3(str) {
	let h = 1779033703 ^ str.length;
	for (let i = 0; i < str.length; i++) {
		h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
		h = (h << 13) | (h >>> 19);
	}
	return () => {
		h = Math.imul(h ^ (h >>> 16), 2246822507);
		h = Math.imul(h ^ (h >>> 13), 3266489909);
		return (h ^= h >>> 16) >>> 0;
	};
}

function mulberry32(a) {
	return () => {
		a |= 0;
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

class Rng {
	constructor(seed, label) {
		this.next = mulberry32(xmur3(`${seed}:${label}`)());
	}
	float() {
		return this.next();
	}
	/** integer in [min, max] */
	int(min, max) {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	chance(p) {
		return this.next() < p;
	}
	pick(arr) {
		return arr[Math.floor(this.next() * arr.length)];
	}
	shuffle(arr) {
		const a = arr.slice();
		for (let i = a.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[a[i], a[j]] = [a[j], a[i]];
		}
		return a;
	}
	hex(n) {
		let s = '';
		for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
		return s;
	}
	/** numeric string of `n` digits starting with `prefix` */
	digits(n, prefix = '') {
		let s = String(prefix);
		if (s === '') s = String(this.int(1, 9));
		while (s.length < n) s += String(this.int(0, 9));
		return s;
	}
	/**
	 * A Mongo ObjectId (24 hex): 4-byte timestamp + 8 random bytes. The timestamp comes from a fixed
	 * window (2023-2025) drawn from the stream, so ids never depend on the wall clock.
	 */
	objectId() {
		const ts = 1672531200 + this.int(0, 3 * 365 * 86400);
		return ts.toString(16).padStart(8, '0') + this.hex(16);
	}
	uuid() {
		const h = this.hex(32);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
	}
}

module.exports = { Rng };
