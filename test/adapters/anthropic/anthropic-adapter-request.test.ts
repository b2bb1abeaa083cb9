import t from 'tap';
import { createAnthropicAdapter } from '../../../src/adapters/anthropic/anthropic-adapter.js';
import type { ChatRequest, ToolDefinition } from '../../../src/adapters/types.js';
import { anthropicMessageResponse, startAnthropicFake } from '../../fake-upstreams/anthropic.js';
import { adapterWithFake, callOptions, collect, gatewayRejection, TEST_API_KEY } from './adapter-harness.js';

// The SDK reads these; the adapter must never let the gateway's environment steer its calls.
process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:9';
process.env.ANTHROPIC_API_KEY = 'env-api-key';
process.env.ANTHROPIC_AUTH_TOKEN = 'env-auth-token';

const weather: ToolDefinition = {
  type: 'function',
  function: { name: 'weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

const conversation: ChatRequest = {
  model: 'claude-alias',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather?' },
    { role: 'user', content: [{ type: 'text', text: 'In Paris and Rome.' }] },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
    { role: 'tool', tool_call_id: 'toolu_2', content: 'rainy' },
    { role: 'developer', content: 'Use Celsius.' },
  ],
  tools: [weather],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  max_tokens: 321,
  stop: 'END',
  temperature: 1.6,
  top_p: 0.5,
  user: 'user-7',
};

const expectedBody = {
  model: 'claude-upstream-model',
  max_tokens: 321,
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'text', text: 'In Paris and Rome.' }] },
    {
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: 'rainy' },
      ],
    },
  ],
  system: 'Be brief.\n\nUse Celsius.',
  tools: [{ name: 'weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  stop_sequences: ['END'],
  temperature: 1,
  top_p: 0.5,
  metadata: { user_id: 'user-7' },
};

t.test('chat: the upstream receives the translated Messages body and Anthropic headers', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const result = await adapter.chat(conversation, callOptions());
  t.equal(result.choices[0]?.finish_reason, 'stop');
  t.equal(fake.requests.length, 1);
  const [request] = fake.requests;
  t.equal(request?.method, 'POST');
  t.equal(request?.url, '/v1/messages');
  t.same(request?.body, { ...expectedBody, stream: false });
  t.equal(request?.headers['x-api-key'], TEST_API_KEY);
  t.equal(request?.headers['anthropic-version'], '2023-06-01');
  t.equal(request?.headers['x-request-id'], 'req_test_1');
  t.equal(request?.headers.authorization, undefined, 'no bearer token from ANTHROPIC_AUTH_TOKEN');
});

t.test('chatStream: the same body with stream: true', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const events = await collect(await adapter.chatStream(conversation, callOptions()));
  t.same(fake.requests[0]?.body, { ...expectedBody, stream: true });
  t.equal(events.at(-2)?.type, 'finish');
  t.equal(events.at(-1)?.type, 'usage');
});

t.test('chat: the answer is translated into an OpenAI choice with usage', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(
    anthropicMessageResponse({
      id: 'msg_42',
      text: 'Sunny in Paris.',
      toolUses: [{ id: 'toolu_9', name: 'weather', input: { city: 'Rome' } }],
      usage: { input_tokens: 20, output_tokens: 8, cache_creation_input_tokens: 5, cache_read_input_tokens: 100 },
    }),
  );
  t.same(await adapter.chat({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tools: [weather] }, callOptions()), {
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Sunny in Paris.',
          refusal: null,
          tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } }],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 125, completion_tokens: 8, total_tokens: 133, prompt_tokens_details: { cached_tokens: 100 } },
    providerResponseId: 'msg_42',
  });
});

t.test('chat: an answer of several hundred KiB arrives whole (it used to hang past ~64 KiB)', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const text = 'word '.repeat(100_000);
  fake.enqueue(anthropicMessageResponse({ text }));
  const result = await adapter.chat({ model: 'm', messages: [{ role: 'user', content: 'Write a lot' }] }, callOptions({ signal: AbortSignal.timeout(5_000) }));
  t.equal(result.choices[0]?.message.content, text);
});

t.test('chat with a large max_tokens is not refused client-side by the SDK', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const result = await adapter.chat({ model: 'm', messages: [{ role: 'user', content: 'Write a book' }], max_completion_tokens: 64000 }, callOptions());
  t.equal(result.choices[0]?.message.content, 'Echo: Write a book');
  t.match(fake.requests[0]?.body, { max_tokens: 64000 });
});

t.test('the provider default max_tokens applies when the request sets none', async (t) => {
  const { fake, adapter } = await adapterWithFake(t, { defaultMaxTokens: 777 });
  await adapter.chat({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, callOptions());
  t.match(fake.requests[0]?.body, { max_tokens: 777 });
});

t.test('an unsupported parameter is a 400 naming it, before any upstream call; dropParams drops it', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi' }], seed: 42 };
  for (const call of [adapter.chat(request, callOptions()), adapter.chatStream(request, callOptions())]) {
    const error = await gatewayRejection(t, call);
    t.match(error, { status: 400, code: 'unsupported_parameter', param: 'seed' });
  }
  t.equal(fake.requests.length, 0, 'nothing reached the provider');
  await adapter.chat(request, callOptions({ dropParams: new Set(['seed']) }));
  t.equal(fake.requests.length, 1);
  t.notOk('seed' in (fake.requests[0]?.body as object), 'the dropped parameter is not sent');
});

t.test('without an API key the adapter sends a placeholder, never the environment’s key', async (t) => {
  const fake = await startAnthropicFake();
  t.teardown(() => fake.close());
  const adapter = createAnthropicAdapter({ baseUrl: fake.baseUrl });
  await adapter.chat({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, callOptions());
  const headers = fake.requests[0]?.headers;
  t.not(headers?.['x-api-key'], 'env-api-key');
  t.equal(typeof headers?.['x-api-key'], 'string');
  t.equal(headers?.authorization, undefined);
});
