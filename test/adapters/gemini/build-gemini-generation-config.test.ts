import t from 'tap';
import { buildGeminiGenerationConfig } from '../../../src/adapters/gemini/build-gemini-generation-config.js';
import type { ChatRequest } from '../../../src/adapters/types.js';

const base: ChatRequest = { model: 'gemini', messages: [{ role: 'user', content: 'hi' }] };

t.test('OpenAI parameters → generationConfig', async (t) => {
  const cases: Array<{ name: string; request: Partial<ChatRequest>; expected: unknown }> = [
    { name: 'nothing set', request: {}, expected: undefined },
    { name: 'nulls are unset', request: { temperature: null, stop: null, max_tokens: null }, expected: undefined },
    { name: 'max_tokens', request: { max_tokens: 100 }, expected: { maxOutputTokens: 100 } },
    { name: 'max_completion_tokens wins', request: { max_tokens: 100, max_completion_tokens: 200 }, expected: { maxOutputTokens: 200 } },
    { name: 'stop string', request: { stop: 'END' }, expected: { stopSequences: ['END'] } },
    { name: 'stop list', request: { stop: ['a', 'b'] }, expected: { stopSequences: ['a', 'b'] } },
    { name: 'empty stop list', request: { stop: [] }, expected: undefined },
    {
      name: 'sampling',
      request: { n: 2, temperature: 0.2, top_p: 0.9, seed: 7, presence_penalty: 0.5, frequency_penalty: -0.5 },
      expected: { candidateCount: 2, temperature: 0.2, topP: 0.9, seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5 },
    },
    { name: 'temperature 0 is kept', request: { temperature: 0 }, expected: { temperature: 0 } },
    { name: 'response_format text', request: { response_format: { type: 'text' } }, expected: undefined },
    { name: 'response_format json_object', request: { response_format: { type: 'json_object' } }, expected: { responseMimeType: 'application/json' } },
    {
      name: 'response_format json_schema',
      request: {
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'answer',
            strict: true,
            schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false },
          },
        },
      },
      expected: {
        responseMimeType: 'application/json',
        responseSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      },
    },
    {
      name: 'json_schema without a schema is JSON mode',
      request: { response_format: { type: 'json_schema', json_schema: { name: 'free' } } },
      expected: { responseMimeType: 'application/json' },
    },
  ];
  for (const testCase of cases) {
    t.same(buildGeminiGenerationConfig({ ...base, ...testCase.request }), testCase.expected, testCase.name);
  }
});

t.test('more than 5 stop sequences is a 400 naming stop', async (t) => {
  t.throws(() => buildGeminiGenerationConfig({ ...base, stop: ['1', '2', '3', '4', '5', '6'] }), {
    code: 'unsupported_parameter',
    status: 400,
    param: 'stop',
    message: /at most 5/,
  });
  t.same(buildGeminiGenerationConfig({ ...base, stop: ['1', '2', '3', '4', '5'] }), { stopSequences: ['1', '2', '3', '4', '5'] });
});
