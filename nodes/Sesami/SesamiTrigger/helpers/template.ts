/**
 * The Flow body template this package registers (Automatic mode) and shows for Manual mode.
 * Sesami fills in the Handlebars variables; `{{...}}` output is HTML-escaped by Sesami's renderer,
 * which the trigger undoes. The trigger value is written into each Flow (one Flow per trigger),
 * because no variable for it is documented.
 *
 * Variables marked (verify) are not in Sesami's public docs; check their exact names in the Flow
 * editor's variable list. The trigger only needs the appointment ID or the customer email plus
 * start time: with "Fetch Full Appointment" on, it loads the rest from the Admin API, and when
 * only Sesami's documented variables render (CustomerName, CustomerPhone, DateTime,
 * AppointmentCreatedAt, CustomerTimezone: https://sesami.dev/docs/sesami-flows/flows) it finds
 * the appointment by its start time and customer. `registrationMark` (Automatic mode) lets the
 * trigger find its own Flows again after n8n's URL changed.
 */
export function canonicalFlowTemplate(trigger: string, registrationMark?: string): string {
	return [
		'{',
		'  "source": "sesami-flow",',
		`  "trigger": "${trigger}",`,
		...(registrationMark ? [`  "registration": "${registrationMark}",`] : []),
		'  "appointmentId": "{{AppointmentId}}",',
		'  "status": "{{AppointmentStatus}}",',
		'  "startUtc": "{{formatDate DateTime "YYYY-MM-DDTHH:mm:ssZ" "UTC"}}",',
		'  "endUtc": "{{formatDate EndDateTime "YYYY-MM-DDTHH:mm:ssZ" "UTC"}}",',
		'  "customerTimezone": "{{CustomerTimezone}}",',
		'  "customerName": "{{CustomerName}}",',
		'  "customerEmail": "{{CustomerEmail}}",',
		'  "customerPhone": "{{CustomerPhone}}",',
		'  "shopifyCustomerId": "{{CustomerExternalId}}",',
		'  "orderId": "{{OrderId}}",',
		'  "orderName": "{{OrderName}}",',
		'  "serviceName": "{{ServiceName}}",',
		'  "shopId": "{{ShopId}}",',
		'  "managementLink": "{{CustomerManagementLink}}",',
		'  "createdAtUtc": "{{formatDate AppointmentCreatedAt "YYYY-MM-DDTHH:mm:ssZ" "UTC"}}"',
		'}',
	].join('\n');
}

export const SECRET_HEADER = 'x-sesami-flow-secret';

/** Output field of the canonical template -> the Sesami variable it renders (first-push diagnosis). */
export const TEMPLATE_FIELD_VARIABLES: Record<string, string> = {
	appointmentId: 'AppointmentId',
	status: 'AppointmentStatus',
	startUtc: 'DateTime',
	endUtc: 'EndDateTime',
	customerTimezone: 'CustomerTimezone',
	customerName: 'CustomerName',
	customerEmail: 'CustomerEmail',
	customerPhone: 'CustomerPhone',
	shopifyCustomerId: 'CustomerExternalId',
	orderId: 'OrderId',
	orderName: 'OrderName',
	serviceName: 'ServiceName',
	shopId: 'ShopId',
	managementLink: 'CustomerManagementLink',
	createdAtUtc: 'AppointmentCreatedAt',
};
