import OpenAI from 'openai';
import t from 'tap';
import { platformAdmin, tenantAdmin, type ConsumerJson, type ErrorJson, type KeyJson, type ListJson, type TenantJson } from '../../helpers/admin.js';
import { startCatalogGateway } from '../../helpers/catalog-gateway.js';
import { expectApiError } from '../../helpers/expect-api-error.js';

interface ModelJson {
  name: string;
  type: string;
  status: string;
  deployments: Array<{ provider: string; model: string; weight: number; priority: number }>;
  pricing: { input: number; output: number; cachedInput: number | null } | null;
  dropParams: string[];
  source: string;
}

t.test('models: create, read, update, delete', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  await api.post('/admin/providers', { name: 'second-mock', kind: 'mock' });

  const created = await api.post<ModelJson>('/admin/models', {
    name: 'house-chat',
    type: 'chat',
    deployments: [
      { provider: 'local-mock', model: 'mock-1', weight: 3 },
      { provider: 'second-mock', model: 'mock-2', priority: 1 },
    ],
    pricing: { input: 0.5, output: 1.5 },
    dropParams: ['logit_bias'],
  });
  t.equal(created.status, 201, created.text);
  t.match(created.body, {
    name: 'house-chat',
    type: 'chat',
    status: 'enabled',
    deployments: [
      { provider: 'local-mock', model: 'mock-1', weight: 3, priority: 0 },
      { provider: 'second-mock', model: 'mock-2', weight: 1, priority: 1 },
    ],
    pricing: { input: 0.5, output: 1.5, cachedInput: null },
    dropParams: ['logit_bias'],
    source: 'api',
  });

  const listed = await api.get<ListJson<ModelJson>>('/admin/models');
  t.same(listed.body.data.map((model) => model.name), ['mock-chat', 'mock-embed', 'house-chat']);
  t.match((await api.get<ModelJson>('/admin/models/house-chat')).body, { name: 'house-chat', status: 'enabled' });

  const patched = await api.patch<ModelJson>('/admin/models/house-chat', { deployments: [{ provider: 'second-mock', model: 'mock-3' }], pricing: null, status: 'disabled' });
  t.equal(patched.status, 200);
  t.match(patched.body, { status: 'disabled', pricing: null, deployments: [{ provider: 'second-mock', model: 'mock-3', weight: 1, priority: 0 }] }, 'deployments are replaced');
  t.same(patched.body.dropParams, ['logit_bias'], 'fields not sent are kept');

  const duplicate = await api.post<ErrorJson>('/admin/models', { name: 'house-chat', type: 'chat', deployments: [{ provider: 'local-mock', model: 'x' }] });
  t.equal(duplicate.status, 409);
  t.match(duplicate.body.error, { code: 'resource_conflict', param: 'name' });

  t.equal((await api.delete('/admin/models/house-chat')).status, 204);
  t.equal((await api.get<ErrorJson>('/admin/models/house-chat')).body.error.code, 'resource_not_found');
  t.equal((await api.patch<ErrorJson>('/admin/models/house-chat', { status: 'enabled' })).status, 404);
});

t.test('an unknown provider or a repeated deployment is a 400 naming the entry', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const unknown = await api.post<ErrorJson>('/admin/models', {
    name: 'm',
    type: 'chat',
    deployments: [
      { provider: 'local-mock', model: 'a' },
      { provider: 'ghost', model: 'b' },
    ],
  });
  t.equal(unknown.status, 400);
  t.match(unknown.body.error, { code: 'invalid_request', param: 'deployments[1].provider', message: /no provider named 'ghost'/, hint: /POST \/admin\/providers/ });
  t.equal((await api.get('/admin/models/m')).status, 404, 'nothing was created');

  const repeated = await api.post<ErrorJson>('/admin/models', {
    name: 'm',
    type: 'chat',
    deployments: [
      { provider: 'local-mock', model: 'a' },
      { provider: 'local-mock', model: 'a' },
    ],
  });
  t.match(repeated.body.error, { code: 'invalid_request', param: 'deployments[1]' });
  const patchUnknown = await api.patch<ErrorJson>('/admin/models/mock-chat', { deployments: [{ provider: 'ghost', model: 'x' }] });
  t.match(patchUnknown.body.error, { param: 'deployments[0].provider' });
  t.match((await api.get<ModelJson>('/admin/models/mock-chat')).body.deployments, [{ provider: 'local-mock', model: 'mock-1' }], 'a refused PATCH changes nothing');
});

