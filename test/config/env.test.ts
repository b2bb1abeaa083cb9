import t from 'tap';
import { EnvError, parseEnv } from '../../src/config/env.js';

t.test('defaults follow DESIGN §7', async (t) => {
  const env = parseEnv({});
  t.equal(env.HOST, '127.0.0.1');
  t.equal(env.GATEWAY_DATA_DIR, './data');
  t.equal(env.GATEWAY_UPSTREAM_TIMEOUT_MS, 600000);
  t.equal(env.GATEWAY_MAX_BODY_BYTES, 10 * 1024 * 1024);
  t.equal(env.GATEWAY_SHUTDOWN_GRACE_MS, 25000);
  t.equal(env.GATEWAY_ALLOW_PRIVATE_FETCH, false);
});

t.test('an invalid value names the variable and the expected form', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ GATEWAY_SECRET_KEY: 'short' }, /GATEWAY_SECRET_KEY: expected 64 hexadecimal characters/],
    [{ GATEWAY_JWT_SECRET: 'tooshort' }, /GATEWAY_JWT_SECRET: expected at least 32 characters/],
    [{ PORT: 'eighty' }, /PORT: expected a port number/],
    [{ GATEWAY_UPSTREAM_TIMEOUT_MS: '-5' }, /GATEWAY_UPSTREAM_TIMEOUT_MS: expected a positive number/],
    // Beyond Node's timer limit the timeout fired at once: every call was a 504, and the shutdown exited 1 at once.
    [{ GATEWAY_UPSTREAM_TIMEOUT_MS: '3000000000' }, /GATEWAY_UPSTREAM_TIMEOUT_MS: expected at most 2147483647 ms/],
    [{ GATEWAY_SHUTDOWN_GRACE_MS: '2147480000' }, /GATEWAY_SHUTDOWN_GRACE_MS: expected at most 2147478647 ms/],
    [{ GATEWAY_LIMIT_WINDOW_MS: '3000000000' }, /GATEWAY_LIMIT_WINDOW_MS: expected at most/],
    [{ GATEWAY_ALLOW_PRIVATE_FETCH: 'maybe' }, /GATEWAY_ALLOW_PRIVATE_FETCH: expected 'true' or 'false'/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DATABASE_URL: 'postgres://127.0.0.1/test' }, /DATABASE_URL: the PostgreSQL store is not implemented yet/],
  ];
  for (const [source, message] of cases) {
    t.throws(() => parseEnv(source), EnvError);
    t.throws(() => parseEnv(source), { message });
  }
});

t.test('empty strings count as unset', async (t) => {
  t.equal(parseEnv({ PORT: '', GATEWAY_SECRET_KEY: '' }).PORT, 8787);
});
