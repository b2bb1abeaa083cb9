import t from 'tap';
import type { ChatRequest } from '../../../src/adapters/types.js';
import { ANTHROPIC_FIXTURES, anthropicFixtureStream } from '../../fake-upstreams/anthropic.js';
import { adapterWithFake, callOptions, collect } from './adapter-harness.js';

const hello: ChatRequest = { model: 'claude-alias', messages: [{ role: 'user', content: 'Weather in SF?' }] };

t.test('recorded stream replayed through the real SDK: exact StreamEvents', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(anthropicFixtureStream(ANTHROPIC_FIXTURES.textThenToolUse));
  const events = await collect(await adapter.chatStream(hello, callOptions()));
  t.same(events, [
    { type: 'text', text: "I'll invoke" },
    { type: 'text', text: ' the JSON response tool.' },
    { type: 'tool_call_start', toolIndex: 0, id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '}' },
    { type: 'finish', reason: 'tool_calls' },
    { type: 'usage', usage: { prompt_tokens: 849, completion_tokens: 47, total_tokens: 896, prompt_tokens_details: { cached_tokens: 0 } } },
  ]);
  const text = events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
  t.equal(text, "I'll invoke the JSON response tool.");
  const toolArguments = events.flatMap((event) => (event.type === 'tool_call_arguments' ? [event.arguments] : [])).join('');
  t.same(JSON.parse(toolArguments), { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] });
  t.match(fake.requests[0]?.body, { stream: true, model: 'claude-upstream-model' });
});

t.test('recorded no-argument tool replayed: arguments "{}"', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(anthropicFixtureStream(ANTHROPIC_FIXTURES.textThenToolUseNoArgs));
  const events = await collect(await adapter.chatStream(hello, callOptions()));
  t.same(events, [
    { type: 'text', text: "I'll update the issue list for" },
    { type: 'text', text: ' you.' },
    { type: 'tool_call_start', toolIndex: 0, id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{}' },
    { type: 'finish', reason: 'tool_calls' },
    { type: 'usage', usage: { prompt_tokens: 565, completion_tokens: 48, total_tokens: 613, prompt_tokens_details: { cached_tokens: 0 } } },
  ]);
});

t.test('json_schema: the forced answer tool is requested, and its input streams back as content', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(anthropicFixtureStream(ANTHROPIC_FIXTURES.textThenToolUse));
  const request: ChatRequest = {
    ...hello,
    response_format: { type: 'json_schema', json_schema: { name: 'json', schema: { type: 'object', properties: { elements: { type: 'array' } } } } },
  };
  const events = await collect(await adapter.chatStream(request, callOptions()));
  t.match(fake.requests[0]?.body, { tools: [{ name: 'json' }], tool_choice: { type: 'tool', name: 'json' } });
  t.notOk(events.some((event) => event.type.startsWith('tool_call')), 'no tool call reaches the client');
  const content = events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
  t.same(JSON.parse(content), { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] });
  t.same(events.at(-2), { type: 'finish', reason: 'stop' });
});

t.test('the fake’s default stream: text in pieces, finish stop, usage', async (t) => {
  const { adapter } = await adapterWithFake(t);
  const events = await collect(await adapter.chatStream(hello, callOptions()));
  const text = events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
  t.equal(text, 'Echo: Weather in SF?');
  t.ok(events.filter((event) => event.type === 'text').length > 1, 'in several pieces');
  t.same(events.at(-2), { type: 'finish', reason: 'stop' });
  t.match(events.at(-1), { type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } });
});

t.test('the fake’s forced tool: a tool call with arguments "{}"', async (t) => {
  const { adapter } = await adapterWithFake(t);
  const request: ChatRequest = {
    ...hello,
    tools: [{ type: 'function', function: { name: 'lookup' } }],
    tool_choice: { type: 'function', function: { name: 'lookup' } },
  };
  const events = await collect(await adapter.chatStream(request, callOptions()));
  t.same(events.slice(0, 2), [
    { type: 'tool_call_start', toolIndex: 0, id: 'toolu_fake_0', name: 'lookup' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{}' },
  ]);
  t.same(events.at(-2), { type: 'finish', reason: 'tool_calls' });
});
