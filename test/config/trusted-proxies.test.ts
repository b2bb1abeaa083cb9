import t from 'tap';
import { EnvError, parseEnv } from '../../src/config/env.js';
import { serverOptions } from '../../src/options.js';

t.test('GATEWAY_TRUSTED_PROXIES', async (t) => {
  t.equal(parseEnv({}).GATEWAY_TRUSTED_PROXIES, false, 'trusts no proxy by default');
  t.equal(parseEnv({ GATEWAY_TRUSTED_PROXIES: 'false' }).GATEWAY_TRUSTED_PROXIES, false);
  t.same(parseEnv({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, ::1 ,192.168.1.7' }).GATEWAY_TRUSTED_PROXIES, ['10.0.0.0/8', '::1/128', '192.168.1.7/32']);
  t.same(serverOptions({ env: parseEnv({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8' }) }).trustProxy, ['10.0.0.0/8'], 'handed to Fastify');
  t.equal(serverOptions({ env: parseEnv({}) }).trustProxy, false);
  for (const bad of ['true', '10.0.0.1/8', 'proxy.internal', '10.0.0.0/8,']) {
    t.throws(() => parseEnv({ GATEWAY_TRUSTED_PROXIES: bad }), EnvError, bad);
    try {
      parseEnv({ GATEWAY_TRUSTED_PROXIES: bad });
    } catch (error) {
      t.match((error as Error).message, /GATEWAY_TRUSTED_PROXIES: expected comma-separated CIDR blocks/, 'names the variable and the form');
    }
  }
});
