'use strict';
/**
 * Deterministic seed data for the Sesami simulator, written from sesami-openapi.json and
 * Sesami's public docs (https://sesami.dev/docs/sesami-api/intro, https://sesami.dev/docs/sesami-flows/flows,
 * https://help.sesami.co/apps-integrations/shopify/customers).
 *
 * Every id comes from a PRNG stream keyed by (seed, label); nothing depends on the wall clock except
 * appointment/reservation *times*, which are placed relative to `now` (default: Date.now()).
 * The ids, keys and the choice of sample records in the fixtures therefore only depend on `seed`
 * and the appointment counts.
 */

const { Rng } = require('../lib/prng');
const T = require('./time');

const DEFAULT_SEED = 42;
const DEFAULT_APPOINTMENTS = 260;
const OTHER_SHOP_APPOINTMENTS = 40;

const FIRST_NAMES = [
	'Olivia',
	'Liam',
	'Amara',
	'Noah',
	'Chloé',
	'Mateo',
	'Priya',
	'Ethan',
	'Yuki',
	'Sofia',
	'Lucas',
	'Aisha',
	'Oliver',
	'Mei',
	'Jack',
	'Isabella',
	'Kenji',
	'Grace',
	'Omar',
	'Hannah',
	'Diego',
	'Freya',
	'Ravi',
	'Emily',
	'Tom',
	'Zara',
	'Hiro',
	'Lily',
	'Samuel',
	'Nadia',
];
const LAST_NAMES = [
	'Smith',
	'Okafor',
	'Patel',
	'García',
	'Tanaka',
	'Johnson',
	'Müller',
	'Nguyen',
	'Williams',
	'Brown',
	'Kowalski',
	'Rossi',
	'Sato',
	'Chen',
	'Murphy',
	"O'Brien",
	'Dubois',
	'Hernandez',
	'Khan',
	'Taylor',
	'Andersson',
	'Suzuki',
	'Silva',
	'Cohen',
	'Walker',
];
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** Static profile of the three seeded shops. */
const SHOP_PROFILES = [
	{
		name: 'Bloom & Brow Studio',
		handle: 'bloom-and-brow-studio',
		timezone: 'Europe/London',
		currency: 'GBP',
		money: '£{{amount}} GBP',
		locale: 'en',
		timeFormat: '24h',
		phonePrefix: '+447',
		phoneLength: 12,
		otherZones: ['Europe/Paris', 'Europe/Dublin', 'America/New_York'],
		plan: { name: 'premium', title: 'Premium', price: 99, maxFlows: 9 },
		locations: [
			{
				name: 'Soho Studio',
				address: '42 Greek Street',
				city: 'London',
				zipCode: 'W1D 4EH',
				state: 'England',
				country: 'United Kingdom',
				latitude: 51.5136,
				longitude: -0.1318,
			},
			{
				name: 'Shoreditch Studio',
				address: '7 Rivington Street',
				city: 'London',
				zipCode: 'EC2A 3DT',
				state: 'England',
				country: 'United Kingdom',
				latitude: 51.5262,
				longitude: -0.0794,
			},
		],
		resourceTypes: ['Stylist', 'Treatment Room'],
		primaryNames: ['Ava Thompson', 'Maya Collins', 'Leo Fraser', 'Ruby Hughes', 'Isla Bennett'],
		roomNames: ['Room 1', 'Room 2', 'The Garden Room'],
		services: [
			{ title: 'Signature Brow Shape', handle: 'signature-brow-shape', variants: [[30, 35]] },
			{
				title: 'Lash Lift & Tint',
				handle: 'lash-lift-and-tint',
				variants: [
					[60, 65],
					[75, 80],
				],
			},
			{
				title: 'Hydrating Facial',
				handle: 'hydrating-facial',
				variants: [
					[45, 55],
					[60, 70],
					[90, 95],
				],
			},
			{ title: 'Bridal Trial', handle: 'bridal-trial', variants: [[90, 120]] },
			{ title: 'Brow Lamination', handle: 'brow-lamination', variants: [[45, 48]] },
			{ title: 'Express Tint', handle: 'express-tint', variants: [[15, 15]] },
		],
		question: {
			name: 'Anything we should know?',
			answers: [
				'Sensitive skin',
				'First visit',
				'No',
				'Allergic to latex',
				'Running 5 min late maybe',
			],
		},
	},
	{
		name: 'Hudson Bike Works',
		handle: 'hudson-bike-works',
		timezone: 'America/New_York',
		currency: 'USD',
		money: '${{amount}} USD',
		locale: 'en',
		timeFormat: '12h',
		phonePrefix: '+1212555',
		phoneLength: 11,
		otherZones: ['America/Chicago', 'America/Los_Angeles', 'Europe/London'],
		plan: { name: 'pro', title: 'Pro', price: 49, maxFlows: 6 },
		locations: [
			{
				name: 'Chelsea Workshop',
				address: '210 W 21st Street',
				city: 'New York',
				zipCode: '10011',
				state: 'NY',
				country: 'United States',
				latitude: 40.7433,
				longitude: -73.9973,
			},
			{
				name: 'Brooklyn Workshop',
				address: '88 Wythe Avenue',
				city: 'Brooklyn',
				zipCode: '11249',
				state: 'NY',
				country: 'United States',
				latitude: 40.7214,
				longitude: -73.9577,
			},
		],
		resourceTypes: ['Mechanic', 'Repair Bay'],
		primaryNames: ['Marcus Reed', 'Elena Park', 'Dev Shah', 'Carla Ruiz', 'Sam Whitaker'],
		roomNames: ['Bay A', 'Bay B', 'Bay C'],
		services: [
			{ title: 'Basic Tune-Up', handle: 'basic-tune-up', variants: [[60, 89]] },
			{ title: 'Full Overhaul', handle: 'full-overhaul', variants: [[180, 349]] },
			{
				title: 'Pro Bike Fitting',
				handle: 'pro-bike-fitting',
				variants: [
					[90, 199],
					[120, 249],
				],
			},
			{ title: 'Wheel Truing', handle: 'wheel-truing', variants: [[30, 39]] },
			{ title: 'Flat Fix Express', handle: 'flat-fix-express', variants: [[15, 19]] },
			{ title: 'E-Bike Diagnostic', handle: 'e-bike-diagnostic', variants: [[45, 79]] },
		],
		question: {
			name: 'Bike make and model',
			answers: [
				'Trek Domane SL5',
				'Specialized Allez',
				'Brompton C Line',
				'Cannondale Topstone',
				'Rad Power RadCity',
			],
		},
	},
	{
		name: 'Sakura Wellness Spa',
		handle: 'sakura-wellness-spa',
		timezone: 'Asia/Tokyo',
		currency: 'JPY',
		money: '¥{{amount}} JPY',
		locale: 'ja',
		timeFormat: '24h',
		phonePrefix: '+8190',
		phoneLength: 12,
		otherZones: ['Asia/Seoul', 'Australia/Sydney', 'America/Los_Angeles'],
		plan: { name: 'small', title: 'Small', price: 19, maxFlows: 1 },
		locations: [
			{
				name: 'Shibuya',
				address: '2-21-1 Shibuya',
				city: 'Shibuya-ku',
				zipCode: '150-0002',
				state: 'Tokyo',
				country: 'Japan',
				latitude: 35.6591,
				longitude: 139.7037,
			},
			{
				name: 'Ginza',
				address: '4-6-16 Ginza',
				city: 'Chuo-ku',
				zipCode: '104-0061',
				state: 'Tokyo',
				country: 'Japan',
				latitude: 35.6717,
				longitude: 139.765,
			},
		],
		resourceTypes: ['Therapist', 'Treatment Room'],
		primaryNames: [
			'Aiko Yamamoto',
			'Haruto Kobayashi',
			'Sakura Ito',
			'Ren Watanabe',
			'Mio Nakamura',
		],
		roomNames: ['Sakura Room', 'Bamboo Room', 'Onsen Suite'],
		services: [
			{
				title: 'Shiatsu Massage',
				handle: 'shiatsu-massage',
				variants: [
					[60, 9800],
					[90, 13800],
				],
			},
			{ title: 'Hot Stone Therapy', handle: 'hot-stone-therapy', variants: [[75, 12500]] },
			{ title: 'Signature Facial', handle: 'signature-facial', variants: [[60, 11000]] },
			{ title: 'Aromatherapy Ritual', handle: 'aromatherapy-ritual', variants: [[90, 15400]] },
			{ title: 'Onsen Day Pass', handle: 'onsen-day-pass', variants: [[120, 4500]] },
			{ title: 'Foot Reflexology', handle: 'foot-reflexology', variants: [[30, 4800]] },
		],
		question: { name: 'Pressure preference', answers: ['Soft', 'Medium', 'Firm', 'No preference'] },
	},
];

