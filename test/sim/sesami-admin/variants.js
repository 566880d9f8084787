'use strict';
/**
 * The points of the Sesami Apps contract no public source settles, and the answers the Admin
 * simulator can play for each (../lib/variants.js; the table for merchants is
 * docs/unverified-contract.md). Sources: https://github.com/sesamiapp/sesami-apps-boilerplate
 * (@e51026e, server/src/sesami/authentication/*, api/webhook/*),
 * https://github.com/sesamiapp/app-message (@07fd9b4, src/classes/admin/client/admin-appointment-details.ts),
 * and the older Sesami Apps docs (timestamp converted to a number before signing).
 */

const ADMIN_VARIANTS = {
	hmacTimestamp: {
		values: ['string', 'number'],
		default: 'string',
		doc:
			'How `timestamp` enters the HMAC message. string: as the query text ("1733..."; the boilerplate signs req.query ' +
			'as it is). number: as a JSON number (1733...; an older Sesami doc converts it first).',
	},
	timestampUnit: {
		values: ['milliseconds', 'seconds'],
		default: 'milliseconds',
		doc: 'What `timestamp` counts (no source says): epoch milliseconds (JavaScript Date.now()) or epoch seconds.',
	},
	tokenShopId: {
		values: ['present', 'absent'],
		default: 'present',
		doc:
			'Whether the load token carries a `shopId` claim. present: the boilerplate reads it (Passport.strategy.ts). ' +
			"absent: only app-message's declared claims {userId, clientId, email, exp, iat}.",
	},
	appointmentIdParam: {
		values: ['init-only', 'signed-query'],
		default: 'init-only',
		doc:
			'How the appointment drawer passes the appointment ID. init-only: only in the INIT answer over postMessage ' +
			'(payload.extra.appointmentId, as app-message reads it). signed-query: also as an `appointmentId` query ' +
			'parameter, covered by the HMAC like the others.',
	},
	webhookDataOrder: {
		values: ['sorted', 'as-built'],
		default: 'sorted',
		doc:
			'Key order of `data` in the uninstall webhook body. sorted: as signed, so the raw text of `data` is the signed ' +
			'message. as-built: shopId first, then the other keys (the HMAC still covers the sorted keys).',
	},
};

module.exports = { ADMIN_VARIANTS };
