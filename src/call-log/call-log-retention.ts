import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { CallLogLogger } from './call-log-writer.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  sqlite: Database.Database;
  log: CallLogLogger;
  /** GATEWAY_LOG_RETENTION_DAYS; 0 keeps rows forever. */
  retentionDays: number;
  /** Rows per DELETE: small, so a tick never holds the database (or the event loop) for long. */
  batchSize?: number;
  /** A tick stops after this many batches; a large backlog is worked off over several ticks. */
  maxBatchesPerTick?: number;
  intervalMs?: number;
}

export interface Retention {
  /** Deletes expired rows now (at most one tick's worth); resolves to the number deleted. */
  runOnce(nowMs?: number): Promise<number>;
  stop(): void;
}

/**
 * Deletes call-log rows older than the retention period in the background, in small batches
 * with a turn of the event loop between them. The timer is unref'd: it never keeps the process up.
 */
export function startRetention(options: RetentionOptions): Retention {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatchesPerTick ?? 50;
  const deleteBatch = options.sqlite.prepare(
    'DELETE FROM call_logs WHERE seq IN (SELECT seq FROM call_logs WHERE created_at < ? ORDER BY created_at LIMIT ?)',
  );
  let running = false;
  let stopped = false;

  async function runOnce(nowMs: number = Date.now()): Promise<number> {
    if (options.retentionDays === 0 || running || stopped) return 0;
    running = true;
    const cutoff = nowMs - options.retentionDays * DAY_MS;
    let deleted = 0;
    try {
      for (let batch = 0; batch < maxBatches && !stopped; batch += 1) {
        const { changes } = deleteBatch.run(cutoff, batchSize);
        deleted += changes;
        if (changes < batchSize) break;
        await yieldToRequests();
      }
    } catch (error) {
      // The next tick tries again; a closed database at shutdown ends here quietly.
      if (!stopped) options.log.error({ err: error }, 'call-log retention failed');
    } finally {
      running = false;
    }
    if (deleted > 0) options.log.info({ deleted, retentionDays: options.retentionDays }, 'expired call-log rows deleted');
    return deleted;
  }

  const timer = options.retentionDays === 0 ? null : setInterval(() => void runOnce(), options.intervalMs ?? 60_000).unref();
  return {
    runOnce,
    stop() {
      stopped = true;
      if (timer !== null) clearInterval(timer);
    },
  };
}