/**
 * Customer self-service policy per service index
 * (https://help.sesami.co/booking/booking-features/cancellations-rescheduling). Index 1 always has the 48 h
 * notice window, index 2 always forbids rescheduling, index 3 forbids cancelling.
 */
const SERVICE_POLICIES = [
	{
		customerCanCancel: true,
		customerCanReschedule: true,
		refundMoneyOnCancel: true,
		customerCanManageBefore: 24,
		flexStartInterval: 'THIRTY',
	},
	{
		customerCanCancel: true,
		customerCanReschedule: true,
		refundMoneyOnCancel: false,
		customerCanManageBefore: 48,
		flexStartInterval: 'SIXTY',
	},
	{
		customerCanCancel: true,
		customerCanReschedule: false,
		refundMoneyOnCancel: true,
		customerCanManageBefore: 12,
		flexStartInterval: 'THIRTY',
	},
	{
		customerCanCancel: false,
		customerCanReschedule: true,
		refundMoneyOnCancel: false,
		customerCanManageBefore: 2,
		flexStartInterval: 'FIFTEEN',
	},
	{
		customerCanCancel: true,
		customerCanReschedule: true,
		refundMoneyOnCancel: true,
		customerCanManageBefore: 24,
		flexStartInterval: 'THIRTY',
	},
	{
		customerCanCancel: false,
		customerCanReschedule: false,
		refundMoneyOnCancel: false,
		customerCanManageBefore: 0,
		flexStartInterval: 'FORTY_FIVE',
	},
];

const FLEX_MINUTES = { FIFTEEN: 15, THIRTY: 30, FORTY_FIVE: 45, SIXTY: 60 };

const ALL_FEATURES = [
	'CALENDAR_SYNC',
	'REMOVE_BRANDING',
	'SERVICE_HOURS',
	'APPOINTMENT_MANAGEMENT',
	'GROUP_APPOINTMENTS',
	'APPOINTMENT_REPORT',
	'RESERVATION',
	'STOREFRONT_SDK',
	'FLOWS',
	'INSTANT_BOOKING',
	'STOREFRONT_CALENDAR_V2',
	'ADMIN_CHAT',
	'PORTAL_ONBOARDING',
	'SENDER_EMAIL_DOMAIN_VERIFICATION',
	'EXPERIENCE_SELECTOR',
	'APPS',
	'PERSONAL_ACCESS_TOKEN',
	'MULTI_RESOURCE',
	'PERMISSIONS',
	'CUSTOMER_MANAGEMENT',
];

