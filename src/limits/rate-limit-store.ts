import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { CounterStore } from './counter-store.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** The plugin declares the route's options here but passes its merged settings, the route under `routeInfo`. */
type ChildOptions = Parameters<FastifyRateLimitStore['child']>[0];
interface MergedSettings {
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * @fastify/rate-limit's store interface over the gateway's counters, so the plugin counts
 * requests in the same memory or Redis as the token and budget counters (and fails the same
 * documented way when Redis is gone).
 *
 * One difference from the plugin's own stores: a refused request does not count (the counter
 * never passes `max`), so a client hammering a closed window does not push the reset further
 * and every refused call leaves the window exactly as it was.
 */
class CounterRateLimitStore implements FastifyRateLimitStore {
  constructor(
    private readonly counters: CounterStore,
    private readonly namespace: string,
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.counters.reserve(this.namespace + key, 1, max, timeWindow).then(
      (result) => callback(null, { current: result.granted ? result.used : max + 1, ttl: result.resetMs }),
      (error: Error) => callback(error),
    );
  }

  /** `{ increment: false }`: a dry run (`can-i`, `access/check`) reads without counting. */
  read(key: string, callback: Callback): void {
    this.counters.read(this.namespace + key).then(
      (result) => callback(null, { current: result.used, ttl: result.resetMs }),
      (error: Error) => callback(error),
    );
  }

  /** A route's own limit (`config.rateLimit`) counts apart from every other route's. */
  child(routeOptions: ChildOptions): FastifyRateLimitStore {
    const { method, url } = (routeOptions as unknown as MergedSettings).routeInfo ?? {};
    if (url === undefined) return new CounterRateLimitStore(this.counters, this.namespace);
    return new CounterRateLimitStore(this.counters, `${this.namespace}${String(method)}${url}:`);
  }
}

/** The `store` option of @fastify/rate-limit: the plugin constructs it once with its settings. */
export function rateLimitStore(counters: CounterStore, namespace: string): FastifyRateLimitStoreCtor {
  return class extends CounterRateLimitStore {
    constructor() {
      super(counters, namespace);
    }
  };
}
