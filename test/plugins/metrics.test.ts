import t, { type Test } from 'tap';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheusText, sampleValue, type Sample } from '../helpers/prometheus-text.js';

async function scrape(gw: RunningGateway, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(`${gw.origin}/metrics`, { headers });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  if (!(response.headers.get('content-type') ?? '').startsWith('text/plain')) throw new Error('/metrics is not text/plain');
  return parsePrometheusText(await response.text());
}

async function gatewayWithCaller(t: Test, env: Record<string, string> = {}) {
  const gw = await startGateway(t, { env });
  return { gw, client: gw.client(), key: gw.apiKey };
}

t.test('/metrics parses as Prometheus text and its counters move with calls and denials', async (t) => {
  const { gw, client, key } = await gatewayWithCaller(t);
  const before = await scrape(gw);
  t.equal(sampleValue(before, 'gateway_requests_total'), 0, 'nothing counted yet (probes and scrapes are not calls)');

  await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'Hello there' }] });
  const stream = await client.chat.completions.create({ model: 'mock-chat', stream: true, messages: [{ role: 'user', content: 'Stream it' }] });
  for await (const _chunk of stream) {
    // drain
  }
  await client.embeddings.create({ model: 'mock-embed', input: 'vector me' });
  // Two denials: an unknown model (its made-up name must not become a label value) and a malformed body.
  const unknownModel = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'no-such-model-x1', messages: [{ role: 'user', content: 'hi' }] }),
  });
  t.equal(unknownModel.status, 404);
  const malformed = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{"model": "mock-chat", "messages": ',
  });
  t.equal(malformed.status, 400);

  const after = await scrape(gw);
  const ok = { endpoint: 'chat', model: 'mock-chat', provider: 'local-mock', status: '200', outcome: 'ok' };
  t.equal(sampleValue(after, 'gateway_requests_total', ok), 2, 'two chat calls, streamed or not');
  t.equal(sampleValue(after, 'gateway_requests_total', { endpoint: 'embeddings', model: 'mock-embed', outcome: 'ok' }), 1);
  t.equal(sampleValue(after, 'gateway_requests_total', { model: 'unknown', status: '404', outcome: 'denied' }), 1, 'the unknown model counts as unknown');
  t.notOk(
    after.some((sample) => Object.values(sample.labels).includes('no-such-model-x1')),
    'a caller-chosen model name never becomes a label value',
  );
  t.equal(sampleValue(after, 'gateway_denials_total', { layer: 'model', code: 'model_not_found' }), 1);
  t.equal(sampleValue(after, 'gateway_denials_total', { layer: 'request', code: 'invalid_request' }), 1);
  t.equal(sampleValue(after, 'gateway_request_duration_seconds_count', { endpoint: 'chat', outcome: 'ok' }), 2);
  t.equal(sampleValue(after, 'gateway_upstream_duration_seconds_count', { provider: 'local-mock', model: 'mock-chat' }), 2);
  t.equal(sampleValue(after, 'gateway_time_to_first_token_seconds_count', { provider: 'local-mock', model: 'mock-chat' }), 1, 'time to first token: the stream only');
  t.ok(sampleValue(after, 'gateway_tokens_total', { model: 'mock-chat', kind: 'prompt' }) > 0, 'prompt tokens counted');
  t.ok(sampleValue(after, 'gateway_tokens_total', { model: 'mock-chat', kind: 'completion' }) > 0, 'completion tokens counted');
  t.ok(sampleValue(after, 'gateway_tokens_total', { model: 'mock-embed', kind: 'prompt' }) > 0, 'embedding tokens counted');
  t.ok(sampleValue(after, 'gateway_cost_usd_total', { model: 'mock-chat', provider: 'local-mock' }) > 0, 'spend counted from the catalog prices');
  t.equal(sampleValue(after, 'gateway_in_flight_calls'), 0, 'no call in flight once all answered');
  t.ok(after.some((sample) => sample.name === 'gateway_call_log_queue_depth'), 'the call-log queue depth is exported');
  t.equal(sampleValue(after, 'gateway_call_log_write_errors_total'), 0, 'and its write errors: none');
  t.ok(after.some((sample) => sample.name === 'process_cpu_user_seconds_total'), 'process metrics are there too');
});

t.test('the in-flight gauge counts a stream while it runs', async (t) => {
  const gw = await startGateway(t, {
    config: `
providers:
  - { name: slow-mock, kind: mock, options: { chunkDelayMs: 150, reply: "one two three four five six" } }
models:
  - { name: mock-chat, type: chat, deployments: [{ provider: slow-mock, model: mock-1 }] }
`,
  });
  const stream = await gw.client().chat.completions.create({ model: 'mock-chat', stream: true, messages: [{ role: 'user', content: 'x' }] });
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  t.equal(sampleValue(await scrape(gw), 'gateway_in_flight_calls'), 1, 'one stream running');
  while (!(await iterator.next()).done) {
    // drain
  }
  t.equal(sampleValue(await scrape(gw), 'gateway_in_flight_calls'), 0, 'none once it ended');
});

t.test('each gateway instance owns its registry', async (t) => {
  const first = await gatewayWithCaller(t);
  const second = await gatewayWithCaller(t);
  await first.client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'only here' }] });
  t.equal(sampleValue(await scrape(first.gw), 'gateway_requests_total', { endpoint: 'chat' }), 1);
  t.equal(sampleValue(await scrape(second.gw), 'gateway_requests_total', { endpoint: 'chat' }), 0, 'the other instance saw nothing');
});

t.test('GATEWAY_METRICS_TOKEN protects /metrics', async (t) => {
  const token = 'metrics-token-0123456789abcdef';
  const gw = await startGateway(t, { env: { GATEWAY_METRICS_TOKEN: token } });

  const missing = await fetch(`${gw.origin}/metrics`);
  t.equal(missing.status, 401);
  t.match(missing.headers.get('www-authenticate'), /Bearer/);
  const missingBody = (await missing.json()) as { error: { code: string; hint: string } };
  t.equal(missingBody.error.code, 'metrics_token_missing');
  t.match(missingBody.error.hint, /GATEWAY_METRICS_TOKEN/, 'says what to send');

  const wrong = await fetch(`${gw.origin}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
  t.equal(wrong.status, 401);
  const wrongText = await wrong.text();
  t.match(JSON.parse(wrongText), { error: { code: 'metrics_token_invalid' } });
  t.notMatch(wrongText, token, 'the configured token is never echoed');

  const samples = await scrape(gw, { authorization: `Bearer ${token}` });
  t.ok(samples.length > 0, 'the right token gets the metrics');
});

t.test("the admin API's refusals (no token, an unknown id) count as denied, not as gateway errors", async (t) => {
  const { gw } = await gatewayWithCaller(t);
  t.equal((await fetch(`${gw.origin}/admin/tenants`)).status, 401);
  const after = await scrape(gw);
  t.equal(sampleValue(after, 'gateway_requests_total', { endpoint: 'admin', status: '401', outcome: 'denied' }), 1);
  t.equal(sampleValue(after, 'gateway_requests_total', { endpoint: 'admin', outcome: 'error' }), 0);
});
