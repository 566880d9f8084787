import { getOneOperation } from '../shared';

export const { description, execute } = getOneOperation({
	resource: 'reservation',
	idParameter: {
		displayName: 'Reservation ID',
		name: 'reservationId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the reservation (a temporary hold of a slot)',
	},
	path: (id) => `/{shop}/reservations/${id}`,
});
