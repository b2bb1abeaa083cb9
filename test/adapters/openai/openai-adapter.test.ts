import t from 'tap';
import { createOpenAIAdapter } from '../../../src/adapters/openai/openai-adapter.js';
import type { ChatRequest } from '../../../src/adapters/types.js';
import { fakeEmbedding, openaiCompletionResponse, openaiFixtureStream, startOpenAIFake } from '../../fake-upstreams/openai.js';
import { adapterWithFake, callOptions, collect } from './fixtures/adapter-harness.js';

const hello: ChatRequest = { model: 'public-alias', messages: [{ role: 'user', content: 'Hello there' }] };

t.test('non-stream text: upstream model, key, request id, no SDK retries header beyond 0', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const result = await adapter.chat(hello, callOptions());
  t.same(result.choices, [
    { index: 0, message: { role: 'assistant', content: 'Echo: Hello there', refusal: null }, logprobs: null, finish_reason: 'stop' },
  ]);
  t.same(result.usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  t.equal(result.providerResponseId, 'chatcmpl-fake');
  const [seen] = fake.requests;
  t.equal(seen?.method, 'POST');
  t.equal(seen?.url, '/v1/chat/completions');
  t.equal(seen?.headers.authorization, 'Bearer sk-test');
  t.equal(seen?.headers['x-request-id'], 'req_test_1');
  t.same(seen?.body, { model: 'gpt-4o-mini-upstream', messages: hello.messages });
});

t.test('a tool-call answer', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(
    openaiCompletionResponse({
      toolCalls: [{ id: 'call_1', name: 'GetPersonAge', arguments: '{"personName":"Alice"}' }],
      usage: {
        prompt_tokens: 61,
        completion_tokens: 16,
        total_tokens: 77,
        prompt_tokens_details: { cached_tokens: 12 },
        completion_tokens_details: { reasoning_tokens: 9 },
      },
    }),
  );
  const result = await adapter.chat(hello, callOptions());
  t.same(result.choices[0]?.message.tool_calls, [
    { id: 'call_1', type: 'function', function: { name: 'GetPersonAge', arguments: '{"personName":"Alice"}' } },
  ]);
  t.equal(result.choices[0]?.finish_reason, 'tool_calls');
  t.equal(result.usage?.prompt_tokens_details?.cached_tokens, 12);
  t.equal(result.usage?.completion_tokens_details?.reasoning_tokens, 9);
});

t.test('the recorded stream replayed over HTTP gives exact events; the upstream asked for usage', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(openaiFixtureStream());
  const request: ChatRequest = {
    ...hello,
    stream: true,
    stream_options: { include_obfuscation: false },
    reasoning_effort: 'low',
    some_future_parameter: { nested: [1, 2] },
  };
  const events = await collect(await adapter.chatStream(request, callOptions()));
  t.same(events, [
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
  const args = events.flatMap((event) => (event.type === 'tool_call_arguments' ? [event.arguments] : [])).join('');
  t.same(JSON.parse(args), { personName: 'Alice' });
  t.same(fake.requests[0]?.body, {
    model: 'gpt-4o-mini-upstream',
    messages: hello.messages,
    stream: true,
    stream_options: { include_obfuscation: false, include_usage: true },
    reasoning_effort: 'low',
    some_future_parameter: { nested: [1, 2] },
  });
});

t.test('the fake’s default stream: text pieces, stop, usage', async (t) => {
  const { adapter } = await adapterWithFake(t);
  const events = await collect(await adapter.chatStream({ ...hello, stream: true }, callOptions()));
  const text = events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
  t.equal(text, 'Echo: Hello there');
  t.same(events.slice(-2), [
    { type: 'finish', reason: 'stop' },
    { type: 'usage', usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } },
  ]);
});

t.test('dropParams removes parameters before sending; others pass', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const request: ChatRequest = { ...hello, temperature: 0.3, seed: 7, logit_bias: { '50256': -100 } };
  await adapter.chat(request, callOptions({ dropParams: new Set(['temperature', 'logit_bias']) }));
  t.same(fake.requests[0]?.body, { model: 'gpt-4o-mini-upstream', messages: hello.messages, seed: 7 });
});

t.test('embeddings: exact floats, in order, with dimensions and user passed', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const request = { model: 'alias', input: ['alpha', 'beta'], dimensions: 4, user: 'user-1', encoding_format: 'base64' as const };
  const result = await adapter.embed!(request, callOptions());
  t.same(result, { vectors: [fakeEmbedding('alpha', 4), fakeEmbedding('beta', 4)], usage: { prompt_tokens: 2, total_tokens: 2 } });
  t.same(fake.requests[0]?.body, { ...request, model: 'gpt-4o-mini-upstream', encoding_format: 'float' });

  // Decimal values that float32 cannot hold arrive exactly as the provider wrote them.
  const precise = [0.123456789012345, -1e-7, 0.1];
  const data = [{ object: 'embedding', index: 0, embedding: precise }];
  fake.enqueue({ kind: 'json', body: { object: 'list', model: 'm', data, usage: { prompt_tokens: 1, total_tokens: 1 } } });
  t.same((await adapter.embed!({ model: 'alias', input: 'x' }, callOptions())).vectors, [precise]);
});

t.test('no configured key sends a placeholder; the gateway’s environment never leaks', async (t) => {
  process.env.OPENAI_API_KEY = 'sk-from-environment';
  process.env.OPENAI_ORG_ID = 'org-from-environment';
  t.teardown(() => {
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_ORG_ID;
  });
  const fake = await startOpenAIFake();
  t.teardown(() => fake.close());
  const adapter = createOpenAIAdapter({ baseUrl: fake.baseUrl });
  await adapter.chat(hello, callOptions());
  t.equal(fake.requests[0]?.headers.authorization, 'Bearer no-key-configured');
  t.notOk('openai-organization' in (fake.requests[0]?.headers ?? {}));
});
