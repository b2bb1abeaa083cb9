import t from 'tap';
import { SSE_DONE, sseFrame, startOpenAIFake } from '../../fake-upstreams/openai.js';
import { startGateway } from '../../helpers/gateway.js';

// Through the gateway with the openai SDK, against the OpenAI fake:
// - `logprobs: true` is passed to OpenAI, which answers with log probabilities (and bills them):
//   they used to be replaced by `logprobs: null` in the JSON answer and in every stream chunk.
// - a compatible server's non-streamed tool call without an id used to reach the client without
//   one (a stream got a gateway-made id), so the client could not answer it with `tool_call_id`.

const logprobs = {
  content: [{ token: 'Hi', logprob: -0.25, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.25, bytes: [72, 105] }] }],
  refusal: null,
};

t.test('OpenAI answers: log probabilities and tool-call ids reach the client', async (t) => {
  const openai = await startOpenAIFake();
  t.teardown(() => openai.close());
  const gw = await startGateway(t, {
    config: `providers:
  - name: oai
    kind: openai-compatible
    baseUrl: ${openai.baseUrl}
    apiKey: oai-key
models:
  - name: gpt
    type: chat
    deployments: [{ provider: oai, model: gpt-4o-mini }]
`,
  });
  const client = gw.client();
  const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };

  t.test('logprobs in a JSON answer', async (t) => {
    openai.enqueue({
      kind: 'json',
      body: { id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, logprobs, finish_reason: 'stop' }], usage },
    });
    const completion = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'x' }], logprobs: true, top_logprobs: 1 });
    t.equal((openai.requests.at(-1)?.body as { logprobs?: unknown }).logprobs, true, 'asked upstream');
    t.same(completion.choices[0]?.logprobs, logprobs, 'passed on as OpenAI sent them');
  });

  t.test('logprobs in a stream', async (t) => {
    openai.enqueue({
      kind: 'sse',
      frames: [
        sseFrame({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs, finish_reason: null }] }),
        sseFrame({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }),
        SSE_DONE,
      ],
    });
    const stream = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'x' }], logprobs: true, top_logprobs: 1, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const withText = chunks.find((chunk) => chunk.choices[0]?.delta.content === 'Hi');
    t.same(withText?.choices[0]?.logprobs, logprobs, 'on the chunk of the piece they describe');
    t.ok(chunks.filter((chunk) => chunk !== withText).every((chunk) => (chunk.choices[0]?.logprobs ?? null) === null), 'null elsewhere');
  });

  t.test('a non-streamed tool call without an id gets one', async (t) => {
    openai.enqueue({
      kind: 'json',
      body: {
        id: 'x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'get_time', arguments: '{}' } }] }, finish_reason: 'tool_calls' }],
        usage,
      },
    });
    const tools = [{ type: 'function' as const, function: { name: 'get_time' } }];
    const completion = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'time?' }], tools });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    t.match(call?.id, /^call_\w+$/, 'an id the client can answer');
    // …and the answer goes through.
    await client.chat.completions.create({
      model: 'gpt',
      tools,
      messages: [{ role: 'user', content: 'time?' }, completion.choices[0]!.message, { role: 'tool', tool_call_id: call!.id, content: '12:00' }],
    });
    t.match(JSON.stringify(openai.requests.at(-1)?.body), /12:00/);
  });
});
