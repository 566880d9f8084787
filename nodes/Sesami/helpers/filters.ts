import type { INodeProperties } from 'n8n-workflow';

export const activeFilter: INodeProperties = {
	displayName: 'Active',
	name: 'status',
	type: 'boolean',
	default: true,
	description: 'Whether to return only active (true) or only inactive (false) items',
};
