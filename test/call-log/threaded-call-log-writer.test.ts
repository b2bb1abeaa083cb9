import t from 'tap';
import { ThreadedCallLogWriter } from '../../src/call-log/threaded-call-log-writer.js';
import { capturedLogger, countRows, sampleRow, tempDatabase } from './call-log-fixtures.js';

t.test('rows travel to the writer thread and land in the database', async (t) => {
  const database = tempDatabase(t);
  const writer = new ThreadedCallLogWriter({ databaseFile: database.sqlite.name, log: capturedLogger().logger, retentionDays: 0 });
  for (let i = 0; i < 1200; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow() });
  t.equal(countRows(database), 0, 'nothing is written on the caller’s turn');
  t.equal(writer.stats.queueDepth, 1200);
  await writer.drain();
  t.equal(countRows(database), 1200, 'all rows, read through the main connection');
  t.equal(writer.stats.writtenRows, 1200);
  t.equal(writer.stats.queueDepth, 0);
  await writer.close();
});

t.test('close hands over the rest and waits for it; later rows are dropped and counted', async (t) => {
  const database = tempDatabase(t);
  const writer = new ThreadedCallLogWriter({ databaseFile: database.sqlite.name, log: capturedLogger().logger, retentionDays: 0, flushIntervalMs: 60_000 });
  for (let i = 0; i < 300; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow() });
  await writer.close();
  t.equal(countRows(database), 300);
  writer.enqueue({ kind: 'insert', row: sampleRow() });
  t.equal(writer.stats.droppedRows, 1);
});

t.test('the bound covers rows queued here and in transit', async (t) => {
  const database = tempDatabase(t);
  const log = capturedLogger();
  const writer = new ThreadedCallLogWriter({ databaseFile: database.sqlite.name, log: log.logger, retentionDays: 0, capacity: 10, warnIntervalMs: 60_000 });
  for (let i = 0; i < 25; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow() });
  t.equal(writer.stats.droppedRows, 15);
  t.equal(log.lines.filter((line) => line.level === 40).length, 1, 'one warning');
  await writer.close();
  t.equal(countRows(database), 10);
});

t.test('a thread that cannot open the database fails loudly, counts its rows as lost, and shutdown does not hang', async (t) => {
  // The thread is unref'd (it never holds a process up); this test has nothing else running.
  const keepAlive = setInterval(() => undefined, 1000);
  t.teardown(() => clearInterval(keepAlive));
  const log = capturedLogger();
  const writer = new ThreadedCallLogWriter({ databaseFile: '/nonexistent-dir/for-sure/gateway.sqlite', log: log.logger, retentionDays: 0 });
  writer.enqueue({ kind: 'insert', row: sampleRow() });
  await writer.drain();
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.ok(log.lines.some((line) => line.level === 50 && /writer thread/.test(line.msg)), 'the failure is logged');
  t.equal(writer.stats.droppedRows, 1, 'the row it held is counted as lost');
  await writer.close();
});
