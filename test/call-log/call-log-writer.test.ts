import Database from 'better-sqlite3';
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallLogWriter } from '../../src/call-log/call-log-writer.js';
import { capturedLogger, countRows, sampleRow, tempDatabase } from './call-log-fixtures.js';

t.test('enqueue only queues; the writer inserts a few milliseconds later, in batches', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 5, maxBatch: 100 });
  for (let i = 0; i < 250; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow() });
  t.equal(countRows(database), 0, 'nothing is written on the caller’s turn');
  t.equal(writer.stats.queueDepth, 250);

  writer.flush();
  t.equal(countRows(database), 100, 'one flush writes one batch of maxBatch rows');
  t.equal(writer.stats.queueDepth, 150);

  // On its own timer: a few milliseconds, longer on a busy machine.
  for (let waited = 0; countRows(database) < 250 && waited < 2000; waited += 10) await sleep(10);
  t.equal(countRows(database), 250, 'the rest follows on its own');
  t.equal(writer.stats.writtenRows, 250);
  t.equal(writer.stats.queueDepth, 0);
  await writer.close();
});

t.test('the queue is bounded: a full queue drops, counts and warns once per interval, never throws', async (t) => {
  const database = tempDatabase(t);
  const log = capturedLogger();
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: log.logger, capacity: 10, flushIntervalMs: 60_000, warnIntervalMs: 60_000 });
  for (let i = 0; i < 25; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow() });
  t.equal(writer.stats.queueDepth, 10, 'never more than the capacity');
  t.equal(writer.stats.droppedRows, 15);
  const warnings = log.lines.filter((line) => line.level === 40);
  t.equal(warnings.length, 1, 'one warning for the interval, not one per row');
  t.match(warnings[0]?.msg, /queue is full/);
  await writer.close();
  t.equal(countRows(database), 10, 'what was queued is written at close');
});

t.test('close writes everything queued; a row after close is dropped and counted', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000, maxBatch: 7 });
  for (let i = 0; i < 50; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow() });
  await writer.close();
  t.equal(countRows(database), 50);
  writer.enqueue({ kind: 'insert', row: sampleRow() });
  t.equal(writer.stats.droppedRows, 1);
  t.equal(countRows(database), 50);
});

t.test('a row the database refuses is dropped alone; the rest of its batch is written', async (t) => {
  const database = tempDatabase(t);
  const log = capturedLogger();
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: log.logger, flushIntervalMs: 60_000 });
  writer.enqueue({ kind: 'insert', row: sampleRow() });
  // NOT NULL violation: the bug this guards against is a row the builder got wrong.
  writer.enqueue({ kind: 'insert', row: sampleRow({ endpoint: null as unknown as string }) });
  writer.enqueue({ kind: 'insert', row: sampleRow() });
  writer.flush();
  t.equal(countRows(database), 2);
  t.equal(writer.stats.writeErrors, 1);
  t.equal(writer.stats.droppedRows, 1);
  t.equal(writer.stats.queueDepth, 0, 'the bad row does not block the queue');
  t.ok(log.lines.some((line) => line.level === 50 && /refused a call-log row/.test(line.msg)));
  await writer.close();
});

t.test('a busy database is retried, not dropped', async (t) => {
  const database = tempDatabase(t);
  database.sqlite.pragma('busy_timeout = 0');
  // A second connection to the same file, as another process (the CLI) would hold it.
  const other = new Database(database.sqlite.name);
  t.teardown(() => other.close());
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000, retryDelayMs: 20 });
  other.exec('BEGIN EXCLUSIVE');
  writer.enqueue({ kind: 'insert', row: sampleRow() });
  writer.flush();
  t.equal(writer.stats.writeErrors, 1, 'the write failed while the lock was held');
  t.equal(writer.stats.queueDepth, 1, 'the row went back to the queue');
  other.exec('COMMIT');
  for (let waited = 0; countRows(database) < 1 && waited < 2000; waited += 10) await sleep(10);
  t.equal(countRows(database), 1, 'the retry wrote it');
  t.equal(writer.stats.droppedRows, 0);
  await writer.close();
});

t.test('a sampled-count update applies after its row, in queue order', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000 });
  const row = sampleRow({ statusCode: 401, outcome: 'denied', errorCode: 'invalid_api_key', layer: 'auth' });
  writer.enqueue({ kind: 'insert', row });
  writer.enqueue({ kind: 'sampled-count', requestId: row.requestId, createdAt: row.createdAt, count: 42 });
  await writer.close();
  const stored = database.sqlite.prepare('select sampled_count from call_logs where request_id = ?').get(row.requestId) as { sampled_count: number };
  t.equal(stored.sampled_count, 42);
  t.equal(writer.stats.writtenRows, 1, 'updates are not counted as rows');
});
