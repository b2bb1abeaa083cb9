import t from 'tap';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { convertAnthropicResponse } from '../../../src/adapters/anthropic/convert-anthropic-response.js';
import { anthropicMessage } from '../../fake-upstreams/anthropic.js';

t.test('text blocks join into content; usage and ids are translated', async (t) => {
  const message = anthropicMessage({ text: 'Hello there.', usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 90 } });
  message.content.push({ type: 'text', text: ' Bye.', citations: null });
  t.same(convertAnthropicResponse(message, undefined), {
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there. Bye.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 3, total_tokens: 103, prompt_tokens_details: { cached_tokens: 90 } },
    providerResponseId: 'msg_fake_1',
  });
});

t.test('tool_use blocks become tool calls; content is null without text', async (t) => {
  const message = anthropicMessage({
    toolUses: [
      { id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
      { id: 'toolu_2', name: 'ping', input: {} },
    ],
  });
  const [choice] = convertAnthropicResponse(message, undefined).choices;
  t.equal(choice?.message.content, null);
  t.same(choice?.message.tool_calls, [
    { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
    { id: 'toolu_2', type: 'function', function: { name: 'ping', arguments: '{}' } },
  ]);
  t.equal(choice?.finish_reason, 'tool_calls');
  const withText = convertAnthropicResponse(anthropicMessage({ text: 'Let me check.', toolUses: [{ id: 'toolu_3', name: 'ping', input: {} }] }), undefined);
  t.equal(withText.choices[0]?.message.content, 'Let me check.');
});

t.test('thinking blocks are dropped from the answer', async (t) => {
  const message = anthropicMessage({ text: 'The answer is 4.' });
  message.content.unshift({ type: 'thinking', thinking: '2+2…', signature: 'sig' }, { type: 'redacted_thinking', data: 'xxx' });
  t.equal(convertAnthropicResponse(message, undefined).choices[0]?.message.content, 'The answer is 4.');
});

t.test('stop reasons map onto finish reasons', async (t) => {
  t.equal(convertAnthropicResponse(anthropicMessage({ stopReason: 'max_tokens' }), undefined).choices[0]?.finish_reason, 'length');
  t.equal(convertAnthropicResponse(anthropicMessage({ stopReason: 'refusal' }), undefined).choices[0]?.finish_reason, 'content_filter');
});

t.test('json_schema: the answer tool’s input is the content, prose dropped, finish stop', async (t) => {
  const message = anthropicMessage({ text: 'Here you go:', toolUses: [{ id: 'toolu_9', name: 'city_answer', input: { city: 'Paris' } }] });
  const [choice] = convertAnthropicResponse(message, 'city_answer').choices;
  t.same(choice?.message, { role: 'assistant', content: '{"city":"Paris"}', refusal: null });
  t.equal(choice?.finish_reason, 'stop');

  const clientTool = anthropicMessage({ toolUses: [{ id: 'toolu_8', name: 'weather', input: {} }] });
  const [toolChoice] = convertAnthropicResponse(clientTool, 'city_answer').choices;
  t.equal(toolChoice?.finish_reason, 'tool_calls', 'a client tool call is still a tool call');
  t.equal(toolChoice?.message.tool_calls?.[0]?.function.name, 'weather');
});

t.test('a message without usage (compatible servers) has usage null', async (t) => {
  const message = { ...anthropicMessage(), usage: undefined } as unknown as Message;
  t.equal(convertAnthropicResponse(message, undefined).usage, null);
});

t.test('a 200 that is not a message (another API behind a wrong base URL, or {}) is an upstream_error, not an empty answer', async (t) => {
  for (const body of [{}, { content: 'hi' }, null]) {
    t.throws(() => convertAnthropicResponse(body as unknown as Message, undefined), { code: 'upstream_error', message: /not an Anthropic message/ }, JSON.stringify(body));
  }
});
