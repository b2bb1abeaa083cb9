import type { CallLogWrite } from './call-log-writer.js';

/** What the writer thread is started with (`workerData`). */
export interface WriterThreadSettings {
  databaseFile: string;
  flushIntervalMs: number;
  maxBatch: number;
  /** GATEWAY_LOG_RETENTION_DAYS; 0 keeps rows forever. */
  retentionDays: number;
}

/** Main thread → writer thread. */
export type ToWriterThread =
  | { type: 'writes'; writes: CallLogWrite[] }
  /** Write everything received so far, then answer `flushed` with the same id. */
  | { type: 'flush'; id: number }
  /** Write everything, close the database, answer `closed`, end. */
  | { type: 'close' };

/** Cumulative counts of the writer thread. */
export interface WriterThreadCounts {
  /** Writes received and taken off its queue for good (applied, or dropped as bad rows). */
  completedWrites: number;
  writtenRows: number;
  droppedRows: number;
  writeErrors: number;
}

/** Writer thread → main thread. */
export type FromWriterThread =
  | { type: 'ready' }
  | ({ type: 'counts' } & WriterThreadCounts)
  | ({ type: 'flushed'; id: number } & WriterThreadCounts)
  | ({ type: 'closed' } & WriterThreadCounts)
  | { type: 'log'; level: 'info' | 'warn' | 'error'; fields: Record<string, unknown>; message: string };
