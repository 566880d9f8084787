'use strict';
/**
 * Static vocabulary for the imin simulator's generated OpenActive data: publishers (each with its
 * own identifier scheme, some of which need URI encoding), venues and activities.
 *
 * Identifiers are the PUBLISHER's identifiers
 * (https://docs.imin.co/incorporating-book-and-pay/imin-checkout-branding/firehose-and-checkout/loading-the-checkout-via-firehose: e.g.
 * `https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/1234567`). The schemes
 * below deliberately contain characters that `encodeURIComponent` must encode: `/` and `:`
 * (everywhere), `?` `&` `=` (riverside), a space and `#` (parkside), a raw `%` and an already
 * percent-encoded `%25` (northgate), non-ASCII letters and `+` (cafesports).
 */

/** the Firehose host the `@id`s are minted on (they need not resolve,
 * https://docs.imin.co/firehose/introduction-to-the-firehose/) */
const DEFAULT_ID_BASE = 'https://firehose.imin.co/firehose/';

const CONTEXT = ['https://openactive.io/', 'https://openactive.io/ns-beta', 'https://imin.co/'];

const FEEDS = {
	'session-series': { kind: 'SessionSeries' },
	'scheduled-sessions': { kind: 'ScheduledSession' },
	'facility-uses': { kind: 'FacilityUse' },
	slots: { kind: 'Slot' },
};
const FEED_NAMES = Object.keys(FEEDS);

const day = (iso) => iso.slice(0, 10);
const compact = (iso) => iso.replace(/\.\d{3}Z$/, 'Z');

