import type { Redis, RedisOptions } from 'ioredis';
import type { StoreHealth } from './store-health.js';

/** A limit check must not hang a call: a Redis that does not answer in this long counts as down. */
const COMMAND_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;
/** Reconnect forever, backing off to one attempt every 2 s, so limits come back with Redis. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * What every gateway connection to Redis shares (the limits' counters, the state sync): connect
 * explicitly, never queue a command while Redis is down, time out, and reconnect forever.
 */
export function gatewayRedisOptions(): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  };
}

/**
 * Opens the limits' Redis connection. Commands are never queued while it is down (they fail at
 * once and the fail mode decides), and a Redis that is down at boot does not stop the boot:
 * the gateway starts in the documented degraded mode and picks Redis up when it appears.
 */
export async function connectLimitsRedis(url: string, health: StoreHealth): Promise<Redis> {
  // Loaded only when REDIS_URL is set: a gateway on the embedded default never pays its memory.
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, {
    ...gatewayRedisOptions(),
    // A limited call sends its reads together, then its counts: one write per batch, not per
    // command (at 50 connections this cut Redis's CPU per call by ~60 %, README Benchmarks).
    // The price: one pipeline in flight at a time, so a hung Redis holds a call up to ~2 command
    // timeouts instead of one (docs/limits.md).
    enableAutoPipelining: true,
  });
  // Without a listener ioredis prints every failed reconnect; the health logs the change once.
  redis.on('error', (error: Error) => health.failed(error));
  redis.on('ready', () => health.succeeded());
  try {
    await redis.connect();
  } catch (error) {
    health.failed(error);
  }
  return redis;
}

/** QUIT when connected (pending replies arrive first), else just drop the reconnect loop. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: the connection is going away anyway.
    }
  }
  redis.disconnect();
}
