import type { Usage } from '../adapters/types.js';

/**
 * What the gateway learned while serving one call: filled in by the router and the routes,
 * read by the call log and metrics when the response ends.
 */
export interface CallRecord {
  endpoint: 'chat' | 'embeddings' | 'models' | 'other';
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
  /** Set when an error ended a stream after its 200 was sent. */
  streamErrorCode: string | null;
}

export function newCallRecord(): CallRecord {
  return {
    endpoint: 'other',
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
    streamErrorCode: null,
  };
}
