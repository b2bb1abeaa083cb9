import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import t, { type Test } from 'tap';
import { apiKeys } from '../../src/db/schema.js';
import { seedAllowedCaller, type AllowedCaller } from '../helpers/seed-access.js';
import { startGatewayOnDir, tempDataDir, type GatewayOnDir } from './limits-gateway.js';
import { deleteRedisPrefix, freePort, OwnRedis } from './redis-test-helpers.js';

const ask = { model: 'mock-chat', messages: [{ role: 'user' as const, content: 'hello' }] };

/** A caller with key limits, written to the database the gateways read. */
function seedLimitedCaller(gw: GatewayOnDir, limits: { rpm?: number; budgetUsd?: number }): AllowedCaller {
  const caller = seedAllowedCaller(gw.app.db);
  if (Object.keys(limits).length > 0) gw.app.db.update(apiKeys).set(limits).where(eq(apiKeys.id, caller.keyId)).run();
  gw.app.stateChanged();
  return caller;
}

const sdk = (gw: GatewayOnDir, key: string) => new OpenAI({ apiKey: key, baseURL: gw.baseURL, maxRetries: 0, timeout: 10_000 });

type Result = { status: number; code?: string; remaining: string | null };

async function call(gw: GatewayOnDir, key: string): Promise<Result> {
  try {
    const { response } = await sdk(gw, key).chat.completions.create(ask).withResponse();
    return { status: response.status, remaining: response.headers.get('x-ratelimit-remaining-requests') };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { status: error.status ?? 0, code: error.code ?? '', remaining: error.headers?.get('x-ratelimit-remaining-requests') ?? null };
  }
}

const messagesOf = (gw: GatewayOnDir, text: string) => gw.logLines.filter((line) => (JSON.parse(line) as { msg?: string }).msg?.includes(text) === true);

t.test('two replicas on one Redis share one limit exactly', async (t) => {
  const prefix = `gateway-test:${randomUUID()}:`;
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  t.teardown(async () => {
    await deleteRedisPrefix(redis, prefix);
    await redis.quit();
  });
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', GATEWAY_LIMITS_REDIS_PREFIX: prefix };
  const dataDir = tempDataDir(t);
  const one = await startGatewayOnDir(t, dataDir, env);
  const caller = seedLimitedCaller(one, { rpm: 6 });
  const burst = seedLimitedCaller(one, { rpm: 6 });
  const budgeted = seedLimitedCaller(one, { budgetUsd: 0.000001 });
  // The second replica reads the same database at boot.
  const two = await startGatewayOnDir(t, dataDir, env);

  // In turn: each replica sees the other's calls in the shared window.
  const inTurn: Result[] = [];
  for (let index = 0; index < 10; index += 1) inTurn.push(await call(index % 2 === 0 ? one : two, caller.key));
  t.same(
    inTurn.map((result) => result.remaining),
    ['5', '4', '3', '2', '1', '0', '0', '0', '0', '0'],
  );
  t.same(
    inTurn.map((result) => result.status),
    [200, 200, 200, 200, 200, 200, 429, 429, 429, 429],
    'calls 1..6 pass, alternating replicas; every later one is refused on both',
  );

  // At once: the check-and-count is atomic in Redis, so no replica takes a unit twice.
  const results = await Promise.all(Array.from({ length: 20 }, (_, index) => call(index % 2 === 0 ? one : two, burst.key)));
  t.equal(results.filter((result) => result.status === 200).length, 6, 'exactly rpm calls of a concurrent burst pass');
  t.ok(results.filter((result) => result.status !== 200).every((result) => result.status === 429 && result.code === 'rate_limit_exceeded'));
  t.same(results.filter((result) => result.status === 200).map((result) => result.remaining).sort(), ['0', '1', '2', '3', '4', '5'], 'each pass had its own place in the shared window');
  const [, keys] = await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
  t.ok(keys.includes(`${prefix}rl:rpm:key:${caller.keyId}`), 'the counter lives in Redis under the prefix');

  // Spend is shared too: the budget crossed on one replica stops the key on the other.
  t.equal((await call(one, budgeted.key)).status, 200);
  t.match(await call(two, budgeted.key), { status: 429, code: 'budget_exceeded' });
  // So are budget holds: the passed call held its most cost in Redis and gave it back when it ended.
  t.equal(await redis.hget(`${prefix}held:key:${budgeted.keyId}`, 'n'), '0', 'the settled call\'s hold is released in Redis');
  t.ok((await redis.pttl(`${prefix}held:key:${budgeted.keyId}`)) > 0, 'the hold window expires on its own');
});