function ascii(s) {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]/g, '')
		.toLowerCase();
}

/** E.164 phone number for the shop's country (`phoneLength` counts the digits after '+'). */
function phone(rng, profile) {
	const digits = profile.phonePrefix.length - 1;
	return profile.phonePrefix + rng.digits(profile.phoneLength - digits, String(rng.int(1, 9)));
}

function image(rng, kind) {
	return { id: rng.objectId(), path: `https://cdn.sesami.co/uploads/${kind}/${rng.hex(16)}.jpg` };
}

function wdayRule(rng, weekday, from, to) {
	return {
		id: rng.objectId(),
		type: 'wday',
		weekday,
		intervals: [{ id: rng.objectId(), from, to }],
	};
}

/** Credentials per shop: a read/write PAT pair and a read-only pair
 * (https://sesami.dev/docs/sesami-api/personal-access-token). */
function makeCredentials(seed, i) {
	const rng = new Rng(seed, `keys:${i}`);
	return {
		apiKey: `sesami_pat_${rng.hex(40)}`,
		clientId: rng.uuid(),
		readOnlyApiKey: `sesami_pat_${rng.hex(40)}`,
		readOnlyClientId: rng.uuid(),
	};
}

function buildShop(seed, i, profile, nowMs) {
	const rng = new Rng(seed, `shop:${i}`);
	const id = rng.objectId();
	const domain = `${profile.handle}.myshopify.com`;
	const createdAt = new Date(Date.UTC(2023, 2 + i * 3, 1 + i * 5, 10, 12, 31)).toISOString();
	const shop = {
		id,
		createdAt,
		updatedAt: new Date(Date.UTC(2025, 5, 14 + i, 8, 0, 0)).toISOString(),
		externalId: rng.digits(11, '6'),
		url: `https://${domain}`,
		domain,
		name: profile.name,
		email: `owner@${profile.handle}.example.com`,
		currency: profile.currency,
		customerEmail: `hello@${profile.handle}.example.com`,
		moneyWithCurrencyFormat: profile.money,
		settings: {
			status: true,
			timezone: profile.timezone,
			storefrontButtonLabel: profile.locale === 'ja' ? '予約する' : 'Book now',
			storefrontDateFormat: profile.locale === 'ja' ? 'YYYY/MM/DD' : 'dddd, MMMM D',
			emailCalendarEventToCustomer: true,
			emailCalendarEventToMerchant: i !== 1,
			verifyCart: true,
			removeBranding: i === 0,
			hideTimezoneFromStorefront: i === 2,
			locale: profile.locale,
			timeFormat: profile.timeFormat,
			reservationPeriod: 15,
			usesSDK: false,
			lineItemPropertiesToCapture: ['Date', 'Time', 'Timezone', profile.question.name],
			instantBooking: { requiredFields: ['firstName', 'lastName', 'email', 'phone'] },
			calendarExperience: i === 1 ? 'CLASSIC' : 'V2',
		},
		isBanned: false,
		image: image(rng, 'shops'),
		isMigrated: true,
		maxGroupAppointmentsSlots: 20,
		maxTeamMembers: 25,
		maxFlows: profile.plan.maxFlows,
		maxServices: 50,
		maxLocations: 5,
		maxResources: 50,
		maxUsers: 10,
		status: true,
	};
	const features = ALL_FEATURES.filter(
		(f) =>
			!(
				profile.plan.name === 'small' &&
				['REMOVE_BRANDING', 'APPOINTMENT_REPORT', 'GROUP_APPOINTMENTS'].includes(f)
			) &&
			f !== 'ADMIN_CHAT' &&
			f !== 'PORTAL_ONBOARDING',
	);
	const config = {
		shopId: id,
		features,
		plan: {
			id: rng.objectId(),
			description: `${profile.plan.title} plan`,
			maxServices: 50,
			maxTeamMembers: 25,
			name: profile.plan.name,
			price: profile.plan.price,
			title: profile.plan.title,
			maxGroupAppointmentsSlots: 20,
			maxUsers: 10,
			maxFlows: profile.plan.maxFlows,
			listed: true,
			planId: 100 + i,
			maxLocations: 5,
			maxResources: 50,
			maxTokens: 5,
		},
		canSetPermissions: true,
		locale: profile.locale,
		maxApp: 5,
		isMigratedToMRML: true,
	};
	return { shop, config };
}

function buildLocations(seed, i, profile, shop) {
	const rng = new Rng(seed, `locations:${i}`);
	return profile.locations.map((l, k) => ({
		id: rng.objectId(),
		name: l.name,
		email: `${ascii(l.name)}@${profile.handle}.example.com`,
		phone: phone(rng, profile),
		description: `${profile.name} – ${l.name}`,
		image: image(rng, 'locations'),
		businessAddress: {
			country: l.country,
			address: l.address,
			address2: k === 0 ? '' : 'Ground floor',
			zipCode: l.zipCode,
			city: l.city,
			state: l.state,
			suite: '',
			latitude: l.latitude,
			longitude: l.longitude,
		},
		timezone: profile.timezone,
		status: true,
		shopId: shop.id,
		isDefault: k === 0,
	}));
}

function buildResourceTypes(seed, i, profile, shop) {
	const rng = new Rng(seed, `resourceTypes:${i}`);
	return profile.resourceTypes.map((name) => ({ id: rng.objectId(), name, shopId: shop.id }));
}

