import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { RedisCounterStore } from '../../src/limits/redis-counter-store.js';
import { counterStoreContract } from './counter-store-contract.js';
import { deleteRedisPrefix, freePort, OwnRedis } from './redis-test-helpers.js';

// The machine's Redis; every test writes under its own prefix and removes it afterwards.
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
await redis.connect();
t.teardown(() => redis.quit());

counterStoreContract(t, async (t) => {
  const prefix = `gateway-test:${randomUUID()}:`;
  t.teardown(() => deleteRedisPrefix(redis, prefix));
  return new RedisCounterStore(redis, prefix);
});

t.test('every counter lives under the prefix, with a TTL', async (t) => {
  const prefix = `gateway-test:${randomUUID()}:`;
  t.teardown(() => deleteRedisPrefix(redis, prefix));
  const store = new RedisCounterStore(redis, prefix);
  await store.reserve('rpm:key:k1', 1, 5, 30_000);
  await store.addSpend('spend:key:k1:2030-01', 0.1, Date.now() + 60_000);
  const [, found] = await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
  const keys = found.sort();
  t.same(keys, [`${prefix}rpm:key:k1`, `${prefix}spend:key:k1:2030-01`]);
  for (const key of keys) t.ok((await redis.pttl(key)) > 0, `${key} expires`);
});

t.test('a Redis that forgot the scripts (restart, SCRIPT FLUSH) is served again', async (t) => {
  // Its own throwaway Redis: flushing scripts on the shared one would disturb other users.
  const own = new OwnRedis(await freePort());
  await own.start();
  t.teardown(() => own.stop());
  const client = new Redis(own.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  t.teardown(() => client.quit());
  const store = new RedisCounterStore(client, 'p:');
  t.match(await store.reserve('x', 1, 2, 10_000), { granted: true, used: 1 }, 'EVAL loads the script the first time');
  await client.script('FLUSH');
  t.match(await store.reserve('x', 1, 2, 10_000), { granted: true, used: 2 }, 'and again after a flush');
  t.match(await store.read('x'), { used: 2 });
});
