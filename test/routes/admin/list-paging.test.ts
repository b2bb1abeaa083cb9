import t from 'tap';
import { platformAdmin, startAdminGateway, tenantAdmin, type AdminApi, type AdminResponse, type ErrorJson, type ListJson } from '../../helpers/admin.js';

interface Item {
  id?: string;
  name?: string;
  username?: string;
}

const idOf = (item: Item) => item.id ?? item.username ?? item.name ?? '';

/** Every item of a list, `limit` at a time, following nextCursor; also the pages' sizes. */
async function walk(api: AdminApi, path: string, limit: number): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: AdminResponse<ListJson<Item>> = await api.get<ListJson<Item>>(`${path}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    if (page.status !== 200) throw new Error(`${path}: ${page.status} ${page.text}`);
    ids.push(...page.body.data.map(idOf));
    sizes.push(page.body.data.length);
    cursor = page.body.nextCursor;
  } while (cursor !== null && sizes.length < 20);
  return { ids, sizes };
}

t.test('every admin list pages alike: limit, cursor, {data, nextCursor}, in creation order', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<{ id: string }>('/admin/tenants', { name: 'paging' })).body.id;
  const consumer = (await api.post<{ id: string }>('/admin/consumers', { tenantId: tenant, name: 'app-0' })).body.id;
  for (let i = 1; i < 5; i++) await api.post('/admin/tenants', { name: `tenant-${i}` });
  for (let i = 1; i < 5; i++) await api.post('/admin/consumers', { tenantId: tenant, name: `app-${i}` });
  for (let i = 0; i < 5; i++) await api.post(`/admin/consumers/${consumer}/keys`, { name: `key-${i}` });
  for (let i = 0; i < 5; i++) await api.post('/admin/providers', { name: `provider-${i}`, kind: 'mock' });
  for (let i = 0; i < 5; i++) await api.post('/admin/models', { name: `model-${i}`, type: 'chat', deployments: [{ provider: 'provider-0', model: 'm' }] });
  const services: string[] = [];
  for (let i = 0; i < 5; i++) services.push((await api.post<{ id: string }>('/admin/services', { name: `service-${i}`, approval: 'manual', models: ['model-0'] })).body.id);
  for (const service of services) await api.post('/admin/subscriptions', { consumerId: consumer, serviceId: service });
  for (let i = 0; i < 4; i++) await api.post('/admin/users', { username: `viewer-${i}`, password: 'viewer-password-0123', role: 'tenant_admin', tenantId: tenant });

  const lists = ['/admin/tenants', `/admin/consumers?tenantId=${tenant}`, `/admin/consumers/${consumer}/keys`, '/admin/providers', '/admin/models', '/admin/services', '/admin/subscriptions?status=pending', '/admin/users'];
  for (const path of lists) {
    const whole = await api.get<ListJson<Item>>(path);
    t.equal(whole.status, 200, `${path}: 200`);
    t.ok(whole.body.data.length >= 5, `${path}: ${whole.body.data.length} items to page through`);
    t.equal(whole.body.nextCursor, null, `${path}: one page under the default limit, nextCursor null`);
    const paged = await walk(api, path, 2);
    t.same(paged.ids, whole.body.data.map(idOf), `${path}: two at a time, the same items in the same order, none twice, none missed`);
    t.ok(paged.sizes.slice(0, -1).every((size) => size === 2), `${path}: full pages until the last (${paged.sizes.join(', ')})`);
  }
});

t.test('an item created while an admin pages through lands on a later page, once', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  for (let i = 0; i < 4; i++) await api.post('/admin/tenants', { name: `before-${i}` });
  const first = await api.get<ListJson<Item>>('/admin/tenants?limit=3');
  t.equal(first.body.data.length, 3);
  t.type(first.body.nextCursor, 'string');
  const late = (await api.post<{ id: string }>('/admin/tenants', { name: 'late' })).body.id;
  const rest = await api.get<ListJson<Item>>(`/admin/tenants?limit=3&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`);
  t.same(rest.body.data.map((item) => item.name), ['before-3', 'late']);
  t.equal(rest.body.data.filter((item) => item.id === late).length, 1);
  t.equal(rest.body.nextCursor, null, 'the last page says so');
});

t.test("a tenant admin pages through its own tenant's lists only", async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const mine = (await api.post<{ id: string }>('/admin/tenants', { name: 'mine' })).body.id;
  const other = (await api.post<{ id: string }>('/admin/tenants', { name: 'other' })).body.id;
  for (let i = 0; i < 3; i++) await api.post('/admin/consumers', { tenantId: mine, name: `mine-${i}` });
  for (let i = 0; i < 3; i++) await api.post('/admin/consumers', { tenantId: other, name: `other-${i}` });
  const viewer = await tenantAdmin(gw, api, mine, 'mine-admin');
  const consumers = await walk(viewer, '/admin/consumers', 1);
  t.equal(consumers.ids.length, 3, 'three consumers, one a page');
  const tenants = await walk(viewer, '/admin/tenants', 1);
  t.same(tenants.ids, [mine]);
});

t.test('bad paging input is a 400 naming the parameter', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const cases: Array<[string, string]> = [
    ['/admin/tenants?limit=0', 'limit'],
    ['/admin/tenants?limit=501', 'limit'],
    ['/admin/tenants?limit=ten', 'limit'],
    ['/admin/services?cursor=not-a-cursor', 'cursor'],
    [`/admin/models?cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'cursor'],
    [`/admin/providers?cursor=${'a'.repeat(600)}`, 'cursor'],
    ['/admin/users?page=2', 'page'],
  ];
  for (const [url, param] of cases) {
    const response = await api.get<ErrorJson>(url);
    t.equal(response.status, 400, `${url.slice(0, 60)}: 400`);
    t.equal(response.body.error.param, param, `${url.slice(0, 60)}: names ${param}`);
  }
  const forged = await api.get<ErrorJson>('/admin/services?cursor=not-a-cursor');
  t.match(forged.body.error, { code: 'invalid_request', message: /not a cursor this list handed out/, hint: /nextCursor/ });
});
