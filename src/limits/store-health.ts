import { GatewayError } from '../errors.js';
import type { CounterStore } from './counter-store.js';

export type FailMode = 'open' | 'closed';

/** What a guarded store throws when its backend (Redis) did not answer. */
export function limitStoreUnavailable(cause: unknown): GatewayError {
  return new GatewayError(
    'limit_store_unavailable',
    'The gateway cannot reach its limit store (Redis), and GATEWAY_LIMITS_FAIL_MODE=closed refuses calls it cannot count.',
    { hint: 'Retry in a few seconds; if it lasts, an operator must bring back the Redis at REDIS_URL.', cause },
  );
}

export function isLimitStoreUnavailable(error: unknown): error is GatewayError {
  return error instanceof GatewayError && error.code === 'limit_store_unavailable';
}

interface HealthLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/**
 * Tracks whether the limit store answers, and says so in the log once per change (down, back),
 * never once per call: a gateway under load with Redis gone would otherwise drown its own log.
 */
export class StoreHealth {
  private down = false;

  constructor(
    private readonly log: HealthLog,
    readonly failMode: FailMode,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.log.warn(
      { failMode: this.failMode, reason },
      this.failMode === 'open'
        ? 'limit store unreachable: calls pass without rate, token and budget limits until it is back (GATEWAY_LIMITS_FAIL_MODE=open)'
        : 'limit store unreachable: calls of limited keys are refused with 503 until it is back (GATEWAY_LIMITS_FAIL_MODE=closed)',
    );
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({ failMode: this.failMode }, 'limit store reachable again: limits apply');
  }
}

/** Wraps every operation: a failure marks the store down (logged once) and becomes `limit_store_unavailable`. */
export function guardStore(store: CounterStore, health: StoreHealth): CounterStore {
  async function guarded<R>(operation: () => Promise<R>): Promise<R> {
    try {
      const result = await operation();
      health.succeeded();
      return result;
    } catch (error) {
      health.failed(error);
      throw limitStoreUnavailable(error);
    }
  }
  return {
    kind: store.kind,
    reserve: (counter, amount, max, windowMs) => guarded(() => store.reserve(counter, amount, max, windowMs)),
    read: (counter) => guarded(() => store.read(counter)),
    adjust: (counter, generation, delta) => guarded(() => store.adjust(counter, generation, delta)),
    addSpend: (counter, usd, expiresAt) => guarded(() => store.addSpend(counter, usd, expiresAt)),
    seedSpend: (counter, usd, expiresAt) => guarded(() => store.seedSpend(counter, usd, expiresAt)),
    readSpend: (counter) => guarded(() => store.readSpend(counter)),
    close: () => store.close(),
  };
}
