import t from 'tap';
import { FinishReason } from '@google/generative-ai';
import { convertGeminiResponse } from '../../../src/adapters/gemini/convert-gemini-response.js';
import { ThoughtSignatureStore } from '../../../src/adapters/gemini/thought-signatures.js';
import type { GeminiResponse } from '../../../src/adapters/gemini/gemini-wire-types.js';
import { geminiFixtureChunks, geminiFixtureThoughtSignature } from '../../fake-upstreams/gemini.js';

t.test('text answer: thought parts skipped, usage and response id kept', async (t) => {
  const response: GeminiResponse = {
    candidates: [
      {
        index: 0,
        content: { role: 'model', parts: [{ text: 'Planning the answer…', thought: true }, { text: 'Hello' }, { text: ', world' }] },
        finishReason: FinishReason.STOP,
      },
    ],
    usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 9, thoughtsTokenCount: 3 },
    responseId: 'resp-1',
  };
  t.same(convertGeminiResponse(response, new ThoughtSignatureStore()), {
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, world', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9, completion_tokens_details: { reasoning_tokens: 3 } },
    providerResponseId: 'resp-1',
  });
});

t.test('function calls: synthesized ids, JSON arguments, STOP → tool_calls, signatures remembered', async (t) => {
  const store = new ThoughtSignatureStore();
  const [first] = geminiFixtureChunks() as GeminiResponse[];
  const result = convertGeminiResponse({ ...first!, candidates: first!.candidates!.map((candidate) => ({ ...candidate, finishReason: FinishReason.STOP })) }, store);
  const choice = result.choices[0]!;
  t.equal(choice.finish_reason, 'tool_calls');
  t.equal(choice.message.content, null, 'no text beside the tool call: content null');
  t.equal(choice.message.tool_calls?.length, 1);
  const call = choice.message.tool_calls![0]!;
  t.match(call, { type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } });
  t.match(call.id, /^call_[0-9a-f]{24}$/);
  t.equal(store.signatureForReplay(call.id), geminiFixtureThoughtSignature());
  t.same(result.usage, { prompt_tokens: 29, completion_tokens: 60, total_tokens: 89, completion_tokens_details: { reasoning_tokens: 45 } });
});

t.test('a function call without args gets "{}"; several candidates become several choices', async (t) => {
  const response = {
    candidates: [
      { index: 1, content: { role: 'model', parts: [{ text: 'B' }] }, finishReason: 'MAX_TOKENS' },
      { index: 0, content: { role: 'model', parts: [{ functionCall: { name: 'now' } }] }, finishReason: 'STOP' },
    ],
  } as unknown as GeminiResponse;
  const result = convertGeminiResponse(response, new ThoughtSignatureStore());
  t.same(result.choices.map((choice) => [choice.index, choice.finish_reason, choice.message.content]), [
    [0, 'tool_calls', null],
    [1, 'length', 'B'],
  ]);
  t.equal(result.choices[0]!.message.tool_calls![0]!.function.arguments, '{}');
  t.equal(result.usage, null);
});

t.test('a blocked prompt: one empty content_filter choice', async (t) => {
  const response = { promptFeedback: { blockReason: 'SAFETY', safetyRatings: [] } } as unknown as GeminiResponse;
  t.same(convertGeminiResponse(response, new ThoughtSignatureStore()).choices, [
    { index: 0, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' },
  ]);
});

t.test('a 200 that is no answer is the provider’s failure: not a response object, or no candidate and no block reason', async (t) => {
  for (const body of [null, [], {}, { candidates: [] }, { usageMetadata: { promptTokenCount: 3 } }]) {
    t.throws(() => convertGeminiResponse(body as unknown as GeminiResponse, new ThoughtSignatureStore()), { code: 'upstream_error', status: 502 }, JSON.stringify(body));
  }
});
