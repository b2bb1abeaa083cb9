import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { isGatewayError } from '../../src/errors.js';
import type { CounterStore } from '../../src/limits/counter-store.js';
import { LimitEngine, type LimitSubject, type LimitTicket, type LimitVerdict } from '../../src/limits/limit-engine.js';
import type { TokenDemand } from '../../src/limits/limit-errors.js';
import { MemoryCounterStore } from '../../src/limits/memory-counter-store.js';
import { rateLimitStore } from '../../src/limits/rate-limit-store.js';
import { RequestRateLimiter } from '../../src/limits/request-rate-limiter.js';
import { guardStore, StoreHealth, type FailMode } from '../../src/limits/store-health.js';

export interface Outcome {
  status: number;
  headers: Record<string, string>;
  verdict?: LimitVerdict;
  error?: { code: string; message: string; type: string; hint?: string };
}

export interface EngineHarness {
  app: FastifyInstance;
  engine: LimitEngine;
  /** What the health log said (warn/info lines). */
  logLines: string[];
  /** One evaluation through a real Fastify request, as the gateway's limit step runs it. */
  /** `maxCostUsd`: the most the call can cost (what it holds against a budget); 0 by default. */
  evaluate(subject: LimitSubject, demand?: Partial<TokenDemand> & { maxCostUsd?: number }, mode?: 'live' | 'dry'): Promise<Outcome>;
  settle(ticket: LimitTicket | null | undefined, usedTokens: number, costUsd: number | null): Promise<void>;
}

export function subject(key: Partial<LimitSubject['key']> = {}, tenant: Partial<LimitSubject['tenant']> = {}, ids = { keyId: 'key_a', tenantId: 'ten_a' }): LimitSubject {
  return {
    ...ids,
    key: { rpm: null, tpm: null, budgetUsd: null, ...key },
    tenant: { rpm: null, tpm: null, budgetUsd: null, ...tenant },
  };
}

/** The limit engine on a real Fastify with @fastify/rate-limit and a real counter store. */
export async function engineHarness(t: Test, options: { store?: CounterStore; failMode?: FailMode; windowMs?: number; holdMs?: number } = {}): Promise<EngineHarness> {
  const logLines: string[] = [];
  const health = new StoreHealth({ warn: (_details, message) => logLines.push(`warn: ${message}`), info: (_details, message) => logLines.push(`info: ${message}`) }, options.failMode ?? 'open');
  const raw = options.store ?? new MemoryCounterStore();
  const store = guardStore(raw, health);
  const windowMs = options.windowMs ?? 60_000;
  const app = Fastify();
  await app.register(rateLimit, { global: false, store: rateLimitStore(store, 'rl:') });
  const engine = new LimitEngine({ store, health, requests: new RequestRateLimiter(app, windowMs), windowMs, ...(options.holdMs === undefined ? {} : { holdMs: options.holdMs }) });
  app.post<{ Body: { subject: LimitSubject; demand: TokenDemand; maxCostUsd: number; mode: 'live' | 'dry' } }>('/evaluate', async (request, reply) => {
    const { subject: who, demand, maxCostUsd, mode } = request.body;
    try {
      const verdict = await engine.evaluate(request, who, { tokens: () => demand, maxCostUsd: () => maxCostUsd }, mode);
      return reply.headers(verdict.headers).send({ verdict });
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      return reply
        .code(error.status)
        .headers(error.headers)
        .send({ error: { code: error.code, message: error.message, type: error.type, ...(error.hint === undefined ? {} : { hint: error.hint }) } });
    }
  });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await raw.close();
  });
  return {
    app,
    engine,
    logLines,
    async evaluate(who, demand = {}, mode = 'live') {
      const { maxCostUsd = 0, ...tokens } = demand;
      const full: TokenDemand = { tokens: 0, promptTokens: 0, maxOutputTokens: 0, ...tokens };
      if (tokens.tokens === undefined) full.tokens = full.promptTokens + full.maxOutputTokens;
      const response = await app.inject({ method: 'POST', url: '/evaluate', payload: { subject: who, demand: full, maxCostUsd, mode } });
      const body = response.json() as Omit<Outcome, 'status' | 'headers'>;
      return { status: response.statusCode, headers: response.headers as Record<string, string>, ...body };
    },
    async settle(ticket, usedTokens, costUsd) {
      if (ticket === null || ticket === undefined) throw new Error('no ticket to settle');
      await engine.settle(ticket, usedTokens, costUsd);
    },
  };
}