function buildResources(seed, i, profile, shop, types, locations) {
	const rng = new Rng(seed, `resources:${i}`);
	const nPrimary = rng.int(3, 5);
	const nRooms = rng.int(2, 3);
	const out = [];
	const mk = (name, type, k, isRoom) => {
		const works = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
		const availabilities = works.map((d) => wdayRule(rng, d, '09:00', '17:00'));
		if (isRoom || k % 2 === 0) availabilities.push(wdayRule(rng, 'saturday', '10:00', '16:00'));
		const first = name.split(' ')[0];
		return {
			id: rng.objectId(),
			name,
			type: type.id,
			email: isRoom ? '' : `${ascii(first)}@${profile.handle}.example.com`,
			status: true,
			image: image(rng, 'resources'),
			shopId: shop.id,
			description: isRoom
				? `${name} at ${locations[k % 2].name}`
				: `${type.name} at ${locations[k % 2].name}`,
			eventDescription: isRoom ? '' : `Your ${type.name.toLowerCase()} will be ${first}.`,
			mobile: isRoom ? '' : phone(rng, profile),
			notificationEmailStatus: !isRoom,
			timezone: profile.timezone,
			availabilities,
			availabilitiesRange: {
				availableFrom: { type: 'NOW', value: null },
				availableTo: { type: 'INDEFINITELY', value: null },
			},
			metaFields: {},
			// internal (not rendered): where the resource works
			_locationIds: [locations[k % 2].id],
		};
	};
	for (let k = 0; k < nPrimary; k++) out.push(mk(profile.primaryNames[k], types[0], k, false));
	for (let k = 0; k < nRooms; k++) out.push(mk(profile.roomNames[k], types[1], k, true));
	return out;
}

function buildServices(seed, i, profile, shop, types, resources, locations) {
	const rng = new Rng(seed, `services:${i}`);
	const n = rng.int(4, 6);
	const services = [];
	for (let k = 0; k < n; k++) {
		const p = profile.services[k];
		const policy = SERVICE_POLICIES[k];
		const isGroup = k === 4;
		const isInstant = k === n - 1;
		const locationIds = k % 3 === 2 ? [locations[0].id] : locations.map((l) => l.id);
		const availabilities = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) =>
			wdayRule(rng, d, '09:00', '17:00'),
		);
		if (k % 2 === 0) availabilities.push(wdayRule(rng, 'saturday', '10:00', '14:00'));
		const variants = p.variants.map(([minutes, price]) => {
			const label = `${minutes} minutes`;
			return {
				id: rng.objectId(),
				externalId: rng.digits(14, '4'),
				title: label,
				price,
				options: [{ id: rng.objectId(), name: 'Duration', value: label }],
			};
		});
		const serviceLocations = locationIds.map((locId) => {
			const primary = resources.filter(
				(r) => r.type === types[0].id && r._locationIds.includes(locId),
			);
			const rooms = resources.filter(
				(r) => r.type === types[1].id && r._locationIds.includes(locId),
			);
			const rs = [
				{
					typeId: types[0].id,
					isSelectable: true,
					isTimeBlocker: true,
					ids: primary.map((r) => r.id),
					hideAnyAvailable: false,
				},
			];
			if (k % 2 === 1 && rooms.length) {
				rs.push({
					typeId: types[1].id,
					isSelectable: false,
					isTimeBlocker: false,
					ids: rooms.map((r) => r.id),
					hideAnyAvailable: true,
				});
			}
			return { locationId: locId, resources: rs };
		});
		const externalId = rng.digits(13, '8');
		services.push({
			teamMembers: [],
			id: rng.objectId(),
			externalId,
			title: p.title,
			description: `<p>${p.title} at ${profile.name}.</p>`,
			image: image(rng, 'services'),
			onlineStoreUrl: `https://${shop.domain}/products/${p.handle}`,
			onlineStorePreviewUrl: `https://${shop.domain}/products/${p.handle}?preview_key=${rng.hex(32)}`,
			urlKey: p.handle,
			teamMemberAssignStrategy: k % 2 === 0 ? 'ROUND_ROBIN' : 'MOST_AVAILABLE',
			eventDescription: `${p.title} with {{ResourceName}}`,
			instantBooking: isInstant,
			availabilitiesSavedAt: new Date(Date.UTC(2025, 3, 2 + k, 9, 30)).toISOString(),
			displayTeamOnStorefront: k !== 3,
			disableSameDayBooking: k === 1,
			roundStartInterval: 0,
			bufferFromNow: k === 1 ? 120 : 30,
			advancedOptions: k === 1 || k === 3,
			storefrontStartDate: '',
			bookingUntilDays: 90,
			bufferTimeBefore: k === 2 ? 10 : 0,
			bufferTimeAfter: k % 2 === 1 ? 15 : 0,
			status: true,
			customerCanCancel: policy.customerCanCancel,
			customerCanReschedule: policy.customerCanReschedule,
			refundMoneyOnCancel: policy.refundMoneyOnCancel,
			customerCanManageBefore: policy.customerCanManageBefore,
			groupAppointments: isGroup,
			groupAppointmentSlots: isGroup ? 4 : 1,
			variants,
			availabilities,
			location: {
				id: locationIds[0],
				content: locations.find((l) => l.id === locationIds[0]).businessAddress.address,
			},
			flexStartInterval: policy.flexStartInterval,
			createOrder: !isInstant,
			locationIds,
			locations: serviceLocations,
			shopId: shop.id,
		});
	}
	return services;
}

function buildCustomers(seed, i, profile, shop, count) {
	const rng = new Rng(seed, `customers:${i}`);
	const combos = [];
	for (const f of FIRST_NAMES) for (const l of LAST_NAMES) combos.push([f, l]);
	const chosen = rng.shuffle(combos).slice(0, count);
	return chosen.map(([firstName, lastName], k) => {
		const email = `${ascii(firstName)}.${ascii(lastName)}${k % 7 === 3 ? rng.int(1, 99) : ''}@${rng.pick(EMAIL_DOMAINS)}`;
		const tel = phone(rng, profile);
		return {
			id: rng.objectId(),
			externalId: rng.digits(13, '7'),
			firstName,
			lastName,
			name: `${firstName} ${lastName}`,
			email,
			phone: tel,
			billingPhone: k % 3 === 0 ? tel : '',
			image: {},
			externalSource: 'SHOPIFY',
			description: '',
			shopId: shop.id,
			_timezone: rng.chance(0.15) ? rng.pick(profile.otherZones) : profile.timezone,
		};
	});
}

