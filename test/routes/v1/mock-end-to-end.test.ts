import t from 'tap';
import OpenAI from 'openai';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { startGateway } from '../../helpers/gateway.js';

t.test('the openai SDK talks to the mock model through the gateway', async (t) => {
  const gw = await startGateway(t);
  const client = gw.client();

  t.test('chat', async (t) => {
    const completion = await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'ping' }] });
    t.equal(completion.object, 'chat.completion');
    t.equal(completion.model, 'mock-chat');
    t.equal(completion.choices[0]?.message.content, 'This is the mock model. You said: "ping"');
    t.equal(completion.choices[0]?.finish_reason, 'stop');
    t.ok((completion.usage?.total_tokens ?? 0) > 0, 'usage is reported');
  });

  t.test('stream with include_usage, through the strict .stream() helper', async (t) => {
    const runner = client.chat.completions.stream({
      model: 'mock-chat',
      messages: [{ role: 'user', content: 'stream please' }],
      stream_options: { include_usage: true },
    });
    const final = await runner.finalChatCompletion();
    t.equal(final.choices[0]?.message.content, 'This is the mock model. You said: "stream please"');
    t.equal(final.choices[0]?.finish_reason, 'stop');
    t.ok((final.usage?.completion_tokens ?? 0) > 0, 'usage chunk arrived');
  });

  t.test('stream without include_usage sends no usage chunk', async (t) => {
    const stream = await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    t.notOk(chunks.some((chunk) => chunk.usage), 'no chunk carries usage');
    t.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    t.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'stop');
  });

  t.test('tool-call round trip', async (t) => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] },
        },
      },
    ];
    const first = await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'weather?' }], tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    t.equal(first.choices[0]?.finish_reason, 'tool_calls');
    t.ok(call && call.type === 'function');
    if (!call || call.type !== 'function') return;
    t.same(JSON.parse(call.function.arguments), { city: 'mock', days: 1 });
    const second = await client.chat.completions.create({
      model: 'mock-chat',
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'sunny' },
      ],
    });
    t.equal(second.choices[0]?.message.content, 'The tool answered: sunny');
  });

  t.test('embeddings, base64 by default and decoded by the SDK', async (t) => {
    const base64 = await client.embeddings.create({ model: 'mock-embed', input: ['a', 'b'] });
    const float = await client.embeddings.create({ model: 'mock-embed', input: ['a', 'b'], encoding_format: 'float' });
    t.equal(base64.data.length, 2);
    t.equal(base64.data[0]?.embedding.length, 16);
    t.same(base64.data[0]?.embedding, float.data[0]?.embedding, 'base64 decodes to exactly the float vector');
    t.not(base64.data[0]?.embedding[0], base64.data[1]?.embedding[0], 'different inputs embed differently');
  });

  t.test('models', async (t) => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    t.same(ids.sort(), ['mock-chat', 'mock-embed']);
    const one = await client.models.retrieve('mock-chat');
    t.equal(one.id, 'mock-chat');
    await expectApiError(t, client.models.retrieve('nope'), OpenAI.NotFoundError, { status: 404, code: 'model_not_found', layer: 'model' });
  });
});