const PUBLISHERS = [
	{
		key: 'fusion-lifestyle',
		name: 'Fusion Lifestyle',
		url: 'https://www.fusion-lifestyle.com/',
		weight: 40,
		seriesIdentifier: (n) =>
			`https://opendata.fusion-lifestyle.com/OpenActive/api/session-series/${n}`,
		sessionIdentifier: ({ n }) =>
			`https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/${n}`,
		facilityUseIdentifier: (n) =>
			`https://opendata.fusion-lifestyle.com/OpenActive/api/facility-uses/${n}`,
		slotIdentifier: ({ n }) => `https://opendata.fusion-lifestyle.com/OpenActive/api/slots/${n}`,
		venues: [
			{
				name: 'Queen Mother Sports Centre',
				street: '223 Vauxhall Bridge Road',
				locality: 'London',
				region: 'Greater London',
				postalCode: 'SW1V 1EL',
				lat: 51.4927,
				lng: -0.1412,
			},
			{
				name: 'Charlton Lido and Lifestyle Club',
				street: 'Hornfair Park, Shooters Hill Road',
				locality: 'London',
				region: 'Greater London',
				postalCode: 'SE18 4LX',
				lat: 51.4727,
				lng: 0.0418,
			},
			{
				name: 'Oxford Community Sports Centre',
				street: 'Roman Way',
				locality: 'Oxford',
				region: 'Oxfordshire',
				postalCode: 'OX4 6AS',
				lat: 51.7462,
				lng: -1.2155,
			},
		],
	},
	{
		key: 'acme-leisure',
		name: 'Acme Leisure Trust',
		url: 'https://www.acmeleisure.example/',
		weight: 20,
		seriesIdentifier: (n) => `https://openactive.acmeleisure.example/api/session-series/${n}`,
		sessionIdentifier: ({ seriesNo, start }) =>
			`https://openactive.acmeleisure.example/api/session-series/${seriesNo}/scheduled-sessions/${compact(start)}`,
		facilityUseIdentifier: (n) => `https://openactive.acmeleisure.example/api/facility-uses/${n}`,
		slotIdentifier: ({ parentNo, start }) =>
			`https://openactive.acmeleisure.example/api/facility-uses/${parentNo}/slots/${compact(start)}`,
		venues: [
			{
				name: 'Acme Riverside Leisure Centre',
				street: '1 Mill Lane',
				locality: 'Bristol',
				region: 'City of Bristol',
				postalCode: 'BS1 6AA',
				lat: 51.4497,
				lng: -2.5973,
			},
			{
				name: 'Acme Hilltop Pool',
				street: '42 Summit Road',
				locality: 'Bath',
				region: 'Somerset',
				postalCode: 'BA2 4QP',
				lat: 51.3751,
				lng: -2.3617,
			},
		],
	},
	{
		key: 'riverside-trust',
		name: 'Riverside Sports Trust',
		url: 'https://www.riverside-trust.example/',
		weight: 10,
		seriesIdentifier: (n) =>
			`https://booking.riverside-trust.example/OpenActive/SessionSeries?id=${n}`,
		sessionIdentifier: ({ n, start }) =>
			`https://booking.riverside-trust.example/OpenActive/ScheduledSessions?id=${n}&date=${day(start)}`,
		facilityUseIdentifier: (n) =>
			`https://booking.riverside-trust.example/OpenActive/FacilityUses?id=${n}`,
		slotIdentifier: ({ n, start }) =>
			`https://booking.riverside-trust.example/OpenActive/Slots?id=${n}&date=${day(start)}`,
		venues: [
			{
				name: 'Riverside Sports Hall',
				street: 'Wharf Street',
				locality: 'Leeds',
				region: 'West Yorkshire',
				postalCode: 'LS2 7EQ',
				lat: 53.7946,
				lng: -1.5376,
			},
		],
	},
	{
		key: 'parkside-clubs',
		name: 'Parkside Community Clubs',
		url: 'https://clubs.parkside.example/',
		weight: 10,
		seriesIdentifier: (n) => `https://clubs.parkside.example/open data/series/${n}`,
		sessionIdentifier: ({ n, start }) =>
			`https://clubs.parkside.example/open data/sessions/${n}#${day(start)}`,
		facilityUseIdentifier: (n) => `https://clubs.parkside.example/open data/facilities/${n}`,
		slotIdentifier: ({ n, start }) =>
			`https://clubs.parkside.example/open data/slots/${n}#${day(start)}`,
		venues: [
			{
				name: 'Parkside Pavilion',
				street: '5 Park Row',
				locality: 'Nottingham',
				region: 'Nottinghamshire',
				postalCode: 'NG1 6GR',
				lat: 52.9548,
				lng: -1.1581,
			},
		],
	},
	{
		key: 'northgate-sports',
		name: 'Northgate Sports',
		url: 'https://northgate-sports.example/',
		weight: 10,
		seriesIdentifier: (n) => `https://northgate-sports.example/oa/100%-active/session-series/${n}`,
		sessionIdentifier: ({ n }) =>
			`https://northgate-sports.example/oa/100%-active/scheduled-sessions/${n}?promo=50%25%20off`,
		facilityUseIdentifier: (n) =>
			`https://northgate-sports.example/oa/100%-active/facility-uses/${n}`,
		slotIdentifier: ({ n }) =>
			`https://northgate-sports.example/oa/100%-active/slots/${n}?promo=50%25%20off`,
		venues: [
			{
				name: 'Northgate Arena',
				street: '90 Northgate',
				locality: 'Chester',
				region: 'Cheshire',
				postalCode: 'CH1 2HT',
				lat: 53.1934,
				lng: -2.8931,
			},
		],
	},
	{
		key: 'cafesports',
		name: 'Café Sports Coopérative',
		url: 'https://www.cafesports.example/',
		weight: 10,
		seriesIdentifier: (n) => `https://opendata.cafesports.example/séries/${n}`,
		sessionIdentifier: ({ n, start }) =>
			`https://opendata.cafesports.example/séances/${n}+${day(start)}`,
		facilityUseIdentifier: (n) => `https://opendata.cafesports.example/équipements/${n}`,
		slotIdentifier: ({ n, start }) =>
			`https://opendata.cafesports.example/créneaux/${n}+${day(start)}`,
		venues: [
			{
				name: 'Café Sports Brighton',
				street: '12 Marine Parade',
				locality: 'Brighton',
				region: 'East Sussex',
				postalCode: 'BN2 1TL',
				lat: 50.8196,
				lng: -0.1313,
			},
		],
	},
];

