import t from 'tap';
import { anthropicStreamEvents, type AnthropicWireEvent } from '../../../src/adapters/anthropic/anthropic-stream.js';
import type { StreamEvent } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';
import { ANTHROPIC_FIXTURES, anthropicFixtureEvents, anthropicMessage, anthropicMessageEvents } from '../../fake-upstreams/anthropic.js';

const live = new AbortController().signal;

async function* replay(events: readonly AnthropicWireEvent[]): AsyncGenerator<AnthropicWireEvent> {
  for (const event of events) yield event;
}

async function translate(events: readonly AnthropicWireEvent[], answerToolName?: string, signal = live): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of anthropicStreamEvents(replay(events), signal, answerToolName)) out.push(event);
  return out;
}

async function failure(events: readonly AnthropicWireEvent[], signal = live): Promise<unknown> {
  try {
    await translate(events, undefined, signal);
  } catch (error) {
    return error;
  }
  throw new Error('expected the stream to fail');
}

const fixture = anthropicFixtureEvents(ANTHROPIC_FIXTURES.textThenToolUse);
const noArgsFixture = anthropicFixtureEvents(ANTHROPIC_FIXTURES.textThenToolUseNoArgs);
const withoutStop = fixture.filter((event) => event.type !== 'message_stop');

t.test('recorded stream: text, then tool call index 0 (not block index 1), usage at the end', async (t) => {
  t.same(await translate(fixture), [
    { type: 'text', text: "I'll invoke" },
    { type: 'text', text: ' the JSON response tool.' },
    { type: 'tool_call_start', toolIndex: 0, id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '}' },
    { type: 'finish', reason: 'tool_calls' },
    { type: 'usage', usage: { prompt_tokens: 849, completion_tokens: 47, total_tokens: 896, prompt_tokens_details: { cached_tokens: 0 } } },
  ]);
});

t.test('recorded no-argument tool: its only fragment is "", so the arguments are "{}"', async (t) => {
  t.same(await translate(noArgsFixture), [
    { type: 'text', text: "I'll update the issue list for" },
    { type: 'text', text: ' you.' },
    { type: 'tool_call_start', toolIndex: 0, id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{}' },
    { type: 'finish', reason: 'tool_calls' },
    { type: 'usage', usage: { prompt_tokens: 565, completion_tokens: 48, total_tokens: 613, prompt_tokens_details: { cached_tokens: 0 } } },
  ]);
});

t.test('several tools are numbered 0, 1… by our own counter', async (t) => {
  const message = anthropicMessage({
    text: 'Two calls.',
    toolUses: [
      { id: 'toolu_a', name: 'weather', input: { city: 'Paris' } },
      { id: 'toolu_b', name: 'weather', input: { city: 'Rome' } },
    ],
  });
  const events = await translate(anthropicMessageEvents(message));
  t.same(
    events.filter((event) => event.type === 'tool_call_start'),
    [
      { type: 'tool_call_start', toolIndex: 0, id: 'toolu_a', name: 'weather' },
      { type: 'tool_call_start', toolIndex: 1, id: 'toolu_b', name: 'weather' },
    ],
  );
  const argumentsOf = (index: number) =>
    events.flatMap((event) => (event.type === 'tool_call_arguments' && event.toolIndex === index ? [event.arguments] : [])).join('');
  t.same(JSON.parse(argumentsOf(0)), { city: 'Paris' });
  t.same(JSON.parse(argumentsOf(1)), { city: 'Rome' });
});

t.test('thinking blocks and their deltas are dropped', async (t) => {
  const events: AnthropicWireEvent[] = [
    fixture[0]!,
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: null } },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Four.' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null, container: null, stop_details: null }, usage: { output_tokens: 9, input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: null, output_tokens_details: null, server_tool_use: null } },
    { type: 'message_stop' },
  ];
  t.same(await translate(events), [
    { type: 'text', text: 'Four.' },
    { type: 'finish', reason: 'stop' },
    { type: 'usage', usage: { prompt_tokens: 849, completion_tokens: 9, total_tokens: 858, prompt_tokens_details: { cached_tokens: 0 } } },
  ]);
});

t.test('json_schema answer tool: its input streams as the content, prose dropped, finish stop', async (t) => {
  const events = await translate(fixture, 'json');
  t.same(events.slice(0, -1), [
    { type: 'text', text: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]' },
    { type: 'text', text: '}' },
    { type: 'finish', reason: 'stop' },
  ]);
  t.same(JSON.parse(events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('')), {
    elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }],
  });
  const noArgs = await translate(noArgsFixture, 'updateIssueList');
  t.same(noArgs.slice(0, 2), [{ type: 'text', text: '{}' }, { type: 'finish', reason: 'stop' }]);
  const unanswered = await translate(anthropicMessageEvents(anthropicMessage({ text: 'I cannot.' })), 'json');
  t.same(unanswered.slice(0, 2), [{ type: 'text', text: 'I cannot.' }, { type: 'finish', reason: 'stop' }], 'held prose is released when no answer came');
});

t.test('a tool whose input comes whole at its start is passed on once', async (t) => {
  const events: AnthropicWireEvent[] = [
    fixture[0]!,
    { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_x', name: 'f', input: { a: 1 }, caller: { type: 'direct' } } },
    { type: 'content_block_stop', index: 0 },
    ...fixture.slice(-2),
  ];
  t.same((await translate(events)).slice(0, 2), [
    { type: 'tool_call_start', toolIndex: 0, id: 'toolu_x', name: 'f' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"a":1}' },
  ]);
});

t.test('an error event is a thrown GatewayError', async (t) => {
  const overloaded = await failure([...fixture.slice(0, 3), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]);
  t.ok(overloaded instanceof GatewayError);
  t.match(overloaded, { code: 'upstream_error', status: 502, message: /overloaded_error.*Overloaded/ });
  const limited = await failure([{ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }]);
  t.match(limited, { code: 'upstream_rate_limited' });
});

t.test('a stream that ends before message_stop is an error, not a silent success', async (t) => {
  t.match(await failure(withoutStop), { code: 'upstream_error', message: /message_stop/ });
});

t.test('when our signal fired, the abort reason is thrown as it is', async (t) => {
  const controller = new AbortController();
  const reason = new Error('client went away');
  controller.abort(reason);
  t.equal(await failure(withoutStop, controller.signal), reason);
});
