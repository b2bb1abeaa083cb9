import t from 'tap';
import {
  adminToken,
  forgeAdminToken,
  platformAdmin,
  tenantAdmin,
  type ConsumerJson,
  type ErrorJson,
  type TenantJson,
} from '../../helpers/admin.js';
import { startCatalogGateway } from '../../helpers/catalog-gateway.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Endpoint {
  method: Method;
  route: string;
  /** A fresh target for each caller (writes consume theirs): the URL and body to send. */
  target(): Promise<{ url: string; body?: unknown }>;
  /** Expected status for the tenant admin of the resource's tenant, of another tenant, and a platform admin. */
  ownTenant: number;
  otherTenant: number;
  platform: number;
}

t.test('role matrix: providers, models, services, subscriptions, config × every kind of caller', async (t) => {
  const gw = await startCatalogGateway(t);
  const api = await platformAdmin(gw);
  const tenantA = (await api.post<TenantJson>('/admin/tenants', { name: 'tenant-a' })).body;
  const tenantB = (await api.post<TenantJson>('/admin/tenants', { name: 'tenant-b' })).body;
  const consumerA = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenantA.id, name: 'app-a' })).body;
  const provider = (await api.post<{ id: string }>('/admin/providers', { name: 'matrix-mock', kind: 'mock' })).body;
  const manual = (await api.post<{ id: string }>('/admin/services', { name: 'manual', approval: 'manual', models: ['mock-chat'] })).body;

  let serial = 0;
  const fresh = (stem: string) => `${stem}-${++serial}`;
  const freshModel = async () => {
    const name = fresh('model');
    await api.post('/admin/models', { name, type: 'chat', deployments: [{ provider: 'matrix-mock', model: 'x' }] });
    return name;
  };
  /** A subscription of tenant A's app: each needs its own service, as only one may be open per service. */
  const freshSubscription = async (decide?: 'approve') => {
    const service = (await api.post<{ id: string }>('/admin/services', { name: fresh('svc'), models: [] })).body;
    const subscription = (await api.post<{ id: string }>('/admin/subscriptions', { consumerId: consumerA.id, serviceId: service.id })).body;
    if (decide) await api.post(`/admin/subscriptions/${subscription.id}/${decide}`);
    return subscription.id;
  };
  const pendingA = await freshSubscription();
  const configText = (await gw.app.inject({ method: 'GET', url: '/admin/config', headers: { authorization: `Bearer ${forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null })}` } })).body;

  const platformOnly = { ownTenant: 403, otherTenant: 403 };
  const endpoints: Endpoint[] = [
    { method: 'GET', route: '/admin/providers', target: async () => ({ url: '/admin/providers' }), ...platformOnly, platform: 200 },
    { method: 'POST', route: '/admin/providers', target: async () => ({ url: '/admin/providers', body: { name: fresh('prv'), kind: 'mock' } }), ...platformOnly, platform: 201 },
    { method: 'GET', route: '/admin/providers/{id}', target: async () => ({ url: `/admin/providers/${provider.id}` }), ...platformOnly, platform: 200 },
    { method: 'PATCH', route: '/admin/providers/{id}', target: async () => ({ url: `/admin/providers/${provider.id}`, body: { options: { n: 1 } } }), ...platformOnly, platform: 200 },
    {
      method: 'DELETE',
      route: '/admin/providers/{id}',
      target: async () => ({ url: `/admin/providers/${(await api.post<{ id: string }>('/admin/providers', { name: fresh('doomed'), kind: 'mock' })).body.id}` }),
      ...platformOnly,
      platform: 204,
    },
    { method: 'GET', route: '/admin/models', target: async () => ({ url: '/admin/models' }), ownTenant: 200, otherTenant: 200, platform: 200 },
    {
      method: 'POST',
      route: '/admin/models',
      target: async () => ({ url: '/admin/models', body: { name: fresh('new-model'), type: 'chat', deployments: [{ provider: 'matrix-mock', model: 'x' }] } }),
      ...platformOnly,
      platform: 201,
    },
    { method: 'GET', route: '/admin/models/{name}', target: async () => ({ url: '/admin/models/mock-chat' }), ownTenant: 200, otherTenant: 200, platform: 200 },
    { method: 'PATCH', route: '/admin/models/{name}', target: async () => ({ url: '/admin/models/mock-chat', body: { status: 'enabled' } }), ...platformOnly, platform: 200 },
    { method: 'DELETE', route: '/admin/models/{name}', target: async () => ({ url: `/admin/models/${await freshModel()}` }), ...platformOnly, platform: 204 },
    { method: 'GET', route: '/admin/services', target: async () => ({ url: '/admin/services' }), ownTenant: 200, otherTenant: 200, platform: 200 },
    { method: 'POST', route: '/admin/services', target: async () => ({ url: '/admin/services', body: { name: fresh('service') } }), ...platformOnly, platform: 201 },
    { method: 'GET', route: '/admin/services/{id}', target: async () => ({ url: `/admin/services/${manual.id}` }), ownTenant: 200, otherTenant: 200, platform: 200 },
    { method: 'PATCH', route: '/admin/services/{id}', target: async () => ({ url: `/admin/services/${manual.id}`, body: { approval: 'manual' } }), ...platformOnly, platform: 200 },
    {
      method: 'DELETE',
      route: '/admin/services/{id}',
      target: async () => ({ url: `/admin/services/${(await api.post<{ id: string }>('/admin/services', { name: fresh('doomed-service') })).body.id}` }),
      ...platformOnly,
      platform: 204,
    },
    { method: 'GET', route: '/admin/subscriptions', target: async () => ({ url: '/admin/subscriptions?status=pending' }), ownTenant: 200, otherTenant: 200, platform: 200 },
    {
      method: 'POST',
      route: '/admin/subscriptions',
      target: async () => ({ url: '/admin/subscriptions', body: { consumerId: consumerA.id, serviceId: (await api.post<{ id: string }>('/admin/services', { name: fresh('ask') })).body.id } }),
      ownTenant: 201,
      otherTenant: 404,
      platform: 201,
    },
    { method: 'GET', route: '/admin/subscriptions/{id}', target: async () => ({ url: `/admin/subscriptions/${pendingA}` }), ownTenant: 200, otherTenant: 404, platform: 200 },
    { method: 'POST', route: '/admin/subscriptions/{id}/approve', target: async () => ({ url: `/admin/subscriptions/${await freshSubscription()}/approve` }), ...platformOnly, platform: 200 },
    {
      method: 'POST',
      route: '/admin/subscriptions/{id}/reject',
      target: async () => ({ url: `/admin/subscriptions/${await freshSubscription()}/reject`, body: { reason: 'no' } }),
      ...platformOnly,
      platform: 200,
    },
    {
      method: 'POST',
      route: '/admin/subscriptions/{id}/revoke',
      target: async () => ({ url: `/admin/subscriptions/${await freshSubscription('approve')}/revoke`, body: { reason: 'over' } }),
      ...platformOnly,
      platform: 200,
    },
    { method: 'GET', route: '/admin/config', target: async () => ({ url: '/admin/config' }), ...platformOnly, platform: 200 },
    { method: 'POST', route: '/admin/config/preview', target: async () => ({ url: '/admin/config/preview', body: { yaml: configText } }), ...platformOnly, platform: 200 },
    { method: 'POST', route: '/admin/config/apply', target: async () => ({ url: '/admin/config/apply', body: { yaml: configText } }), ...platformOnly, platform: 200 },
  ];

  await tenantAdmin(gw, api, tenantA.id, 'admin-a');
  await tenantAdmin(gw, api, tenantB.id, 'admin-b');
  const callers: Array<{ name: string; token: string | undefined; expect: (endpoint: Endpoint) => number; code?: string }> = [
    { name: 'no token', token: undefined, expect: () => 401, code: 'admin_token_missing' },
    { name: 'bad token', token: forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null }, { secret: 'z'.repeat(40) }), expect: () => 401, code: 'admin_token_invalid' },
    { name: 'expired token', token: forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null }, { expiresInSeconds: -1 }), expect: () => 401, code: 'admin_token_expired' },
    { name: 'tenant admin of this tenant', token: await adminToken(gw, 'admin-a', 'admin-a-password-0123'), expect: (endpoint) => endpoint.ownTenant },
    { name: 'tenant admin of another tenant', token: await adminToken(gw, 'admin-b', 'admin-b-password-0123'), expect: (endpoint) => endpoint.otherTenant },
    { name: 'platform admin', token: await adminToken(gw), expect: (endpoint) => endpoint.platform },
  ];
  // Not the JSON helper: GET /admin/config answers YAML.
  const send = async (token: string | undefined, method: Method, url: string, body: unknown) => {
    const response = await gw.app.inject({ method, url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    const json = String(response.headers['content-type']).startsWith('application/json');
    return { status: response.statusCode, body: (json ? response.json() : undefined) as ErrorJson };
  };

  for (const endpoint of endpoints) {
    for (const caller of callers) {
      const { url, body } = await endpoint.target();
      const response = await send(caller.token, endpoint.method, url, body);
      const expected = caller.expect(endpoint);
      const label = `${endpoint.method} ${endpoint.route} as ${caller.name}`;
      t.equal(response.status, expected, `${label}: ${expected}`);
      if (expected === 401 && caller.code !== undefined) t.equal(response.body.error.code, caller.code, `${label}: ${caller.code}`);
      if (expected === 403) t.equal(response.body.error.code, 'admin_forbidden', `${label}: admin_forbidden`);
      if (expected === 404) t.equal(response.body.error.code, 'resource_not_found', `${label}: resource_not_found`);
    }
  }
});
