import t from 'tap';
import { startGateway } from '../helpers/gateway.js';
import { seedCaller } from '../helpers/seed-caller.js';

const image = `data:image/png;base64,${'iVBORw0KGgo'.repeat(2000)}`;

async function bodiesOf(gw: Awaited<ReturnType<typeof startGateway>>, requestId: string) {
  await gw.app.callLog.drain();
  return gw.app.sqlite.prepare('select request_body as request, response_body as response from call_logs where request_id = ?').get(requestId) as {
    request: string | null;
    response: string | null;
  };
}

t.test('GATEWAY_LOG_BODIES=true: bodies are captured, redacted and capped', async (t) => {
  const gw = await startGateway(t, { env: { GATEWAY_LOG_BODIES: 'true' } });
  const caller = seedCaller(gw.app.db, ['mock-chat']);
  gw.app.stateChanged();
  const client = gw.client(caller.key);

  await client.chat.completions.create(
    {
      model: 'mock-chat',
      messages: [
        { role: 'user', content: [{ type: 'text', text: `my other key is ${caller.key}` }, { type: 'image_url', image_url: { url: image } }] },
      ],
    },
    { headers: { 'x-request-id': 'req_body_json' } },
  );
  const json = await bodiesOf(gw, 'req_body_json');
  t.ok(json.request !== null && json.response !== null, 'both bodies are stored');
  t.notMatch(json.request, caller.key, 'a key pasted into a prompt is not stored');
  t.notMatch(json.request, 'iVBORw0KGgoiVBORw0KGgo', 'the image payload is not stored');
  t.match(json.request, /data:image\/png;base64,\[\d+ characters omitted\]/);
  t.match(JSON.parse(json.response ?? '{}'), { object: 'chat.completion', choices: [{ message: { role: 'assistant' } }] });

  const stream = await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'stream me' }], stream: true }, { headers: { 'x-request-id': 'req_body_stream' } });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  const streamed = await bodiesOf(gw, 'req_body_stream');
  t.same(JSON.parse(streamed.response ?? '{}'), { stream: true, text }, 'a stream’s body is the text it streamed');

  await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'x'.repeat(40_000) }] }, { headers: { 'x-request-id': 'req_body_large' } });
  const large = await bodiesOf(gw, 'req_body_large');
  t.ok(Buffer.byteLength(large.request ?? '') < 16 * 1024 + 64, 'the request body is capped at 16 KiB');
  t.match(large.request, /…\[truncated: \d+ bytes in all\]$/);

  const denied = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer gw-not-a-real-key-0000000000', 'x-request-id': 'req_body_denied' },
    body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: 'x' }] }),
  });
  t.equal(denied.status, 401);
  const refused = await bodiesOf(gw, 'req_body_denied');
  t.match(refused.response, /invalid_api_key/, 'the error envelope is the response body');
  t.notMatch(refused.response, /gw-not-a-real-key/);
});

t.test('bodies are not captured by default', async (t) => {
  const gw = await startGateway(t);
  const caller = seedCaller(gw.app.db, ['mock-chat']);
  gw.app.stateChanged();
  await gw.client(caller.key).chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'secret plans' }] }, { headers: { 'x-request-id': 'req_no_body' } });
  t.same(await bodiesOf(gw, 'req_no_body'), { request: null, response: null });
});
