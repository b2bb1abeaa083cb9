import type Database from 'better-sqlite3';
import type { CallLogInsert } from './call-log-row.js';

/** Numbers for the metrics exporter: read them at scrape time. */
export interface CallLogStats {
  /** Rows and updates waiting for the writer. */
  readonly queueDepth: number;
  readonly queueCapacity: number;
  /** Rows lost since start: queue full, or a row the database refused for good. */
  readonly droppedRows: number;
  /** Failed write transactions (each one retried or, for a bad row, dropped). */
  readonly writeErrors: number;
  readonly writtenRows: number;
}

/** What the writer applies, in queue order: a new row, or the final count of a sampled row. */
export type CallLogWrite =
  | { kind: 'insert'; row: CallLogInsert }
  | { kind: 'sampled-count'; requestId: string; createdAt: number; count: number };

/** The little of a logger the writer needs: pino's, or the writer thread's relay to it. */
export interface CallLogLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface CallLogWriterOptions {
  sqlite: Database.Database;
  log: CallLogLogger;
  /** How long a row may wait for the next batch. */
  flushIntervalMs?: number;
  /** Rows per transaction. */
  maxBatch?: number;
  /** Queue bound: beyond it rows are dropped (counted, warned), never blocking a request. */
  capacity?: number;
  /** Wait before retrying after the database refused a batch (busy, disk full…). */
  retryDelayMs?: number;
  /** At most one warning about dropped rows per this interval. */
  warnIntervalMs?: number;
}

const columns: Readonly<Record<keyof CallLogInsert, string>> = {
  requestId: 'request_id',
  createdAt: 'created_at',
  tenantId: 'tenant_id',
  consumerId: 'consumer_id',
  keyId: 'key_id',
  endpoint: 'endpoint',
  requestedModel: 'requested_model',
  provider: 'provider',
  upstreamModel: 'upstream_model',
  stream: 'stream',
  statusCode: 'status_code',
  outcome: 'outcome',
  errorCode: 'error_code',
  layer: 'layer',
  decisionTrace: 'decision_trace',
  clientIp: 'client_ip',
  userAgent: 'user_agent',
  latencyMs: 'latency_ms',
  upstreamLatencyMs: 'upstream_latency_ms',
  ttftMs: 'ttft_ms',
  promptTokens: 'prompt_tokens',
  completionTokens: 'completion_tokens',
  cachedTokens: 'cached_tokens',
  reasoningTokens: 'reasoning_tokens',
  tokensEstimated: 'tokens_estimated',
  costUsd: 'cost_usd',
  attempts: 'attempts',
  sampledCount: 'sampled_count',
  requestBody: 'request_body',
  responseBody: 'response_body',
};

const fields = Object.keys(columns) as (keyof CallLogInsert)[];
const insertSql = `INSERT INTO call_logs (${fields.map((field) => columns[field]).join(', ')}) VALUES (${fields.map((field) => `@${field}`).join(', ')})`;
const sampledCountSql = 'UPDATE call_logs SET sampled_count = @count WHERE request_id = @requestId AND created_at = @createdAt';

/** Errors a retry cannot cure: the row itself is bad, so it is dropped instead of blocking the queue. */
function isPermanent(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
  return error instanceof TypeError || error instanceof RangeError;
}

/**
 * Takes call-log rows off the hot path: `enqueue` only pushes to a bounded in-memory queue;
 * one writer inserts what is queued in a single transaction with a prepared statement a few
 * milliseconds later (SQLite in WAL mode), and `close` writes everything left.
 */
export class CallLogWriter {
  readonly stats: CallLogStats;
  private readonly queue: CallLogWrite[] = [];
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly capacity: number;
  private readonly retryDelayMs: number;
  private readonly warnIntervalMs: number;
  private readonly writeBatch: (batch: readonly CallLogWrite[]) => void;
  private readonly writeOne: (write: CallLogWrite) => void;
  private timer: { cancel(): void } | null = null;
  private closed = false;
  private dropped = 0;
  private droppedSinceWarning = 0;
  private lastDropWarning = -Infinity;
  private errors = 0;
  private written = 0;
  private completed = 0;

