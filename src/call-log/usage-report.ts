import type Database from 'better-sqlite3';
import { roundUsd } from './call-cost.js';

export type UsageGroupBy = 'tenant' | 'consumer' | 'key' | 'model' | 'day';

/** Fixed SQL per grouping: nothing from the request is ever spliced into the statement. */
const groupExpressions: Readonly<Record<UsageGroupBy, string>> = {
  tenant: 'tenant_id',
  consumer: 'consumer_id',
  key: 'key_id',
  model: 'requested_model',
  day: "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')",
};

export interface UsageQuery {
  groupBy: UsageGroupBy;
  /** Limits the report to one tenant (always set for a tenant admin). */
  tenantId: string | null;
  /** Inclusive, epoch ms. */
  from: number | null;
  /** Exclusive, epoch ms. */
  to: number | null;
}

export interface UsageLine {
  /** The tenant, consumer or key id, the model name, or the UTC day (YYYY-MM-DD); null for calls without one (unauthenticated). */
  group: string | null;
  /** Calls, sampled unauthenticated failures counted in full. */
  requests: number;
  ok: number;
  denied: number;
  error: number;
  cancelled: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Denied calls per error code. */
  denials: Record<string, number>;
}

interface TotalsRow {
  grp: string | null;
  requests: number;
  ok: number;
  denied: number;
  error: number;
  cancelled: number;
  prompt: number;
  completion: number;
  cost: number;
}

interface DenialRow {
  grp: string | null;
  code: string | null;
  count: number;
}

/** Totals per tenant, consumer, key, model or day, over the whole call log or a time range. */
export function usageReport(sqlite: Database.Database, query: UsageQuery): UsageLine[] {
  const group = groupExpressions[query.groupBy];
  const conditions: string[] = [];
  const parameters: Record<string, string | number> = {};
  if (query.tenantId !== null) {
    conditions.push('tenant_id = @tenantId');
    parameters.tenantId = query.tenantId;
  }
  if (query.from !== null) {
    conditions.push('created_at >= @from');
    parameters.from = query.from;
  }
  if (query.to !== null) {
    conditions.push('created_at < @to');
    parameters.to = query.to;
  }
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const totals = sqlite
    .prepare(
      `SELECT ${group} AS grp,
        SUM(sampled_count) AS requests,
        SUM(CASE WHEN outcome = 'ok' THEN sampled_count ELSE 0 END) AS ok,
        SUM(CASE WHEN outcome = 'denied' THEN sampled_count ELSE 0 END) AS denied,
        SUM(CASE WHEN outcome = 'error' THEN sampled_count ELSE 0 END) AS error,
        SUM(CASE WHEN outcome = 'cancelled' THEN sampled_count ELSE 0 END) AS cancelled,
        COALESCE(SUM(prompt_tokens), 0) AS prompt,
        COALESCE(SUM(completion_tokens), 0) AS completion,
        COALESCE(SUM(cost_usd), 0) AS cost
      FROM call_logs ${where} GROUP BY grp ORDER BY grp`,
    )
    .all(parameters) as TotalsRow[];
  const denials = sqlite
    .prepare(
      `SELECT ${group} AS grp, error_code AS code, SUM(sampled_count) AS count
      FROM call_logs ${where === '' ? 'WHERE' : `${where} AND`} outcome = 'denied' GROUP BY grp, code`,
    )
    .all(parameters) as DenialRow[];

  const lines = new Map<string | null, UsageLine>();
  for (const row of totals) {
    lines.set(row.grp, {
      group: row.grp,
      requests: row.requests,
      ok: row.ok,
      denied: row.denied,
      error: row.error,
      cancelled: row.cancelled,
      promptTokens: row.prompt,
      completionTokens: row.completion,
      totalTokens: row.prompt + row.completion,
      costUsd: roundUsd(row.cost),
      denials: {},
    });
  }
  for (const row of denials) {
    const line = lines.get(row.grp);
    if (line !== undefined) line.denials[row.code ?? 'unknown'] = row.count;
  }
  return [...lines.values()];
}
