import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { GatewayDb } from '../db/client.js';
import { callLogs, type CallLogRow } from '../db/schema.js';
import type { DecisionStep } from '../routing/call-record.js';

export interface CallLogFilters {
  tenantId?: string;
  consumerId?: string;
  keyId?: string;
  model?: string;
  provider?: string;
  outcome?: CallLogRow['outcome'];
  code?: string;
  status?: number;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  requestId?: string;
}

export interface CallLogPage {
  rows: CallLogRow[];
  /** The cursor of the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Pages run newest first by `seq`, the insertion order, and a cursor is the last `seq` seen:
 * rows written while a client pages get larger seqs and land before its first page, so no page
 * repeats or skips a row. (Rows are written when a call ends, so a long stream appears among
 * the calls that ended with it, by `createdAt` a little out of order.)
 */
export function listCallLogs(db: GatewayDb, filters: CallLogFilters, page: { limit: number; cursor: string | undefined }): CallLogPage {
  const conditions = filterConditions(filters);
  if (page.cursor !== undefined) conditions.push(lt(callLogs.seq, Number(page.cursor)));
  const rows = db
    .select()
    .from(callLogs)
    .where(and(...conditions))
    .orderBy(desc(callLogs.seq))
    .limit(page.limit + 1)
    .all();
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const last = pageRows.at(-1);
  return { rows: pageRows, nextCursor: more && last !== undefined ? String(last.seq) : null };
}

/** The newest row of a request id (a caller may reuse its own ids), within `tenantId` when set. */
export function findCallLog(db: GatewayDb, requestId: string, tenantId: string | null): CallLogRow | undefined {
  const conditions = [eq(callLogs.requestId, requestId)];
  if (tenantId !== null) conditions.push(eq(callLogs.tenantId, tenantId));
  return db.select().from(callLogs).where(and(...conditions)).orderBy(desc(callLogs.seq)).limit(1).get();
}

function filterConditions(filters: CallLogFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.tenantId !== undefined) conditions.push(eq(callLogs.tenantId, filters.tenantId));
  if (filters.consumerId !== undefined) conditions.push(eq(callLogs.consumerId, filters.consumerId));
  if (filters.keyId !== undefined) conditions.push(eq(callLogs.keyId, filters.keyId));
  if (filters.model !== undefined) conditions.push(eq(callLogs.requestedModel, filters.model));
  if (filters.provider !== undefined) conditions.push(eq(callLogs.provider, filters.provider));
  if (filters.outcome !== undefined) conditions.push(eq(callLogs.outcome, filters.outcome));
  if (filters.code !== undefined) conditions.push(eq(callLogs.errorCode, filters.code));
  if (filters.status !== undefined) conditions.push(eq(callLogs.statusCode, filters.status));
  if (filters.from !== undefined) conditions.push(gte(callLogs.createdAt, filters.from));
  if (filters.to !== undefined) conditions.push(lt(callLogs.createdAt, filters.to));
  if (filters.requestId !== undefined) conditions.push(eq(callLogs.requestId, filters.requestId));
  return conditions;
}

/** A row as the API shows it (DESIGN §7 "Call log API"): camelCase, ISO time, the trace as steps. */
export function callLogView(row: CallLogRow) {
  return {
    requestId: row.requestId,
    createdAt: row.createdAt.toISOString(),
    tenantId: row.tenantId,
    consumerId: row.consumerId,
    keyId: row.keyId,
    endpoint: row.endpoint,
    requestedModel: row.requestedModel,
    provider: row.provider,
    upstreamModel: row.upstreamModel,
    stream: row.stream,
    statusCode: row.statusCode,
    outcome: row.outcome,
    errorCode: row.errorCode,
    layer: row.layer,
    decisionTrace: (row.decisionTrace as DecisionStep[] | null) ?? [],
    clientIp: row.clientIp,
    userAgent: row.userAgent,
    latencyMs: row.latencyMs,
    upstreamLatencyMs: row.upstreamLatencyMs,
    ttftMs: row.ttftMs,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    cachedTokens: row.cachedTokens,
    reasoningTokens: row.reasoningTokens,
    tokensEstimated: row.tokensEstimated,
    costUsd: row.costUsd,
    attempts: row.attempts,
    sampledCount: row.sampledCount,
  };
}

/** The single-row view adds the captured bodies (GATEWAY_LOG_BODIES), already redacted and capped. */
export function callLogDetailView(row: CallLogRow) {
  return { ...callLogView(row), requestBody: row.requestBody, responseBody: row.responseBody };
}
