import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CallLogLogger, CallLogStats, CallLogWrite } from './call-log-writer.js';
import type { FromWriterThread, ToWriterThread, WriterThreadCounts, WriterThreadSettings } from './writer-thread-protocol.js';

export interface ThreadedWriterOptions {
  databaseFile: string;
  log: CallLogLogger;
  retentionDays: number;
  /** Writes queued here and in the thread together; beyond it rows are dropped (counted, warned). */
  capacity?: number;
  /** How long a row waits before it is handed to the thread, which writes each hand-over at once. */
  flushIntervalMs?: number;
  /** Rows per transaction in the thread: small, so another writer of the file never waits long. */
  maxBatch?: number;
  warnIntervalMs?: number;
  /** How long close() waits for the thread to write the rest. */
  closeTimeoutMs?: number;
}

/**
 * The thread's module next to this one (`.js` when built). The TypeScript sources run only under
 * tsx (tests and the benchmark), and tsx's loader is not inherited by worker threads on Node 20,
 * so from a `.ts` file a two-line bootstrap registers it in the worker first.
 */
function threadEntry(): URL {
  const extension = path.extname(fileURLToPath(import.meta.url));
  const file = new URL(`./call-log-thread${extension}`, import.meta.url);
  if (extension !== '.ts') return file;
  const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(file.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

/**
 * How long rows gather on the event loop before they travel to the thread together. Each
 * hand-over is one SQLite transaction, whose cost is mostly the pages it writes: the same index
 * pages are written once for the whole batch. At one connection (~800 calls/s) 100 ms instead of
 * 25 ms halved the thread's writes per row (4.9 → 2.4 pwrite calls, measured with strace). A row
 * is readable at most this much later than its call ended.
 */
const HAND_OVER_INTERVAL_MS = 100;

/** A thread that keeps dying (an unwritable disk) is restarted ever more slowly, up to the maximum. */
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
const noCounts: WriterThreadCounts = { completedWrites: 0, writtenRows: 0, droppedRows: 0, writeErrors: 0 };

/**
 * The call-log writer as seen from the event loop: `enqueue` pushes to a bounded array, and a
 * few milliseconds later the rows travel in one message to the writer thread, which inserts
 * them on its own SQLite connection. A request pays for building its row and a share of one
 * structured clone, never for SQLite. The thread is restarted if it dies (rows in transit
 * are counted as dropped); `close` hands over the rest and waits for it to be written.
 */
export class ThreadedCallLogWriter {
  readonly stats: CallLogStats;
  private pending: CallLogWrite[] = [];
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Writes posted to the current thread, and its cumulative counts. */
  private posted = 0;
  private counts: WriterThreadCounts = noCounts;
  /** Totals of threads that have ended. */
  private carried = { writtenRows: 0, droppedRows: 0, writeErrors: 0 };
  private droppedHere = 0;
  private droppedSinceWarning = 0;
  private lastDropWarning = -Infinity;
  private closing = false;
  private restartDelayMs = FIRST_RESTART_DELAY_MS;
  private nextFlushId = 0;
  private readonly flushWaiters = new Map<number, () => void>();
  private closeWaiter: (() => void) | null = null;
  private readonly capacity: number;
  private readonly flushIntervalMs: number;

  constructor(private readonly options: ThreadedWriterOptions) {
    this.capacity = options.capacity ?? 50_000;
    this.flushIntervalMs = options.flushIntervalMs ?? HAND_OVER_INTERVAL_MS;
    const self = this;
    this.stats = {
      get queueDepth() {
        return self.pending.length + (self.posted - self.counts.completedWrites);
      },
      get queueCapacity() {
        return self.capacity;
      },
      get droppedRows() {
        return self.droppedHere + self.carried.droppedRows + self.counts.droppedRows;
      },
      get writeErrors() {
        return self.carried.writeErrors + self.counts.writeErrors;
      },
      get writtenRows() {
        return self.carried.writtenRows + self.counts.writtenRows;
      },
    };
    this.start();
  }

  /** Never blocks and never throws: a full queue (or a closed writer) drops the write and counts it. */
  enqueue(write: CallLogWrite): void {
    if (this.closing || this.stats.queueDepth >= this.capacity) {
      this.drop(1, this.closing ? 'the call log is closed' : 'the call-log queue is full');
      return;
    }
    this.pending.push(write);
    this.timer ??= setTimeout(() => this.handOver(), this.flushIntervalMs).unref();
  }

  /** Resolves once everything enqueued so far is in the database (or could not be written). */
  drain(): Promise<void> {
    this.handOver();
    const worker = this.worker;
    if (worker === null) return Promise.resolve();
    const id = (this.nextFlushId += 1);
    return new Promise((resolve) => {
      this.flushWaiters.set(id, resolve);
      this.send({ type: 'flush', id });
    });
  }

  /** Hands over the rest, waits for the thread to write it and end. */
  async close(): Promise<void> {
    this.closing = true;
    this.handOver();
    const worker = this.worker;
    if (worker === null) return;
    const closed = new Promise<void>((resolve) => (this.closeWaiter = resolve));
    this.send({ type: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.options.closeTimeoutMs ?? 10_000)));
    if (await Promise.race([closed.then(() => false), timedOut])) {
      const lost = this.stats.queueDepth;
      this.options.log.error({ lost }, 'the call-log writer did not finish at shutdown; its last rows are lost');
      await worker.terminate();
    }
    clearTimeout(timer);
    if (this.droppedSinceWarning > 0) this.warnDropped('rows were dropped');
  }

  private start(): void {
    const settings: WriterThreadSettings = {
      databaseFile: this.options.databaseFile,
      flushIntervalMs: this.flushIntervalMs,
      maxBatch: this.options.maxBatch ?? 500,
      retentionDays: this.options.retentionDays,
    };
    const worker = new Worker(threadEntry(), { workerData: settings });
    // The thread must never keep a process alive on its own; close() is what ends it.
    worker.unref();
    worker.on('message', (message: FromWriterThread) => this.receive(message));
    worker.on('error', (error) => this.options.log.error({ err: error }, 'the call-log writer thread failed'));
    worker.on('exit', (code) => this.ended(worker, code));
    this.worker = worker;
    this.posted = 0;
    this.counts = noCounts;
  }

  private receive(message: FromWriterThread): void {
    switch (message.type) {
      case 'log':
        this.options.log[message.level](message.fields, message.message);
        return;
      case 'ready':
        this.restartDelayMs = FIRST_RESTART_DELAY_MS;
        return;
      case 'counts':
      case 'flushed':
      case 'closed': {
        const { completedWrites, writtenRows, droppedRows, writeErrors } = message;
        this.counts = { completedWrites, writtenRows, droppedRows, writeErrors };
        if (message.type === 'flushed') {
          this.flushWaiters.get(message.id)?.();
          this.flushWaiters.delete(message.id);
        }
        if (message.type === 'closed') this.closeWaiter?.();
        return;
      }
    }
  }

  private ended(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    const lost = this.posted - this.counts.completedWrites;
    this.carried = {
      writtenRows: this.carried.writtenRows + this.counts.writtenRows,
      droppedRows: this.carried.droppedRows + this.counts.droppedRows + lost,
      writeErrors: this.carried.writeErrors + this.counts.writeErrors,
    };
    this.worker = null;
    this.posted = 0;
    this.counts = noCounts;
    for (const resolve of this.flushWaiters.values()) resolve();
    this.flushWaiters.clear();
    this.closeWaiter?.();
    if (this.closing) return;
    this.options.log.error({ exitCode: code, lost, restartInMs: this.restartDelayMs }, 'the call-log writer thread stopped; restarting it');
    setTimeout(() => {
      if (!this.closing) {
        this.start();
        this.handOver();
      }
    }, this.restartDelayMs).unref();
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
  }

  /** Posts what is pending to the thread, in one message. */
  private handOver(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 || this.worker === null) return;
    const writes = this.pending;
    this.pending = [];
    this.posted += writes.length;
    this.send({ type: 'writes', writes });
  }

  private send(message: ToWriterThread): void {
    this.worker?.postMessage(message);
  }

  private drop(count: number, reason: string): void {
    this.droppedHere += count;
    this.droppedSinceWarning += count;
    if (performance.now() - this.lastDropWarning >= (this.options.warnIntervalMs ?? 10_000)) this.warnDropped(reason);
  }

  private warnDropped(reason: string): void {
    this.options.log.warn({ dropped: this.droppedSinceWarning, droppedTotal: this.stats.droppedRows, capacity: this.capacity }, `call-log rows dropped: ${reason}`);
    this.droppedSinceWarning = 0;
    this.lastDropWarning = performance.now();
  }
}
