import { getAndGetManyResource } from '../shared';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const { operations, description } = getAndGetManyResource(
	'resource',
	'resources',
	get,
	getAll,
);