function durationOf(variant) {
	return parseInt(variant.options.find((o) => o.name === 'Duration').value, 10);
}

/** intervals (minutes after midnight) of the rules for one weekday */
function dayIntervals(rules, weekday, date) {
	const out = [];
	for (const r of rules || []) {
		if ((r.type === 'wday' && r.weekday === weekday) || (r.type === 'date' && r.date === date)) {
			for (const iv of r.intervals || []) {
				if (!iv.unavailable) out.push([T.hmToMinutes(iv.from), T.hmToMinutes(iv.to)]);
			}
		}
	}
	return out;
}

function intersect(a, b) {
	const out = [];
	for (const [s1, e1] of a)
		for (const [s2, e2] of b) {
			const s = Math.max(s1, s2);
			const e = Math.min(e1, e2);
			if (e > s) out.push([s, e]);
		}
	return out;
}

/**
 * Appointments of one shop. Every appointment draws all its random choices from its own stream
 * (`appointment:<shop>:<n>`) in a fixed order, so ids, customers, services and statuses depend on
 * the seed only; the wall clock only moves the dates (a drawn day that the service or resource does
 * not work is shifted forward to the next working day).
 */
function buildAppointments(
	seed,
	i,
	profile,
	shop,
	services,
	resources,
	customers,
	count,
	nowMs,
	extraCustomers,
) {
	const tz = profile.timezone;
	const today = T.dateInTz(nowMs, tz);
	const busy = new Map(); // resourceId -> [[fromMs, toMs]]
	const out = [];
	const instantService = services.find((s) => s.instantBooking) || services[services.length - 1];
	for (let n = 0; n < count; n++) {
		const rng = new Rng(seed, `appointment:${i}:${n}`);
		const instant = n % 33 === 7;
		// ---- all decisions first, in a fixed order
		const id = rng.objectId();
		const service = instant ? instantService : services[rng.int(0, services.length - 1)];
		const variant = service.variants[rng.int(0, service.variants.length - 1)];
		const loc = service.locations[rng.int(0, service.locations.length - 1)];
		const primaryIds = loc.resources[0].ids;
		const resPick = rng.float();
		const dayOffset = rng.int(-30, 60);
		const timePick = rng.float();
		const customerPick = rng.int(0, customers.length - 1);
		const createdDaysBefore = rng.int(1, 21);
		const createdMinutesBefore = rng.int(0, 600);
		const createdFallbackHours = rng.int(2, 72);
		const initiatorRoll = rng.float();
		const statusRoll = rng.float();
		const pastRoll = rng.float();
		const changePick = rng.float();
		const changeByRoll = rng.float();
		const rescheduledFromDays = rng.int(1, 5);
		const checkinMinutes = rng.int(1, 10);
		const quantityPick = rng.int(1, 2);
		const gatewayRoll = rng.float();
		const answer = rng.pick(profile.question.answers);
		const token = rng.hex(32);
		const lineItemId = rng.digits(14, '1');
		const slotId = rng.objectId();
		const instantBookingId = rng.objectId();
		const sessionId = rng.uuid();
		const propIds = [rng.objectId(), rng.objectId(), rng.objectId(), rng.objectId()];
		const eventIds = [
			rng.objectId(),
			rng.objectId(),
			rng.objectId(),
			rng.objectId(),
			rng.objectId(),
		];
		const instantNames = [
			rng.pick(FIRST_NAMES),
			rng.pick(LAST_NAMES),
			rng.int(100, 999),
			rng.objectId(),
			phone(rng, profile),
		];
		if (!primaryIds.length) continue;
		const resId = primaryIds[Math.floor(resPick * primaryIds.length)];
		const resource = resources.find((r) => r.id === resId);
		const minutes = durationOf(variant);
		const step = FLEX_MINUTES[service.flexStartInterval] || 30;

		// ---- placement: first free start on the drawn day, else the following days
		let placed;
		for (let shift = 0; shift < 21 && !placed; shift++) {
			const date = T.addDaysToDate(today, dayOffset + shift);
			const wd = T.weekdayOfDate(date);
			const ivs = intersect(
				dayIntervals(service.availabilities, wd, date),
				dayIntervals(resource.availabilities, wd, date),
			);
			const choices = [];
			for (const [s, e] of ivs) for (let m = s; m + minutes <= e; m += step) choices.push(m);
			if (!choices.length) continue;
			const first = Math.floor(timePick * choices.length);
			const [y, mo, d] = date.split('-').map(Number);
			const list = busy.get(resId) || [];
			for (let k = 0; k < choices.length && !placed; k++) {
				const startMin = choices[(first + k) % choices.length];
				const startMs = T.wallToUtc(y, mo, d, Math.floor(startMin / 60), startMin % 60, tz);
				const from = startMs - service.bufferTimeBefore * T.MINUTE;
				const to = startMs + (minutes + service.bufferTimeAfter) * T.MINUTE;
				if (list.some(([a, b]) => from < b && to > a)) continue;
				list.push([from, to]);
				busy.set(resId, list);
				placed = { startMs, from, to };
			}
		}
		if (!placed) continue;
		const { startMs, from, to } = placed;

		let customer;
		if (instant) {
			const [f, l, num, cid, tel] = instantNames;
			customer = {
				id: cid,
				externalId: '',
				firstName: f,
				lastName: l,
				name: `${f} ${l}`,
				email: `${ascii(f)}.${ascii(l)}.${num}@example.com`,
				phone: tel,
				billingPhone: '',
				image: {},
				externalSource: 'SESAMI',
				description: 'Instant booking',
				shopId: shop.id,
				_timezone: profile.timezone,
			};
			extraCustomers.push(customer);
		} else {
			customer = customers[customerPick];
		}
		const quantity = service.groupAppointments ? quantityPick : 1;
		// booked 1-21 days before the appointment, never in the future
		let createdMs = startMs - createdDaysBefore * T.DAY - createdMinutesBefore * T.MINUTE;
		if (createdMs > nowMs - T.HOUR) createdMs = nowMs - createdFallbackHours * T.HOUR;
		const initiator = instant || initiatorRoll < 0.85 ? 'CUSTOMER' : 'MERCHANT';
		let e = 0;
		const ev = (type, atMs, by, content = '') => ({
			id: eventIds[e++],
			type,
			content,
			initiatedBy: by,
			dateTime: new Date(atMs).toISOString(),
		});
		const events = [
			ev(
				'CREATED',
				createdMs,
				initiator,
				instant ? 'Instant booking' : 'Booked through Shopify checkout',
			),
			ev('CONFIRMATIONEMAILSENT', createdMs + 40 * 1000, 'SYSTEM'),
		];
		let status = 'BOOKED';
		const past = startMs < nowMs;
		const lastChangeMax = Math.min(nowMs - 5 * T.MINUTE, startMs - T.HOUR);
		const canChange = lastChangeMax > createdMs + T.MINUTE;
		const changeAt =
			createdMs +
			T.MINUTE +
			Math.floor(changePick * Math.max(0, lastChangeMax - createdMs - T.MINUTE));
		const by = changeByRoll < 0.6 ? 'CUSTOMER' : 'MERCHANT';
		if (statusRoll < 0.12 && canChange) {
			events.push(
				ev(
					'CANCELLED',
					changeAt,
					by,
					by === 'CUSTOMER' ? 'Cancelled by customer' : 'Cancelled by staff, refunded',
				),
			);
			status = 'CANCELLED';
		} else {
			if (statusRoll < 0.24 && canChange) {
				const oldStart = startMs - rescheduledFromDays * T.DAY;
				events.push(
					ev(
						'RESCHEDULED',
						changeAt,
						by,
						`Rescheduled from ${T.formatInTz(oldStart, tz)} to ${T.formatInTz(startMs, tz)}`,
					),
				);
				status = 'RESCHEDULED';
			}
			if (past && pastRoll < 0.65) {
				events.push(ev('CUSTOMER_CHECKIN', startMs - checkinMinutes * T.MINUTE, 'MERCHANT'));
				status = 'CHECKED_IN';
			} else if (past && pastRoll < 0.72) {
				events.push(ev('NO_SHOW', startMs + 20 * T.MINUTE, 'MERCHANT'));
				status = 'NO_SHOW';
			}
		}
		events.sort((a, b) => Date.parse(a.dateTime) - Date.parse(b.dateTime));
		const customerTz = customer._timezone;
		out.push({
			id,
			shopId: shop.id,
			orderId: '',
			orderName: '',
			lineItemId: instant ? '' : lineItemId,
			customer: publicCustomer(customer),
			customerTimezone: customerTz,
			customerManagementLink: `https://app.sesami.co/manage/${id}?token=${token}`,
			price: Math.round(variant.price * quantity * 100) / 100,
			datetime: new Date(startMs).toISOString(),
			rangeStart: new Date(from).toISOString(),
			rangeEnd: new Date(to).toISOString(),
			variantTitle: variant.title,
			externalVariantId: variant.externalId,
			duration: minutes,
			currency: shop.currency,
			status,
			gateway: instant ? '' : gatewayRoll < 0.9 ? 'shopify_payments' : 'gift_card',
			bufferTimeBefore: service.bufferTimeBefore,
			bufferTimeAfter: service.bufferTimeAfter,
			service: service.id,
			teamMember: resId,
			slotId,
			instantBookingId: instant ? instantBookingId : '',
			quantity,
			locale: profile.locale,
			lineItemProperties: [
				{ id: propIds[0], name: 'Date', value: T.dateInTz(startMs, customerTz) },
				{ id: propIds[1], name: 'Time', value: T.timeInTz(startMs, customerTz) },
				{ id: propIds[2], name: 'Timezone', value: customerTz },
				{ id: propIds[3], name: profile.question.name, value: answer },
			],
			events,
			createdAt: new Date(createdMs).toISOString(),
			updatedAt: events[events.length - 1].dateTime,
			sessionId,
			resources: [resId],
			locationId: loc.locationId,
			// internal: the drawn day offset (stable per seed) and the booking channel
			_dayOffset: dayOffset,
			_instant: instant,
		});
	}
	// Shopify order numbers follow checkout order (createdAt); order ids are drawn per appointment
	const ordered = out
		.filter((a) => !a._instant)
		.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));
	ordered.forEach((a, k) => {
		a.orderId = new Rng(seed, `order:${a.id}`).digits(13, '5');
		a.orderName = `#${1001 + k}`;
	});
	return out;
}

