import t from 'tap';
import { hashApiKey } from '../../../src/access/api-key-secret.js';
import { adminApi, platformAdmin, startAdminGateway, tenantAdmin } from '../../helpers/admin.js';
import { matrixConfig, seedMatrixWorld, trustLoopback } from '../../policy/access-world.js';

interface CheckJson {
  allowed: boolean;
  status: number;
  code?: string;
  layer?: string;
  steps: Array<{ layer: string; outcome: string; detail: string }>;
  error?: { code: string; param: string | null; message: string };
}

t.test('POST /admin/access/check dry-runs the chain for a key the admin can see', async (t) => {
  const gw = await startAdminGateway(t, { config: matrixConfig, env: trustLoopback });
  const world = seedMatrixWorld(gw.app.db);
  gw.app.stateChanged();
  const platform = await platformAdmin(gw);
  const acmeAdmin = await tenantAdmin(gw, platform, world.tenants.acme.id, 'acme-admin');
  const check = (api: typeof platform, body: object) => api.post<CheckJson>('/admin/access/check', body);

  t.test('by key id and by secret, with every step', async (t) => {
    const byId = await check(platform, { keyId: world.pending.key.row.id, model: 'mock-chat' });
    t.equal(byId.status, 200, byId.text);
    t.match(byId.body, { allowed: false, status: 403, code: 'subscription_pending', layer: 'subscription' });
    t.same(byId.body.steps.map((step) => step.layer), ['auth', 'consumer', 'tenant', 'ip', 'request', 'model', 'scope', 'permission', 'subscription']);
    const bySecret = await check(platform, { apiKey: world.keys.ok.secret, model: 'mock-embed' });
    t.match(bySecret.body, { allowed: true, status: 200 });
    t.notOk(bySecret.text.includes(world.keys.ok.secret) || bySecret.text.includes(hashApiKey(world.keys.ok.secret)), 'the secret is never echoed');
    const revoked = await check(platform, { keyId: world.keys.revoked.row.id, model: 'mock-chat' });
    t.match(revoked.body, { allowed: false, status: 401, code: 'api_key_revoked', layer: 'auth' });
    const unknown = await check(platform, { apiKey: 'gw-made-up', model: 'mock-chat' });
    t.match(unknown.body, { allowed: false, status: 401, code: 'invalid_api_key' }, 'a platform admin learns a secret is invalid');
  });

  t.test('endpoint and IP', async (t) => {
    const scoped = await check(platform, { keyId: world.keys.embedOnly.row.id, model: 'mock-chat', endpoint: 'chat' });
    t.match(scoped.body, { allowed: false, code: 'scope_missing' });
    const asEmbeddings = await check(platform, { keyId: world.keys.embedOnly.row.id, model: 'mock-embed' });
    t.match(asEmbeddings.body, { allowed: true }, 'the endpoint defaults to the model type');
    const noIp = await check(platform, { keyId: world.keys.keyIps.row.id, model: 'mock-chat' });
    t.match(noIp.body, { allowed: true, hint: /^Allowed only if what was not checked passes: ip, not checked: no client IP given \(the key has an IP allow-list\)/ });
    t.match(noIp.body.steps.find((step) => step.layer === 'ip'), { outcome: 'skip', detail: /no client IP given/ });
    const outside = await check(platform, { keyId: world.keys.keyIps.row.id, model: 'mock-chat', ip: '198.51.100.1' });
    t.match(outside.body, { allowed: false, code: 'ip_not_allowed' });
    const mapped = await check(platform, { keyId: world.keys.keyIps.row.id, model: 'mock-chat', ip: '::ffff:203.0.113.5' });
    t.match(mapped.body, { allowed: true }, 'an IPv4-mapped IPv6 address matches the IPv4 network');
    t.notOk('hint' in mapped.body, 'every step checked: an allowed answer has no condition');
    const ipv6 = await check(platform, { keyId: world.keys.restricted.row.id, model: 'mock-embed', ip: '2001:db8:ffff::1' });
    t.match(ipv6.body, { allowed: true });
  });

  t.test('a tenant admin sees only its own tenant: another tenant\'s key is 404', async (t) => {
    const own = await check(acmeAdmin, { keyId: world.keys.ok.row.id, model: 'mock-chat' });
    t.match(own.body, { allowed: true });
    const foreignById = await check(acmeAdmin, { keyId: world.keys.restricted.row.id, model: 'mock-chat' });
    const missingById = await check(acmeAdmin, { keyId: 'key_doesnotexist', model: 'mock-chat' });
    t.equal(foreignById.status, 404);
    t.match(foreignById.body, { error: { code: 'resource_not_found', param: 'keyId' } });
    t.equal(foreignById.body.error?.message.replace(world.keys.restricted.row.id, 'X'), missingById.body.error?.message.replace('key_doesnotexist', 'X'), 'worded as for a key that does not exist');
    const foreignBySecret = await check(acmeAdmin, { apiKey: world.keys.restricted.secret, model: 'mock-chat' });
    const unknownBySecret = await check(acmeAdmin, { apiKey: 'gw-made-up', model: 'mock-chat' });
    t.equal(foreignBySecret.status, 404);
    t.same(foreignBySecret.body.error?.message, unknownBySecret.body.error?.message);
    t.notOk(foreignBySecret.text.includes(world.tenants.restricted.id), "nothing of the other tenant");
  });

  t.test('bad requests and missing tokens', async (t) => {
    for (const [body, param] of [
      [{ model: 'mock-chat' }, 'keyId'],
      [{ keyId: world.keys.ok.row.id, apiKey: world.keys.ok.secret, model: 'mock-chat' }, 'apiKey'],
      [{ keyId: world.keys.ok.row.id }, 'model'],
      [{ keyId: world.keys.ok.row.id, model: 'mock-chat', ip: 'not-an-ip' }, 'ip'],
      [{ keyId: world.keys.ok.row.id, model: 'mock-chat', endpoint: 'images' }, 'endpoint'],
      [{ keyId: world.keys.ok.row.id, model: 'mock-chat', verbose: true }, 'verbose'],
    ] as const) {
      const refused = await check(platform, body);
      t.equal(refused.status, 400, JSON.stringify(body));
      t.match(refused.body, { error: { code: 'invalid_request', param } });
    }
    const secretAsId = await check(platform, { keyId: world.keys.ok.secret, model: 'mock-chat' });
    t.equal(secretAsId.status, 400, 'a secret given as keyId');
    t.match(secretAsId.body, { error: { code: 'invalid_request', param: 'keyId', message: /holds a key's secret/ } });
    t.notOk(secretAsId.text.includes(world.keys.ok.secret), 'the secret given as keyId is not echoed');
    const anonymous = await adminApi(gw.app).post('/admin/access/check', { keyId: world.keys.ok.row.id, model: 'mock-chat' });
    t.equal(anonymous.status, 401);
  });
});
