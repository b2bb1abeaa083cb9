import type { Usage } from '../adapters/types.js';

/** One step of the decision chain as the call log and the explainers show it. */
export interface DecisionStep {
  layer: string;
  outcome: 'pass' | 'deny' | 'skip';
  detail: string;
}

/**
 * What the gateway learned while serving one call: filled in by the policy chain, the router
 * and the routes; read by the call log and metrics when the response ends.
 */
export interface CallRecord {
  endpoint: 'chat' | 'embeddings' | 'models' | 'other';
  /** Identity, once the key is known (the policy chain sets these). */
  tenantId: string | null;
  consumerId: string | null;
  keyId: string | null;
  decisionTrace: DecisionStep[];
  requestedModel: string | null;
  stream: boolean;
  providerName: string | null;
  upstreamModel: string | null;
  attempts: number;
  upstreamLatencyMs: number | null;
  ttftMs: number | null;
  usage: Usage | null;
  tokensEstimated: boolean;
  /** Set when the client went away before the answer ended. */
  cancelled: boolean;
  /** The catalogue code and layer of the error that ended the call (before or during a stream). */
  errorCode: string | null;
  errorLayer: string | null;
  /** USD from the model's pricing, set by the call log once usage is final (metrics read it). */
  costUsd: number | null;
  /** Set by a streamed answer: settles once the stream has ended and usage, ttft and error are final. */
  streamEnded: Promise<void> | null;
  /** A streamed answer's text, kept only when the call log captures bodies (GATEWAY_LOG_BODIES). */
  streamedText: string | null;
}

export function newCallRecord(): CallRecord {
  return {
    endpoint: 'other',
    tenantId: null,
    consumerId: null,
    keyId: null,
    decisionTrace: [],
    requestedModel: null,
    stream: false,
    providerName: null,
    upstreamModel: null,
    attempts: 0,
    upstreamLatencyMs: null,
    ttftMs: null,
    usage: null,
    tokensEstimated: false,
    cancelled: false,
    errorCode: null,
    errorLayer: null,
    costUsd: null,
    streamEnded: null,
    streamedText: null,
  };
}

/** Longest model name the call log keeps from a refused request (the route's own schema limit). */
const MAX_LOGGED_MODEL_LENGTH = 256;

/**
 * A call refused before its route ran (a schema error, the decision chain, an adapter's check)
 * still names the model and the stream it asked for, as far as its body says: the route sets
 * them only once it runs.
 */
export function fillRequestedFromBody(call: CallRecord, body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const { model, stream } = body as { model?: unknown; stream?: unknown };
  if (call.requestedModel === null && typeof model === 'string' && model.length > 0 && model.length <= MAX_LOGGED_MODEL_LENGTH) call.requestedModel = model;
  if (stream === true && call.endpoint === 'chat') call.stream = true;
}
