import t from 'tap';
import { convertGeminiUsage } from '../../../src/adapters/gemini/convert-gemini-usage.js';

t.test('usageMetadata → OpenAI usage', async (t) => {
  t.equal(convertGeminiUsage(undefined), null, 'no metadata, no usage');
  t.same(
    convertGeminiUsage({ promptTokenCount: 29, candidatesTokenCount: 15, totalTokenCount: 89, thoughtsTokenCount: 45 }),
    { prompt_tokens: 29, completion_tokens: 60, total_tokens: 89, completion_tokens_details: { reasoning_tokens: 45 } },
    'thoughts count as completion and reasoning (the fixture: 29 + 15 + 45 = 89)',
  );
  t.same(
    convertGeminiUsage({ promptTokenCount: 100, candidatesTokenCount: 5, totalTokenCount: 105, cachedContentTokenCount: 80 }),
    { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 80 } },
    'cached content tokens',
  );
  t.same(convertGeminiUsage({ promptTokenCount: 3 }), { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 }, 'missing counts are 0, total is summed');
});
