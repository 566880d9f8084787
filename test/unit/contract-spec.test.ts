import { specCopies } from '../helpers/spec-copy';

describe("the repo's copy of Sesami's OpenAPI document", () => {
	const { copy, reference } = specCopies();

	it('is the Sesami Admin API document', () => {
		const spec = JSON.parse(copy);
		expect(spec.info.title).toBe('Sesami Admin API');
		expect(Object.keys(spec.paths).length).toBe(41);
	});

	(reference === null ? it.skip : it)(
		'is byte-identical to shared/reference/sesami-openapi.json',
		() => {
			expect(copy).toBe(reference);
		},
	);
});
