import t, { type Test } from 'tap';
import { parse, stringify } from 'yaml';
import { adminToken, platformAdmin, type ConsumerJson, type TenantJson } from '../helpers/admin.js';
import { startCatalogGateway } from '../helpers/catalog-gateway.js';
import type { RunningGateway } from '../helpers/gateway.js';

interface PlanJson {
  changed: boolean;
  applied: boolean;
  summary: { create: number; update: number; unchanged: number };
  items: Array<{ kind: string; name: string; action: string; changes?: Array<{ field: string; from: unknown; to: unknown }> }>;
}

interface ConfigDocument {
  providers: Array<Record<string, unknown>>;
  models: Array<Record<string, unknown>>;
  tenants: Array<Record<string, unknown>>;
  consumers: Array<Record<string, unknown>>;
  services: Array<Record<string, unknown> & { models: string[] }>;
  subscriptions: Array<Record<string, unknown>>;
}

async function configApi(gw: RunningGateway) {
  const token = await adminToken(gw);
  const headers = { authorization: `Bearer ${token}` };
  return {
    exportText: async () => {
      const response = await gw.app.inject({ method: 'GET', url: '/admin/config', headers });
      return { status: response.statusCode, type: String(response.headers['content-type']), text: response.body };
    },
    post: async (action: 'preview' | 'apply', text: string, as: 'yaml' | 'json' = 'yaml') => {
      const response = await gw.app.inject({
        method: 'POST',
        url: `/admin/config/${action}`,
        headers: { ...headers, 'content-type': as === 'yaml' ? 'text/yaml' : 'application/json' },
        payload: as === 'yaml' ? text : JSON.stringify({ yaml: text }),
      });
      return { status: response.statusCode, body: response.json() as PlanJson, text: response.body };
    },
  };
}