function publicCustomer(c) {
	return {
		id: c.id,
		externalId: c.externalId,
		firstName: c.firstName,
		lastName: c.lastName,
		name: c.name,
		email: c.email,
		phone: c.phone,
		billingPhone: c.billingPhone,
		image: { ...c.image },
		externalSource: c.externalSource,
		description: c.description,
	};
}

function buildReservations(seed, i, profile, shop, services, customers, nowMs) {
	const rng = new Rng(seed, `reservations:${i}`);
	const out = [];
	const n = 4;
	for (let k = 0; k < n; k++) {
		const service = services[k % services.length];
		const variant = service.variants[0];
		const minutes = durationOf(variant);
		const loc = service.locations[0];
		const resId = loc.resources[0].ids[0];
		const date = T.addDaysToDate(T.dateInTz(nowMs, profile.timezone), 3 + k * 2);
		const [y, mo, d] = date.split('-').map(Number);
		const startMs = T.wallToUtc(y, mo, d, 11 + (k % 3), 0, profile.timezone);
		// holds are short-lived (settings.reservationPeriod = 15 min); seeded ones were made days ago
		const createdMs = nowMs - (k + 1) * 26 * T.HOUR;
		const customer = customers[(k * 7) % customers.length];
		out.push({
			id: rng.objectId(),
			shopId: shop.id,
			customer: k === 3 ? { image: {} } : publicCustomer(customer),
			customerTimezone: k === 3 ? profile.timezone : customer._timezone,
			price: variant.price,
			dateTime: new Date(startMs).toISOString(),
			rangeStart: new Date(startMs - service.bufferTimeBefore * T.MINUTE).toISOString(),
			rangeEnd: new Date(startMs + (minutes + service.bufferTimeAfter) * T.MINUTE).toISOString(),
			variantTitle: variant.title,
			externalVariantId: variant.externalId,
			duration: String(minutes),
			currency: shop.currency,
			bufferTimeBefore: service.bufferTimeBefore,
			bufferTimeAfter: service.bufferTimeAfter,
			service: service.id, // rendered as the full service object
			teamMember: resId,
			slotId: rng.objectId(),
			quantity: 1,
			clientId: rng.uuid(),
			createdAt: new Date(createdMs).toISOString(),
			updatedAt: new Date(createdMs).toISOString(),
			resources: [resId],
		});
	}
	return out;
}

