import t from 'tap';
import OpenAI from 'openai';
import { hashApiKey } from '../../src/access/api-key-secret.js';
import { callLogs } from '../../src/db/schema.js';
import { expectApiError } from '../helpers/expect-api-error.js';
import { startGateway } from '../helpers/gateway.js';
import { KEY_NETWORK, OUTSIDE_IP, TENANT_NETWORK, matrixConfig, sdkClient, seedMatrixWorld, trustLoopback } from './access-world.js';

type ErrorClass = new (...args: never[]) => InstanceType<typeof OpenAI.APIError>;

interface Row {
  name: string;
  /** The key's secret; null sends none. */
  key: string | null;
  model?: string;
  endpoint?: 'chat' | 'embeddings';
  ip?: string;
  errorClass: ErrorClass;
  status: number;
  code: string;
  layer: string;
  type: string;
  /** Text the message must contain (the object it names). */
  message: RegExp;
  /** Text the hint must contain (who fixes it, how). */
  hint: RegExp;
}

t.test('every access code of the catalogue, through the openai SDK', async (t) => {
  const gw = await startGateway(t, { config: matrixConfig, env: trustLoopback });
  const world = seedMatrixWorld(gw.app.db);
  gw.app.stateChanged();
  const { keys, tenants, consumers, services } = world;
  const auth = { errorClass: OpenAI.AuthenticationError, status: 401, layer: 'auth', type: 'authentication_error' };
  const forbidden = { errorClass: OpenAI.PermissionDeniedError, status: 403, type: 'permission_error' };
  const newKey = /POST \/admin\/consumers\/.*\/keys/;

  const rows: Row[] = [
    { name: 'no key', key: null, ...auth, code: 'missing_api_key', message: /Authorization: Bearer/, hint: newKey },
    { name: 'unknown key', key: 'gw-not-a-key-the-gateway-issued', ...auth, code: 'invalid_api_key', message: /not valid/, hint: /whole key/ },
    { name: 'revoked key', key: keys.revoked.secret, ...auth, code: 'api_key_revoked', message: new RegExp(`${keys.revoked.row.id} was revoked`), hint: new RegExp(`POST /admin/consumers/${consumers.app.id}/keys`) },
    { name: 'expired key', key: keys.expired.secret, ...auth, code: 'api_key_expired', message: new RegExp(`${keys.expired.row.id} expired at`), hint: new RegExp(`POST /admin/consumers/${consumers.app.id}/keys`) },
    { name: 'disabled app', key: keys.disabled.secret, ...forbidden, code: 'consumer_disabled', layer: 'consumer', message: new RegExp(`'disabled-app' \\(${consumers.disabledApp.id}\\) is disabled`), hint: new RegExp(`tenant admin .*PATCH /admin/consumers/${consumers.disabledApp.id}`) },
    { name: 'suspended tenant', key: keys.suspended.secret, ...forbidden, code: 'tenant_suspended', layer: 'tenant', message: new RegExp(`'suspended-co' \\(${tenants.suspended.id}\\) is suspended`), hint: new RegExp(`platform admin .*PATCH /admin/tenants/${tenants.suspended.id}`) },
    { name: "outside the key's IP allow-list", key: keys.keyIps.secret, ip: OUTSIDE_IP, ...forbidden, code: 'ip_not_allowed', layer: 'ip', message: new RegExp(`${OUTSIDE_IP} is not in the IP allow-list of API key ${keys.keyIps.row.id}`), hint: new RegExp(`PATCH /admin/keys/${keys.keyIps.row.id}`) },
    { name: "outside the tenant's IP allow-list", key: keys.restricted.secret, ip: OUTSIDE_IP, model: 'mock-embed', endpoint: 'embeddings', ...forbidden, code: 'ip_not_allowed', layer: 'ip', message: new RegExp(`IP allow-list of tenant 'restricted' \\(${tenants.restricted.id}\\)`), hint: new RegExp(`platform admin .*PATCH /admin/tenants/${tenants.restricted.id}`) },
    { name: 'unknown model', key: keys.ok.secret, model: 'no-such-model', errorClass: OpenAI.NotFoundError, status: 404, type: 'invalid_request_error', code: 'model_not_found', layer: 'model', message: /'no-such-model' does not exist/, hint: /GET \/v1\/models/ },
    { name: 'an embedding model on chat', key: keys.ok.secret, model: 'mock-embed', errorClass: OpenAI.NotFoundError, status: 404, type: 'invalid_request_error', code: 'model_not_found', layer: 'model', message: /'mock-embed' is an embedding model/, hint: /chat model/ },
    { name: 'missing scope', key: keys.embedOnly.secret, ...forbidden, code: 'scope_missing', layer: 'scope', message: new RegExp(`${keys.embedOnly.row.id} lacks the 'chat' scope`), hint: new RegExp(`PATCH /admin/keys/${keys.embedOnly.row.id}`) },
    { name: "outside the tenant's models", key: keys.restricted.secret, ip: '2001:db8::1', ...forbidden, code: 'model_not_permitted', layer: 'permission', message: new RegExp(`tenant 'restricted' \\(${tenants.restricted.id}\\) allows`), hint: new RegExp(`platform admin .*PATCH /admin/tenants/${tenants.restricted.id}`) },
    { name: "outside the key's models", key: keys.keyModels.secret, ...forbidden, code: 'model_not_permitted', layer: 'permission', message: new RegExp(`API key ${keys.keyModels.row.id} allows \\(its tenant allows it\\)`), hint: new RegExp(`tenant admin .*PATCH /admin/keys/${keys.keyModels.row.id}`) },
    { name: 'no subscription', key: world.noSubscription.key.secret, ...forbidden, code: 'subscription_required', layer: 'subscription', message: new RegExp(`${world.noSubscription.consumer.id}.*no subscription.*'frontier-models' \\(${services.chatOnly.id}\\)`), hint: new RegExp(`tenant admin can request one: POST /admin/subscriptions \\{"consumerId": "${world.noSubscription.consumer.id}", "serviceId": "svc_`) },
    { name: 'a model in no service', key: keys.ok.secret, model: 'mock-orphan', ...forbidden, code: 'subscription_required', layer: 'subscription', message: /'mock-orphan' is in no service/, hint: /platform admin must add it to a service/ },
    { name: 'pending subscription', key: world.pending.key.secret, ...forbidden, code: 'subscription_pending', layer: 'subscription', message: new RegExp(`Subscription ${world.pending.subscription?.id} .* service 'frontier-models' \\(${services.chatOnly.id}\\) is pending approval`), hint: new RegExp(`platform admin must approve it: POST /admin/subscriptions/${world.pending.subscription?.id}/approve`) },
    { name: 'rejected subscription', key: world.rejected.key.secret, ...forbidden, code: 'subscription_rejected', layer: 'subscription', message: new RegExp(`Subscription ${world.rejected.subscription?.id} .*was rejected \\(reason: budget review\\)`), hint: /tenant admin can request a new one: POST \/admin\/subscriptions/ },
    { name: 'revoked subscription', key: world.revokedSubscription.key.secret, ...forbidden, code: 'subscription_revoked', layer: 'subscription', message: new RegExp(`Subscription ${world.revokedSubscription.subscription?.id} .*was revoked`), hint: /POST \/admin\/subscriptions/ },
  ];

  // Never in a denial: a key, a hash, an allow-list entry, another tenant's id.
  const secrets = Object.values(keys).flatMap((key) => [key.secret, hashApiKey(key.secret)]);
  const forbiddenText = [...secrets, KEY_NETWORK, TENANT_NETWORK];
  const tenantOf = new Map<string | null, string>([
    [keys.restricted.secret, tenants.restricted.id],
    [keys.suspended.secret, tenants.suspended.id],
  ]);

  for (const row of rows) {
    t.test(row.name, async (t) => {
      const client = sdkClient(gw.baseURL, row.key, row.ip);
      const model = row.model ?? 'mock-chat';
      const call = row.endpoint === 'embeddings' ? client.embeddings.create({ model, input: 'x' }) : client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      const error = await expectApiError(t, call, row.errorClass, { status: row.status, code: row.code, layer: row.layer, type: row.type });
      const body = error?.error as { message: string; hint?: string; request_id?: string } | undefined;
      t.match(body?.message, row.message, 'the message names the object');
      t.match(body?.hint, row.hint, 'the hint says who fixes it and how');
      t.match(body?.request_id, /\S/, 'the request id');
      t.equal(error?.headers?.get('x-gateway-error-source'), 'gateway');
      if (row.status === 401) t.match(error?.headers?.get('www-authenticate'), /^Bearer realm="gateway"/, '401s carry WWW-Authenticate');
      const text = JSON.stringify(body);
      for (const secret of forbiddenText) t.notOk(text.includes(secret), 'no key material or allow-list in the denial');
      const own = row.key === null || row.code === 'invalid_api_key' ? null : (tenantOf.get(row.key) ?? tenants.acme.id);
      for (const tenant of Object.values(tenants)) if (tenant.id !== own) t.notOk(text.includes(tenant.id), "no other tenant's id");
      // The allow-list of the restricted tenant and of keyModels holds mock-embed: it is never listed.
      if (row.code === 'model_not_permitted') t.notOk(text.includes('mock-embed'), 'the model allow-list is not listed');
    });
  }

  t.test('the allowed paths next to them pass (IPv6 inside the tenant network, IPv4 inside the key network)', async (t) => {
    const viaIpv6 = await sdkClient(gw.baseURL, keys.restricted.secret, '2001:db8::42').embeddings.create({ model: 'mock-embed', input: 'x' });
    t.equal(viaIpv6.data.length, 1);
    const viaIpv4 = await sdkClient(gw.baseURL, keys.keyIps.secret, '203.0.113.9').chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] });
    t.ok(viaIpv4.choices[0]?.message.content);
    const viaHeader = await fetch(`${gw.baseURL}/models`, { headers: { 'x-api-key': keys.ok.secret } });
    t.equal(viaHeader.status, 200, 'x-api-key works as well as Authorization: Bearer');
  });

  t.test('denials are counted by layer and code, and logged with identity and trace', async (t) => {
    t.ok(gw.app.policyDenials.count('subscription', 'subscription_pending') >= 1);
    t.ok(gw.app.policyDenials.count('auth', 'missing_api_key') >= 1);
    await gw.app.callLog.drain();
    const rows = gw.app.db.select().from(callLogs).all().filter((row) => row.errorCode === 'subscription_pending');
    t.equal(rows.length, 1);
    t.match(rows[0], { keyId: world.pending.key.row.id, consumerId: world.pending.consumer.id, tenantId: tenants.acme.id, outcome: 'denied', layer: 'subscription' });
    const trace = (typeof rows[0]?.decisionTrace === 'string' ? JSON.parse(rows[0].decisionTrace) : rows[0]?.decisionTrace) as Array<{ layer: string; outcome: string }>;
    t.same(
      trace.map((step) => `${step.layer}:${step.outcome}`),
      ['auth:pass', 'consumer:pass', 'tenant:pass', 'ip:pass', 'request:pass', 'model:pass', 'scope:pass', 'permission:pass', 'subscription:deny'],
    );
  });
});

