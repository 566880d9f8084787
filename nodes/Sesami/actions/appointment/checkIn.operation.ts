import { appointmentEventOperation } from './helpers';

export const { description, execute } = appointmentEventOperation(
	'checkIn',
	'check-in',
	'check-in',
);
