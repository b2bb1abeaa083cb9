import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CounterStore, Reservation, WindowCount } from './counter-store.js';

/**
 * A window counter is a hash {n: used, g: generation} with a PEXPIRE of the window length set on
 * first use. Check-and-add runs as one Lua script, so concurrent replicas cannot both take the
 * last unit.
 */
const reserveScript = `
local ttl = redis.call('PTTL', KEYS[1])
local used = 0
if ttl > 0 then used = tonumber(redis.call('HGET', KEYS[1], 'n') or '0') end
local amount = tonumber(ARGV[1])
if used + amount > tonumber(ARGV[2]) then
  if ttl < 0 then ttl = 0 end
  return {0, used, ttl, ''}
end
if ttl <= 0 then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'n', amount, 'g', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {1, amount, tonumber(ARGV[3]), ARGV[4]}
end
local n = redis.call('HINCRBY', KEYS[1], 'n', amount)
return {1, n, ttl, redis.call('HGET', KEYS[1], 'g')}
`;

const readScript = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return {0, 0} end
return {tonumber(redis.call('HGET', KEYS[1], 'n') or '0'), ttl}
`;

/** Only the window the reservation went into is corrected, and never below zero. */
const adjustScript = `
if redis.call('HGET', KEYS[1], 'g') ~= ARGV[1] then return 0 end
local n = redis.call('HINCRBY', KEYS[1], 'n', ARGV[2])
if n < 0 then redis.call('HSET', KEYS[1], 'n', 0) end
return 1
`;

const addSpendScript = `
redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1
`;

type ScriptName = 'reserve' | 'read' | 'adjust' | 'addSpend';
const scripts: Record<ScriptName, string> = { reserve: reserveScript, read: readScript, adjust: adjustScript, addSpend: addSpendScript };
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const scriptShas: Record<ScriptName, string> = { reserve: sha1(reserveScript), read: sha1(readScript), adjust: sha1(adjustScript), addSpend: sha1(addSpendScript) };

/** The store with REDIS_URL: every counter lives in Redis under `prefix`. */
export class RedisCounterStore implements CounterStore {
  readonly kind = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async reserve(counter: string, amount: number, max: number, windowMs: number): Promise<Reservation> {
    const [granted, used, resetMs, generation] = (await this.run('reserve', counter, amount, max, windowMs, randomUUID())) as [number, number, number, string];
    return { granted: granted === 1, used, resetMs, generation };
  }

  async read(counter: string): Promise<WindowCount> {
    const [used, resetMs] = (await this.run('read', counter)) as [number, number];
    return { used, resetMs };
  }

  async adjust(counter: string, generation: string, delta: number): Promise<void> {
    if (generation === '' || delta === 0) return;
    await this.run('adjust', counter, generation, Math.round(delta));
  }

  async addSpend(counter: string, usd: number, expiresAt: number): Promise<void> {
    await this.run('addSpend', counter, usd, expiresAt);
  }

  async seedSpend(counter: string, usd: number, expiresAt: number): Promise<void> {
    await this.redis.set(this.prefix + counter, usd, 'PXAT', expiresAt, 'NX');
  }

  async readSpend(counter: string): Promise<number> {
    const value = await this.redis.get(this.prefix + counter);
    return value === null ? 0 : Number.parseFloat(value);
  }

  async close(): Promise<void> {
    // The connection belongs to the plugin that opened it.
  }

  /** EVALSHA with the script cached by Redis; EVAL once when Redis does not know it (yet, or since a restart). */
  private async run(name: ScriptName, counter: string, ...args: Array<string | number>): Promise<unknown> {
    const key = this.prefix + counter;
    try {
      return await this.redis.evalsha(scriptShas[name], 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(scripts[name], 1, key, ...args);
    }
  }
}

