import { appointmentEventOperation } from './helpers';

export const { description, execute } = appointmentEventOperation(
	'markNoShow',
	'no-show',
	'no-show',
);
