import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics. Each app instance owns its Registry (never prom-client's
 * global one), so several gateways in one process (the tests) never collide.
 *
 * Label values are bounded on purpose: `model` is a catalog name or `unknown` (a caller must not
 * grow the series with made-up model names), `provider` a configured provider or `none`.
 */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'endpoint' | 'model' | 'provider' | 'status' | 'outcome'>;
  denials: Counter<'layer' | 'code'>;
  latency: Histogram<'endpoint' | 'outcome'>;
  upstreamLatency: Histogram<'provider' | 'model'>;
  timeToFirstToken: Histogram<'provider' | 'model'>;
  tokens: Counter<'provider' | 'model' | 'kind'>;
  costUsd: Counter<'provider' | 'model'>;
  inFlight: Gauge;
}

/** From 5 ms to 5 minutes: cached embeddings to long reasoning streams. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'gateway_requests_total',
      help: 'Calls answered, by endpoint, model, provider, HTTP status and outcome (ok, denied, error, cancelled).',
      labelNames: ['endpoint', 'model', 'provider', 'status', 'outcome'],
      registers,
    }),
    denials: new Counter({
      name: 'gateway_denials_total',
      help: 'Calls refused by a policy step, by the layer and catalogue code that refused them.',
      labelNames: ['layer', 'code'],
      registers,
    }),
    latency: new Histogram({
      name: 'gateway_request_duration_seconds',
      help: 'Total time from request to the end of the answer (the last byte of a stream).',
      labelNames: ['endpoint', 'outcome'],
      buckets: latencyBuckets,
      registers,
    }),
    upstreamLatency: new Histogram({
      name: 'gateway_upstream_duration_seconds',
      help: "Time the provider took to answer (for a stream: to open it), across the router's attempts.",
      labelNames: ['provider', 'model'],
      buckets: latencyBuckets,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'gateway_time_to_first_token_seconds',
      help: 'Time from request to the first streamed content chunk.',
      labelNames: ['provider', 'model'],
      buckets: latencyBuckets,
      registers,
    }),
    tokens: new Counter({
      name: 'gateway_tokens_total',
      help: 'Tokens billed by providers (or counted by the gateway when a provider reports none), by kind: prompt or completion.',
      labelNames: ['provider', 'model', 'kind'],
      registers,
    }),
    costUsd: new Counter({
      name: 'gateway_cost_usd_total',
      help: 'Estimated spend in USD from the catalog prices.',
      labelNames: ['provider', 'model'],
      registers,
    }),
    inFlight: new Gauge({
      name: 'gateway_in_flight_calls',
      help: 'Calls under /v1 being served right now (streams included).',
      registers,
    }),
  };
}
