import t from 'tap';
import { readFixture } from '../../helpers/fixtures.js';
import {
  ANTHROPIC_FIXTURES,
  anthropicErrorBody,
  anthropicFixtureEvents,
  anthropicFixtureFrames,
  anthropicMidStreamErrorFrame,
  anthropicSseFrame,
  startAnthropicFake,
} from '../../fake-upstreams/anthropic.js';

const body = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'Hello world' }] };

async function post(url: string, headers: Record<string, string>, payload: unknown = body): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
  return { status: response.status, json: await response.json() };
}

t.test('the fake takes the key as x-api-key or as a bearer token, and checks the basics', async (t) => {
  const fake = await startAnthropicFake({ apiKey: 'k1' });
  t.teardown(() => fake.close());
  const url = `${fake.baseUrl}/v1/messages`;
  const version = { 'anthropic-version': '2023-06-01' };
  t.equal(fake.baseUrl, fake.origin, 'the bare origin, as the SDK takes it');
  t.match(await post(url, { ...version, 'x-api-key': 'k1' }), { status: 200, json: { type: 'message', content: [{ type: 'text', text: 'Echo: Hello world' }] } });
  t.match(await post(url, { ...version, authorization: 'Bearer k1' }), { status: 200 });
  t.match(await post(url, { ...version, 'x-api-key': 'nope' }), { status: 401, json: anthropicErrorBody('authentication_error', 'invalid x-api-key') });
  t.match(await post(url, { 'x-api-key': 'k1' }), { status: 400, json: { error: { type: 'invalid_request_error', message: /anthropic-version/ } } });
  t.match(await post(url, { ...version, 'x-api-key': 'k1' }, { model: 'm', messages: [] }), { status: 400 });
  t.match(await post(`${fake.baseUrl}/v1/complete`, { ...version, 'x-api-key': 'k1' }), { status: 404, json: { error: { type: 'not_found_error' } } });
});

t.test('the fake streams with event: lines', async (t) => {
  const fake = await startAnthropicFake();
  t.teardown(() => fake.close());
  const response = await fetch(`${fake.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'any' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  t.equal(response.headers.get('content-type'), 'text/event-stream');
  const frames = (await response.text()).split('\n\n').filter(Boolean);
  const types = frames.map((frame) => /^event: (\w+)\ndata: \{"type":"(\w+)"/.exec(frame)?.slice(1));
  t.ok(types.every((pair) => pair !== undefined && pair[0] === pair[1]), 'every frame: event line matching its data type');
  t.same(
    types.map((pair) => pair?.[0]),
    ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'ping', 'content_block_stop', 'message_delta', 'message_stop'],
  );
});

t.test('fixture helpers replay the recorded bytes', async (t) => {
  for (const name of Object.values(ANTHROPIC_FIXTURES)) {
    t.equal(anthropicFixtureFrames(name).join(''), readFixture(`derived/${name}.sse`), `${name}: frames concatenate to the file`);
    const events = anthropicFixtureEvents(name);
    t.same(events.map(anthropicSseFrame), anthropicFixtureFrames(name), `${name}: the frame builder writes the same bytes`);
  }
  t.equal(anthropicMidStreamErrorFrame('overloaded_error', 'Overloaded'), 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
});
