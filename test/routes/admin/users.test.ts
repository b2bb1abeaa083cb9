import t from 'tap';
import { adminApi, adminToken, platformAdmin, startAdminGateway, type AdminUserJson, type ErrorJson, type ListJson, type TenantJson } from '../../helpers/admin.js';

t.test('admin users: create, list without hashes, log in, delete', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;

  const platform = await api.post<AdminUserJson>('/admin/users', { username: 'ops', password: 'ops-password-123', role: 'platform_admin' });
  t.equal(platform.status, 201);
  t.same(Object.keys(platform.body).sort(), ['createdAt', 'role', 'tenantId', 'username']);
  t.match(platform.body, { username: 'ops', role: 'platform_admin', tenantId: null });

  const scoped = await api.post<AdminUserJson>('/admin/users', { username: 'acme.admin@example', password: 'acme-password-123', role: 'tenant_admin', tenantId: tenant.id });
  t.equal(scoped.status, 201);
  t.match(scoped.body, { role: 'tenant_admin', tenantId: tenant.id });

  const list = await api.get<ListJson<AdminUserJson>>('/admin/users');
  t.equal(list.status, 200);
  t.same(list.body.data.map((user) => user.username), ['admin', 'ops', 'acme.admin@example']);
  t.notMatch(list.text, /argon2|password/i, 'no password or hash in the listing');

  t.ok(await adminToken(gw, 'ops', 'ops-password-123'), 'the new platform admin can log in');
  const scopedToken = await adminToken(gw, 'acme.admin@example', 'acme-password-123');
  t.equal((await adminApi(gw.app, scopedToken).get('/admin/users')).status, 403, 'a tenant admin may not manage users');

  const duplicate = await api.post<ErrorJson>('/admin/users', { username: 'ops', password: 'another-password-1', role: 'platform_admin' });
  t.equal(duplicate.status, 409);
  t.match(duplicate.body.error, { code: 'resource_conflict', param: 'username' });

  t.equal((await api.delete('/admin/users/acme.admin@example')).status, 204);
  t.equal((await adminApi(gw.app, scopedToken).get(`/admin/tenants/${tenant.id}`)).status, 401, "a deleted admin's token stops working");
  const gone = await api.delete<ErrorJson>('/admin/users/acme.admin@example');
  t.equal(gone.status, 404);
  t.equal(gone.body.error.code, 'resource_not_found');

  t.equal((await api.delete('/admin/users/ops')).status, 204);
  const last = await api.delete<ErrorJson>('/admin/users/admin');
  t.equal(last.status, 409, 'the last platform admin cannot be deleted');
  t.match(last.body.error, { code: 'resource_conflict', message: /last platform admin/ });
});

t.test('admin users: bad input names the field', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const good = { username: 'someone', password: 'long-enough-pass', role: 'tenant_admin', tenantId: tenant.id };
  const cases: Array<{ name: string; body: unknown; status: number; code: string; param: string | null }> = [
    { name: 'tenant admin without tenantId', body: { ...good, tenantId: undefined }, status: 400, code: 'invalid_request', param: 'tenantId' },
    { name: 'platform admin with tenantId', body: { ...good, role: 'platform_admin' }, status: 400, code: 'invalid_request', param: 'tenantId' },
    { name: 'short password', body: { ...good, password: 'short' }, status: 400, code: 'invalid_request', param: 'password' },
    { name: 'password of the wrong type', body: { ...good, password: 123456789012345 }, status: 400, code: 'invalid_request', param: 'password' },
    { name: 'unknown role', body: { ...good, role: 'root' }, status: 400, code: 'invalid_request', param: 'role' },
    { name: 'username with spaces', body: { ...good, username: 'bad name' }, status: 400, code: 'invalid_request', param: 'username' },
    { name: 'missing username', body: { ...good, username: undefined }, status: 400, code: 'invalid_request', param: 'username' },
    { name: 'unknown field', body: { ...good, isSuperuser: true }, status: 400, code: 'invalid_request', param: 'isSuperuser' },
    { name: 'unknown tenant', body: { ...good, tenantId: 'ten_nope' }, status: 404, code: 'resource_not_found', param: 'tenantId' },
  ];
  for (const c of cases) {
    const response = await api.post<ErrorJson>('/admin/users', c.body);
    t.equal(response.status, c.status, `${c.name}: status`);
    t.equal(response.body.error.code, c.code, `${c.name}: code`);
    t.equal(response.body.error.param, c.param, `${c.name}: names the field`);
  }
  t.same((await api.get<ListJson<AdminUserJson>>('/admin/users')).body.data.map((user) => user.username), ['admin'], 'nothing was created');
});