function buildFlows(seed, i, profile, shop) {
	const rng = new Rng(seed, `flows:${i}`);
	const created = (d) => new Date(Date.UTC(2025, 6, 1 + d, 9, 15, 0)).toISOString();
	const flows = [
		{
			id: rng.objectId(),
			status: true,
			name: 'Booking created → Zapier',
			trigger: 'APPOINTMENT_CREATED',
			action: 'WEBHOOK',
			target: `https://hooks.zapier.com/hooks/catch/${rng.digits(7)}/${rng.hex(6)}/`,
			when: { offset: 0, amount: 0, unit: 'IMMEDIATELY' },
			template: {
				headers: '{"Content-Type":"application/json"}',
				body: '{\n  "customer_name": "{{CustomerName}}",\n  "phone_number": "{{CustomerPhone}}",\n  "date": "{{formatDate DateTime "YYYY-MM-DDTHH:mm:ssZ" "UTC"}}"\n}',
			},
			createdAt: created(i),
			updatedAt: created(i + 3),
			shopId: shop.id,
		},
	];
	if (i === 0) {
		flows.push({
			id: rng.objectId(),
			status: true,
			name: '24h reminder email',
			trigger: 'APPOINTMENT_STARTED',
			action: 'EMAIL',
			target: shop.customerEmail,
			when: { offset: -1440, amount: 24, unit: 'HOURS_BEFORE' },
			template: {
				headers: '{"subject":"See you tomorrow, {{CustomerName}}"}',
				body: '<p>Hi {{CustomerName}}, this is a reminder of your appointment on {{formatDate DateTime "dddd D MMMM, HH:mm" CustomerTimezone}}.</p>',
			},
			createdAt: created(10),
			updatedAt: created(10),
			shopId: shop.id,
		});
	}
	return flows;
}

/**
 * Build the whole in-memory state and the fixtures.
 * @param {{seed?: number, appointments?: number, otherAppointments?: number, now?: number}} opts
 */
function buildState(opts = {}) {
	const seed = opts.seed === undefined ? DEFAULT_SEED : opts.seed;
	const counts = [
		opts.appointments === undefined ? DEFAULT_APPOINTMENTS : opts.appointments,
		opts.otherAppointments === undefined ? OTHER_SHOP_APPOINTMENTS : opts.otherAppointments,
		opts.otherAppointments === undefined ? OTHER_SHOP_APPOINTMENTS : opts.otherAppointments,
	];
	const nowMs = opts.now === undefined ? Date.now() : Number(opts.now);
	const state = {
		seed,
		now: nowMs,
		shops: [],
		configs: [],
		services: [],
		resources: [],
		resourceTypes: [],
		locations: [],
		appointments: [],
		reservations: [],
		flows: [],
		customers: [],
	};
	const keys = [];
	SHOP_PROFILES.forEach((profile, i) => {
		const { shop, config } = buildShop(seed, i, profile, nowMs);
		const locations = buildLocations(seed, i, profile, shop);
		const types = buildResourceTypes(seed, i, profile, shop);
		const resources = buildResources(seed, i, profile, shop, types, locations);
		const services = buildServices(seed, i, profile, shop, types, resources, locations);
		const customers = buildCustomers(seed, i, profile, shop, i === 0 ? 60 : 25);
		const extra = [];
		const appointments = buildAppointments(
			seed,
			i,
			profile,
			shop,
			services,
			resources,
			customers,
			counts[i],
			nowMs,
			extra,
		);
		const reservations = buildReservations(seed, i, profile, shop, services, customers, nowMs);
		const flows = buildFlows(seed, i, profile, shop);
		state.shops.push(shop);
		state.configs.push(config);
		state.locations.push(...locations);
		state.resourceTypes.push(...types);
		state.resources.push(...resources);
		state.services.push(...services);
		state.customers.push(...customers, ...extra);
		state.appointments.push(...appointments);
		state.reservations.push(...reservations);
		state.flows.push(...flows);
		keys.push({ shopId: shop.id, ...makeCredentials(seed, i) });
	});
	const fixtures = buildFixtures(state, keys, seed);
	return { state, keys, fixtures };
}

