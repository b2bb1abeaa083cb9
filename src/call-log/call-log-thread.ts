/**
 * The call-log writer thread: owns its own SQLite connection and does all the call log's
 * writing (batched inserts, sampled counts, retention), so none of that work runs on the event
 * loop that serves calls. Started by ThreadedCallLogWriter; speaks writer-thread-protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { startRetention } from './call-log-retention.js';
import { CallLogWriter, type CallLogLogger } from './call-log-writer.js';
import type { FromWriterThread, ToWriterThread, WriterThreadCounts, WriterThreadSettings } from './writer-thread-protocol.js';

const port = parentPort;
if (port === null) throw new Error('call-log-thread runs as a worker thread only');
const settings = workerData as WriterThreadSettings;
const send = (message: FromWriterThread) => port.postMessage(message);

/** Errors cannot cross threads as they are: their message and code do. */
function plain(fields: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    copy[key] = value instanceof Error ? { type: value.name, message: value.message, code: (value as { code?: unknown }).code, stack: value.stack } : value;
  }
  return copy;
}

const log: CallLogLogger = {
  info: (fields, message) => send({ type: 'log', level: 'info', fields: plain(fields), message }),
  warn: (fields, message) => send({ type: 'log', level: 'warn', fields: plain(fields), message }),
  error: (fields, message) => send({ type: 'log', level: 'error', fields: plain(fields), message }),
};

const sqlite = new Database(settings.databaseFile);
// The main connection set WAL for the file; these are per connection.
sqlite.pragma('synchronous = NORMAL');
sqlite.pragma('busy_timeout = 5000');

// The main thread bounds the queue (its capacity counts what is in transit and queued here).
// The rows have already waited on the main thread to travel together: a hand-over is written in
// the next turn of this thread's loop, with whatever else arrived in the same turn.
const writer = new CallLogWriter({ sqlite, log, flushIntervalMs: 0, maxBatch: settings.maxBatch, capacity: Number.MAX_SAFE_INTEGER });
const retention = startRetention({ sqlite, log, retentionDays: settings.retentionDays });

const counts = (): WriterThreadCounts => ({
  completedWrites: writer.completedWrites,
  writtenRows: writer.stats.writtenRows,
  droppedRows: writer.stats.droppedRows,
  writeErrors: writer.stats.writeErrors,
});

// Report progress after the writer's own flushes, at most every few milliseconds.
let reported = 0;
const reporter = setInterval(() => {
  if (writer.completedWrites === reported) return;
  reported = writer.completedWrites;
  send({ type: 'counts', ...counts() });
}, Math.max(5, settings.flushIntervalMs));

port.on('message', (message: ToWriterThread) => {
  switch (message.type) {
    case 'writes':
      for (const write of message.writes) writer.enqueue(write);
      break;
    case 'flush':
      while (writer.stats.queueDepth > 0) {
        const before = writer.completedWrites;
        writer.flush();
        // The database refused the batch (busy): the writer retries on its own timer.
        if (writer.completedWrites === before) break;
      }
      send({ type: 'flushed', id: message.id, ...counts() });
      break;
    case 'close':
      clearInterval(reporter);
      retention.stop();
      void writer.close().then(() => {
        sqlite.close();
        send({ type: 'closed', ...counts() });
        port.close();
      });
      break;
  }
});
send({ type: 'ready' });
