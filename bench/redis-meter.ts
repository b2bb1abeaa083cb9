import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The Redis that holds the gateway's shared limit counters in a `--redis` run. The gateway's own
 * CPU figures leave out the work it hands to Redis, so this reads the Redis server's CPU time
 * too (INFO cpu: the whole server, so other clients of the same Redis would count as well).
 * Each run writes under its own key prefix and removes its keys at the end.
 */
export interface RedisMeter {
  readonly url: string;
  /** GATEWAY_LIMITS_REDIS_PREFIX for the gateway under test. */
  readonly prefix: string;
  /** Redis server user + system CPU time so far, in milliseconds. */
  cpuMs(): Promise<number>;
  /** How many keys the gateway wrote under the prefix (proof that the limits went through Redis). */
  countKeys(): Promise<number>;
  /** Deletes the run's keys and disconnects. */
  close(): Promise<void>;
}

export async function openRedisMeter(url: string): Promise<RedisMeter> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `gateway-bench:${randomUUID()}:`;
  const keys = async (): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };
  return {
    url,
    prefix,
    async cpuMs() {
      const info = await redis.info('cpu');
      const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
      return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
    },
    countKeys: async () => (await keys()).length,
    async close() {
      const found = await keys();
      for (let i = 0; i < found.length; i += 500) await redis.del(...found.slice(i, i + 500));
      await redis.quit();
    },
  };
}
