import t from 'tap';
import { hashApiKey } from '../../../src/access/api-key-secret.js';
import { startGateway } from '../../helpers/gateway.js';
import { matrixConfig, seedMatrixWorld, trustLoopback } from '../../policy/access-world.js';

interface Decision {
  allowed: boolean;
  status: number;
  code?: string;
  layer?: string;
  message?: string;
  hint?: string;
  steps: Array<{ layer: string; outcome: string; detail: string }>;
}

t.test('GET /gateway/whoami and GET /gateway/can-i explain the caller to itself', async (t) => {
  const gw = await startGateway(t, { config: matrixConfig, env: trustLoopback });
  const world = seedMatrixWorld(gw.app.db);
  gw.app.stateChanged();
  const get = async (url: string, key: string | null, headers: Record<string, string> = {}) => {
    const response = await gw.app.inject({ method: 'GET', url, headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers } });
    return { status: response.statusCode, body: response.json() as Decision & { error?: { code: string; layer: string } }, text: response.body, headers: response.headers };
  };

  t.test('whoami names key, app and tenant, nothing secret', async (t) => {
    const key = world.keys.ok;
    const answer = await get('/gateway/whoami', world.keys.ok.secret);
    t.equal(answer.status, 200);
    t.same(answer.body, {
      key: { id: key.row.id, name: key.row.name, prefix: key.row.prefix, scopes: ['chat', 'embeddings', 'models'], expiresAt: null },
      consumer: { id: world.consumers.app.id, name: 'acme-app', status: 'active' },
      tenant: { id: world.tenants.acme.id, name: 'acme', status: 'active' },
    });
    t.notOk(answer.text.includes(hashApiKey(world.keys.ok.secret)), 'no hash');
    t.notOk(answer.text.includes(world.keys.ok.secret), 'no secret');
    const disabled = await get('/gateway/whoami', world.keys.disabled.secret);
    t.equal(disabled.status, 200, 'a disabled app can still see who it is');
    t.match(disabled.body, { consumer: { status: 'disabled' } });
    for (const [key, code] of [[null, 'missing_api_key'], ['gw-nope', 'invalid_api_key'], [world.keys.revoked.secret, 'api_key_revoked'], [world.keys.expired.secret, 'api_key_expired']] as const) {
      const refused = await get('/gateway/whoami', key);
      t.equal(refused.status, 401, code);
      t.match(refused.body, { error: { code, layer: 'auth' } });
      t.match(refused.headers['www-authenticate'], /^Bearer realm="gateway"/);
    }
  });

  t.test('can-i: 200 with every step for a key it can identify', async (t) => {
    const allowed = await get('/gateway/can-i?model=mock-chat', world.keys.ok.secret);
    t.equal(allowed.status, 200);
    t.match(allowed.body, { allowed: true, status: 200 });
    const trace = allowed.body.steps.map((step) => `${step.layer}:${step.outcome}`);
    t.same(trace.slice(0, 9), ['auth:pass', 'consumer:pass', 'tenant:pass', 'ip:pass', 'request:skip', 'model:pass', 'scope:pass', 'permission:pass', 'subscription:pass']);
    t.same(trace.slice(9), trace.length > 9 ? ['limit:pass'] : [], 'then only the limit step, when limits are installed');
    t.notOk('code' in allowed.body, 'no code when allowed');

    const pending = await get('/gateway/can-i?model=mock-chat', world.pending.key.secret);
    t.equal(pending.status, 200);
    t.match(pending.body, { allowed: false, status: 403, code: 'subscription_pending', layer: 'subscription', hint: /approve/ });
    t.equal(pending.body.steps.at(-1)?.outcome, 'deny');

    const suspended = await get('/gateway/can-i?model=mock-chat', world.keys.suspended.secret);
    t.match(suspended.body, { allowed: false, status: 403, code: 'tenant_suspended' });
    t.equal(suspended.body.steps.length, 3, 'the chain stops at the first deny');

    const embed = await get('/gateway/can-i?model=mock-embed', world.keys.embedOnly.secret);
    t.match(embed.body, { allowed: true }, 'an embedding model is judged on /v1/embeddings by default');
    const onChat = await get('/gateway/can-i?model=mock-embed&endpoint=chat', world.keys.ok.secret);
    t.match(onChat.body, { allowed: false, status: 404, code: 'model_not_found' });

    const outside = await get('/gateway/can-i?model=mock-chat', world.keys.keyIps.secret, { 'x-forwarded-for': '198.51.100.7' });
    t.match(outside.body, { allowed: false, code: 'ip_not_allowed' }, 'the IP is the one a call would have');
    const inside = await get('/gateway/can-i?model=mock-chat', world.keys.keyIps.secret, { 'x-forwarded-for': '203.0.113.200' });
    t.match(inside.body, { allowed: true });
  });

  t.test('can-i: a key it cannot identify gets its 401 envelope', async (t) => {
    for (const [key, code] of [[null, 'missing_api_key'], ['gw-nope', 'invalid_api_key'], [world.keys.revoked.secret, 'api_key_revoked'], [world.keys.expired.secret, 'api_key_expired']] as const) {
      const refused = await get('/gateway/can-i?model=mock-chat', key);
      t.equal(refused.status, 401, code);
      t.match(refused.body, { error: { code, layer: 'auth', type: 'authentication_error' } });
    }
    const noModel = await get('/gateway/can-i', world.keys.ok.secret);
    t.equal(noModel.status, 400);
    t.match(noModel.body, { error: { code: 'invalid_request', param: 'model' } });
  });
});
