import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface RequestWindow {
  limit: number;
  /** Requests counted in the window (after this one, when it was counted). */
  used: number;
  resetMs: number;
  /** Counting: this request did not fit. Reading: the window is full, the next request would not fit. */
  refused: boolean;
}

interface Target {
  counter: string;
  max: number;
}

const TARGET = Symbol('request-rate-limiter.target');
/** The request as the limiter sees it for one check: the request itself, plus what to count. */
type CheckedRequest = FastifyRequest & { readonly [TARGET]: Target };

/**
 * Requests per window through @fastify/rate-limit's own limiter (`createRateLimit`), for any
 * counter and limit the policy snapshot names. The plugin asks the request for its key and
 * limit through callbacks, with awaits in between; so each check hands the limiter its own
 * view of the request (an object whose prototype is the request) carrying its target, and the
 * key's and the tenant's windows can be checked at the same time.
 */
export class RequestRateLimiter {
  private readonly limiter: ReturnType<FastifyInstance['createRateLimit']>;

  constructor(fastify: FastifyInstance, windowMs: number) {
    this.limiter = fastify.createRateLimit({
      timeWindow: windowMs,
      // The limit engine applies the fail mode itself, the same way for every counter.
      skipOnError: false,
      keyGenerator: (request) => targetOf(request).counter,
      max: (request) => targetOf(request).max,
    });
  }

  /** Counts `request` against `counter` (limit `max`), or with `increment: false` only reads it. */
  async check(request: FastifyRequest, counter: string, max: number, increment: boolean): Promise<RequestWindow> {
    const checked: CheckedRequest = Object.create(request, { [TARGET]: { value: { counter, max } } });
    const result = await this.limiter(checked, { increment });
    if (result.isAllowed) return { limit: max, used: 0, resetMs: 0, refused: false };
    const used = max - result.remaining;
    return { limit: max, used: Math.min(used, max), resetMs: result.ttl, refused: increment ? result.isExceeded : used >= max };
  }
}

function targetOf(request: FastifyRequest): Target {
  const target = (request as Partial<CheckedRequest>)[TARGET];
  if (target === undefined) throw new Error('RequestRateLimiter: the limiter was called without a counter');
  return target;
}