t.test("model names with '/' work encoded and raw", async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const name = 'meta-llama/Llama-3.1-8B';
  t.equal((await api.post('/admin/models', { name, type: 'chat', deployments: [{ provider: 'local-mock', model: 'llama' }] })).status, 201);
  t.equal((await api.get<ModelJson>(`/admin/models/${encodeURIComponent(name)}`)).body.name, name, 'GET with %2F');
  t.equal((await api.get<ModelJson>(`/admin/models/${name}`)).body.name, name, 'GET with the raw slash');
  t.equal((await api.patch<ModelJson>(`/admin/models/${name}`, { status: 'disabled' })).body.status, 'disabled', 'PATCH with the raw slash');
  t.equal((await api.patch<ModelJson>(`/admin/models/${encodeURIComponent(name)}`, { status: 'enabled' })).body.status, 'enabled', 'PATCH with %2F');
  t.equal((await api.delete(`/admin/models/${encodeURIComponent(name)}`)).status, 204, 'DELETE with %2F');
  t.equal((await api.get<ErrorJson>(`/admin/models/${name}`)).status, 404);
  t.equal((await api.post('/admin/models', { name, type: 'chat', deployments: [{ provider: 'local-mock', model: 'llama' }] })).status, 201);
  t.equal((await api.delete(`/admin/models/${name}`)).status, 204, 'DELETE with the raw slash');
});

t.test('a model offered by a service cannot be deleted; the error names the service', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  await api.post('/admin/models', { name: 'offered', type: 'chat', deployments: [{ provider: 'local-mock', model: 'x' }] });
  const service = await api.post<{ id: string }>('/admin/services', { name: 'premium', models: ['offered'] });
  const refused = await api.delete<ErrorJson>('/admin/models/offered');
  t.equal(refused.status, 409);
  t.match(refused.body.error, { code: 'resource_in_use', message: /service\(s\): premium/, hint: /PATCH \/admin\/services/ });
  await api.patch(`/admin/services/${service.body.id}`, { models: [] });
  t.equal((await api.delete('/admin/models/offered')).status, 204);
});

t.test('a model created through the API is callable at once with the openai SDK; disabled, it is 404', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  t.equal((await api.post('/admin/providers', { name: 'demo-mock', kind: 'mock' })).status, 201);
  t.equal((await api.post('/admin/models', { name: 'org/fresh-chat', type: 'chat', deployments: [{ provider: 'demo-mock', model: 'fresh-1' }] })).status, 201);
  const service = await api.post<{ id: string }>('/admin/services', { name: 'fresh', approval: 'auto', models: ['org/fresh-chat'] });
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  const key = (await api.post<KeyJson>(`/admin/consumers/${consumer.id}/keys`, {})).body.key as string;
  const subscription = await api.post<{ status: string }>('/admin/subscriptions', { consumerId: consumer.id, serviceId: service.body.id });
  t.equal(subscription.body.status, 'approved', 'auto service: approved at once');

  const client = gw.client(key);
  const answer = await client.chat.completions.create({ model: 'org/fresh-chat', messages: [{ role: 'user', content: 'hello' }] });
  t.equal(answer.model, 'org/fresh-chat');
  t.ok(answer.choices[0]?.message.content, 'the mock provider answered');

  await api.patch('/admin/models/org/fresh-chat', { status: 'disabled' });
  await expectApiError(t, client.chat.completions.create({ model: 'org/fresh-chat', messages: [{ role: 'user', content: 'hello' }] }), OpenAI.NotFoundError, {
    status: 404,
    code: 'model_not_found',
  });
  await api.patch('/admin/models/org/fresh-chat', { status: 'enabled' });
  const again = await client.chat.completions.create({ model: 'org/fresh-chat', messages: [{ role: 'user', content: 'hello' }] });
  t.ok(again.choices[0]?.message.content, 'enabled again, callable again');
});

t.test('tenant admins read models without their deployments', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'reader' })).body;
  const reader = await tenantAdmin(gw, api, tenant.id, 'reader-admin');
  const listed = await reader.get<ListJson<Partial<ModelJson>>>('/admin/models');
  t.equal(listed.status, 200);
  t.match(listed.body.data[0], { name: 'mock-chat', type: 'chat', status: 'enabled', pricing: { input: 1, output: 2 } });
  t.notOk(listed.body.data.some((model) => 'deployments' in model || 'source' in model), 'no routing internals');
  t.notOk('deployments' in (await reader.get<Partial<ModelJson>>('/admin/models/mock-chat')).body);
});
