import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import t, { type Test } from 'tap';
import { apiKeys } from '../../src/db/schema.js';
import { seedAllowedCaller } from '../helpers/seed-access.js';
import { startGatewayOnDir, tempDataDir, type GatewayOnDir } from '../limits/limits-gateway.js';
import { freePort, OwnRedis } from '../limits/redis-test-helpers.js';

// Two replicas on one database and one Redis (DESIGN §6): each holds its own policy snapshot,
// built at boot and rebuilt on admin writes. The writes below go to the database through
// replica one, which is then told (`stateChanged`), exactly as its admin routes do.

type Answer = { status: number; code: string | null };

async function call(gw: GatewayOnDir, key: string): Promise<Answer> {
  const client = new OpenAI({ apiKey: key, baseURL: gw.baseURL, maxRetries: 0, timeout: 10_000 });
  try {
    await client.chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'hello' }] });
    return { status: 200, code: null };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { status: error.status ?? 0, code: error.code ?? null };
  }
}

/** Calls until the answer has `status`, for at most `ms`: the news travels asynchronously. */
async function until(gw: GatewayOnDir, key: string, status: number, ms: number): Promise<Answer> {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await call(gw, key);
    if (answer.status === status || Date.now() > deadline) return answer;
    await sleep(50);
  }
}

function revoke(gw: GatewayOnDir, keyId: string): void {
  gw.app.db.update(apiKeys).set({ status: 'revoked' }).where(eq(apiKeys.id, keyId)).run();
  gw.app.stateChanged();
}

/** A Redis of the test's own (so it can be stopped), a shared data dir, and the replicas' environment. */
async function ownRedisWorld(t: Test): Promise<{ own: OwnRedis; dataDir: string; env: Record<string, string> }> {
  const own = new OwnRedis(await freePort());
  await own.start();
  t.teardown(() => own.stop());
  return { own, dataDir: tempDataDir(t), env: { REDIS_URL: own.url, GATEWAY_LIMITS_REDIS_PREFIX: `gateway-test:${randomUUID()}:` } };
}

t.test('an admin change on one replica reaches the other: a new key works there, a revoked one is refused there', async (t) => {
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', GATEWAY_LIMITS_REDIS_PREFIX: `gateway-test:${randomUUID()}:` };
  const dataDir = tempDataDir(t);
  const one = await startGatewayOnDir(t, dataDir, env);
  const two = await startGatewayOnDir(t, dataDir, env);

  // Made after both booted: replica two can only know the key from the news.
  const caller = seedAllowedCaller(one.app.db);
  one.app.stateChanged();
  t.same(await until(two, caller.key, 200, 3_000), { status: 200, code: null }, 'the key created through replica one works on replica two');

  revoke(one, caller.keyId);
  t.same(await call(one, caller.key), { status: 401, code: 'api_key_revoked' }, 'refused at once where it was revoked');
  t.same(await until(two, caller.key, 401, 3_000), { status: 401, code: 'api_key_revoked' }, 'and on the other replica without a restart');
});

t.test('Redis down during an admin change: the other replica catches up when Redis is back', async (t) => {
  const { own, dataDir, env } = await ownRedisWorld(t);
  const one = await startGatewayOnDir(t, dataDir, env, { captureLog: true });
  const two = await startGatewayOnDir(t, dataDir, env, { captureLog: true });
  const caller = seedAllowedCaller(one.app.db);
  one.app.stateChanged();
  t.equal((await until(two, caller.key, 200, 3_000)).status, 200);

  await own.stop();
  revoke(one, caller.keyId); // the news is lost: nobody is listening
  t.equal((await call(one, caller.key)).status, 401, 'the admin write itself is not held up by the outage');
  await own.start();
  t.same(await until(two, caller.key, 401, 15_000), { status: 401, code: 'api_key_revoked' }, 'replica two rebuilt its views when it reconnected');
  const said = (gw: GatewayOnDir, text: string) => gw.logLines.filter((line) => line.includes(text)).length;
  t.equal(said(two, 'state sync: Redis unreachable'), 1, 'the outage is logged once');
  t.equal(said(two, 'state sync: Redis reachable again'), 1, 'and the recovery once');
});

t.test('a replica that booted while Redis was down catches up on its first subscription', async (t) => {
  const { own, dataDir, env } = await ownRedisWorld(t);
  const one = await startGatewayOnDir(t, dataDir, env);
  await own.stop();
  const two = await startGatewayOnDir(t, dataDir, env); // boots without Redis
  const caller = seedAllowedCaller(one.app.db);
  one.app.stateChanged(); // made after two's boot, while nobody can hear it
  t.equal((await call(one, caller.key)).status, 200);
  t.equal((await call(two, caller.key)).status, 401, 'replica two has not heard of the key yet');
  await own.start();
  t.same(await until(two, caller.key, 200, 15_000), { status: 200, code: null }, 'it read the change when it first subscribed');
});
