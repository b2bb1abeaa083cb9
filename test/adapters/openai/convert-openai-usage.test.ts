import t from 'tap';
import { convertOpenAIUsage, normalizeFinishReason } from '../../../src/adapters/openai/convert-openai-usage.js';

t.test('usage keeps cached and reasoning token details', async (t) => {
  const usage = convertOpenAIUsage({
    prompt_tokens: 61,
    completion_tokens: 16,
    total_tokens: 77,
    prompt_tokens_details: { cached_tokens: 32, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 90 },
  });
  t.same(usage, {
    prompt_tokens: 61,
    completion_tokens: 16,
    total_tokens: 77,
    prompt_tokens_details: { cached_tokens: 32, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 90 },
  });
});

t.test('missing usage is null; a missing total is the sum', async (t) => {
  t.equal(convertOpenAIUsage(null), null);
  t.equal(convertOpenAIUsage(undefined), null);
  const partial = { prompt_tokens: 3, completion_tokens: 4 } as Parameters<typeof convertOpenAIUsage>[0];
  t.same(convertOpenAIUsage(partial), { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
});

t.test('finish reasons: OpenAI’s pass, anything else is a stop', async (t) => {
  for (const reason of ['stop', 'length', 'tool_calls', 'content_filter', 'function_call']) {
    t.equal(normalizeFinishReason(reason), reason);
  }
  t.equal(normalizeFinishReason('eos'), 'stop');
  t.equal(normalizeFinishReason(null), 'stop');
  t.equal(normalizeFinishReason(undefined), 'stop');
});
