import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { callCostUsd } from '../call-log/call-cost.js';
import { GatewayError } from '../errors.js';
import { budgetPeriod, spendExpiresAt } from '../limits/budget-period.js';
import type { CounterStore } from '../limits/counter-store.js';
import { LimitEngine, settlementIsAwaited, spendCounter, type LimitSubject, type LimitTicket, type LimitVerdict } from '../limits/limit-engine.js';
import type { CallDemand } from '../limits/token-demand.js';
import { MemoryCounterStore } from '../limits/memory-counter-store.js';
import { rateLimitStore } from '../limits/rate-limit-store.js';
import { closeRedis, connectLimitsRedis } from '../limits/redis-connection.js';
import { RedisCounterStore } from '../limits/redis-counter-store.js';
import { RequestRateLimiter } from '../limits/request-rate-limiter.js';
import { spendFromCallLog } from '../limits/spend-from-call-log.js';
import { enforceLimitStep, explainLimitStep } from '../limits/limit-step.js';
import { guardStore, StoreHealth, type FailMode } from '../limits/store-health.js';
import type { AccessDecision, AccessEndpoint } from '../policy/chain-types.js';

export interface LimitsOptions {
  /** REDIS_URL: counters shared by every replica; unset: in this process. */
  redisUrl: string | undefined;
  redisPrefix: string;
  failMode: FailMode;
  /** The requests and tokens window (GATEWAY_LIMIT_WINDOW_MS, default one minute). */
  windowMs: number;
  /** POST /admin/auth/token attempts per client address and minute. */
  adminLoginPerMinute: number;
}

export interface GatewayLimits {
  readonly engine: LimitEngine;
  readonly storeKind: CounterStore['kind'];
  /** `config.rateLimit` of POST /admin/auth/token: every attempt costs an argon2 hash. */
  readonly adminLoginRateLimit: RateLimitOptions;
  /**
   * The limit step of a live call: counts it (or throws the refusal), puts the x-ratelimit-*
   * headers on the response and keeps what the call reserved, settled when the call ends.
   */
  enforce(request: FastifyRequest, reply: FastifyReply, subject: LimitSubject, demand: CallDemand): Promise<LimitVerdict>;
  /** The limit step of a dry run (`can-i`, `access/check`): what is left, nothing counted. */
  check(request: FastifyRequest, subject: LimitSubject, demand: CallDemand): Promise<LimitVerdict>;
  /** A dry run's decision with its limit step (when the other steps allowed the call). */
  explain(request: FastifyRequest, decision: AccessDecision, endpoint: AccessEndpoint): Promise<AccessDecision>;
}

declare module 'fastify' {
  interface FastifyInstance {
    limits: GatewayLimits;
  }
  interface FastifyRequest {
    /** Set by the limit step of a live call; settled (once) when the call ends. */
    limitTicket: LimitTicket | null;
  }
}

const LOGIN_WINDOW_MS = 60_000;

/**
 * Rate, token and budget limits per key and tenant (docs/limits.md), on @fastify/rate-limit
 * with the gateway's own counter store (memory, or Redis with REDIS_URL).
 */
