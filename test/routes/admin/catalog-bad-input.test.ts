import t from 'tap';
import { adminToken, platformAdmin, type ConsumerJson, type ErrorJson, type TenantJson } from '../../helpers/admin.js';
import { startCatalogGateway } from '../../helpers/catalog-gateway.js';

interface Case {
  method: 'POST' | 'PATCH';
  url: string;
  body: unknown;
  /** The field the error must name (`param`), or null when the whole body is at fault. */
  param: string | null;
  /** What the message must say. */
  message?: RegExp;
}

t.test('bad input to every catalog body: a 4xx naming the field, never a 500', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const provider = (await api.post<{ id: string }>('/admin/providers', { name: 'bad-input-mock', kind: 'mock' })).body.id;
  const service = (await api.post<{ id: string }>('/admin/services', { name: 'manual', models: [] })).body.id;
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  const subscription = (await api.post<{ id: string }>('/admin/subscriptions', { consumerId: consumer.id, serviceId: service })).body.id;
  const deployment = { provider: 'local-mock', model: 'x' };

  const cases: Case[] = [
    // providers
    { method: 'POST', url: '/admin/providers', body: { kind: 'mock' }, param: 'name', message: /'name' is required/ },
    { method: 'POST', url: '/admin/providers', body: { name: 'p', kind: 'azure' }, param: 'kind', message: /'kind' must be one of "openai", / },
    { method: 'POST', url: '/admin/providers', body: { name: 'p', kind: 'mock', apiKey: 42 }, param: 'apiKey' },
    { method: 'POST', url: '/admin/providers', body: { name: 'p', kind: 'openai', baseUrl: 'not a url' }, param: 'baseUrl' },
    { method: 'POST', url: '/admin/providers', body: { name: 'p', kind: 'openai', baseUrl: 'ftp://example.com/v1' }, param: 'baseUrl' },
    { method: 'POST', url: '/admin/providers', body: { name: 'has space', kind: 'mock' }, param: 'name' },
    { method: 'POST', url: '/admin/providers', body: { name: 'p', kind: 'mock', apikey: 'typo' }, param: 'apikey', message: /unknown field 'apikey'/ },
    { method: 'POST', url: '/admin/providers', body: { name: 'p', kind: 'mock', options: [1] }, param: 'options' },
    { method: 'PATCH', url: `/admin/providers/${provider}`, body: {}, param: null, message: /fewer than 1/ },
    { method: 'PATCH', url: `/admin/providers/${provider}`, body: { kind: 7 }, param: 'kind' },
    { method: 'PATCH', url: `/admin/providers/${provider}`, body: { credential: 'x' }, param: 'credential', message: /unknown field/ },
    // models
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat' }, param: 'deployments' },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [] }, param: 'deployments', message: /fewer than 1/ },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'image', deployments: [deployment] }, param: 'type' },
    { method: 'POST', url: '/admin/models', body: { name: '/leading', type: 'chat', deployments: [deployment] }, param: 'name' },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [{ provider: 'local-mock' }] }, param: 'deployments[0].model', message: /'deployments\[0\]\.model' is required/ },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [{ ...deployment, weight: '2' }] }, param: 'deployments[0].weight', message: /integer/ },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [{ ...deployment, weight: 0 }] }, param: 'deployments[0].weight' },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [{ ...deployment, region: 'eu' }] }, param: 'deployments[0].region', message: /unknown field/ },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [deployment], pricing: { input: 1 } }, param: 'pricing.output' },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [deployment], pricing: { input: -1, output: 1 } }, param: 'pricing.input', message: />= 0/ },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [deployment], dropParams: 'logit_bias' }, param: 'dropParams' },
    { method: 'POST', url: '/admin/models', body: { name: 'm', type: 'chat', deployments: [deployment], status: 'paused' }, param: 'status' },
    { method: 'PATCH', url: '/admin/models/mock-chat', body: { name: 'renamed' }, param: 'name', message: /unknown field/ },
    { method: 'PATCH', url: '/admin/models/mock-chat', body: { status: true }, param: 'status' },
    { method: 'PATCH', url: '/admin/models/mock-chat', body: {}, param: null },
    // services
    { method: 'POST', url: '/admin/services', body: { approval: 'auto' }, param: 'name' },
    { method: 'POST', url: '/admin/services', body: { name: 's', approval: 'sometimes' }, param: 'approval' },
    { method: 'POST', url: '/admin/services', body: { name: 's', models: 'mock-chat' }, param: 'models' },
    { method: 'POST', url: '/admin/services', body: { name: 's', models: ['mock-chat', 'mock-chat'] }, param: 'models', message: /duplicate/ },
    { method: 'POST', url: '/admin/services', body: { name: '' }, param: 'name' },
    { method: 'PATCH', url: `/admin/services/${service}`, body: { models: [1] }, param: 'models[0]' },
    { method: 'PATCH', url: `/admin/services/${service}`, body: { id: 'svc_x' }, param: 'id', message: /unknown field/ },
    // subscriptions
    { method: 'POST', url: '/admin/subscriptions', body: { consumerId: consumer.id }, param: 'serviceId' },
    { method: 'POST', url: '/admin/subscriptions', body: { consumerId: 1, serviceId: service }, param: 'consumerId' },
    { method: 'POST', url: '/admin/subscriptions', body: { consumerId: consumer.id, serviceId: service, status: 'approved' }, param: 'status', message: /unknown field/ },
    { method: 'POST', url: `/admin/subscriptions/${subscription}/approve`, body: { note: 'ok' }, param: 'note', message: /unknown field/ },
    { method: 'POST', url: `/admin/subscriptions/${subscription}/reject`, body: {}, param: 'reason' },
    { method: 'POST', url: `/admin/subscriptions/${subscription}/reject`, body: { reason: '' }, param: 'reason' },
    { method: 'POST', url: `/admin/subscriptions/${subscription}/revoke`, body: { reason: 5 }, param: 'reason' },
    // config
    { method: 'POST', url: '/admin/config/preview', body: {}, param: 'yaml' },
    { method: 'POST', url: '/admin/config/preview', body: { yaml: 3 }, param: 'yaml' },
    { method: 'POST', url: '/admin/config/preview', body: { yaml: 'providers: [oops' }, param: null, message: /not valid YAML/ },
    { method: 'POST', url: '/admin/config/preview', body: { yaml: 'providers: [{ name: x, kind: nope }]' }, param: 'providers[0].kind' },
    { method: 'POST', url: '/admin/config/apply', body: { yaml: 'services: [{ name: s, models: [ghost] }]' }, param: 'services[0].models[0]', message: /no model named 'ghost'/ },
    { method: 'POST', url: '/admin/config/apply', body: { yaml: 'servics: []' }, param: null, message: /servics/ },
  ];

  for (const item of cases) {
    const response = await api.request<ErrorJson>(item.method, item.url, item.body);
    const label = `${item.method} ${item.url} ${JSON.stringify(item.body)}`;
    t.equal(response.status, 400, `${label}: 400`);
    t.equal(response.body?.error?.code, 'invalid_request', `${label}: invalid_request`);
    t.equal(response.body?.error?.param, item.param, `${label}: names ${item.param ?? 'no field'}`);
    if (item.message) t.match(response.body?.error?.message, item.message, `${label}: says what is wrong`);
  }
  t.equal((await api.get<{ status: string }>(`/admin/subscriptions/${subscription}`)).body.status, 'pending', 'no bad request decided anything');

  // Bodies that are not JSON at all.
  const token = await adminToken(gw);
  const raw = async (url: string, contentType: string, payload: string) =>
    gw.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
  const broken = await raw('/admin/providers', 'application/json', '{"name": ');
  t.equal(broken.statusCode, 400, 'broken JSON: 400');
  t.equal(broken.json().error.code, 'invalid_request');
  const yamlElsewhere = await raw('/admin/providers', 'text/yaml', 'name: x');
  t.equal(yamlElsewhere.statusCode, 415, 'YAML is only for /admin/config: 415 elsewhere');
  const nonsense = await raw('/admin/config/preview', 'text/yaml', '- just\n- a list');
  t.equal(nonsense.statusCode, 400);
  t.match(nonsense.json().error.message, /invalid configuration/);
});
