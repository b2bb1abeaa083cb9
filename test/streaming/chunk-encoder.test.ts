import t from 'tap';
import { ChunkEncoder } from '../../src/streaming/chunk-encoder.js';
import type { StreamEvent } from '../../src/adapters/types.js';

const usage = { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 };

function run(events: StreamEvent[], includeUsage: boolean) {
  const encoder = new ChunkEncoder('chatcmpl-1', 'public-model', 1700000000, includeUsage);
  const chunks = events.flatMap((event) => encoder.encode(event));
  return { chunks: [...chunks, ...encoder.end()], encoder };
}

t.test('text: role chunk first, deltas, finish, usage only when asked', async (t) => {
  const events: StreamEvent[] = [{ type: 'text', text: 'Hel' }, { type: 'text', text: 'lo' }, { type: 'finish', reason: 'stop' }, { type: 'usage', usage }];
  const withUsage = run(events, true).chunks;
  t.same(withUsage[0]?.choices[0]?.delta, { role: 'assistant', content: '' });
  t.same(withUsage.slice(1, 3).map((c) => c.choices[0]?.delta.content), ['Hel', 'lo']);
  t.equal(withUsage[3]?.choices[0]?.finish_reason, 'stop');
  t.same(withUsage[4]?.choices, []);
  t.same(withUsage[4]?.usage, usage);
  t.ok(withUsage.slice(0, 4).every((c) => c.usage === null), 'usage is null on every other chunk, as OpenAI sends it');
  t.ok(withUsage.every((c) => c.id === 'chatcmpl-1' && c.model === 'public-model'));
  const without = run(events, false).chunks;
  t.equal(without.length, 4);
  t.ok(without.every((c) => !('usage' in c)), 'no usage field at all when not asked');
});

t.test('tool calls: first fragment carries id, type, name and empty arguments; later ones only arguments', async (t) => {
  const { chunks, encoder } = run(
    [
      { type: 'tool_call_start', toolIndex: 0, id: 'call_a', name: 'f' },
      { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"x":' },
      { type: 'tool_call_arguments', toolIndex: 0, arguments: '1}' },
      { type: 'tool_call_start', toolIndex: 1, id: 'call_b', name: 'g' },
      { type: 'tool_call_arguments', toolIndex: 1, arguments: '{}' },
      { type: 'finish', reason: 'tool_calls' },
    ],
    false,
  );
  t.same(chunks[1]?.choices[0]?.delta.tool_calls, [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }]);
  t.same(chunks[2]?.choices[0]?.delta.tool_calls, [{ index: 0, function: { arguments: '{"x":' } }]);
  t.same(chunks[4]?.choices[0]?.delta.tool_calls?.[0]?.index, 1);
  t.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
  t.equal(encoder.producedText(), 'f{"x":1}g{}');
});

t.test('a stream the provider ended without a finish still gets one (strict clients require it)', async (t) => {
  const tools = run([{ type: 'tool_call_start', toolIndex: 0, id: 'c', name: 'f' }], false).chunks;
  t.equal(tools.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
  const empty = run([], false).chunks;
  t.same(empty.map((c) => c.choices[0]?.finish_reason ?? null), [null, 'stop'], 'an empty stream still opens and closes a choice');
});

t.test('several choices are kept apart', async (t) => {
  const { chunks } = run(
    [
      { type: 'text', text: 'a', choice: 0 },
      { type: 'text', text: 'b', choice: 1 },
      { type: 'finish', reason: 'stop', choice: 0 },
      { type: 'finish', reason: 'length', choice: 1 },
    ],
    false,
  );
  const roles = chunks.filter((c) => c.choices[0]?.delta.role === 'assistant').map((c) => c.choices[0]?.index);
  t.same(roles, [0, 1]);
  t.same(
    chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => [c.choices[0]?.index, c.choices[0]?.finish_reason]),
    [[0, 'stop'], [1, 'length']],
  );
});
