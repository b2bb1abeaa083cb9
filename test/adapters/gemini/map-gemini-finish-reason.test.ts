import t from 'tap';
import { mapGeminiFinishReason } from '../../../src/adapters/gemini/map-gemini-finish-reason.js';
import type { FinishReason } from '../../../src/adapters/types.js';

t.test('Gemini finishReason → OpenAI finish_reason', async (t) => {
  const cases: Array<[string | undefined, boolean, FinishReason]> = [
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    [undefined, true, 'tool_calls'],
    [undefined, false, 'stop'],
    ['MAX_TOKENS', false, 'length'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['IMAGE_SAFETY', false, 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop'],
    ['OTHER', false, 'stop'],
    ['FINISH_REASON_UNSPECIFIED', false, 'stop'],
    ['SOMETHING_NEW', true, 'stop'],
  ];
  for (const [reason, hasToolCalls, expected] of cases) {
    t.equal(mapGeminiFinishReason(reason, hasToolCalls), expected, `${reason ?? 'none'}${hasToolCalls ? ' with tool calls' : ''}`);
  }
});
