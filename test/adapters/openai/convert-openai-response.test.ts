import t from 'tap';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { convertOpenAIResponse } from '../../../src/adapters/openai/convert-openai-response.js';
import { GatewayError } from '../../../src/errors.js';
import { openaiCompletion } from '../../fake-upstreams/openai.js';

t.test('a text answer', async (t) => {
  const usage = { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 };
  const result = convertOpenAIResponse(openaiCompletion({ id: 'chatcmpl-1', content: 'Hi there', usage }));
  t.same(result, {
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    providerResponseId: 'chatcmpl-1',
  });
});

t.test('tool calls and refusals are carried; custom tool calls are not function calls', async (t) => {
  const completion = openaiCompletion({ toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }] });
  completion.choices[0]!.message.tool_calls!.push({ id: 'call_2', type: 'custom', custom: { name: 'grammar', input: 'x' } });
  const [choice] = convertOpenAIResponse(completion).choices;
  t.same(choice?.message, {
    role: 'assistant',
    content: null,
    refusal: null,
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
  });
  t.equal(choice?.finish_reason, 'tool_calls');
  const refused = convertOpenAIResponse(openaiCompletion({ content: null, refusal: 'I cannot help with that.' }));
  t.equal(refused.choices[0]?.message.refusal, 'I cannot help with that.');
  t.equal(refused.choices[0]?.message.content, null);
});

t.test('several choices keep their indexes; a compatible server’s odd finish reason is a stop', async (t) => {
  const completion = openaiCompletion({ content: 'a' });
  completion.choices.push({ ...completion.choices[0]!, index: 1, message: { ...completion.choices[0]!.message, content: 'b' } });
  (completion.choices[1] as { finish_reason: string }).finish_reason = 'eos';
  const result = convertOpenAIResponse(completion);
  t.same(result.choices.map((c) => [c.index, c.message.content, c.finish_reason]), [[0, 'a', 'stop'], [1, 'b', 'stop']]);
});

t.test('something that is not a chat completion is an upstream_error', async (t) => {
  const notACompletion = '<html>Welcome to nginx</html>' as unknown as ChatCompletion;
  t.throws(() => convertOpenAIResponse(notACompletion), GatewayError);
  t.throws(() => convertOpenAIResponse({ object: 'list' } as unknown as ChatCompletion), { code: 'upstream_error' });
  t.throws(() => convertOpenAIResponse({ object: 'chat.completion', choices: [] } as unknown as ChatCompletion), { code: 'upstream_error' }, 'no choice at all: no answer');
});
