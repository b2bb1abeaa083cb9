import t from 'tap';
import { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { openAIStreamEvents } from '../../../src/adapters/openai/openai-stream.js';
import { GatewayError } from '../../../src/errors.js';
import { openaiChunk, openaiFixtureFrames, openaiUsageChunk } from '../../fake-upstreams/openai.js';
import { collect, rejection } from './fixtures/adapter-harness.js';

async function* from(chunks: ChatCompletionChunk[], then?: () => never): AsyncGenerator<ChatCompletionChunk> {
  for (const chunk of chunks) yield chunk;
  then?.();
}

const live = () => new AbortController().signal;

t.test('the recorded fixture’s chunks become exact events', async (t) => {
  const chunks = openaiFixtureFrames()
    .map((frame) => frame.replace(/^data: /, '').trim())
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as ChatCompletionChunk);
  t.same(await collect(openAIStreamEvents(from(chunks), live())), [
    { type: 'tool_call_start', toolIndex: 0, id: 'call_F9ZaqPWo69u0urxAhVt8meDW', name: 'GetPersonAge' },
    ...['{"', 'person', 'Name', '":"', 'Alice', '"}'].map((piece) => ({ type: 'tool_call_arguments', toolIndex: 0, arguments: piece })),
    { type: 'finish', reason: 'tool_calls' },
    {
      type: 'usage',
      usage: {
        prompt_tokens: 61,
        completion_tokens: 16,
        total_tokens: 77,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 90 },
      },
    },
  ]);
});

t.test('text deltas, a second choice, and usage sent once at the end', async (t) => {
  const chunks = [
    openaiChunk({ role: 'assistant', content: '' }),
    openaiChunk({ content: 'Hel' }),
    openaiChunk({ content: 'lo' }, { index: 1 }),
    { ...openaiChunk({ content: '!' }), usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
    openaiChunk({}, { finishReason: 'stop' }),
    openaiChunk({}, { index: 1, finishReason: 'length' }),
    openaiUsageChunk({ prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 }),
  ];
  t.same(await collect(openAIStreamEvents(from(chunks), live())), [
    { type: 'text', text: 'Hel' },
    { type: 'text', text: 'lo', choice: 1 },
    { type: 'text', text: '!' },
    { type: 'finish', reason: 'stop' },
    { type: 'finish', reason: 'length', choice: 1 },
    { type: 'usage', usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } },
  ]);
});

t.test('a streamed refusal arrives as text', async (t) => {
  const chunks = [openaiChunk({ refusal: 'No.' }), openaiChunk({}, { finishReason: 'stop' })];
  t.same(await collect(openAIStreamEvents(from(chunks), live())), [{ type: 'text', text: 'No.' }, { type: 'finish', reason: 'stop' }]);
});

t.test('an error frame (APIError without status) becomes upstream_error mid-stream', async (t) => {
  const failing = from([openaiChunk({ content: 'Hi' })], () => {
    throw new APIError(undefined, { message: 'The server had an error', type: 'server_error' }, undefined, undefined);
  });
  const seen: string[] = [];
  const error = await rejection(t, (async () => {
    for await (const event of openAIStreamEvents(failing, live())) seen.push(event.type);
  })());
  t.same(seen, ['text'], 'events before the error are delivered');
  t.ok(error instanceof GatewayError);
  t.match(error, { code: 'upstream_error', message: /mid-stream \(server_error\): The server had an error/ });
});

t.test('a connection that breaks mid-stream is an upstream_error', async (t) => {
  const broken = from([], () => {
    throw new TypeError('terminated', { cause: new Error('other side closed') });
  });
  t.match(await rejection(t, collect(openAIStreamEvents(broken, live()))), { code: 'upstream_error', message: /other side closed/ });
});

t.test('when our signal fired, the quiet end of the SDK iteration becomes the abort reason', async (t) => {
  const controller = new AbortController();
  const reason = new Error('client went away');
  controller.abort(reason);
  // The SDK swallows its AbortError and just ends the iteration.
  const quietlyEnded = from([openaiChunk({ content: 'partial' })]);
  t.equal(await rejection(t, collect(openAIStreamEvents(quietlyEnded, controller.signal))), reason);
});

t.test('a stream that ends before any choice finished is an error, never a complete answer with a made-up finish', async (t) => {
  const seen: unknown[] = [];
  const cut = openAIStreamEvents(from([openaiChunk({ role: 'assistant', content: 'Hi' })]), live());
  const error = await rejection(
    t,
    (async () => {
      for await (const event of cut) seen.push(event);
    })(),
  );
  t.match(error, { code: 'upstream_error', message: /incomplete_stream.*no finish_reason/ });
  t.same(seen, [{ type: 'text', text: 'Hi' }], 'the text before the cut was delivered');
  t.match(await rejection(t, collect(openAIStreamEvents(from([]), live()))), { code: 'upstream_error' }, 'an empty body (or a JSON answer to a stream request) too');
});