/** A gateway with one of everything, made through the admin API. */
async function populated(t: Test) {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  await api.post('/admin/providers', { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-stored-credential' });
  await api.post('/admin/models', {
    name: 'gpt-4o-mini',
    type: 'chat',
    deployments: [{ provider: 'openai', model: 'gpt-4o-mini', weight: 2 }, { provider: 'local-mock', model: 'fallback', priority: 1 }],
    pricing: { input: 0.15, output: 0.6, cachedInput: 0.075 },
    dropParams: ['logit_bias'],
  });
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme', rpm: 60, allowedIps: ['10.0.0.0/8'], monthlyBudgetUsd: 12.5 })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'web' })).body;
  const service = (await api.post<{ id: string }>('/admin/services', { name: 'frontier', approval: 'manual', models: ['gpt-4o-mini', 'mock-chat'] })).body;
  const subscription = (await api.post<{ id: string }>('/admin/subscriptions', { consumerId: consumer.id, serviceId: service.id })).body;
  await api.post(`/admin/subscriptions/${subscription.id}/approve`);
  return { gw, api, config: await configApi(gw) };
}

t.test('export, then preview of the same text: nothing would change', async (t) => {
  const { config } = await populated(t);
  const exported = await config.exportText();
  t.equal(exported.status, 200);
  t.match(exported.type, /^text\/yaml/);
  const document = parse(exported.text) as ConfigDocument;
  t.match(document.providers, [{ name: 'local-mock', kind: 'mock' }, { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: '${OPENAI_API_KEY}' }]);
  t.notOk('apiKey' in (document.providers[0] ?? {}), 'a provider without a credential has no apiKey line');
  t.notOk(exported.text.includes('sk-stored-credential'), 'the credential itself is not exported');
  t.match(document.models.find((model) => model.name === 'gpt-4o-mini'), {
    deployments: [{ provider: 'openai', model: 'gpt-4o-mini', weight: 2, priority: 0 }, { provider: 'local-mock', model: 'fallback', weight: 1, priority: 1 }],
    pricing: { input: 0.15, output: 0.6, cachedInput: 0.075 },
    dropParams: ['logit_bias'],
  });
  t.match(document.tenants.find((tenant) => tenant.name === 'acme'), { status: 'active', rpm: 60, allowedIps: ['10.0.0.0/8'], monthlyBudgetUsd: 12.5 });
  t.match(document.consumers.find((consumer) => consumer.name === 'web'), { tenant: 'acme', status: 'active' });
  t.match(document.services.find((service) => service.name === 'frontier'), { approval: 'manual', models: ['gpt-4o-mini', 'mock-chat'] });
  t.ok(document.subscriptions.some((sub) => sub.tenant === 'acme' && sub.consumer === 'web' && sub.service === 'frontier'), 'the approved subscription');

  for (const as of ['yaml', 'json'] as const) {
    const preview = await config.post('preview', exported.text, as);
    t.equal(preview.status, 200, preview.text);
    t.equal(preview.body.changed, false, `${as}: no change`);
    t.equal(preview.body.applied, false);
    t.equal(preview.body.summary.unchanged, preview.body.items.length);
    t.same(preview.body.summary, { create: 0, update: 0, unchanged: preview.body.items.length });
  }
  const applied = await config.post('apply', exported.text);
  t.match(applied.body, { changed: false, applied: true }, 'applying it changes nothing either');
  t.equal((await config.exportText()).text, exported.text, 'the export is stable');
});

t.test('a changed file previews its diff and changes nothing until applied', async (t) => {
  const { gw, api, config } = await populated(t);
  const before = (await config.exportText()).text;
  const document = parse(before) as ConfigDocument;
  const acme = document.tenants.find((tenant) => tenant.name === 'acme') as Record<string, unknown>;
  acme.rpm = 120;
  delete acme.monthlyBudgetUsd;
  document.models.push({ name: 'team/new-chat', type: 'chat', deployments: [{ provider: 'local-mock', model: 'new' }] });
  const frontier = document.services.find((service) => service.name === 'frontier') as ConfigDocument['services'][number];
  frontier.models.push('team/new-chat');
  document.consumers.push({ tenant: 'acme', name: 'mobile' });
  document.subscriptions.push({ tenant: 'acme', consumer: 'mobile', service: 'frontier' });
  const changed = stringify(document);

  const preview = await config.post('preview', changed);
  t.equal(preview.status, 200, preview.text);
  t.equal(preview.body.changed, true);
  t.same(preview.body.summary, { create: 3, update: 2, unchanged: preview.body.items.length - 5 });
  const byName = (kind: string, name: string) => preview.body.items.find((item) => item.kind === kind && item.name === name);
  t.same(byName('tenant', 'acme'), {
    kind: 'tenant',
    name: 'acme',
    action: 'update',
    changes: [
      { field: 'rpm', from: 60, to: 120 },
      { field: 'monthlyBudgetUsd', from: 12.5, to: null },
    ],
  });
  t.match(byName('model', 'team/new-chat'), { action: 'create' });
  t.match(byName('service', 'frontier'), { action: 'update', changes: [{ field: 'models', from: ['gpt-4o-mini', 'mock-chat'], to: ['gpt-4o-mini', 'mock-chat', 'team/new-chat'] }] });
  t.match(byName('consumer', 'acme/mobile'), { action: 'create' });
  t.match(byName('subscription', 'acme/mobile -> frontier'), { action: 'create' });
  t.match(byName('provider', 'openai'), { action: 'unchanged' }, 'an unset ${OPENAI_API_KEY} keeps the stored credential');

  t.equal((await config.exportText()).text, before, 'the preview changed nothing');
  t.equal((await api.get('/admin/models/team/new-chat')).status, 404);

  const applied = await config.post('apply', changed);
  t.match(applied.body, { changed: true, applied: true, summary: preview.body.summary });
  t.equal((await api.get('/admin/models/team/new-chat')).status, 200, 'now it exists');
  const subscriptions = (await api.get<{ data: Array<{ serviceName: string; status: string; decidedBy: string; requestedBy: string }> }>('/admin/subscriptions')).body.data;
  t.match(
    subscriptions.find((sub) => sub.serviceName === 'frontier' && sub.requestedBy === 'admin' && sub.decidedBy === 'admin' && sub.status === 'approved'),
    {},
    'the declared subscription is approved, by the admin who applied',
  );
  t.match((await config.post('preview', changed)).body, { changed: false }, 'the same file again: nothing left to do');
  t.equal(gw.app.catalog.find('team/new-chat')?.name, 'team/new-chat', 'the catalog reloaded');
});

t.test('a declared subscription approves a pending one; credentials follow the environment', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const config = await configApi(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'web' })).body;
  const service = (await api.post<{ id: string }>('/admin/services', { name: 'svc', models: ['mock-chat'] })).body;
  const pending = (await api.post<{ id: string }>('/admin/subscriptions', { consumerId: consumer.id, serviceId: service.id })).body;
  const document = parse((await config.exportText()).text) as ConfigDocument;
  document.subscriptions.push({ tenant: 'acme', consumer: 'web', service: 'svc' });
  const file = stringify(document);
  const preview = await config.post('preview', file);
  t.match(
    preview.body.items.find((item) => item.kind === 'subscription' && item.name === 'acme/web -> svc'),
    { action: 'update', changes: [{ field: 'status', from: 'pending', to: 'approved' }] },
  );
  await config.post('apply', file);
  t.match((await api.get(`/admin/subscriptions/${pending.id}`)).body, { status: 'approved', decidedBy: 'admin' });

  const newProvider = 'providers:\n  - name: fresh\n    kind: openai\n    baseUrl: https://api.openai.com/v1\n    apiKey: ${FRESH_UNSET_API_KEY}\n';
  const refused = await config.post('preview', newProvider);
  t.equal(refused.status, 400);
  t.match(JSON.parse(refused.text).error, { code: 'invalid_request', param: 'providers[0].apiKey', message: /FRESH_UNSET_API_KEY is not set, and provider 'fresh' has no stored credential/ });

  const ownSetting = await config.post('preview', 'providers:\n  - name: sneaky\n    kind: openai\n    baseUrl: https://example.com/v1\n    apiKey: ${GATEWAY_JWT_SECRET}\n');
  t.equal(ownSetting.status, 400);
  t.match(JSON.parse(ownSetting.text).error, { param: 'providers[0].apiKey', message: /gateway's own settings/ });
});
