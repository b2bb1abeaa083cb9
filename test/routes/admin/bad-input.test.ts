import t from 'tap';
import { platformAdmin, startAdminGateway, type ConsumerJson, type ErrorJson, type KeyJson, type ListJson, type TenantJson } from '../../helpers/admin.js';

interface BadCase {
  name: string;
  method: 'POST' | 'PATCH' | 'GET';
  url: string;
  body?: unknown;
  status: number;
  code: string;
  /** The field the error must name. */
  param: string;
}

t.test('bad admin input: a 4xx naming the field, never a 500, nothing half-written', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  const key = (await api.post<KeyJson>(`/admin/consumers/${consumer.id}/keys`, {})).body;
  const tenantUrl = `/admin/tenants/${tenant.id}`;
  const keysUrl = `/admin/consumers/${consumer.id}/keys`;
  const keyUrl = `/admin/keys/${key.id}`;
  const past = new Date(Date.now() - 60_000).toISOString();

  const invalid = (name: string, method: BadCase['method'], url: string, body: unknown, param: string): BadCase => ({ name, method, url, body, status: 400, code: 'invalid_request', param });

  const cases: BadCase[] = [
    // tenants
    invalid('tenant without name', 'POST', '/admin/tenants', { status: 'active' }, 'name'),
    invalid('tenant name as a number', 'POST', '/admin/tenants', { name: 7 }, 'name'),
    invalid('tenant empty name', 'POST', '/admin/tenants', { name: '' }, 'name'),
    invalid('tenant name of spaces alone', 'POST', '/admin/tenants', { name: '   ' }, 'name'),
    invalid('tenant rpm beyond what JSON keeps exact', 'POST', '/admin/tenants', { name: 'huge', rpm: 1e20 }, 'rpm'),
    invalid('service name of spaces alone', 'POST', '/admin/services', { name: ' \t ' }, 'name'),
    invalid('tenant unknown status', 'POST', '/admin/tenants', { name: 'x', status: 'paused' }, 'status'),
    invalid('tenant rpm as a string', 'POST', '/admin/tenants', { name: 'x', rpm: '60' }, 'rpm'),
    invalid('tenant rpm zero', 'POST', '/admin/tenants', { name: 'x', rpm: 0 }, 'rpm'),
    invalid('tenant tpm fractional', 'POST', '/admin/tenants', { name: 'x', tpm: 1.5 }, 'tpm'),
    invalid('tenant negative budget', 'POST', '/admin/tenants', { name: 'x', monthlyBudgetUsd: -1 }, 'monthlyBudgetUsd'),
    invalid('tenant allowedModels as a string', 'POST', '/admin/tenants', { name: 'x', allowedModels: 'mock-chat' }, 'allowedModels'),
    invalid('tenant empty allowedModels', 'POST', '/admin/tenants', { name: 'x', allowedModels: [] }, 'allowedModels'),
    invalid('tenant allowedIps with a number', 'POST', '/admin/tenants', { name: 'x', allowedIps: [10] }, 'allowedIps[0]'),
    invalid('tenant invalid CIDR', 'POST', '/admin/tenants', { name: 'x', allowedIps: ['10.0.0.0/8', '300.1.1.1/32'] }, 'allowedIps[1]'),
    invalid('tenant CIDR prefix too long', 'POST', '/admin/tenants', { name: 'x', allowedIps: ['10.0.0.0/33'] }, 'allowedIps[0]'),
    invalid('tenant CIDR with host bits', 'POST', '/admin/tenants', { name: 'x', allowedIps: ['10.0.0.1/8'] }, 'allowedIps[0]'),
    invalid('tenant IPv6 CIDR prefix too long', 'POST', '/admin/tenants', { name: 'x', allowedIps: ['2001:db8::/129'] }, 'allowedIps[0]'),
    invalid('tenant hostname instead of CIDR', 'POST', '/admin/tenants', { name: 'x', allowedIps: ['example.com'] }, 'allowedIps[0]'),
    invalid('tenant unknown field', 'POST', '/admin/tenants', { name: 'x', plan: 'gold' }, 'plan'),
    invalid('tenant snake_case field', 'POST', '/admin/tenants', { name: 'x', monthly_budget_usd: 5 }, 'monthly_budget_usd'),
    invalid('tenant patch empty', 'PATCH', tenantUrl, {}, ''),
    invalid('tenant patch unknown field', 'PATCH', tenantUrl, { id: 'ten_other' }, 'id'),
    invalid('tenant patch invalid CIDR', 'PATCH', tenantUrl, { allowedIps: ['::g/64'] }, 'allowedIps[0]'),
    invalid('tenant body is an array', 'POST', '/admin/tenants', [], ''),
    // consumers
    invalid('consumer without name', 'POST', '/admin/consumers', { tenantId: tenant.id }, 'name'),
    invalid('consumer tenantId as a number', 'POST', '/admin/consumers', { tenantId: 1, name: 'x' }, 'tenantId'),
    invalid('consumer unknown status', 'POST', '/admin/consumers', { tenantId: tenant.id, name: 'x', status: 'suspended' }, 'status'),
    invalid('consumer unknown field', 'POST', '/admin/consumers', { tenantId: tenant.id, name: 'x', owner: 'me' }, 'owner'),
    { name: 'consumer unknown tenant', method: 'POST', url: '/admin/consumers', body: { tenantId: 'ten_nope', name: 'x' }, status: 404, code: 'resource_not_found', param: 'tenantId' },
    { name: 'consumer duplicate name', method: 'POST', url: '/admin/consumers', body: { tenantId: tenant.id, name: 'app' }, status: 409, code: 'resource_conflict', param: 'name' },
    invalid('consumer patch name as null', 'PATCH', `/admin/consumers/${consumer.id}`, { name: null }, 'name'),
    invalid('consumer list unknown query', 'GET', '/admin/consumers?tenant=x', undefined, 'tenant'),
    // keys
    invalid('key expiresAt not a date', 'POST', keysUrl, { expiresAt: 'tomorrow' }, 'expiresAt'),
    invalid('key expiresAt without time zone', 'POST', keysUrl, { expiresAt: '2099-01-01T00:00:00' }, 'expiresAt'),
    invalid('key expiresAt impossible date', 'POST', keysUrl, { expiresAt: '2099-02-30T00:00:00Z' }, 'expiresAt'),
    invalid('key expiresAt as a number', 'POST', keysUrl, { expiresAt: 4102444800000 }, 'expiresAt'),
    invalid('key expiresAt in the past', 'POST', keysUrl, { expiresAt: past }, 'expiresAt'),
    invalid('key unknown scope', 'POST', keysUrl, { scopes: ['chat', 'admin'] }, 'scopes[1]'),
    invalid('key empty scopes', 'POST', keysUrl, { scopes: [] }, 'scopes'),
    invalid('key duplicate scopes', 'POST', keysUrl, { scopes: ['chat', 'chat'] }, 'scopes'),
    invalid('key scopes as a string', 'POST', keysUrl, { scopes: 'chat' }, 'scopes'),
    invalid('key invalid CIDR', 'POST', keysUrl, { allowedIps: ['192.168.1.0/24', '192.168.1/24'] }, 'allowedIps[1]'),
    invalid('key CIDR with zone id', 'POST', keysUrl, { allowedIps: ['fe80::1%eth0/128'] }, 'allowedIps[0]'),
    invalid('key CIDR prefix with a leading zero', 'POST', keysUrl, { allowedIps: ['10.0.0.0/08'] }, 'allowedIps[0]'),
    invalid('key CIDR same block twice', 'POST', keysUrl, { allowedIps: ['2001:db8::/32', '2001:DB8:0::/32'] }, 'allowedIps'),
    invalid('key rpm negative', 'POST', keysUrl, { rpm: -1 }, 'rpm'),
    invalid('key budget as a string', 'POST', keysUrl, { budgetUsd: '5' }, 'budgetUsd'),
    invalid('key name as an object', 'POST', keysUrl, { name: { first: 'x' } }, 'name'),
    invalid('key unknown field', 'POST', keysUrl, { secret: 'gw-mine' }, 'secret'),
    invalid('key patch past expiresAt', 'PATCH', keyUrl, { expiresAt: past }, 'expiresAt'),
    invalid('key patch status', 'PATCH', keyUrl, { status: 'active' }, 'status'),
    invalid('key patch empty', 'PATCH', keyUrl, {}, ''),
    { name: 'key for an unknown consumer', method: 'POST', url: '/admin/consumers/con_nope/keys', body: {}, status: 404, code: 'resource_not_found', param: '' },
  ];

  for (const c of cases) {
    const response = await api.request<ErrorJson>(c.method, c.url, c.body);
    t.equal(response.status, c.status, `${c.name}: ${c.status}`);
    t.equal(response.body?.error?.code, c.code, `${c.name}: ${c.code}`);
    if (c.param !== '') t.equal(response.body.error.param, c.param, `${c.name}: names ${c.param}`);
    t.ok(response.body.error.message.length > 10, `${c.name}: says what is wrong (${response.body.error.message})`);
  }

  const blank = await api.request<ErrorJson>('POST', '/admin/tenants', { name: '   ' });
  t.match(blank.body.error.message, /'name' must contain a character other than spaces/, 'a pattern is explained in words');

  // Nothing half-written: still one tenant, one consumer, one key, unchanged.
  t.same((await api.get<ListJson<TenantJson>>('/admin/tenants')).body.data, [tenant]);
  t.same((await api.get<ListJson<ConsumerJson>>('/admin/consumers')).body.data, [consumer]);
  const { key: _secret, ...keyWithoutSecret } = key;
  t.same((await api.get<ListJson<KeyJson>>(keysUrl)).body.data, [keyWithoutSecret]);
});