for (const p of PUBLISHERS) p.sellerId = `${p.url}#/seller`;

// activity-list concept ids are generated (stable per label), not copied from the real list
const ADULT_ACTIVITIES = [
	'Yoga',
	'Zumba',
	'Aqua Aerobics',
	'Spin',
	'Pilates',
	'Boxfit',
	'Netball',
	'Walking Football',
	'Circuit Training',
	'Badminton',
	'Lane Swimming',
	'Tennis Coaching',
];
const JUNIOR_ACTIVITIES = [
	'Junior Gymnastics',
	'Toddler Splash',
	'Junior Swimming Lessons',
	'Mini Tennis',
	'Kids Multi-sports',
];
const FACILITY_TYPES = [
	{ label: 'Badminton Court', individual: 'Court' },
	{ label: 'Squash Court', individual: 'Court' },
	{ label: 'Tennis Court', individual: 'Court' },
	{ label: '5-a-side Pitch', individual: 'Pitch' },
	{ label: 'Table Tennis Table', individual: 'Table' },
	{ label: 'Sports Hall', individual: null },
	{ label: 'Gym', individual: null },
];
const LEVELS = ['Beginner', 'Intermediate', 'All levels', 'Advanced'];

/** stable pseudo-UUID for a label (so the same activity always has the same concept id) */
function conceptId(label) {
	let h1 = 0x811c9dc5;
	let h2 = 0x01000193;
	for (let i = 0; i < label.length; i++) {
		h1 = Math.imul(h1 ^ label.charCodeAt(i), 16777619) >>> 0;
		h2 = Math.imul(h2 + label.charCodeAt(i), 2246822519) >>> 0;
	}
	const hex = (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
	return `https://openactive.io/activity-list#${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function concept(label) {
	return {
		'@type': 'Concept',
		'@id': conceptId(label),
		prefLabel: label,
		inScheme: 'https://openactive.io/activity-list',
	};
}

function place(venue) {
	return {
		'@type': 'Place',
		name: venue.name,
		address: {
			'@type': 'PostalAddress',
			streetAddress: venue.street,
			addressLocality: venue.locality,
			addressRegion: venue.region,
			postalCode: venue.postalCode,
			addressCountry: 'GB',
		},
		geo: { '@type': 'GeoCoordinates', latitude: venue.lat, longitude: venue.lng },
	};
}

function organization(publisher) {
	return {
		'@type': 'Organization',
		'@id': publisher.sellerId,
		name: publisher.name,
		url: publisher.url,
	};
}

/** Recursively rename `@type` -> `type` and `@id` -> `id` (imin's data mixes both
 * spellings, https://docs.imin.co/using-the-platform/our-data/context-and-field-names). */
function plainKeys(value) {
	if (Array.isArray(value)) return value.map(plainKeys);
	if (!value || typeof value !== 'object') return value;
	const out = {};
	for (const [k, v] of Object.entries(value)) {
		const key = k === '@type' ? 'type' : k === '@id' ? 'id' : k;
		out[key] = plainKeys(v);
	}
	return out;
}

const GIVEN_NAMES = [
	'Amelia',
	'Oliver',
	'Isla',
	'George',
	'Ava',
	'Noah',
	'Priya',
	'Mohammed',
	'Chloe',
	'Kwame',
	'Siobhan',
	'Dafydd',
	'Zoë',
	'Łukasz',
];
const FAMILY_NAMES = [
	'Smith',
	'Jones',
	'Patel',
	'Williams',
	'Brown',
	'Taylor',
	'Khan',
	"O'Neill",
	'Nowak',
	'Evans',
	'Okafor',
	'Müller',
];

module.exports = {
	DEFAULT_ID_BASE,
	CONTEXT,
	FEEDS,
	FEED_NAMES,
	PUBLISHERS,
	ADULT_ACTIVITIES,
	JUNIOR_ACTIVITIES,
	FACILITY_TYPES,
	LEVELS,
	GIVEN_NAMES,
	FAMILY_NAMES,
	concept,
	place,
	organization,
	plainKeys,
};
