import t from 'tap';
import { platformAdmin, tenantAdmin, type ConsumerJson, type ErrorJson, type ListJson, type TenantJson } from '../../helpers/admin.js';
import { startCatalogGateway } from '../../helpers/catalog-gateway.js';

interface ServiceJson {
  id: string;
  name: string;
  approval: string;
  models: string[];
  createdAt: string;
  updatedAt: string;
}

t.test('services: create, read, update, delete', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);

  const empty = await api.post<ServiceJson>('/admin/services', { name: 'later' });
  t.equal(empty.status, 201, empty.text);
  t.match(empty.body, { id: /^svc_[0-9a-f]{24}$/, name: 'later', approval: 'manual', models: [] }, 'empty models list, manual approval by default');

  const created = await api.post<ServiceJson>('/admin/services', { name: 'basic', approval: 'auto', models: ['mock-embed', 'mock-chat'] });
  t.equal(created.status, 201);
  t.same(created.body.models, ['mock-chat', 'mock-embed']);

  const names = (await api.get<ListJson<ServiceJson>>('/admin/services')).body.data.map((service) => service.name);
  t.ok(names.includes('later') && names.includes('basic'), 'both listed');
  t.match((await api.get<ServiceJson>(`/admin/services/${created.body.id}`)).body, { name: 'basic', approval: 'auto' });

  const patched = await api.patch<ServiceJson>(`/admin/services/${created.body.id}`, { name: 'basic-chat', models: ['mock-chat'] });
  t.equal(patched.status, 200);
  t.match(patched.body, { name: 'basic-chat', approval: 'auto', models: ['mock-chat'] });

  const duplicate = await api.post<ErrorJson>('/admin/services', { name: 'later' });
  t.equal(duplicate.status, 409);
  t.match(duplicate.body.error, { code: 'resource_conflict', param: 'name' });
  t.equal((await api.patch<ErrorJson>(`/admin/services/${created.body.id}`, { name: 'later' })).status, 409);

  const unknownModel = await api.post<ErrorJson>('/admin/services', { name: 'ghostly', models: ['mock-chat', 'ghost-model'] });
  t.equal(unknownModel.status, 400);
  t.match(unknownModel.body.error, { code: 'invalid_request', param: 'models[1]', message: /no model named 'ghost-model'/ });
  t.notOk((await api.get<ListJson<ServiceJson>>('/admin/services')).body.data.some((service) => service.name === 'ghostly'), 'nothing created');

  t.equal((await api.delete(`/admin/services/${empty.body.id}`)).status, 204);
  t.equal((await api.get<ErrorJson>(`/admin/services/${empty.body.id}`)).body.error.code, 'resource_not_found');
});

t.test('a service with pending or approved subscriptions cannot be deleted', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const service = (await api.post<ServiceJson>('/admin/services', { name: 'gold', models: ['mock-chat'] })).body;
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 't' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'c' })).body;
  const subscription = (await api.post<{ id: string }>('/admin/subscriptions', { consumerId: consumer.id, serviceId: service.id })).body;

  const refused = await api.delete<ErrorJson>(`/admin/services/${service.id}`);
  t.equal(refused.status, 409);
  t.match(refused.body.error, { code: 'resource_in_use', message: new RegExp(`1 pending or approved subscription\\(s\\): ${subscription.id}`) });

  await api.post(`/admin/subscriptions/${subscription.id}/reject`, { reason: 'not now' });
  t.equal((await api.delete(`/admin/services/${service.id}`)).status, 204, 'closed subscriptions go with it');
  t.equal((await api.get(`/admin/subscriptions/${subscription.id}`)).status, 404);
});

t.test('tenant admins may read services, to know what to request', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const service = (await api.post<ServiceJson>('/admin/services', { name: 'open-to-all', models: ['mock-chat'] })).body;
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'reader' })).body;
  const reader = await tenantAdmin(gw, api, tenant.id, 'reader');
  t.ok((await reader.get<ListJson<ServiceJson>>('/admin/services')).body.data.some((item) => item.id === service.id));
  t.equal((await reader.get<ServiceJson>(`/admin/services/${service.id}`)).body.name, 'open-to-all');
  t.equal((await reader.patch<ErrorJson>(`/admin/services/${service.id}`, { approval: 'auto' })).body.error.code, 'admin_forbidden');
});