function buildFixtures(state, keys, seed) {
	const rng = new Rng(seed, 'fixtures');
	const shops = state.shops.map((shop, i) => {
		const k = keys[i];
		const services = state.services.filter((s) => s.shopId === shop.id);
		const appts = state.appointments.filter((a) => a.shopId === shop.id);
		const resources = state.resources.filter((r) => r.shopId === shop.id);
		const types = state.resourceTypes.filter((t) => t.shopId === shop.id);
		// sample picks use only seed-stable properties (drawn day offset, status, service), never the clock
		const has = (a, t) => a.events.some((e) => e.type === t);
		const first = (pred) => {
			const a = appts.find(pred);
			return a ? a.id : undefined;
		};
		const customerCounts = new Map();
		for (const a of appts)
			if (a.customer.externalId)
				customerCounts.set(a.customer.id, (customerCounts.get(a.customer.id) || 0) + 1);
		const topCustomerId = [...customerCounts.entries()].sort(
			(a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
		)[0];
		const topCustomer = topCustomerId && state.customers.find((c) => c.id === topCustomerId[0]);
		const svc0 = services[0];
		const loc0 = svc0.locations[0];
		return {
			id: shop.id,
			name: shop.name,
			apiKey: k.apiKey,
			clientId: k.clientId,
			readOnlyApiKey: k.readOnlyApiKey,
			readOnlyClientId: k.readOnlyClientId,
			timezone: shop.settings.timezone,
			domain: shop.domain,
			externalId: shop.externalId,
			currency: shop.currency,
			email: shop.email,
			maxFlows: shop.maxFlows,
			appointmentCount: appts.length,
			locationIds: state.locations.filter((l) => l.shopId === shop.id).map((l) => l.id),
			resourceTypeIds: types.map((t) => t.id),
			resourceIds: resources.map((r) => r.id),
			serviceIds: services.map((s) => s.id),
			flowIds: state.flows.filter((f) => f.shopId === shop.id).map((f) => f.id),
			reservationIds: state.reservations.filter((r) => r.shopId === shop.id).map((r) => r.id),
			customerIds: state.customers
				.filter((c) => c.shopId === shop.id && c.externalSource === 'SHOPIFY')
				.map((c) => c.id),
			services: {
				/** cancel + reschedule allowed, 24 h window, refund on cancel */
				standard: services[0].id,
				/** customerCanManageBefore = 48 (hours) */
				notice48h: services[1].id,
				/** customerCanReschedule = false */
				noReschedule: services[2].id,
				/** customerCanCancel = false */
				noCancel: services[3].id,
				/** instantBooking = true, createOrder = false */
				instantBooking: (services.find((s) => s.instantBooking) || {}).id,
			},
			availability: {
				serviceId: svc0.id,
				variantId: svc0.variants[0].id,
				variantExternalId: svc0.variants[0].externalId,
				durationMinutes: durationOf(svc0.variants[0]),
				locationId: loc0.locationId,
				resourceIds: loc0.resources[0].ids.slice(),
			},
			appointments: {
				/** BOOKED, at least 3 days ahead */
				upcoming: first((a) => a.status === 'BOOKED' && a._dayOffset >= 4 && !a._instant),
				/** a second BOOKED one, at least 4 days ahead (for destructive tests) */
				upcoming2: (
					appts.filter((a) => a.status === 'BOOKED' && a._dayOffset >= 4 && !a._instant)[1] || {}
				).id,
				/** BOOKED, at least 8 days ahead, on the 48 h notice service */
				upcomingNotice48h: first(
					(a) => a.status === 'BOOKED' && a._dayOffset >= 8 && a.service === services[1].id,
				),
				/** BOOKED, at least 4 days ahead, on the no-reschedule service */
				upcomingNoReschedule: first(
					(a) => a.status === 'BOOKED' && a._dayOffset >= 4 && a.service === services[2].id,
				),
				/** more than a week ago, checked in */
				past: first((a) => a._dayOffset <= -9 && has(a, 'CUSTOMER_CHECKIN')),
				/** cancelled, at least 4 days ahead (its slot is free again) */
				cancelled: first((a) => a.status === 'CANCELLED' && a._dayOffset >= 4),
				/** rescheduled, at least 4 days ahead */
				rescheduled: first((a) => a.status === 'RESCHEDULED' && a._dayOffset >= 4),
				noShow: first((a) => a.status === 'NO_SHOW' && a._dayOffset <= -9),
				/** instant booking: empty orderId / orderName / lineItemId */
				instant: first((a) => a._instant),
			},
			customer: topCustomer
				? {
						id: topCustomer.id,
						externalId: topCustomer.externalId,
						email: topCustomer.email,
						name: topCustomer.name,
						appointmentIds: appts.filter((a) => a.customer.id === topCustomer.id).map((a) => a.id),
					}
				: undefined,
		};
	});
	return {
		seed,
		apiPrefix: '/api/v1',
		/** a well-formed ObjectId that exists nowhere */
		unknownId: rng.objectId(),
		/** looks like a key, is not one */
		invalidApiKey: `sesami_pat_${rng.hex(40)}`,
		shops,
	};
}

module.exports = {
	buildState,
	DEFAULT_SEED,
	DEFAULT_APPOINTMENTS,
	FLEX_MINUTES,
	durationOf,
	dayIntervals,
	intersect,
	publicCustomer,
};
