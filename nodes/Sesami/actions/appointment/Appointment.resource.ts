import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/descriptions';
import * as cancel from './cancel.operation';
import * as checkIn from './checkIn.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getManyForCustomer from './getManyForCustomer.operation';
import * as markNoShow from './markNoShow.operation';
import * as reschedule from './reschedule.operation';
import * as resendConfirmation from './resendConfirmation.operation';

export const operations = {
	cancel,
	checkIn,
	get,
	getAll,
	getManyForCustomer,
	markNoShow,
	reschedule,
	resendConfirmation,
};

export const description: INodeProperties[] = [
	operationProperty(
		'appointment',
		[
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel an appointment',
				action: 'Cancel an appointment',
			},
			{
				name: 'Check In',
				value: 'checkIn',
				description: 'Check a customer in',
				action: 'Check in an appointment',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an appointment',
				action: 'Get an appointment',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many appointments',
				action: 'Get many appointments',
			},
			{
				name: 'Get Many for Customer',
				value: 'getManyForCustomer',
				description: 'Get the appointments of one Shopify customer',
				action: 'Get many appointments of a customer',
			},
			{
				name: 'Mark No-Show',
				value: 'markNoShow',
				description: 'Mark an appointment as a no-show',
				action: 'Mark an appointment as no show',
			},
			{
				name: 'Reschedule',
				value: 'reschedule',
				description: 'Move an appointment to a new time',
				action: 'Reschedule an appointment',
			},
			{
				name: 'Resend Confirmation',
				value: 'resendConfirmation',
				description: 'Send the confirmation email again',
				action: 'Resend an appointment confirmation',
			},
		],
		'getAll',
	),
	...cancel.description,
	...checkIn.description,
	...get.description,
	...getAll.description,
	...getManyForCustomer.description,
	...markNoShow.description,
	...reschedule.description,
	...resendConfirmation.description,
];
