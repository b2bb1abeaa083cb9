import t from 'tap';
import { adminApi, platformAdmin, startAdminGateway, type ErrorJson, type ListJson, type TenantJson } from '../../helpers/admin.js';

t.test('tenants: create with defaults, read, list, update, delete', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  let stateChanges = 0;
  gw.app.onStateChange(() => stateChanges++);

  const created = await api.post<TenantJson>('/admin/tenants', { name: 'acme' });
  t.equal(created.status, 201);
  t.match(created.body.id, /^ten_[0-9a-f]{24}$/, 'id with the ten_ prefix');
  t.match(created.body, { name: 'acme', status: 'active', allowedModels: null, allowedIps: null, rpm: null, tpm: null, monthlyBudgetUsd: null });
  t.ok(Date.parse(created.body.createdAt) > 0, 'createdAt is an ISO date');
  t.equal(stateChanges, 1, 'a committed write announces a state change');

  const full = await api.post<TenantJson>('/admin/tenants', {
    name: 'globex',
    status: 'suspended',
    allowedModels: ['mock-chat'],
    allowedIps: ['10.0.0.0/8', '2001:DB8:0:0::/32', '192.0.2.7'],
    rpm: 60,
    tpm: 10_000,
    monthlyBudgetUsd: 12.5,
  });
  t.equal(full.status, 201);
  t.same(full.body.allowedIps, ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32'], 'CIDR blocks are stored in canonical form');
  t.match(full.body, { status: 'suspended', allowedModels: ['mock-chat'], rpm: 60, tpm: 10_000, monthlyBudgetUsd: 12.5 });

  const read = await api.get<TenantJson>(`/admin/tenants/${created.body.id}`);
  t.equal(read.status, 200);
  t.same(read.body, created.body, 'GET answers what POST created');

  const list = await api.get<ListJson<TenantJson>>('/admin/tenants');
  t.same(list.body.data.map((tenant) => tenant.name), ['acme', 'globex']);

  const patched = await api.patch<TenantJson>(`/admin/tenants/${full.body.id}`, { status: 'active', allowedModels: null, rpm: null, name: 'globex-2' });
  t.equal(patched.status, 200, 'PATCH answers 200');
  t.match(patched.body, { name: 'globex-2', status: 'active', allowedModels: null, rpm: null, tpm: 10_000 }, 'only the sent fields change; null clears');
  t.ok(Date.parse(patched.body.updatedAt) >= Date.parse(full.body.updatedAt));

  const duplicate = await api.post<ErrorJson>('/admin/tenants', { name: 'acme' });
  t.equal(duplicate.status, 409);
  t.match(duplicate.body.error, { code: 'resource_conflict', param: 'name', message: /acme/ });
  const renameClash = await api.patch<ErrorJson>(`/admin/tenants/${full.body.id}`, { name: 'acme' });
  t.equal(renameClash.status, 409, 'renaming onto an existing name is a conflict too');

  const beforeFailures = stateChanges;
  const missing = await api.get<ErrorJson>('/admin/tenants/ten_nope');
  t.equal(missing.status, 404);
  t.match(missing.body.error, { code: 'resource_not_found', message: /ten_nope/ });
  t.equal((await api.patch('/admin/tenants/ten_nope', { rpm: 5 })).status, 404);
  t.equal((await api.delete('/admin/tenants/ten_nope')).status, 404);
  t.equal(stateChanges, beforeFailures, 'failed writes announce nothing');

  // A tenant with consumers or tenant admins is in use.
  const consumer = await api.post<{ id: string }>('/admin/consumers', { tenantId: created.body.id, name: 'app' });
  const inUse = await api.delete<ErrorJson>(`/admin/tenants/${created.body.id}`);
  t.equal(inUse.status, 409);
  t.match(inUse.body.error, { code: 'resource_in_use', message: /1 consumer/ });
  await api.delete(`/admin/consumers/${consumer.body.id}`);
  await api.post('/admin/users', { username: 'acme-admin', password: 'a-long-password-1', role: 'tenant_admin', tenantId: created.body.id });
  const adminsLeft = await api.delete<ErrorJson>(`/admin/tenants/${created.body.id}`);
  t.equal(adminsLeft.status, 409);
  t.match(adminsLeft.body.error, { code: 'resource_in_use', message: /acme-admin/ });
  await api.delete('/admin/users/acme-admin');

  const deleted = await api.delete(`/admin/tenants/${created.body.id}`);
  t.equal(deleted.status, 204);
  t.equal((await api.get(`/admin/tenants/${created.body.id}`)).status, 404, 'gone after DELETE');
  t.same((await api.get<ListJson<TenantJson>>('/admin/tenants')).body.data.map((tenant) => tenant.name), ['globex-2']);
});

t.test('a tenant admin reads its own tenant only and may not write tenants', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const own = (await api.post<TenantJson>('/admin/tenants', { name: 'own' })).body;
  const other = (await api.post<TenantJson>('/admin/tenants', { name: 'other' })).body;
  await api.post('/admin/users', { username: 'own-admin', password: 'own-admin-password', role: 'tenant_admin', tenantId: own.id });
  const login = await adminApi(gw.app).post<{ access_token: string }>('/admin/auth/token', { username: 'own-admin', password: 'own-admin-password' });
  const tenantApi = adminApi(gw.app, login.body.access_token);

  t.same((await tenantApi.get<ListJson<TenantJson>>('/admin/tenants')).body.data.map((tenant) => tenant.id), [own.id], 'the list holds its own tenant only');
  t.equal((await tenantApi.get(`/admin/tenants/${own.id}`)).status, 200);
  const hidden = await tenantApi.get<ErrorJson>(`/admin/tenants/${other.id}`);
  const absent = await tenantApi.get<ErrorJson>('/admin/tenants/ten_000000000000000000000000');
  t.equal(hidden.status, 404, "another tenant is not found, not forbidden");
  t.equal(hidden.body.error.message.replace(other.id, 'X'), absent.body.error.message.replace('ten_000000000000000000000000', 'X'), 'worded exactly like a missing one');
  const write = await tenantApi.patch<ErrorJson>(`/admin/tenants/${own.id}`, { rpm: 1 });
  t.equal(write.status, 403);
  t.equal(write.body.error.code, 'admin_forbidden');
});
