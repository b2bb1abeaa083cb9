import t from 'tap';
import { convertAnthropicUsage, mergeDeltaUsage } from '../../../src/adapters/anthropic/convert-anthropic-usage.js';

t.test('prompt tokens add the cache writes and reads back; cached_tokens are the reads', async (t) => {
  const cases = [
    {
      name: 'no cache',
      usage: { input_tokens: 849, output_tokens: 47, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      expected: { prompt_tokens: 849, completion_tokens: 47, total_tokens: 896, prompt_tokens_details: { cached_tokens: 0 } },
    },
    {
      name: 'cache write and read',
      usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 },
      expected: { prompt_tokens: 1110, completion_tokens: 5, total_tokens: 1115, prompt_tokens_details: { cached_tokens: 1000 } },
    },
    {
      name: 'cache fields null (compatible servers)',
      usage: { input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: null, cache_read_input_tokens: null },
      expected: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, prompt_tokens_details: { cached_tokens: 0 } },
    },
  ];
  for (const { name, usage, expected } of cases) t.same(convertAnthropicUsage(usage), expected, name);
});

t.test('message_delta usage is cumulative: it overwrites, and null keeps the earlier value', async (t) => {
  const start = { input_tokens: 849, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 7 };
  const merged = mergeDeltaUsage(start, { output_tokens: 47, input_tokens: null, cache_read_input_tokens: null });
  t.same(merged, { input_tokens: 849, output_tokens: 47, cache_creation_input_tokens: 0, cache_read_input_tokens: 7 });
  const again = mergeDeltaUsage(merged, { output_tokens: 50, input_tokens: 900 });
  t.equal(again.output_tokens, 50, 'not 97: totals are restated, not added');
  t.equal(again.input_tokens, 900);
});
