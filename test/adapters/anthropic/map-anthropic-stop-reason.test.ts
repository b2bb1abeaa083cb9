import t from 'tap';
import { finishReasonFor, mapAnthropicStopReason } from '../../../src/adapters/anthropic/map-anthropic-stop-reason.js';

t.test('every Anthropic stop_reason maps onto an OpenAI finish_reason', async (t) => {
  const cases = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    [null, 'stop'],
    [undefined, 'stop'],
    ['a_reason_from_the_future', 'stop'],
  ] as const;
  for (const [reason, expected] of cases) t.equal(mapAnthropicStopReason(reason), expected, String(reason));
});

t.test('tool_use with no client tool call (the json_schema answer tool) is a plain stop', async (t) => {
  t.equal(finishReasonFor('tool_use', 0), 'stop');
  t.equal(finishReasonFor('tool_use', 2), 'tool_calls');
  t.equal(finishReasonFor('max_tokens', 0), 'length');
  t.equal(finishReasonFor('end_turn', 1), 'stop');
});
