import type Database from 'better-sqlite3';
import type { BudgetPeriod } from './budget-period.js';
import type { LimitScope } from './limit-errors.js';

export interface RecordedSpend {
  scope: LimitScope;
  id: string;
  usd: number;
}

/**
 * This month's spend per key and per tenant, summed from the call log: how spend survives a
 * restart (the call log is flushed on shutdown). Read once at boot, never per call.
 */
export function spendFromCallLog(sqlite: Database.Database, period: BudgetPeriod): RecordedSpend[] {
  const sum = (column: 'key_id' | 'tenant_id') =>
    sqlite
      .prepare(
        `SELECT ${column} AS id, SUM(cost_usd) AS usd FROM call_logs
         WHERE created_at >= ? AND created_at < ? AND ${column} IS NOT NULL AND cost_usd > 0
         GROUP BY ${column}`,
      )
      .all(period.startsAt, period.endsAt) as Array<{ id: string; usd: number }>;
  return [
    ...sum('key_id').map((row) => ({ scope: 'key' as const, id: row.id, usd: row.usd })),
    ...sum('tenant_id').map((row) => ({ scope: 'tenant' as const, id: row.id, usd: row.usd })),
  ];
}