async function outageGateway(t: Test, failMode: 'open' | 'closed') {
  const own = new OwnRedis(await freePort());
  await own.start();
  t.teardown(() => own.stop());
  const gw = await startGatewayOnDir(t, tempDataDir(t), { REDIS_URL: own.url, GATEWAY_LIMITS_FAIL_MODE: failMode }, { captureLog: true });
  const limited = seedLimitedCaller(gw, { rpm: 3 });
  const unlimited = seedLimitedCaller(gw, {});
  return { own, gw, limited, unlimited };
}

/** Calls until the answer carries limit headers again (Redis back and reconnected), at most ~15 s. */
async function untilLimited(gw: GatewayOnDir, key: string): Promise<Result> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const result = await call(gw, key);
    if (result.remaining !== null) return result;
    await sleep(100);
  }
  throw new Error('limits never came back');
}

t.test('Redis stopped mid-test, fail open: calls pass unlimited, logged once; Redis back: limits again', async (t) => {
  const { own, gw, limited } = await outageGateway(t, 'open');
  t.match(await call(gw, limited.key), { status: 200, remaining: '2' });
  await own.stop();
  for (let attempt = 0; attempt < 6; attempt += 1) t.match(await call(gw, limited.key), { status: 200, remaining: null }, 'passes, without limit headers');
  t.equal(messagesOf(gw, 'limit store unreachable').length, 1, 'one warning for the outage, not one per call');
  t.match(messagesOf(gw, 'limit store unreachable')[0], /GATEWAY_LIMITS_FAIL_MODE=open/);

  await own.start();
  // The restarted Redis is empty: a fresh window.
  t.match(await untilLimited(gw, limited.key), { status: 200, remaining: '2' });
  t.match(await call(gw, limited.key), { status: 200, remaining: '1' });
  t.match(await call(gw, limited.key), { status: 200, remaining: '0' });
  t.match(await call(gw, limited.key), { status: 429, code: 'rate_limit_exceeded' });
  t.equal(messagesOf(gw, 'limit store reachable again').length, 1);
  t.equal(messagesOf(gw, 'limit store unreachable').length, 1);
});

t.test('Redis stopped mid-test, fail closed: limited keys get 503, others pass; Redis back: recovery', async (t) => {
  const { own, gw, limited, unlimited } = await outageGateway(t, 'closed');
  t.match(await call(gw, limited.key), { status: 200, remaining: '2' });
  await own.stop();
  for (let attempt = 0; attempt < 4; attempt += 1) t.match(await call(gw, limited.key), { status: 503, code: 'limit_store_unavailable' });
  t.match(await call(gw, unlimited.key), { status: 200 }, 'a key without limits needs no counter');
  t.equal(messagesOf(gw, 'limit store unreachable').length, 1);
  t.match(messagesOf(gw, 'limit store unreachable')[0], /refused with 503/);

  await own.start();
  let result: Result = { status: 0, remaining: null };
  for (let attempt = 0; attempt < 150 && result.status !== 200; attempt += 1) {
    result = await call(gw, limited.key);
    if (result.status !== 200) await sleep(100);
  }
  t.match(result, { status: 200, remaining: '2' }, 'served again, counted in the fresh Redis');
});

t.test('Redis frozen (connected, answers nothing), fail closed: limited calls are refused within two command timeouts, not left hanging', async (t) => {
  const { own, gw, limited, unlimited } = await outageGateway(t, 'closed');
  t.match(await call(gw, limited.key), { status: 200, remaining: '2' });
  own.freeze();
  t.teardown(() => own.thaw());
  // Two calls at once: the Redis client sends one pipeline at a time, so the second call's
  // commands go out when the first call's have timed out (1 s each): ~2 s is the worst case.
  const started = Date.now();
  const refused = await Promise.all([call(gw, limited.key), call(gw, limited.key)]);
  const waited = Date.now() - started;
  t.match(refused, [{ status: 503, code: 'limit_store_unavailable' }, { status: 503, code: 'limit_store_unavailable' }]);
  t.ok(waited >= 900 && waited < 3_000, `refused after at most two command timeouts (${waited} ms)`);
  t.match(await call(gw, unlimited.key), { status: 200 }, 'a key without limits does not wait for Redis');
  own.thaw();
  let result: Result = { status: 0, remaining: null };
  for (let attempt = 0; attempt < 50 && result.status !== 200; attempt += 1) {
    result = await call(gw, limited.key);
    if (result.status !== 200) await sleep(100);
  }
  t.equal(result.status, 200, 'served again once Redis answers');
});
