import OpenAI from 'openai';
import t from 'tap';
import { openaiChunk, openaiCompletion, openaiCompletionResponse, openaiStream, openaiUsageChunk, startOpenAIFake } from '../../fake-upstreams/openai.js';
import { platformAdmin } from '../../helpers/admin.js';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { seedAllowedCaller } from '../../helpers/seed-access.js';
import { startGatewayOnDir, startLimitsGateway, tempDataDir } from '../../limits/limits-gateway.js';

/** 1000 prompt + 1000 completion tokens at $1 / $3 per million: $0.004 a call. */
const usage = { prompt_tokens: 1_000, completion_tokens: 1_000, total_tokens: 2_000 };
const messages = [{ role: 'user' as const, content: 'What does this cost?' }];

// One priced gateway for the first two tests (each has its own tenant, app and key), upstream a fake OpenAI.
const fake = await startOpenAIFake();
t.teardown(() => fake.close());
const gw = await startLimitsGateway(t, {
  config: `
providers:
  - name: upstream
    kind: openai-compatible
    baseUrl: ${fake.baseUrl}
    apiKey: provider-secret
models:
  - name: priced-chat
    type: chat
    deployments: [{ provider: upstream, model: gpt-4o-mini }]
    pricing: { input: 1, output: 3 }
`,
});
const upstreamCalls = () => fake.requests.filter((request) => request.url.includes('/chat/completions')).length;

t.test('a key budget: the crossing call completes, the next is refused once, upstream sees nothing', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { budgetUsd: 0.006 });
  // The SDK's defaults: maxRetries 2.
  const { client, sent } = gw.countingClient(caller.key);
  const upstreamBefore = upstreamCalls();
  fake.enqueue(openaiCompletionResponse({ usage }), openaiCompletionResponse({ usage }));
  await client.chat.completions.create({ model: 'priced-chat', messages });
  const crossing = await client.chat.completions.create({ model: 'priced-chat', messages });
  t.ok(crossing.choices[0]?.message.content, '$0.004 of $0.006 spent: the call that crosses the budget completes');
  t.equal(upstreamCalls() - upstreamBefore, 2);

  const before = sent();
  const refused = await expectApiError(t, client.chat.completions.create({ model: 'priced-chat', messages }, { headers: { 'x-request-id': 'req_over_budget' } }), OpenAI.RateLimitError, {
    status: 429,
    code: 'budget_exceeded',
    type: 'insufficient_quota',
    layer: 'limit',
  });
  t.equal(sent() - before, 1, 'x-should-retry: false: the SDK sent exactly one request');
  t.equal(upstreamCalls() - upstreamBefore, 2, 'the provider saw none');
  t.equal(refused?.headers?.get('x-should-retry'), 'false');
  t.match(refused?.message, new RegExp(`This API key's \\(${caller.keyId}\\) monthly budget of \\$0\\.006 is used up \\(\\$0\\.008 spent in \\d{4}-\\d\\d\\); it resets at \\d{4}-\\d\\d-01T00:00:00\\.000Z\\.`));
  t.match((refused?.error as { hint?: string } | undefined)?.hint, new RegExp(`PATCH /admin/keys/${caller.keyId} \\{"budgetUsd"`));

  await gw.app.callLog.drain();
  const row = await gw.admin.get<{ statusCode: number; outcome: string; errorCode: string; layer: string; attempts: number }>('/admin/logs/req_over_budget');
  t.match(row.body, { statusCode: 429, outcome: 'denied', errorCode: 'budget_exceeded', layer: 'limit', attempts: 0 });
  const spent = await gw.admin.get<{ data: Array<{ costUsd: number | null }> }>(`/admin/logs?keyId=${caller.keyId}&outcome=ok`);
  t.same(spent.body.data.map((logged) => logged.costUsd), [0.004, 0.004], 'the spend is the call log\'s cost');
});

