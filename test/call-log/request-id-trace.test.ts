import t from 'tap';
import { startOpenAIFake } from '../fake-upstreams/openai.js';
import { startGateway } from '../helpers/gateway.js';
import { seedCaller } from '../helpers/seed-caller.js';

t.test('one request id from the caller to the provider, in the row and in the error body', async (t) => {
  const fake = await startOpenAIFake();
  t.teardown(() => fake.close());
  const gw = await startGateway(t, {
    config: `
providers:
  - name: upstream
    kind: openai-compatible
    baseUrl: ${fake.baseUrl}
    apiKey: provider-secret-key
models:
  - name: chat-model
    type: chat
    deployments: [{ provider: upstream, model: fake-model }]
`,
  });
  const caller = seedCaller(gw.app.db, ['chat-model']);
  gw.app.stateChanged();
  const client = gw.client(caller.key);

  const { response } = await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'trace me' }] }, { headers: { 'x-request-id': 'req_trace_1' } }).withResponse();
  t.equal(response.headers.get('x-request-id'), 'req_trace_1', 'echoed to the caller');
  t.equal(fake.requests.at(-1)?.headers['x-request-id'], 'req_trace_1', 'sent upstream unchanged');

  const denied = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.key}`, 'x-request-id': 'req_trace_2' },
    body: JSON.stringify({ model: 'missing-model', messages: [{ role: 'user', content: 'x' }] }),
  });
  t.equal(((await denied.json()) as { error: { request_id: string } }).error.request_id, 'req_trace_2', 'in the error body');

  await gw.app.callLog.drain();
  const rows = gw.app.sqlite.prepare("select request_id from call_logs where request_id like 'req_trace_%' order by seq").all();
  t.same(rows, [{ request_id: 'req_trace_1' }, { request_id: 'req_trace_2' }], 'in the rows');
});

t.test('a caller reusing its request id still gets a row per call; the detail view shows the newest', async (t) => {
  const gw = await startGateway(t);
  const caller = seedCaller(gw.app.db, ['mock-chat']);
  gw.app.stateChanged();
  const client = gw.client(caller.key);
  for (const content of ['first', 'second']) {
    await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content }] }, { headers: { 'x-request-id': 'req_reused' } });
  }
  await gw.app.callLog.drain();
  const rows = gw.app.sqlite.prepare("select seq from call_logs where request_id = 'req_reused' order by seq").all() as { seq: number }[];
  t.equal(rows.length, 2);
});
