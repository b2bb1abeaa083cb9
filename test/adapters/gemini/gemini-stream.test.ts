import t from 'tap';
import { geminiStreamEvents } from '../../../src/adapters/gemini/gemini-stream.js';
import type { GeminiResponse } from '../../../src/adapters/gemini/gemini-wire-types.js';
import { ThoughtSignatureStore } from '../../../src/adapters/gemini/thought-signatures.js';
import type { StreamEvent } from '../../../src/adapters/types.js';
import { geminiFixtureChunks, geminiFixtureThoughtSignature, geminiTextChunks } from '../../fake-upstreams/gemini.js';

async function* from(chunks: unknown[]): AsyncGenerator<GeminiResponse> {
  for (const chunk of chunks) yield chunk as GeminiResponse;
}

async function collect(chunks: unknown[], store = new ThoughtSignatureStore()): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of geminiStreamEvents(from(chunks), store)) events.push(event);
  return events;
}

t.test('the recorded functionCall stream', async (t) => {
  const store = new ThoughtSignatureStore();
  const events = await collect(geminiFixtureChunks(), store);
  const start = events[0] as Extract<StreamEvent, { type: 'tool_call_start' }>;
  t.match(start.id, /^call_[0-9a-f]{24}$/);
  t.same(events, [
    { type: 'tool_call_start', toolIndex: 0, id: start.id, name: 'weather' },
    { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"location":"San Francisco"}' },
    { type: 'finish', reason: 'tool_calls' },
    { type: 'usage', usage: { prompt_tokens: 29, completion_tokens: 60, total_tokens: 89, completion_tokens_details: { reasoning_tokens: 45 } } },
  ]);
  t.equal(store.signatureForReplay(start.id), geminiFixtureThoughtSignature());
});

t.test('text pieces, empty parts skipped, thoughts skipped, finish and usage last', async (t) => {
  const chunks = geminiTextChunks(['Hel', 'lo']);
  chunks.unshift({ candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'thinking…', thought: true }] } }] });
  t.same(await collect(chunks), [
    { type: 'text', text: 'Hel' },
    { type: 'text', text: 'lo' },
    { type: 'finish', reason: 'stop' },
    { type: 'usage', usage: { prompt_tokens: 7, completion_tokens: 6, total_tokens: 13 } },
  ]);
});

t.test('parallel calls count 0, 1…; several candidates keep their own counters', async (t) => {
  const call = (name: string) => ({ functionCall: { name, args: { q: name } } });
  const events = await collect([
    { candidates: [{ index: 0, content: { parts: [call('a'), call('b')] } }, { index: 1, content: { parts: [call('c')] } }] },
    { candidates: [{ index: 0, content: { parts: [{ text: '' }] }, finishReason: 'STOP' }, { index: 1, content: { parts: [] }, finishReason: 'MAX_TOKENS' }] },
  ]);
  t.same(
    events.map((event) => [event.type, 'toolIndex' in event ? event.toolIndex : null, 'choice' in event ? event.choice : 0]),
    [
      ['tool_call_start', 0, 0],
      ['tool_call_arguments', 0, 0],
      ['tool_call_start', 1, 0],
      ['tool_call_arguments', 1, 0],
      ['tool_call_start', 0, 1],
      ['tool_call_arguments', 0, 1],
      ['finish', null, 0],
      ['finish', null, 1],
    ],
  );
  t.same(events.filter((event) => event.type === 'finish').map((event) => (event as { reason: string }).reason), ['tool_calls', 'length']);
});

t.test('a blocked prompt ends with content_filter; a stream cut before any finishReason is an error, not an answer', async (t) => {
  t.same(await collect([{ promptFeedback: { blockReason: 'SAFETY' } }]), [{ type: 'finish', reason: 'content_filter' }]);
  await t.rejects(collect([]), { code: 'upstream_error', message: /incomplete_stream/ }, 'an empty body');
  await t.rejects(collect(geminiTextChunks(['partial']).slice(0, 1)), { code: 'upstream_error', message: /incomplete_stream/ }, 'text, then the body ends');
  await t.rejects(collect([null as unknown as GeminiResponse]), { code: 'upstream_error', message: /not a response object/ }, 'data: null');
});

t.test('an error chunk after text is thrown as a GatewayError', async (t) => {
  const seen: StreamEvent[] = [];
  const failing = geminiStreamEvents(from([...geminiTextChunks(['partial']).slice(0, 1), { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }]), new ThoughtSignatureStore());
  await t.rejects(
    (async () => {
      for await (const event of failing) seen.push(event);
    })(),
    { name: 'GatewayError', code: 'upstream_error', message: /UNAVAILABLE.*overloaded/ },
  );
  t.same(seen, [{ type: 'text', text: 'partial' }], 'the text before the error was delivered');
  await t.rejects(collect([{ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }]), { code: 'upstream_rate_limited' });
});
