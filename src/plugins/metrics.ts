import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { callCostUsd } from '../call-log/call-cost.js';
import { GatewayError } from '../errors.js';
import { registerCallLogMetrics } from '../metrics/call-log-metrics.js';
import { createGatewayMetrics, type GatewayMetrics } from '../metrics/gateway-metrics.js';
import { observeCall } from '../metrics/observe-call.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's Prometheus metrics (its own Registry). */
    metrics: GatewayMetrics;
  }
}

export interface MetricsOptions {
  /** GATEWAY_METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/** Probes and scrapes would drown the call counters; they are not calls. */
const operationalRoutes: ReadonlySet<string> = new Set(['/metrics', '/healthz', '/readyz']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function checkToken(request: FastifyRequest, expected: Buffer): void {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const hint = 'Send the value of GATEWAY_METRICS_TOKEN: Authorization: Bearer <token> (Prometheus: authorization.credentials).';
  const headers = { 'www-authenticate': 'Bearer realm="metrics"' };
  if (match === null) throw new GatewayError('metrics_token_missing', '/metrics is protected by a token.', { hint, headers });
  if (!timingSafeEqual(digest(match[1] ?? ''), expected)) {
    throw new GatewayError('metrics_token_invalid', 'The metrics token is not valid.', { hint, headers });
  }
}

/** GET /metrics in the Prometheus text format, filled from `request.call` when each response ends. */
export default fp(
  async function metrics(fastify: FastifyInstance, options: MetricsOptions) {
    const gatewayMetrics = createGatewayMetrics();
    fastify.decorate('metrics', gatewayMetrics);

    fastify.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/v1/')) return;
      gatewayMetrics.inFlight.inc();
      // 'close' fires exactly once however the call ends (finished, failed or abandoned).
      reply.raw.once('close', () => gatewayMetrics.inFlight.dec());
    });

    // onResponse runs when the last byte is written, so a stream is counted when it ends.
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route !== undefined && operationalRoutes.has(route)) return;
      const call = request.call;
      if (call === null || call === undefined) return;
      const requested = call.requestedModel;
      const model = requested === null ? undefined : fastify.catalog.find(requested);
      observeCall(gatewayMetrics, {
        call,
        statusCode: reply.statusCode,
        elapsedMs: reply.elapsedTime,
        endpoint: call.endpoint !== 'other' ? call.endpoint : request.url.startsWith('/admin') ? 'admin' : 'other',
        model: requested === null ? 'none' : model !== undefined ? requested : 'unknown',
        // The call log prices the call first (its onResponse runs before this one); priced here
        // too when the call log is off.
        costUsd: call.costUsd ?? callCostUsd(call.usage, model?.pricing ?? null),
      });
    });

    // The call log's queue, whichever order the plugins were registered in.
    fastify.addHook('onReady', async () => {
      if (fastify.hasDecorator('callLog')) registerCallLogMetrics(gatewayMetrics.registry, () => fastify.callLog.stats);
    });

    const expected = options.token === undefined ? null : digest(options.token);
    fastify.get('/metrics', async (request, reply) => {
      if (expected !== null) checkToken(request, expected);
      const body = await gatewayMetrics.registry.metrics();
      return reply.header('content-type', gatewayMetrics.registry.contentType).header('cache-control', 'no-store').send(body);
    });
  },
  { name: 'metrics', dependencies: ['request-context', 'model-router'] },
);
