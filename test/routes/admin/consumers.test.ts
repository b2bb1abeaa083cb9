import t from 'tap';
import { platformAdmin, startAdminGateway, tenantAdmin, type ConsumerJson, type ErrorJson, type KeyJson, type ListJson, type TenantJson } from '../../helpers/admin.js';

t.test('consumers: create, read, list by tenant, update, delete', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const acme = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const globex = (await api.post<TenantJson>('/admin/tenants', { name: 'globex' })).body;

  const created = await api.post<ConsumerJson>('/admin/consumers', { tenantId: acme.id, name: 'web-app' });
  t.equal(created.status, 201);
  t.match(created.body.id, /^con_[0-9a-f]{24}$/);
  t.match(created.body, { tenantId: acme.id, name: 'web-app', status: 'active' });
  const other = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: globex.id, name: 'web-app', status: 'disabled' })).body;
  t.equal(other.status, 'disabled', 'the same name in another tenant is fine');

  t.same((await api.get<ConsumerJson>(`/admin/consumers/${created.body.id}`)).body, created.body);
  t.equal((await api.get<ListJson<ConsumerJson>>('/admin/consumers')).body.data.length, 2);
  t.same((await api.get<ListJson<ConsumerJson>>(`/admin/consumers?tenantId=${globex.id}`)).body.data.map((c) => c.id), [other.id]);
  const unknownFilter = await api.get<ErrorJson>('/admin/consumers?tenantId=ten_nope');
  t.equal(unknownFilter.status, 404);
  t.match(unknownFilter.body.error, { code: 'resource_not_found', param: 'tenantId' });

  const patched = await api.patch<ConsumerJson>(`/admin/consumers/${created.body.id}`, { status: 'disabled', name: 'web' });
  t.equal(patched.status, 200);
  t.match(patched.body, { status: 'disabled', name: 'web', tenantId: acme.id });

  const duplicate = await api.post<ErrorJson>('/admin/consumers', { tenantId: acme.id, name: 'web' });
  t.equal(duplicate.status, 409);
  t.match(duplicate.body.error, { code: 'resource_conflict', param: 'name' });
  const noTenant = await api.post<ErrorJson>('/admin/consumers', { name: 'x' });
  t.equal(noTenant.status, 400, 'a platform admin must say which tenant');
  t.equal(noTenant.body.error.param, 'tenantId');
  const movedTenant = await api.patch<ErrorJson>(`/admin/consumers/${created.body.id}`, { tenantId: globex.id });
  t.equal(movedTenant.status, 400, 'a consumer cannot change tenant');
  t.equal(movedTenant.body.error.param, 'tenantId');

  t.equal((await api.delete(`/admin/consumers/${other.id}`)).status, 204);
  t.equal((await api.get(`/admin/consumers/${other.id}`)).status, 404);
});

t.test('a consumer with a live key is in use; revoked keys go with it', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  const key = (await api.post<KeyJson>(`/admin/consumers/${consumer.id}/keys`, {})).body;

  const inUse = await api.delete<ErrorJson>(`/admin/consumers/${consumer.id}`);
  t.equal(inUse.status, 409);
  t.match(inUse.body.error, { code: 'resource_in_use', message: new RegExp(key.id), hint: /revoke/ });

  await api.post(`/admin/keys/${key.id}/revoke`);
  t.equal((await api.delete(`/admin/consumers/${consumer.id}`)).status, 204);
  t.equal((await api.get(`/admin/keys/${key.id}`)).status, 404, 'its revoked key is gone with it');
});

t.test("a tenant admin manages its own tenant's consumers only", async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const own = (await api.post<TenantJson>('/admin/tenants', { name: 'own' })).body;
  const other = (await api.post<TenantJson>('/admin/tenants', { name: 'other' })).body;
  const foreign = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: other.id, name: 'theirs' })).body;
  const tenantApi = await tenantAdmin(gw, api, own.id, 'own-admin');

  const implicit = await tenantApi.post<ConsumerJson>('/admin/consumers', { name: 'mine' });
  t.equal(implicit.status, 201);
  t.equal(implicit.body.tenantId, own.id, 'tenantId omitted: its own tenant');
  t.equal((await tenantApi.post('/admin/consumers', { tenantId: own.id, name: 'mine-2' })).status, 201);
  const elsewhere = await tenantApi.post<ErrorJson>('/admin/consumers', { tenantId: other.id, name: 'sneaky' });
  t.equal(elsewhere.status, 404, "creating in another tenant: that tenant is not found");
  t.equal(elsewhere.body.error.param, 'tenantId');

  t.same((await tenantApi.get<ListJson<ConsumerJson>>('/admin/consumers')).body.data.map((c) => c.name), ['mine', 'mine-2'], 'lists only its own');
  t.equal((await tenantApi.get(`/admin/consumers?tenantId=${other.id}`)).status, 404);
  t.equal((await tenantApi.get(`/admin/consumers/${foreign.id}`)).status, 404);
  t.equal((await tenantApi.patch(`/admin/consumers/${foreign.id}`, { status: 'disabled' })).status, 404);
  t.equal((await tenantApi.delete(`/admin/consumers/${foreign.id}`)).status, 404);
  t.equal((await api.get<ConsumerJson>(`/admin/consumers/${foreign.id}`)).body.status, 'active', 'the foreign consumer is untouched');
  t.equal((await tenantApi.patch(`/admin/consumers/${implicit.body.id}`, { status: 'disabled' })).status, 200);
});