  constructor(private readonly options: CallLogWriterOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 10;
    this.maxBatch = options.maxBatch ?? 1000;
    this.capacity = options.capacity ?? 50_000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.warnIntervalMs = options.warnIntervalMs ?? 10_000;
    const insert = options.sqlite.prepare(insertSql);
    const updateCount = options.sqlite.prepare(sampledCountSql);
    this.writeOne = (write) => {
      if (write.kind === 'insert') insert.run(write.row);
      else updateCount.run({ requestId: write.requestId, createdAt: write.createdAt, count: write.count });
    };
    this.writeBatch = options.sqlite.transaction((batch: readonly CallLogWrite[]) => {
      for (const write of batch) this.writeOne(write);
    });
    const writer = this;
    this.stats = {
      get queueDepth() {
        return writer.queue.length;
      },
      get queueCapacity() {
        return writer.capacity;
      },
      get droppedRows() {
        return writer.dropped;
      },
      get writeErrors() {
        return writer.errors;
      },
      get writtenRows() {
        return writer.written;
      },
    };
  }

  /** Writes taken off the queue for good: applied, or dropped as bad (not those dropped at the door). */
  get completedWrites(): number {
    return this.completed;
  }

  /** Never blocks and never throws: a full queue (or a closed writer) drops the write and counts it. */
  enqueue(write: CallLogWrite): void {
    if (this.closed || this.queue.length >= this.capacity) {
      this.drop(1, this.closed ? 'the call log is closed' : 'the call-log queue is full');
      return;
    }
    this.queue.push(write);
    if (this.timer === null) this.schedule(this.flushIntervalMs);
  }

  /** Writes one batch now; more are scheduled at once while the queue is not empty. */
  flush(): void {
    this.cancelTimer();
    if (this.queue.length === 0) return;
    const ok = this.writeNextBatch();
    if (this.queue.length > 0 && !this.closed) this.schedule(ok ? 0 : this.retryDelayMs);
  }

  /** Stops taking rows and writes everything queued (retrying a few times if the database is busy). */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    for (let failures = 0; this.queue.length > 0 && failures < 3; ) {
      if (!this.writeNextBatch()) {
        failures += 1;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      }
    }
    if (this.queue.length > 0) {
      const lost = this.queue.splice(0).length;
      this.completed += lost;
      this.drop(lost, 'the database refused the last rows at shutdown');
    }
    if (this.droppedSinceWarning > 0) this.warnDropped('rows were dropped');
  }

  /** true when the batch was written (or its bad rows dropped); false when it must be retried. */
  private writeNextBatch(): boolean {
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      this.writeBatch(batch);
      this.written += countInserts(batch);
      this.completed += batch.length;
      return true;
    } catch (error) {
      this.errors += 1;
      if (!isPermanent(error)) {
        this.options.log.error({ err: error, rows: batch.length }, 'call-log write failed; retrying');
        this.queue.unshift(...batch);
        return false;
      }
      // One bad row must not take its batch with it: write them one by one, drop the bad ones.
      this.completed += batch.length;
      for (const write of batch) {
        try {
          this.writeOne(write);
          if (write.kind === 'insert') this.written += 1;
        } catch (rowError) {
          this.options.log.error({ err: rowError }, 'the database refused a call-log row; it is dropped');
          this.drop(1, 'the database refused a row');
        }
      }
      return true;
    }
  }

  private drop(count: number, reason: string): void {
    this.dropped += count;
    this.droppedSinceWarning += count;
    if (performance.now() - this.lastDropWarning >= this.warnIntervalMs) this.warnDropped(reason);
  }

  private warnDropped(reason: string): void {
    this.options.log.warn(
      { dropped: this.droppedSinceWarning, droppedTotal: this.dropped, capacity: this.capacity },
      `call-log rows dropped: ${reason}`,
    );
    this.droppedSinceWarning = 0;
    this.lastDropWarning = performance.now();
  }

  private schedule(delayMs: number): void {
    if (delayMs === 0) {
      const immediate = setImmediate(() => this.flush());
      this.timer = { cancel: () => clearImmediate(immediate) };
    } else {
      // unref: a pending flush never keeps a process alive; shutdown flushes through close().
      const timeout = setTimeout(() => this.flush(), delayMs).unref();
      this.timer = { cancel: () => clearTimeout(timeout) };
    }
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}

function countInserts(batch: readonly CallLogWrite[]): number {
  let count = 0;
  for (const write of batch) if (write.kind === 'insert') count += 1;
  return count;
}
