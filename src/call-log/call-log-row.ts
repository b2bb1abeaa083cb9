import { callOutcome, type CallOutcome } from '../routing/call-outcome.js';
import type { CallRecord } from '../routing/call-record.js';

/**
 * One call_logs row as the writer's prepared statement binds it: plain SQLite values
 * (timestamps in epoch milliseconds, booleans as 0/1, the decision trace as JSON text).
 */
export interface CallLogInsert {
  requestId: string;
  createdAt: number;
  tenantId: string | null;
  consumerId: string | null;
  keyId: string | null;
  endpoint: string;
  requestedModel: string | null;
  provider: string | null;
  upstreamModel: string | null;
  stream: 0 | 1;
  statusCode: number;
  outcome: CallOutcome;
  errorCode: string | null;
  layer: string | null;
  decisionTrace: string | null;
  clientIp: string | null;
  userAgent: string | null;
  latencyMs: number;
  upstreamLatencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  tokensEstimated: 0 | 1;
  costUsd: number | null;
  attempts: number;
  sampledCount: number;
  requestBody: string | null;
  responseBody: string | null;
}

/** The status a call whose client went away is recorded with (DESIGN §7). */
export const CLIENT_CLOSED_STATUS = 499;

/** A user agent is the caller's free text: kept, but never a megabyte of it. */
const USER_AGENT_MAX_CHARS = 512;

export interface FinishedCall {
  requestId: string;
  /** When the request arrived (epoch ms). */
  startedAt: number;
  call: CallRecord;
  /** The status sent; ignored for a cancelled call (recorded as 499). */
  statusCode: number;
  cancelled: boolean;
  /** Arrival to the last byte (or to the moment the client went away). */
  latencyMs: number;
  clientIp: string | null;
  userAgent: string | null;
  requestBody: string | null;
  responseBody: string | null;
}

const milliseconds = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

/** Builds the row of one finished call from its record. */
export function buildCallLogRow(finished: FinishedCall): CallLogInsert {
  const { call } = finished;
  const cancelled = finished.cancelled || call.cancelled;
  const statusCode = cancelled ? CLIENT_CLOSED_STATUS : finished.statusCode;
  const usage = call.usage;
  return {
    requestId: finished.requestId,
    createdAt: finished.startedAt,
    tenantId: call.tenantId,
    consumerId: call.consumerId,
    keyId: call.keyId,
    endpoint: call.endpoint,
    requestedModel: call.requestedModel,
    provider: call.providerName,
    upstreamModel: call.upstreamModel,
    stream: call.stream ? 1 : 0,
    statusCode,
    outcome: callOutcome({ ...call, cancelled }, statusCode),
    errorCode: call.errorCode,
    layer: call.errorLayer,
    decisionTrace: call.decisionTrace.length === 0 ? null : JSON.stringify(call.decisionTrace),
    clientIp: finished.clientIp,
    userAgent: finished.userAgent === null ? null : finished.userAgent.slice(0, USER_AGENT_MAX_CHARS),
    latencyMs: milliseconds(finished.latencyMs) ?? 0,
    upstreamLatencyMs: milliseconds(call.upstreamLatencyMs),
    ttftMs: milliseconds(call.ttftMs),
    promptTokens: usage?.prompt_tokens ?? null,
    completionTokens: usage?.completion_tokens ?? null,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? null,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? null,
    tokensEstimated: call.tokensEstimated ? 1 : 0,
    costUsd: call.costUsd,
    attempts: call.attempts,
    sampledCount: 1,
    requestBody: finished.requestBody,
    responseBody: finished.responseBody,
  };
}
