import t from 'tap';
import { chatPromptText, estimateChatUsage } from '../../src/usage/estimate-chat-usage.js';
import { TokenCounter } from '../../src/usage/token-counter.js';

t.test('the prompt text holds every message’s text, tool calls and tool definitions; not image data', async (t) => {
  const text = chatPromptText({
    model: 'm',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cats"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'Cats are mammals.' },
    ],
    tools: [{ type: 'function', function: { name: 'lookup', description: 'Looks things up' } }],
  });
  for (const part of ['Be brief.', 'What is this?', 'lookup', '{"q":"cats"}', 'Cats are mammals.', 'Looks things up']) t.match(text, part);
  t.notMatch(text, 'base64');
});

t.test('an estimate counts both sides with the tokenizer', async (t) => {
  const counter = new TokenCounter();
  const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hello there, how are you today?' }] };
  const usage = estimateChatUsage(counter, request, 'I am fine, thank you.');
  t.equal(usage.completion_tokens, counter.count('I am fine, thank you.'));
  t.ok(usage.prompt_tokens > counter.count('Hello there, how are you today?'), 'the message framing is counted too');
  t.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  t.equal(estimateChatUsage(counter, request, '').completion_tokens, 0, 'nothing streamed yet: no completion tokens');
});