export default fp(
  async function limits(fastify: FastifyInstance, options: LimitsOptions) {
    const health = new StoreHealth(fastify.log, options.failMode);
    const redis = options.redisUrl === undefined ? null : await connectLimitsRedis(options.redisUrl, health);
    const store = guardStore(redis === null ? new MemoryCounterStore() : new RedisCounterStore(redis, options.redisPrefix), health);

    await fastify.register(rateLimit, {
      // Only where asked: the /v1 limits run in the decision chain, the login route has its own.
      global: false,
      store: rateLimitStore(store, 'rl:'),
      skipOnError: options.failMode === 'open',
    });
    const engine = new LimitEngine({ store, health, requests: new RequestRateLimiter(fastify, options.windowMs), windowMs: options.windowMs });

    await seedSpend(fastify, store);

    const adminLoginRateLimit: RateLimitOptions = {
      max: options.adminLoginPerMinute,
      timeWindow: LOGIN_WINDOW_MS,
      errorResponseBuilder: (_request, context) =>
        new GatewayError('rate_limit_exceeded', `Too many sign-in attempts from this address (at most ${context.max} a minute); retry in ${context.after}.`, {
          hint: 'Wait for Retry-After, then check the username and password. The limit is GATEWAY_ADMIN_LOGIN_PER_MINUTE.',
        }),
    };

    fastify.decorateRequest('limitTicket', null);
    const gatewayLimits: GatewayLimits = {
      engine,
      storeKind: store.kind,
      adminLoginRateLimit,
      async enforce(request, reply, subject, demand) {
        const verdict = await engine.evaluate(request, subject, demand, 'live');
        reply.headers(verdict.headers);
        request.limitTicket = verdict.ticket;
        return verdict;
      },
      check: (request, subject, demand) => engine.evaluate(request, subject, demand, 'dry'),
      explain: (request, decision, endpoint) => explainLimitStep(gatewayLimits, request, decision, endpoint),
    };
    fastify.decorate('limits', gatewayLimits);

    // The chain's last step on /v1: after the access policy's preHandler (registered before this plugin).
    fastify.addHook('preHandler', async (request, reply) => {
      const run = request.access;
      if (run === null) return;
      try {
        const { model } = run.context.query;
        const pricing = model === undefined ? null : (fastify.catalog.find(model)?.pricing ?? null);
        await enforceLimitStep(gatewayLimits, fastify.tokenCounter, request, reply, run, pricing);
      } catch (error) {
        if (run.denial !== null) fastify.policyDenials.record(run.denial.layer, run.denial.code);
        throw error;
      }
    });

    const settle = async (request: FastifyRequest): Promise<void> => {
      const ticket = request.limitTicket;
      if (ticket === null) return;
      request.limitTicket = null;
      const { call } = request;
      const pricing = call.requestedModel === null ? null : (fastify.catalog.find(call.requestedModel)?.pricing ?? null);
      try {
        // No usage (the provider failed, the client left before an answer): the reservation is returned whole.
        await engine.settle(ticket, call.usage?.total_tokens ?? 0, callCostUsd(call.usage, pricing));
      } catch (error) {
        // The call is answered already; a bug here must not fail it or go unnoticed.
        request.log.error({ err: error }, 'could not settle the limits of a call');
      }
    };
    // A JSON answer (or error) is settled before it is sent, so the caller's next request sees
    // the spend and tokens of this one; a stream is settled when it has ended (usage is final then).
    fastify.addHook('onSend', async (request, _reply, payload) => {
      const ticket = request.limitTicket;
      if (ticket === null) return payload;
      const { streamEnded } = request.call;
      if (streamEnded !== null) void streamEnded.then(() => settle(request));
      else if (settlementIsAwaited(ticket)) await settle(request);
      else void settle(request);
      return payload;
    });

    fastify.addHook('onClose', async () => {
      await store.close();
      if (redis !== null) await closeRedis(redis);
    });
    fastify.log.info({ store: store.kind, failMode: options.failMode, windowMs: options.windowMs }, 'limits ready');
  },
  { name: 'limits', dependencies: ['storage', 'request-context', 'model-router', 'usage', 'access-policy', 'deployment-check'] },
);

/** This month's spend from the call log, so budgets survive a restart (Redis keeps its own: seeded only where it has none). */
async function seedSpend(fastify: FastifyInstance, store: CounterStore): Promise<void> {
  const period = budgetPeriod(Date.now());
  const expiresAt = spendExpiresAt(period);
  const recorded = spendFromCallLog(fastify.sqlite, period);
  const results = await Promise.allSettled(recorded.map((spend) => store.seedSpend(spendCounter(spend.scope, spend.id, period), spend.usd, expiresAt)));
  const failed = results.filter((result) => result.status === 'rejected').length;
  if (failed > 0) fastify.log.warn({ failed }, 'could not seed this month\'s spend from the call log into the limit store');
}
