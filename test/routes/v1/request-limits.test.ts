import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import t from 'tap';
import { adminApi } from '../../helpers/admin.js';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { startLimitsGateway } from '../../limits/limits-gateway.js';

const ask = { model: 'mock-chat', messages: [{ role: 'user' as const, content: 'hello' }] };

// Two gateways for the whole file (each test has its own tenant, app and key): one with a short
// window for the tests that wait for a window to end, one with the default minute.
const short = await startLimitsGateway(t, { env: { GATEWAY_LIMIT_WINDOW_MS: '3000' } });
const gw = await startLimitsGateway(t);

t.test('rpm 5: calls 1..5 pass counting down, call 6 is 429 with Retry-After, the next window passes again', async (t) => {
  const caller = short.seedCaller();
  await short.setKeyLimits(caller.keyId, { rpm: 5 });
  const client = short.client(caller.key);
  const remaining: Array<string | null> = [];
  for (let call = 1; call <= 5; call += 1) {
    const { response } = await client.chat.completions.create(ask).withResponse();
    remaining.push(response.headers.get('x-ratelimit-remaining-requests'));
    t.equal(response.headers.get('x-ratelimit-limit-requests'), '5');
    t.match(response.headers.get('x-ratelimit-reset-requests'), /^\d+(\.\d+)?(ms|s)$/);
  }
  t.same(remaining, ['4', '3', '2', '1', '0']);

  const refused = await expectApiError(t, client.chat.completions.create(ask), OpenAI.RateLimitError, { status: 429, code: 'rate_limit_exceeded', type: 'requests', layer: 'limit' });
  const retryAfter = Number(refused?.headers?.get('retry-after'));
  t.ok(retryAfter >= 1 && retryAfter <= 3, `Retry-After is the rest of the window in seconds (${retryAfter})`);
  const retryAfterMs = Number(refused?.headers?.get('retry-after-ms'));
  t.ok(retryAfterMs > 0 && retryAfterMs <= 3000);
  t.equal(refused?.headers?.get('x-ratelimit-limit-requests'), '5');
  t.equal(refused?.headers?.get('x-ratelimit-remaining-requests'), '0');
  t.equal(refused?.headers?.get('x-gateway-error-source'), 'gateway');
  t.match(refused?.message, new RegExp(`This API key's \\(${caller.keyId}\\) limit of 5 requests per 3s window is reached; it resets in`));

  await sleep(retryAfterMs + 50);
  const { response } = await client.chat.completions.create(ask).withResponse();
  t.equal(response.headers.get('x-ratelimit-remaining-requests'), '4', 'a new window');
});

t.test('the SDK with its default retries waits Retry-After and gets through', async (t) => {
  const caller = short.seedCaller();
  await short.setKeyLimits(caller.keyId, { rpm: 1 });
  const { client, sent } = short.countingClient(caller.key);
  await client.chat.completions.create(ask);
  const started = Date.now();
  const completion = await client.chat.completions.create(ask);
  t.ok(completion.choices[0]?.message.content, 'the second call succeeded on a retry');
  t.equal(sent(), 3, 'one call, one refused attempt, one retry');
  t.ok(Date.now() - started >= 1_000, 'the SDK waited for the window');
});

t.test('the headers are on every /v1 answer of a limited key: embeddings and the model list too', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { rpm: 10, tpm: 10_000 });
  const client = gw.client(caller.key);
  const embedded = await client.embeddings.create({ model: 'mock-embed', input: 'hello there' }).withResponse();
  t.equal(embedded.response.headers.get('x-ratelimit-remaining-requests'), '9');
  t.ok(Number(embedded.response.headers.get('x-ratelimit-remaining-tokens')) < 10_000, 'the input tokens are reserved');
  const listed = await client.models.list().withResponse();
  t.equal(listed.response.headers.get('x-ratelimit-remaining-requests'), '8');
  t.equal(listed.response.headers.get('x-ratelimit-limit-tokens'), '10000');

  const plain = await gw.client(gw.seedCaller().key).chat.completions.create(ask).withResponse();
  t.equal(plain.response.headers.get('x-ratelimit-limit-requests'), null, 'a key without limits gets none');
});

t.test('key and tenant: the tighter one applies and the refusal names it', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { rpm: 5 });
  await gw.setTenantLimits(caller.tenantId, { rpm: 2 });
  const client = gw.client(caller.key);
  const first = await client.chat.completions.create(ask).withResponse();
  t.equal(first.response.headers.get('x-ratelimit-remaining-requests'), '1', "the header follows the tighter window (the tenant's)");
  await client.chat.completions.create(ask);
  const byTenant = await expectApiError(t, client.chat.completions.create(ask), OpenAI.RateLimitError, { code: 'rate_limit_exceeded' });
  t.match(byTenant?.message, new RegExp(`Your tenant's \\(${caller.tenantId}\\) limit of 2 requests per minute is reached`));
  t.match((byTenant?.error as { hint?: string } | undefined)?.hint, new RegExp(`PATCH /admin/tenants/${caller.tenantId}`));

  // The tenant's window is shared by all its keys.
  const sibling = await gw.createKey(caller.consumerId);
  await expectApiError(t, gw.client(sibling.key).chat.completions.create(ask), OpenAI.RateLimitError, { code: 'rate_limit_exceeded' });

  // The other way round: the key is tighter.
  await gw.setTenantLimits(caller.tenantId, { rpm: 100 });
  const tight = await gw.createKey(caller.consumerId, { rpm: 1 });
  await gw.client(tight.key).chat.completions.create(ask);
  const byKey = await expectApiError(t, gw.client(tight.key).chat.completions.create(ask), OpenAI.RateLimitError, { code: 'rate_limit_exceeded' });
  t.match(byKey?.message, new RegExp(`This API key's \\(${tight.id}\\) limit of 1 requests per minute is reached`));
});

