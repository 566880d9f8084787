import {
	checkoutSessionBody,
	guestCheckoutUrl,
	readCheckoutSessionResponse,
} from '../../../../../nodes/Imin/helpers/checkout';

describe('guest checkout URLs', () => {
	it.each([
		[
			'https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/1234567',
			'https%3A%2F%2Fopendata.fusion-lifestyle.com%2FOpenActive%2Fapi%2Fscheduled-sessions%2F1234567',
		],
		[
			'https://api.example.org/sessions?id=42&date=2026-12-10',
			'https%3A%2F%2Fapi.example.org%2Fsessions%3Fid%3D42%26date%3D2026-12-10',
		],
		['urn:uuid:7d4b 9c#1 100%', 'urn%3Auuid%3A7d4b%209c%231%20100%25'],
		['12345', '12345'],
	])('%s', (identifier, encoded) => {
		const url = guestCheckoutUrl('checkout.example.com/', identifier);
		expect(url).toBe(`https://checkout.example.com/v1/scheduled-sessions/${encoded}`);
		expect(decodeURIComponent(url.split('/v1/scheduled-sessions/')[1])).toBe(identifier);
	});

	it('uses /v1/slots/ for slots', () => {
		expect(guestCheckoutUrl('https://checkout.example.com', 'a/b', 'Slot')).toBe(
			'https://checkout.example.com/v1/slots/a%2Fb',
		);
	});
});

describe('checkout session body', () => {
	const base = {
		identifier: 'https://opendata.example.org/OpenActive/api/scheduled-sessions/1234567',
		kind: 'ScheduledSession' as const,
		acceptedOffer: 'offer-adult',
		broker: { name: 'Example Broker', url: 'https://www.example.com' },
		backToBrokerUrl: 'https://www.example.com/activities',
		backToProfileUrl: 'https://www.example.com/me',
	};

	it('with an imin Customer Account ID', () => {
		expect(checkoutSessionBody({ ...base, customer: 'cust-abc' })).toEqual({
			'@context': ['https://openactive.io/', 'https://imin.co/'],
			type: 'imin:CheckoutSession',
			'imin:initialOrder': {
				type: 'OrderQuote',
				customer: 'cust-abc',
				broker: { type: 'Organization', name: 'Example Broker', url: 'https://www.example.com' },
				orderedItem: [
					{
						type: 'OrderItem',
						orderedItem: { type: 'ScheduledSession', identifier: base.identifier },
						acceptedOffer: 'offer-adult',
					},
				],
			},
			'imin:navigationLinks': [
				{
					type: 'WebPage',
					name: 'Back to Broker',
					'imin:linkType': 'https://imin.co/BackToBrokerLink',
					url: 'https://www.example.com/activities',
				},
				{
					type: 'WebPage',
					name: 'Back to Broker User Profile',
					'imin:linkType': 'https://imin.co/BackToBrokerUserProfileLink',
					url: 'https://www.example.com/me',
				},
			],
		});
	});

	it('with the customer as name and email; the identifier is sent un-encoded', () => {
		const body = checkoutSessionBody({
			...base,
			customer: {
				email: 'ada@example.com',
				givenName: 'Ada',
				familyName: 'Lovelace',
				is13OrOver: true,
			},
		});
		const order = body['imin:initialOrder'] as {
			customer: unknown;
			orderedItem: Array<{ orderedItem: { identifier: string } }>;
		};
		expect(order.customer).toEqual({
			type: 'Person',
			email: 'ada@example.com',
			givenName: 'Ada',
			familyName: 'Lovelace',
			'imin:is13OrOver': true,
		});
		expect(order.orderedItem[0].orderedItem.identifier).toBe(base.identifier);
	});

	it('reads the checkout URL from potentialAction and the session id from Location', () => {
		const read = readCheckoutSessionResponse(
			{
				potentialAction: [
					{
						type: 'OrderAction',
						name: 'Checkout',
						target: 'https://checkout.example.com/opendata/BQokikJOvBiI2H',
					},
				],
			},
			'/checkout-sessions/BQokikJOvBiI2H',
		);
		expect(read).toMatchObject({
			checkoutUrl: 'https://checkout.example.com/opendata/BQokikJOvBiI2H',
			sessionId: 'BQokikJOvBiI2H',
		});
	});
});
