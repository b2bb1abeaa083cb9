import t from 'tap';
import { adminApi, adminToken, forgeAdminToken, startAdminGateway, TEST_ADMIN_PASSWORD, type ErrorJson } from '../../helpers/admin.js';
import { startGateway } from '../../helpers/gateway.js';

interface TokenJson {
  access_token: string;
  token_type: string;
  expires_in: number;
}

t.test('POST /admin/auth/token issues a bearer token that opens the admin API', async (t) => {
  const gw = await startAdminGateway(t);
  const anonymous = adminApi(gw.app);

  const login = await anonymous.post<TokenJson>('/admin/auth/token', { username: 'admin', password: TEST_ADMIN_PASSWORD });
  t.equal(login.status, 200);
  t.equal(login.body.token_type, 'Bearer');
  t.equal(login.body.expires_in, 3600);
  t.match(login.body.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT');
  t.equal((await adminApi(gw.app, login.body.access_token).get('/admin/tenants')).status, 200);

  const wrongPassword = await anonymous.post<ErrorJson>('/admin/auth/token', { username: 'admin', password: 'not-the-password' });
  const unknownUser = await anonymous.post<ErrorJson>('/admin/auth/token', { username: 'nobody', password: TEST_ADMIN_PASSWORD });
  for (const [name, response] of [['wrong password', wrongPassword], ['unknown user', unknownUser]] as const) {
    t.equal(response.status, 401, `${name}: 401`);
    t.match(response.body.error, { code: 'invalid_credentials', type: 'authentication_error', layer: 'admin' }, `${name}: invalid_credentials`);
  }
  t.equal(wrongPassword.body.error.message, unknownUser.body.error.message, 'the two failures read the same');

  const missing = await anonymous.post<ErrorJson>('/admin/auth/token', { username: 'admin' });
  t.equal(missing.status, 400);
  t.equal(missing.body.error.param, 'password');
  const extra = await anonymous.post<ErrorJson>('/admin/auth/token', { username: 'admin', password: 'x', role: 'platform_admin' });
  t.equal(extra.status, 400);
  t.equal(extra.body.error.param, 'role');
});

t.test('tokens: missing, malformed, foreign, expired and orphaned tokens are refused', async (t) => {
  const gw = await startAdminGateway(t);
  const cases: Array<{ name: string; token: string | undefined; code: string }> = [
    { name: 'no token', token: undefined, code: 'admin_token_missing' },
    { name: 'garbage', token: 'not-a-jwt', code: 'admin_token_invalid' },
    { name: 'signed with another secret', token: forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null }, { secret: 'x'.repeat(40) }), code: 'admin_token_invalid' },
    { name: 'expired', token: forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null }, { expiresInSeconds: -60 }), code: 'admin_token_expired' },
    { name: 'a valid signature for a user that does not exist', token: forgeAdminToken({ sub: 'ghost', role: 'platform_admin', tenantId: null }), code: 'admin_token_invalid' },
  ];
  for (const c of cases) {
    const response = await adminApi(gw.app, c.token).get<ErrorJson>('/admin/tenants');
    t.equal(response.status, 401, `${c.name}: 401`);
    t.equal(response.body.error.code, c.code, `${c.name}: ${c.code}`);
    t.match(String(response.headers['www-authenticate']), /^Bearer/, `${c.name}: WWW-Authenticate`);
  }
});

t.test("the account's stored role decides, not the role claimed in the token", async (t) => {
  const gw = await startAdminGateway(t);
  const api = adminApi(gw.app, forgeAdminToken({ sub: 'admin', role: 'platform_admin', tenantId: null }));
  const tenant = await api.post<{ id: string }>('/admin/tenants', { name: 'acme' });
  await api.post('/admin/users', { username: 'acme-admin', password: 'acme-admin-password', role: 'tenant_admin', tenantId: tenant.body.id });
  // Even a correctly signed token claiming platform_admin for a tenant admin does not elevate it.
  const elevated = adminApi(gw.app, forgeAdminToken({ sub: 'acme-admin', role: 'platform_admin', tenantId: null }));
  const response = await elevated.get<ErrorJson>('/admin/users');
  t.equal(response.status, 403);
  t.equal(response.body.error.code, 'admin_forbidden');
});

t.test('an unknown username costs the same password check as a wrong password', async (t) => {
  const gw = await startAdminGateway(t);
  const anonymous = adminApi(gw.app);
  const timeLogin = async (username: string) => {
    const started = process.hrtime.bigint();
    const response = await anonymous.post('/admin/auth/token', { username, password: 'definitely-wrong-password' });
    t.equal(response.status, 401);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  await timeLogin('admin'); // warm-up
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 5; i++) {
    known.push(await timeLogin('admin'));
    unknown.push(await timeLogin(`nobody-${i}`));
  }
  // Without the dummy hash an unknown user answers in well under a millisecond, ~50x faster.
  t.ok(median(unknown) > median(known) * 0.4, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
});

t.test('the admin test helper logs in on any test gateway, generated password or not', async (t) => {
  const gw = await startGateway(t);
  const token = await adminToken(gw);
  t.equal((await adminApi(gw.app, token).get('/admin/users')).status, 200);
});