t.test('a refused call is in the call log with its code and the limit step in its trace', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { rpm: 1 });
  const client = gw.client(caller.key);
  await client.chat.completions.create(ask);
  const refused = await expectApiError(t, client.chat.completions.create(ask), OpenAI.RateLimitError, { code: 'rate_limit_exceeded' });
  const requestId = refused?.headers?.get('x-request-id') ?? '';
  await gw.app.callLog.drain();
  const row = await gw.admin.get<{ statusCode: number; outcome: string; errorCode: string; layer: string; decisionTrace: Array<{ layer: string; outcome: string }> }>(`/admin/logs/${requestId}`);
  t.equal(row.status, 200);
  t.match(row.body, { statusCode: 429, outcome: 'denied', errorCode: 'rate_limit_exceeded', layer: 'limit' });
  t.match(row.body.decisionTrace.at(-1), { layer: 'limit', outcome: 'deny' });
});

t.test('can-i and access/check report the limit step without counting anything', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { rpm: 3, tpm: 5_000, budgetUsd: 10 });
  await gw.setTenantLimits(caller.tenantId, { monthlyBudgetUsd: 50 });
  const client = gw.client(caller.key);
  await client.chat.completions.create(ask);
  const canI = () =>
    gw.app.inject({ method: 'GET', url: '/gateway/can-i?model=mock-chat', headers: { authorization: `Bearer ${caller.key}` } }).then((response) => ({
      status: response.statusCode,
      body: response.json() as { allowed: boolean; code?: string; layer?: string; steps: Array<{ layer: string; outcome: string; detail: string }> },
    }));
  for (let run = 0; run < 4; run += 1) {
    const { status, body } = await canI();
    t.equal(status, 200);
    t.equal(body.allowed, true);
    const step = body.steps.at(-1);
    t.equal(step?.layer, 'limit');
    t.equal(step?.outcome, 'pass');
    t.match(step?.detail, /requests key: 2 of 3 left/);
    t.match(step?.detail, /tokens key: \d+ of 5000 left/);
    t.match(step?.detail, /budget key: \$[\d.]+ of \$10 left/);
    t.match(step?.detail, /budget tenant: \$[\d.]+ of \$50 left/);
  }
  const checked = await gw.admin.post<{ allowed: boolean; steps: Array<{ layer: string; detail: string }> }>('/admin/access/check', { keyId: caller.keyId, model: 'mock-chat' });
  t.equal(checked.status, 200);
  t.match(checked.body.steps.at(-1), { layer: 'limit', outcome: 'pass', detail: /requests key: 2 of 3 left/ });

  await client.chat.completions.create(ask);
  await client.chat.completions.create(ask);
  const full = await canI();
  t.equal(full.body.allowed, false);
  t.equal(full.body.code, 'rate_limit_exceeded');
  t.equal(full.body.layer, 'limit');
  t.match(full.body.steps.at(-1), { layer: 'limit', outcome: 'deny' });
});

t.test('POST /admin/auth/token is rate-limited per address with the catalogue 429', async (t) => {
  const login = await startLimitsGateway(t, { env: { GATEWAY_ADMIN_LOGIN_PER_MINUTE: '4' } });
  // startLimitsGateway signed in once already.
  const anonymous = adminApi(login.app);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    t.equal((await anonymous.post('/admin/auth/token', { username: 'admin', password: 'wrong-password-123' })).status, 401);
  }
  const limited = await anonymous.post<{ error: { code: string; type: string; layer: string; message: string; request_id: string } }>('/admin/auth/token', { username: 'admin', password: 'wrong-password-123' });
  t.equal(limited.status, 429);
  t.match(limited.body.error, { code: 'rate_limit_exceeded', layer: 'limit', message: /Too many sign-in attempts from this address \(at most 4 a minute\)/ });
  t.ok(limited.body.error.request_id);
  t.match(String(limited.headers['retry-after']), /^\d+$/);
  t.equal(limited.headers['x-gateway-error-source'], 'gateway');
  const right = await anonymous.post('/admin/auth/token', { username: 'admin', password: 'test-admin-password-0123' });
  t.equal(right.status, 429, 'the right password waits too: no hash is computed');
  t.equal((await login.admin.get('/admin/tenants')).status, 200, 'the rest of the admin API is not limited');
});
