import t from 'tap';
import { convertJsonSchemaToGeminiSchema } from '../../../src/adapters/gemini/convert-json-schema-to-gemini-schema.js';
import type { JsonObject } from '../../../src/adapters/types.js';

const cases: Array<{ name: string; input: JsonObject | undefined; expected: JsonObject | undefined }> = [
  { name: 'no schema', input: undefined, expected: undefined },
  { name: 'empty root object is omitted', input: { type: 'object', properties: {}, additionalProperties: false }, expected: undefined },
  { name: 'typeless empty root is omitted', input: {}, expected: undefined },
  {
    name: '$schema, additionalProperties and strict are stripped',
    input: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { location: { type: 'string', description: 'City' } },
      required: ['location'],
      additionalProperties: false,
      strict: true,
    },
    expected: { type: 'object', properties: { location: { type: 'string', description: 'City' } }, required: ['location'] },
  },
  {
    name: 'type [T, "null"] becomes nullable',
    input: { type: 'object', properties: { unit: { type: ['string', 'null'] } } },
    expected: { type: 'object', properties: { unit: { type: 'string', nullable: true } } },
  },
  {
    name: 'several types become anyOf',
    input: { type: 'object', properties: { id: { type: ['string', 'integer'] } } },
    expected: { type: 'object', properties: { id: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } },
  },
  {
    name: 'const becomes a one-value enum',
    input: { type: 'object', properties: { kind: { const: 'celsius' } } },
    expected: { type: 'object', properties: { kind: { enum: ['celsius'], type: 'string' } } },
  },
  {
    name: 'anyOf with a null variant becomes nullable, a single variant is merged',
    input: { type: 'object', properties: { when: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }], description: 'time' } } },
    expected: { type: 'object', properties: { when: { description: 'time', nullable: true, type: 'string', format: 'date-time' } } },
  },
  {
    name: 'oneOf becomes anyOf; array items are converted recursively',
    input: {
      type: 'object',
      properties: { tags: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] }, minItems: 1, uniqueItems: true } },
    },
    expected: { type: 'object', properties: { tags: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] }, minItems: 1 } } },
  },
  {
    name: 'string formats Gemini rejects are dropped, others kept',
    input: { type: 'object', properties: { site: { type: 'string', format: 'uri' }, n: { type: 'integer', format: 'int64' } } },
    expected: { type: 'object', properties: { site: { type: 'string' }, n: { type: 'integer', format: 'int64' } } },
  },
  {
    name: 'local $refs are inlined, sibling keywords refine them',
    input: {
      type: 'object',
      properties: { home: { $ref: '#/$defs/place', description: 'Home' }, work: { $ref: '#/definitions/place' } },
      $defs: { place: { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false } },
      definitions: { place: { type: 'object', properties: { city: { type: 'string' } } } },
    },
    expected: {
      type: 'object',
      properties: {
        home: { type: 'object', properties: { city: { type: 'string' } }, description: 'Home' },
        work: { type: 'object', properties: { city: { type: 'string' } } },
      },
    },
  },
];

t.test('JSON Schema → Gemini schema', async (t) => {
  for (const testCase of cases) {
    t.same(convertJsonSchemaToGeminiSchema(testCase.input, 'tools[0].function.parameters'), testCase.expected, testCase.name);
  }
});

t.test('schemas Gemini cannot express are 400s naming the field', async (t) => {
  const recursive: JsonObject = {
    type: 'object',
    properties: { node: { $ref: '#/$defs/node' } },
    $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
  };
  t.throws(() => convertJsonSchemaToGeminiSchema(recursive, 'tools[2].function.parameters'), {
    code: 'invalid_request',
    param: 'tools[2].function.parameters',
    message: /recursive/,
  });
  t.throws(() => convertJsonSchemaToGeminiSchema({ type: 'object', properties: { a: { $ref: 'https://x/schema' } } }, 'p'), {
    code: 'invalid_request',
    message: /not a local definition/,
  });
  // A broken %-escape in a pointer was a URIError, hence a 500.
  for (const ref of ['#/definitions/%zz', '#/$defs/%']) {
    t.throws(() => convertJsonSchemaToGeminiSchema({ type: 'object', properties: { a: { $ref: ref } } }, 'p'), { code: 'invalid_request', param: 'p', message: /not a local definition/ }, ref);
  }
  t.same(
    convertJsonSchemaToGeminiSchema({ type: 'object', properties: { a: { $ref: '#/$defs/a%20b' } }, $defs: { 'a b': { type: 'string' } } }, 'p'),
    { type: 'object', properties: { a: { type: 'string' } } },
    'a well-escaped pointer still finds its definition',
  );
});
