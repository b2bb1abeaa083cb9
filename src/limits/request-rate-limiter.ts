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

/**
 * Requests per window through @fastify/rate-limit's own limiter (`createRateLimit`), for any
 * counter and limit the policy snapshot names. The plugin asks the request for its key and
 * limit through callbacks; the target is handed over in a WeakMap for the one await.
 */
export class RequestRateLimiter {
  private readonly targets = new WeakMap<FastifyRequest, Target>();
  private readonly limiter: ReturnType<FastifyInstance['createRateLimit']>;

  constructor(fastify: FastifyInstance, windowMs: number) {
    this.limiter = fastify.createRateLimit({
      timeWindow: windowMs,
      // The limit engine applies the fail mode itself, the same way for every counter.
      skipOnError: false,
      keyGenerator: (request) => this.target(request).counter,
      max: (request) => this.target(request).max,
    });
  }

  /** Counts `request` against `counter` (limit `max`), or with `increment: false` only reads it. */
  async check(request: FastifyRequest, counter: string, max: number, increment: boolean): Promise<RequestWindow> {
    this.targets.set(request, { counter, max });
    try {
      const result = await this.limiter(request, { increment });
      if (result.isAllowed) return { limit: max, used: 0, resetMs: 0, refused: false };
      const used = max - result.remaining;
      return { limit: max, used: Math.min(used, max), resetMs: result.ttl, refused: increment ? result.isExceeded : used >= max };
    } finally {
      this.targets.delete(request);
    }
  }

  private target(request: FastifyRequest): Target {
    const target = this.targets.get(request);
    if (target === undefined) throw new Error('RequestRateLimiter: no counter set for this request');
    return target;
  }
}
