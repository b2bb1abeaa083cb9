import t from 'tap';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ToolCallTracker } from '../../../src/adapters/openai/tool-call-tracker.js';
import type { StreamEvent } from '../../../src/adapters/types.js';

type Fragment = ChatCompletionChunk.Choice.Delta.ToolCall;

function run(fragments: Array<Partial<Fragment>>, choice?: number): StreamEvent[] {
  let generated = 0;
  const tracker = new ToolCallTracker(choice, () => `call_generated_${generated++}`);
  return [...fragments.flatMap((fragment) => tracker.accept(fragment as Fragment)), ...tracker.flush()];
}

t.test('OpenAI’s regular fragments: start with id and name, then argument pieces', async (t) => {
  const events = run([
    { index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } },
    { index: 0, function: { arguments: '{"x"' } },
    { index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } },
    { index: 0, function: { arguments: ':1}' } },
  ]);
  t.same(events, [
    { type: 'tool_call_start', toolIndex: 0, id: 'call_a', name: 'f' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"x"' },
    { type: 'tool_call_start', toolIndex: 1, id: 'call_b', name: 'g' },
    { type: 'tool_call_arguments', toolIndex: 1, arguments: '{}' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: ':1}' },
  ]);
});

t.test('irregular provider indexes get our own 0, 1 counter', async (t) => {
  const events = run([
    { index: 3, id: 'call_a', function: { name: 'f', arguments: '{}' } },
    { index: 7, id: 'call_b', function: { name: 'g', arguments: '{' } },
    { index: 7, function: { arguments: '}' } },
  ]);
  t.same(
    events.map((e) => [e.type, 'toolIndex' in e ? e.toolIndex : -1]),
    [['tool_call_start', 0], ['tool_call_arguments', 0], ['tool_call_start', 1], ['tool_call_arguments', 1], ['tool_call_arguments', 1]],
  );
});

t.test('every call sent with index 0 but a new id is a new call', async (t) => {
  const events = run([
    { index: 0, id: 'call_a', function: { name: 'f', arguments: '{"a":1}' } },
    { index: 0, id: 'call_b', function: { name: 'g', arguments: '{"b":2}' } },
  ]);
  t.same(events.filter((e) => e.type === 'tool_call_start'), [
    { type: 'tool_call_start', toolIndex: 0, id: 'call_a', name: 'f' },
    { type: 'tool_call_start', toolIndex: 1, id: 'call_b', name: 'g' },
  ]);
});

t.test('without indexes: keyed by id; a fragment without id continues the last call', async (t) => {
  const events = run([
    { id: 'call_a', function: { name: 'f', arguments: '{"a"' } },
    { function: { arguments: ':1}' } },
    { id: 'call_b', function: { name: 'g' } },
    { id: 'call_a', function: { arguments: ' ' } },
    { function: { arguments: '{}' } },
  ] as Array<Partial<Fragment>>);
  t.same(events, [
    { type: 'tool_call_start', toolIndex: 0, id: 'call_a', name: 'f' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"a"' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: ':1}' },
    { type: 'tool_call_start', toolIndex: 1, id: 'call_b', name: 'g' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: ' ' },
    { type: 'tool_call_arguments', toolIndex: 1, arguments: '{}' },
  ]);
});

t.test('a missing id is generated; arguments before the name wait for it; choice is marked', async (t) => {
  const events = run(
    [
      { index: 0, function: { arguments: '{"q":' } },
      { index: 0, function: { name: 'search', arguments: '"x"}' } },
      { index: 1, function: { arguments: '{}' } },
    ],
    2,
  );
  t.same(events, [
    { type: 'tool_call_start', toolIndex: 0, id: 'call_generated_0', name: 'search', choice: 2 },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"q":', choice: 2 },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '"x"}', choice: 2 },
    { type: 'tool_call_start', toolIndex: 1, id: 'call_generated_1', name: '', choice: 2 },
    { type: 'tool_call_arguments', toolIndex: 1, arguments: '{}', choice: 2 },
  ]);
});
