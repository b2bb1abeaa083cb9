/**
 * JSON schemas of the call-log admin API (DESIGN §7 "Call log API"). Unknown query parameters
 * are refused, so a misspelt filter is a 400 naming it instead of an unfiltered answer.
 */
// Brings @fastify/swagger's typing of `tags`, `summary` and `description` in route schemas.
import type {} from '@fastify/swagger';

const id = { type: 'string', minLength: 1, maxLength: 256 } as const;
const time = { type: 'string', format: 'date-time' } as const;
const outcome = { type: 'string', enum: ['ok', 'denied', 'error', 'cancelled'] } as const;
const nullableString = { type: ['string', 'null'] } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

export const logsQuery = {
  type: 'object',
  properties: {
    tenantId: id,
    consumerId: id,
    keyId: id,
    model: id,
    provider: id,
    outcome,
    code: { type: 'string', minLength: 1, maxLength: 64 },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    from: { ...time, description: 'ISO 8601, inclusive' },
    to: { ...time, description: 'ISO 8601, exclusive' },
    requestId: id,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: { type: 'string', pattern: '^[1-9][0-9]{0,15}$', description: "the previous page's nextCursor" },
  },
  additionalProperties: false,
} as const;

export interface LogsQuery {
  tenantId?: string;
  consumerId?: string;
  keyId?: string;
  model?: string;
  provider?: string;
  outcome?: 'ok' | 'denied' | 'error' | 'cancelled';
  code?: string;
  status?: number;
  from?: string;
  to?: string;
  requestId?: string;
  limit: number;
  cursor?: string;
}

export const requestIdParams = {
  type: 'object',
  properties: { requestId: { type: 'string', minLength: 1, maxLength: 128 } },
  required: ['requestId'],
  additionalProperties: false,
} as const;

const decisionStep = {
  type: 'object',
  properties: { layer: { type: 'string' }, outcome: { type: 'string', enum: ['pass', 'deny', 'skip'] }, detail: { type: 'string' } },
  required: ['layer', 'outcome', 'detail'],
} as const;

const rowProperties = {
  requestId: { type: 'string' },
  createdAt: time,
  tenantId: nullableString,
  consumerId: nullableString,
  keyId: nullableString,
  endpoint: { type: 'string' },
  requestedModel: nullableString,
  provider: nullableString,
  upstreamModel: nullableString,
  stream: { type: 'boolean' },
  statusCode: { type: 'integer' },
  outcome,
  errorCode: nullableString,
  layer: nullableString,
  decisionTrace: { type: 'array', items: decisionStep },
  clientIp: nullableString,
  userAgent: nullableString,
  latencyMs: { type: 'number' },
  upstreamLatencyMs: nullableNumber,
  ttftMs: nullableNumber,
  promptTokens: nullableInteger,
  completionTokens: nullableInteger,
  cachedTokens: nullableInteger,
  reasoningTokens: nullableInteger,
  tokensEstimated: { type: 'boolean' },
  costUsd: nullableNumber,
  attempts: { type: 'integer' },
  sampledCount: { type: 'integer', description: 'calls this row stands for (sampled unauthenticated failures)' },
} as const;

export const callLogRow = { type: 'object', properties: rowProperties } as const;

export const callLogDetail = {
  type: 'object',
  properties: {
    ...rowProperties,
    requestBody: { ...nullableString, description: 'redacted and capped JSON, when GATEWAY_LOG_BODIES=true' },
    responseBody: { ...nullableString, description: 'redacted and capped JSON, when GATEWAY_LOG_BODIES=true' },
  },
} as const;

export const logsPage = {
  type: 'object',
  properties: { data: { type: 'array', items: callLogRow }, nextCursor: nullableString },
  required: ['data', 'nextCursor'],
} as const;

export const usageQuery = {
  type: 'object',
  properties: {
    groupBy: { type: 'string', enum: ['tenant', 'consumer', 'key', 'model', 'day'], default: 'tenant' },
    tenantId: id,
    from: { ...time, description: 'ISO 8601, inclusive' },
    to: { ...time, description: 'ISO 8601, exclusive' },
  },
  additionalProperties: false,
} as const;

export interface UsageQueryString {
  groupBy: 'tenant' | 'consumer' | 'key' | 'model' | 'day';
  tenantId?: string;
  from?: string;
  to?: string;
}

const count = { type: 'integer' } as const;

export const usageResponse = {
  type: 'object',
  properties: {
    groupBy: { type: 'string' },
    from: nullableString,
    to: nullableString,
    data: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          group: { ...nullableString, description: 'the tenant, consumer or key id, the model, or the UTC day; null for calls without one' },
          requests: count,
          ok: count,
          denied: count,
          error: count,
          cancelled: count,
          promptTokens: count,
          completionTokens: count,
          totalTokens: count,
          costUsd: { type: 'number' },
          denials: { type: 'object', additionalProperties: count, description: 'denied calls per error code' },
        },
      },
    },
  },
  required: ['groupBy', 'data'],
} as const;
