import t from 'tap';
import {
  adminApi,
  forgeAdminToken,
  platformAdmin,
  startAdminGateway,
  tenantAdmin,
  TEST_ADMIN_PASSWORD,
  type AdminApi,
  type ConsumerJson,
  type ErrorJson,
  type KeyJson,
  type TenantJson,
} from '../../helpers/admin.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Endpoint {
  method: Method;
  /** The route as documented. */
  route: string;
  /** Makes a fresh target (for writes that consume it) and returns the URL and body to send. */
  target(): Promise<{ url: string; body?: unknown }>;
  /** Expected status for the tenant admin of the resource's tenant, of another tenant, and a platform admin. */
  ownTenant: number;
  otherTenant: number;
  platform: number;
}

t.test('role matrix: every access endpoint × every kind of caller', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenantA = (await api.post<TenantJson>('/admin/tenants', { name: 'tenant-a' })).body;
  const tenantB = (await api.post<TenantJson>('/admin/tenants', { name: 'tenant-b' })).body;
  const consumerA = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenantA.id, name: 'app-a' })).body;
  const keyA = (await api.post<KeyJson>(`/admin/consumers/${consumerA.id}/keys`, { name: 'a' })).body;

  let serial = 0;
  const fresh = (stem: string) => `${stem}-${++serial}`;
  const freshConsumer = async () => (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenantA.id, name: fresh('c') })).body.id;

  const endpoints: Endpoint[] = [
    { method: 'GET', route: '/admin/users', target: async () => ({ url: '/admin/users' }), ownTenant: 403, otherTenant: 403, platform: 200 },
    {
      method: 'POST',
      route: '/admin/users',
      target: async () => ({ url: '/admin/users', body: { username: fresh('user'), password: 'long-password-123', role: 'tenant_admin', tenantId: tenantA.id } }),
      ownTenant: 403,
      otherTenant: 403,
      platform: 201,
    },
    {
      method: 'DELETE',
      route: '/admin/users/{username}',
      target: async () => {
        const username = fresh('doomed');
        await api.post('/admin/users', { username, password: 'long-password-123', role: 'tenant_admin', tenantId: tenantA.id });
        return { url: `/admin/users/${username}` };
      },
      ownTenant: 403,
      otherTenant: 403,
      platform: 204,
    },
    { method: 'GET', route: '/admin/tenants', target: async () => ({ url: '/admin/tenants' }), ownTenant: 200, otherTenant: 200, platform: 200 },
    { method: 'POST', route: '/admin/tenants', target: async () => ({ url: '/admin/tenants', body: { name: fresh('tenant') } }), ownTenant: 403, otherTenant: 403, platform: 201 },
    { method: 'GET', route: '/admin/tenants/{id}', target: async () => ({ url: `/admin/tenants/${tenantA.id}` }), ownTenant: 200, otherTenant: 404, platform: 200 },
    { method: 'PATCH', route: '/admin/tenants/{id}', target: async () => ({ url: `/admin/tenants/${tenantA.id}`, body: { rpm: 100 } }), ownTenant: 403, otherTenant: 403, platform: 200 },
    {
      method: 'DELETE',
      route: '/admin/tenants/{id}',
      target: async () => ({ url: `/admin/tenants/${(await api.post<TenantJson>('/admin/tenants', { name: fresh('doomed-tenant') })).body.id}` }),
      ownTenant: 403,
      otherTenant: 403,
      platform: 204,
    },
    { method: 'GET', route: '/admin/consumers', target: async () => ({ url: '/admin/consumers' }), ownTenant: 200, otherTenant: 200, platform: 200 },
    { method: 'GET', route: '/admin/consumers?tenantId=', target: async () => ({ url: `/admin/consumers?tenantId=${tenantA.id}` }), ownTenant: 200, otherTenant: 404, platform: 200 },
    {
      method: 'POST',
      route: '/admin/consumers',
      target: async () => ({ url: '/admin/consumers', body: { tenantId: tenantA.id, name: fresh('consumer') } }),
      ownTenant: 201,
      otherTenant: 404,
      platform: 201,
    },
    { method: 'GET', route: '/admin/consumers/{id}', target: async () => ({ url: `/admin/consumers/${consumerA.id}` }), ownTenant: 200, otherTenant: 404, platform: 200 },
    { method: 'PATCH', route: '/admin/consumers/{id}', target: async () => ({ url: `/admin/consumers/${consumerA.id}`, body: { status: 'active' } }), ownTenant: 200, otherTenant: 404, platform: 200 },
    { method: 'DELETE', route: '/admin/consumers/{id}', target: async () => ({ url: `/admin/consumers/${await freshConsumer()}` }), ownTenant: 204, otherTenant: 404, platform: 204 },
    { method: 'POST', route: '/admin/consumers/{id}/keys', target: async () => ({ url: `/admin/consumers/${consumerA.id}/keys`, body: {} }), ownTenant: 201, otherTenant: 404, platform: 201 },
    { method: 'GET', route: '/admin/consumers/{id}/keys', target: async () => ({ url: `/admin/consumers/${consumerA.id}/keys` }), ownTenant: 200, otherTenant: 404, platform: 200 },
    { method: 'GET', route: '/admin/keys/{id}', target: async () => ({ url: `/admin/keys/${keyA.id}` }), ownTenant: 200, otherTenant: 404, platform: 200 },
    { method: 'PATCH', route: '/admin/keys/{id}', target: async () => ({ url: `/admin/keys/${keyA.id}`, body: { rpm: 5 } }), ownTenant: 200, otherTenant: 404, platform: 200 },
    {
      method: 'POST',
      route: '/admin/keys/{id}/revoke',
      target: async () => ({ url: `/admin/keys/${(await api.post<KeyJson>(`/admin/consumers/${consumerA.id}/keys`, {})).body.id}/revoke` }),
      ownTenant: 200,
      otherTenant: 404,
      platform: 200,
    },
  ];

  const callers: Array<{ name: string; api: AdminApi; expect: (endpoint: Endpoint) => number; code?: string }> = [
    { name: 'no token', api: adminApi(gw.app), expect: () => 401, code: 'admin_token_missing' },
    { name: 'bad token', api: adminApi(gw.app, forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null }, { secret: 'y'.repeat(40) })), expect: () => 401, code: 'admin_token_invalid' },
    { name: 'expired token', api: adminApi(gw.app, forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null }, { expiresInSeconds: -1 })), expect: () => 401, code: 'admin_token_expired' },
    { name: 'tenant admin of this tenant', api: await tenantAdmin(gw, api, tenantA.id, 'admin-a'), expect: (endpoint) => endpoint.ownTenant },
    { name: 'tenant admin of another tenant', api: await tenantAdmin(gw, api, tenantB.id, 'admin-b'), expect: (endpoint) => endpoint.otherTenant },
    { name: 'platform admin', api, expect: (endpoint) => endpoint.platform },
  ];

  for (const endpoint of endpoints) {
    for (const caller of callers) {
      const { url, body } = await endpoint.target();
      const response = await caller.api.request<ErrorJson>(endpoint.method, url, body);
      const expected = caller.expect(endpoint);
      const label = `${endpoint.method} ${endpoint.route} as ${caller.name}`;
      t.equal(response.status, expected, `${label}: ${expected}`);
      if (expected === 401 && caller.code !== undefined) t.equal(response.body.error.code, caller.code, `${label}: ${caller.code}`);
      if (expected === 403) t.equal(response.body.error.code, 'admin_forbidden', `${label}: admin_forbidden`);
      if (expected === 404) t.equal(response.body.error.code, 'resource_not_found', `${label}: resource_not_found`);
    }
  }

  // The token endpoint needs no token, and a stale Authorization header does not get in its way.
  const login = await adminApi(gw.app, 'stale-token').post('/admin/auth/token', { username: 'admin', password: TEST_ADMIN_PASSWORD });
  t.equal(login.status, 200, 'POST /admin/auth/token as anyone: 200 with the right password');
});
