import { callOutcome, isPolicyDenial } from '../routing/call-outcome.js';
import type { CallRecord } from '../routing/call-record.js';
import type { GatewayMetrics } from './gateway-metrics.js';

export interface ObservedCall {
  call: CallRecord;
  statusCode: number;
  /** Total time of the call, to the last byte of a stream. */
  elapsedMs: number;
  /** The endpoint label: the record's endpoint, or `admin`/`other` for the rest of the surface. */
  endpoint: string;
  /** A catalog model name, `unknown` for a name the catalog does not hold, `none` when no model was asked for. */
  model: string;
  /** The call's cost in USD, when it is known. */
  costUsd: number | null;
}

/** Counts one finished call into the metrics; the labels are already bounded by the caller. */
export function observeCall(metrics: GatewayMetrics, observed: ObservedCall): void {
  const { call, statusCode, model } = observed;
  const outcome = callOutcome(call, statusCode);
  const provider = call.providerName ?? 'none';

  metrics.requests.inc({ endpoint: observed.endpoint, model, provider, status: String(statusCode), outcome });
  metrics.latency.observe({ endpoint: observed.endpoint, outcome }, observed.elapsedMs / 1000);
  if (isPolicyDenial(call, statusCode) && call.errorLayer !== null && call.errorCode !== null) {
    metrics.denials.inc({ layer: call.errorLayer, code: call.errorCode });
  }
  if (call.upstreamLatencyMs !== null) metrics.upstreamLatency.observe({ provider, model }, call.upstreamLatencyMs / 1000);
  if (call.ttftMs !== null) metrics.timeToFirstToken.observe({ provider, model }, call.ttftMs / 1000);
  if (call.usage !== null) {
    if (call.usage.prompt_tokens > 0) metrics.tokens.inc({ provider, model, kind: 'prompt' }, call.usage.prompt_tokens);
    if (call.usage.completion_tokens > 0) metrics.tokens.inc({ provider, model, kind: 'completion' }, call.usage.completion_tokens);
  }
  if (observed.costUsd !== null && observed.costUsd > 0) metrics.costUsd.inc({ provider, model }, observed.costUsd);
}
