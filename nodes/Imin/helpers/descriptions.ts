import type { INodeProperties } from 'n8n-workflow';

/** The Firehose feed parameter, of the imin node (Firehose) and the imin Firehose Trigger. */
export const feedField: INodeProperties = {
	displayName: 'Feed',
	name: 'feed',
	type: 'options',
	options: [
		{ name: 'Facility Uses', value: 'facility-uses' },
		{ name: 'Other URL', value: 'url' },
		{ name: 'Scheduled Sessions', value: 'scheduled-sessions' },
		{ name: 'Session Series', value: 'session-series' },
		{ name: 'Slots', value: 'slots' },
	],
	default: 'scheduled-sessions',
	description: "The Firehose feed (appended to the credential's Firehose Base URL)",
};
