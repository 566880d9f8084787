import type { INodeProperties } from 'n8n-workflow';

import { getAndGetManyOptions } from '../shared';
import { operationProperty } from '../../../shared/descriptions';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { get, getAll };

export const description: INodeProperties[] = [
	operationProperty('location', getAndGetManyOptions('location', 'locations'), 'getAll'),
	...get.description,
	...getAll.description,
];
