import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { platformAdmin, startAdminGateway, type ConsumerJson, type ErrorJson, type KeyJson, type ListJson, type TenantJson } from '../../helpers/admin.js';

async function setup(t: Test) {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  return { gw, api, tenant, consumer };
}

t.test('keys: create shows the secret once; the store keeps hash and prefix', async (t) => {
  const { gw, api, tenant, consumer } = await setup(t);

  const created = await api.post<KeyJson>(`/admin/consumers/${consumer.id}/keys`, {});
  t.equal(created.status, 201);
  t.match(created.body.id, /^key_[0-9a-f]{24}$/);
  t.match(created.body.key, /^gw-[A-Za-z0-9_-]{43}$/, 'the secret, this once');
  t.match(created.body, {
    consumerId: consumer.id,
    tenantId: tenant.id,
    name: null,
    status: 'active',
    expiresAt: null,
    scopes: ['chat', 'embeddings', 'models'],
    allowedModels: null,
    allowedIps: null,
    rpm: null,
    tpm: null,
    budgetUsd: null,
    revokedAt: null,
    lastUsedAt: null,
  });
  const secret = created.body.key as string;
  t.ok(secret.startsWith(created.body.prefix), 'the prefix is the start of the secret');
  t.ok(created.body.prefix.length < 12, 'the prefix is short');
  t.notOk('hash' in created.body, 'no hash in the response');

  const row = gw.app.sqlite.prepare('select hash, prefix from api_keys where id = ?').get(created.body.id) as { hash: string; prefix: string };
  t.equal(row.hash, createHash('sha256').update(secret).digest('hex'), 'the database holds the SHA-256 of the secret');

  const read = await api.get<KeyJson>(`/admin/keys/${created.body.id}`);
  t.equal(read.status, 200);
  t.notOk('key' in read.body, 'a later read has no secret');
  const { key: _secret, ...withoutSecret } = created.body;
  t.same(read.body, withoutSecret, 'otherwise the same key');
  const list = await api.get<ListJson<KeyJson>>(`/admin/consumers/${consumer.id}/keys`);
  t.same(list.body.data, [withoutSecret]);
});

t.test('keys: every field, update, expiry and idempotent revoke', async (t) => {
  const { api, consumer } = await setup(t);
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  const created = await api.post<KeyJson>(`/admin/consumers/${consumer.id}/keys`, {
    name: 'ci',
    expiresAt,
    scopes: ['chat'],
    allowedModels: ['mock-chat'],
    allowedIps: ['203.0.113.0/24', '2001:db8:0:0:0:0:0:0/64'],
    rpm: 10,
    tpm: 1000,
    budgetUsd: 5,
  });
  t.equal(created.status, 201);
  t.match(created.body, { name: 'ci', expiresAt, scopes: ['chat'], allowedModels: ['mock-chat'], allowedIps: ['203.0.113.0/24', '2001:db8::/64'], rpm: 10, tpm: 1000, budgetUsd: 5 });

  const patched = await api.patch<KeyJson>(`/admin/keys/${created.body.id}`, { scopes: ['chat', 'models'], rpm: null, expiresAt: null, allowedIps: ['::1'] });
  t.equal(patched.status, 200);
  t.match(patched.body, { scopes: ['chat', 'models'], rpm: null, expiresAt: null, allowedIps: ['::1/128'], tpm: 1000, name: 'ci' });
  t.notOk('key' in patched.body);

  const revoked = await api.post<KeyJson>(`/admin/keys/${created.body.id}/revoke`);
  t.equal(revoked.status, 200);
  t.equal(revoked.body.status, 'revoked');
  t.ok(revoked.body.revokedAt !== null && Date.parse(revoked.body.revokedAt) > 0, 'revokedAt recorded');
  const again = await api.post<KeyJson>(`/admin/keys/${created.body.id}/revoke`);
  t.equal(again.status, 200, 'revoking twice is fine');
  t.equal(again.body.revokedAt, revoked.body.revokedAt, 'and keeps the first revokedAt');

  const changeRevoked = await api.patch<ErrorJson>(`/admin/keys/${created.body.id}`, { rpm: 5 });
  t.equal(changeRevoked.status, 409);
  t.match(changeRevoked.body.error, { code: 'resource_conflict', message: /revoked/ });
});

t.test('keys: a key past its expiresAt shows as expired', async (t) => {
  const { gw, api, consumer } = await setup(t);
  const created = await api.post<KeyJson>(`/admin/consumers/${consumer.id}/keys`, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
  gw.app.sqlite.prepare('update api_keys set expires_at = ? where id = ?').run(Date.now() - 1000, created.body.id);
  t.equal((await api.get<KeyJson>(`/admin/keys/${created.body.id}`)).body.status, 'expired');
});

t.test('keys: unknown consumer or key is a 404 naming it', async (t) => {
  const { api } = await setup(t);
  for (const [method, url] of [
    ['POST', '/admin/consumers/con_nope/keys'],
    ['GET', '/admin/consumers/con_nope/keys'],
    ['GET', '/admin/keys/key_nope'],
    ['PATCH', '/admin/keys/key_nope'],
    ['POST', '/admin/keys/key_nope/revoke'],
  ] as const) {
    const response = await api.request<ErrorJson>(method, url, method === 'GET' ? undefined : method === 'PATCH' ? { rpm: 1 } : {});
    t.equal(response.status, 404, `${method} ${url}`);
    t.match(response.body.error, { code: 'resource_not_found', message: /_nope/ }, `${method} ${url} names the id`);
  }
});