t.test('non-JSON and malformed bodies are 4xx too', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const token = (await gw.app.inject({ method: 'POST', url: '/admin/auth/token', payload: { username: 'admin', password: 'test-admin-password-0123' } })).json<{ access_token: string }>().access_token;
  const send = (payload: string, contentType: string) =>
    gw.app.inject({ method: 'POST', url: '/admin/tenants', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
  t.equal((await send('{"name": ', 'application/json')).statusCode, 400, 'malformed JSON');
  t.equal((await send('name=x', 'application/x-www-form-urlencoded')).statusCode, 415, 'a form body');
  t.equal((await send('', 'application/json')).statusCode, 400, 'an empty JSON body');
  t.same((await api.get<ListJson<TenantJson>>('/admin/tenants')).body.data, []);
});

t.test('an empty body sent as application/json: nothing for a route without a body, {} where every field is optional, a 400 naming the fields where some are needed', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  const token = (await gw.app.inject({ method: 'POST', url: '/admin/auth/token', payload: { username: 'admin', password: 'test-admin-password-0123' } })).json<{ access_token: string }>().access_token;
  // What `curl -H 'content-type: application/json' -X POST …` and many generated clients send.
  const emptyJson = (method: 'POST' | 'DELETE', url: string) =>
    gw.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '' });

  const created = await emptyJson('POST', `/admin/consumers/${consumer.id}/keys`);
  t.equal(created.statusCode, 201, `a key with every default: ${created.body}`);
  const keyId = created.json<KeyJson>().id;
  const revoked = await emptyJson('POST', `/admin/keys/${keyId}/revoke`);
  t.equal(revoked.statusCode, 200, `revoke takes no body: ${revoked.body}`);
  t.equal(revoked.json<KeyJson>().status, 'revoked');
  const deleted = await emptyJson('DELETE', `/admin/consumers/${consumer.id}`);
  t.not(deleted.statusCode, 400, `a delete is judged on what it deletes, not on its empty body: ${deleted.body}`);

  const tenantless = await emptyJson('POST', '/admin/tenants');
  t.equal(tenantless.statusCode, 400);
  t.match(tenantless.json<ErrorJson>().error, { code: 'invalid_request', message: /empty; a JSON object is expected, with 'name'/ });
});
