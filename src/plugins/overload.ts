import { getHeapStatistics } from 'node:v8';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError } from '../errors.js';

export interface OverloadOptions {
  /** GATEWAY_MAX_EVENT_LOOP_DELAY_MS; 0 = not checked. */
  maxEventLoopDelayMs: number;
  /** GATEWAY_MAX_HEAP_USED_BYTES; undefined = 90 % of the V8 heap limit, 0 = not checked. */
  maxHeapUsedBytes: number | undefined;
  /** GATEWAY_MAX_RSS_BYTES; 0 = not checked. */
  maxRssBytes: number;
}

const RETRY_AFTER_SECONDS = 10;

/**
 * Booting (migrations, config, catalog) blocks the event loop for a moment, and the first delay
 * sample after `ready` still carries that block: without a grace a fresh gateway would refuse its
 * first calls. Memory pressure is never excused.
 */
const EVENT_LOOP_WARM_UP_MS = 5000;

/**
 * Liveness and scrapes must keep answering under load: a liveness probe that fails under
 * pressure gets a busy pod restarted, which makes the overload worse.
 */
const exemptRoutes: ReadonlySet<string> = new Set(['/healthz', '/metrics']);

/** The defaults leave headroom for the garbage collector before V8 itself gives up. */
export function defaultMaxHeapUsedBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * 0.9);
}

/**
 * Sheds load instead of falling over: past a threshold every call (and /readyz, so the load
 * balancer backs off) is answered 503 `service_unavailable` with `Retry-After`.
 */
export default fp(
  async function overload(fastify: FastifyInstance, options: OverloadOptions) {
    let readyAt = Number.POSITIVE_INFINITY;
    fastify.addHook('onReady', async () => {
      readyAt = Date.now();
    });
    await fastify.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      maxHeapUsedBytes: options.maxHeapUsedBytes ?? defaultMaxHeapUsedBytes(),
      maxRssBytes: options.maxRssBytes,
      exposeStatusRoute: false,
      // A rejected promise reaches the error handler as our envelope; undefined lets the request through.
      pressureHandler: async (request: FastifyRequest, _reply, type: string, value: number | undefined) => {
        const route = request.routeOptions.url;
        if (route !== undefined && exemptRoutes.has(route)) return;
        if (type === underPressure.TYPE_EVENT_LOOP_DELAY && Date.now() - readyAt < EVENT_LOOP_WARM_UP_MS) return;
        request.log.warn({ type, value }, 'overloaded: shedding a request');
        throw new GatewayError('service_unavailable', `The gateway is overloaded (${type}); the call was not started.`, {
          hint: `Retry after ${RETRY_AFTER_SECONDS} seconds, or spread the load over more replicas.`,
          headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
        });
      },
    });
  },
  { name: 'overload', dependencies: ['request-context', 'error-handler'] },
);