t.test('precedence: when several rules deny, the first in chain order answers', async (t) => {
  const gw = await startGateway(t, { config: matrixConfig, env: trustLoopback });
  const world = seedMatrixWorld(gw.app.db);
  gw.app.stateChanged();
  const chat = (key: string | null, model = 'mock-chat', ip?: string) => sdkClient(gw.baseURL, key, ip).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

  await expectApiError(t, chat(world.keys.suspended.secret), OpenAI.PermissionDeniedError, { code: 'tenant_suspended' });
  t.ok(world.pendingAtSuspended.status === 'pending', 'suspended tenant + pending subscription → tenant_suspended');
  await expectApiError(t, chat(world.keys.suspended.secret, 'no-such-model'), OpenAI.PermissionDeniedError, { code: 'tenant_suspended' });
  await expectApiError(t, chat(world.keys.restricted.secret, 'no-such-model', OUTSIDE_IP), OpenAI.PermissionDeniedError, { code: 'ip_not_allowed', layer: 'ip' });
  await expectApiError(t, chat(world.keys.embedOnly.secret, 'no-such-model'), OpenAI.NotFoundError, { code: 'model_not_found' });
  await expectApiError(t, chat(world.keys.restricted.secret, 'mock-orphan', '2001:db8::1'), OpenAI.PermissionDeniedError, { code: 'model_not_permitted' });

  // A tenant that forbids the model and a key that forbids it too: the tenant is named.
  const { seedKey } = await import('../helpers/seed-access.js');
  const both = seedKey(gw.app.db, world.consumers.restrictedApp.id, { allowedModels: ['mock-chat-2'] });
  gw.app.stateChanged();
  const error = await expectApiError(t, chat(both.secret, 'mock-chat', '2001:db8::1'), OpenAI.PermissionDeniedError, { code: 'model_not_permitted' });
  t.match((error?.error as { message?: string })?.message, /tenant 'restricted'/);

  // Identity comes before the body: no key and a broken body is 401, not 400 or 413.
  const broken = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": ' });
  t.equal(broken.status, 401);
  t.match(await broken.json(), { error: { code: 'missing_api_key' } });
  const disabledAndOutside = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.keys.disabled.secret}`, 'content-type': 'application/json' },
    body: '{"model": ',
  });
  t.match(await disabledAndOutside.json(), { error: { code: 'consumer_disabled' } });
  // An identified caller with a broken body: the request layer, and its step in the trace.
  const badBody = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.keys.ok.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'no-such-model', messages: 'hi' }),
  });
  t.equal(badBody.status, 400, 'request validation comes before model resolution');
  const refused = (await badBody.json()) as { error: { code: string; layer: string; request_id: string } };
  t.match(refused, { error: { code: 'invalid_request', layer: 'request' } });
  await gw.app.callLog.drain();
  const row = gw.app.db.select().from(callLogs).all().find((entry) => entry.requestId === refused.error.request_id);
  const trace = (typeof row?.decisionTrace === 'string' ? JSON.parse(row.decisionTrace) : row?.decisionTrace) as Array<{ layer: string; outcome: string }>;
  t.same(trace.map((step) => `${step.layer}:${step.outcome}`), ['auth:pass', 'consumer:pass', 'tenant:pass', 'ip:pass', 'request:deny'], 'the trace ends at the request step');
});