t.test('a tenant budget, spent by a stream, stops every key of the tenant', async (t) => {
  const caller = gw.seedCaller();
  await gw.setTenantLimits(caller.tenantId, { monthlyBudgetUsd: 0.003 });
  const upstreamBefore = upstreamCalls();
  fake.enqueue(openaiStream([openaiChunk({ content: 'It costs ' }), openaiChunk({ content: 'money.' }), openaiChunk({}, { finishReason: 'stop' }), openaiUsageChunk(usage)]));
  const stream = await gw.client(caller.key).chat.completions.create({ model: 'priced-chat', messages, stream: true, stream_options: { include_usage: true } });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  t.equal(text, 'It costs money.', 'the crossing stream completes');
  await gw.app.callLog.drain();

  const sibling = await gw.createKey(caller.consumerId);
  const { client, sent } = gw.countingClient(sibling.key);
  const refused = await expectApiError(t, client.chat.completions.create({ model: 'priced-chat', messages }), OpenAI.RateLimitError, { code: 'budget_exceeded', type: 'insufficient_quota' });
  t.match(refused?.message, new RegExp(`Your tenant's \\(${caller.tenantId}\\) monthly budget of \\$0\\.003 is used up \\(\\$0\\.004 spent`));
  t.match((refused?.error as { hint?: string } | undefined)?.hint, /monthlyBudgetUsd/);
  t.equal(sent(), 1);
  t.equal(upstreamCalls() - upstreamBefore, 1);

  // Raising the budget lets calls through again at once (the snapshot is rebuilt on the write).
  await gw.setTenantLimits(caller.tenantId, { monthlyBudgetUsd: 1 });
  fake.enqueue(openaiCompletionResponse({ usage }));
  t.ok((await client.chat.completions.create({ model: 'priced-chat', messages })).choices.length > 0);
});

t.test('calls running side by side hold the most they can cost: three at once cannot all pass on one spend', async (t) => {
  const caller = gw.seedCaller();
  // Each asks for at most 1000 tokens ($0.003 at $3 per million) besides its short prompt.
  await gw.setKeyLimits(caller.keyId, { budgetUsd: 0.006 });
  const upstreamBefore = upstreamCalls();
  const slow = { kind: 'json' as const, body: openaiCompletion({ usage }), delayMs: 400 };
  fake.enqueue(slow, slow);
  const client = new OpenAI({ apiKey: caller.key, baseURL: gw.baseURL, maxRetries: 0 });
  const outcomes = await Promise.allSettled([0, 1, 2].map(() => client.chat.completions.create({ model: 'priced-chat', messages, max_tokens: 1_000 })));
  t.same(outcomes.map((outcome) => outcome.status).sort(), ['fulfilled', 'fulfilled', 'rejected'], 'the first two hold $0.006 and more between them; the third finds nothing left');
  t.equal(upstreamCalls() - upstreamBefore, 2, 'the provider saw two calls');
  const refused = outcomes.find((outcome) => outcome.status === 'rejected');
  const error = refused?.status === 'rejected' ? (refused.reason as InstanceType<typeof OpenAI.APIError>) : undefined;
  t.equal(error?.status, 429);
  t.equal(error?.code, 'budget_exceeded');
  t.match(error?.message, /monthly budget of \$0\.006 has nothing left for this call now: \$0 is spent in \d{4}-\d\d, and calls still running hold \$0\.006\d*, the most they can cost\./);
  t.equal(error?.headers?.get('x-should-retry'), null, 'a retry after those calls may pass');
  // Both settled at their real cost ($0.004 each): the budget is used up now.
  await expectApiError(t, client.chat.completions.create({ model: 'priced-chat', messages }), OpenAI.RateLimitError, { code: 'budget_exceeded' });
});

t.test('spend survives a restart: it is rebuilt from the call log', async (t) => {
  const dataDir = tempDataDir(t);
  const first = await startGatewayOnDir(t, dataDir);
  const caller = seedAllowedCaller(first.app.db);
  first.app.stateChanged();
  const api = await platformAdmin({ app: first.app, dataDir });
  t.equal((await api.patch(`/admin/keys/${caller.keyId}`, { budgetUsd: 0.000001 })).status, 200);
  const client = (origin: string) => new OpenAI({ apiKey: caller.key, baseURL: `${origin}/v1`, maxRetries: 0 });
  // The mock model costs $1 / $2 per million tokens: one call crosses a budget of a millionth of a dollar.
  await client(first.origin).chat.completions.create({ model: 'mock-chat', messages });
  await expectApiError(t, client(first.origin).chat.completions.create({ model: 'mock-chat', messages }), OpenAI.RateLimitError, { code: 'budget_exceeded' });
  await first.close();

  const second = await startGatewayOnDir(t, dataDir);
  const refused = await expectApiError(t, client(second.origin).chat.completions.create({ model: 'mock-chat', messages }), OpenAI.RateLimitError, { code: 'budget_exceeded' });
  const cost = second.app.sqlite.prepare('SELECT SUM(cost_usd) AS usd FROM call_logs WHERE key_id = ?').get(caller.keyId) as { usd: number };
  t.ok(cost.usd > 0);
  t.match(refused?.message, `($${Number(cost.usd.toFixed(6))} spent in`, 'the spend after the restart is the logged cost');
});
