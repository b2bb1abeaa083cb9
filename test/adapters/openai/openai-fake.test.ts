import t, { type Test } from 'tap';
import OpenAI from 'openai';
import { readFixture } from '../../helpers/fixtures.js';
import { OPENAI_FIXTURE_NAME, fakeEmbedding, openaiFixtureFrames, startOpenAIFake } from '../../fake-upstreams/openai.js';

// The fake is shared with the gateway's end-to-end tests: the official SDK, used directly and
// strictly, checks that it speaks OpenAI's wire format.

async function fakeAndClient(t: Test) {
  const fake = await startOpenAIFake({ apiKey: 'sk-fake' });
  t.teardown(() => fake.close());
  return { fake, client: new OpenAI({ apiKey: 'sk-fake', baseURL: fake.baseUrl, maxRetries: 0 }) };
}

t.test('the fixture frames replay the recorded file byte for byte', async (t) => {
  const frames = openaiFixtureFrames();
  t.equal(frames.join(''), readFixture(OPENAI_FIXTURE_NAME));
  t.equal(frames.length, 10);
  t.ok(frames.every((frame) => frame.startsWith('data: ') && frame.endsWith('\n\n')));
});

t.test('default stream passes the SDK’s strict stream helper, with usage when asked', async (t) => {
  const { client } = await fakeAndClient(t);
  const completion = await client.chat.completions
    .stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping pong' }], stream_options: { include_usage: true } })
    .finalChatCompletion();
  t.equal(completion.choices[0]?.message.content, 'Echo: ping pong');
  t.equal(completion.choices[0]?.finish_reason, 'stop');
  t.same(completion.usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
});

t.test('a forced tool choice answers with a tool call, streamed or not', async (t) => {
  const { client } = await fakeAndClient(t);
  const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } }];
  const base = { model: 'm', messages: [{ role: 'user' as const, content: 'x' }], tools, tool_choice: 'required' as const };
  const plain = await client.chat.completions.create(base);
  t.same(plain.choices[0]?.message.tool_calls, [{ id: 'call_fake_0', type: 'function', function: { name: 'lookup', arguments: '{}' } }]);
  const streamed = await client.chat.completions.stream(base).finalChatCompletion();
  t.equal(streamed.choices[0]?.finish_reason, 'tool_calls');
  t.equal(streamed.choices[0]?.message.tool_calls?.[0]?.id, 'call_fake_0');
});

t.test('embeddings as base64 (the SDK default) and as floats are the same exact vectors', async (t) => {
  const { client } = await fakeAndClient(t);
  const decoded = await client.embeddings.create({ model: 'e', input: ['one', 'two'], dimensions: 5 });
  t.same(decoded.data.map((item) => item.embedding), [fakeEmbedding('one', 5), fakeEmbedding('two', 5)]);
  const floats = await client.embeddings.create({ model: 'e', input: 'one', encoding_format: 'float' });
  t.same(floats.data[0]?.embedding, fakeEmbedding('one', 8));
  t.same(floats.usage, { prompt_tokens: 1, total_tokens: 1 });
});

t.test('models, a wrong key and an unknown path answer like OpenAI', async (t) => {
  const { fake, client } = await fakeAndClient(t);
  const models = await client.models.list();
  t.same(models.data.map((model) => model.id), ['gpt-4o-mini', 'text-embedding-3-small']);
  const wrongKey = new OpenAI({ apiKey: 'sk-wrong', baseURL: fake.baseUrl, maxRetries: 0 });
  await t.rejects(wrongKey.models.list(), { status: 401, code: 'invalid_api_key' });
  await t.rejects(client.files.list(), { status: 404, code: 'unknown_url' });
});
