import t from 'tap';
import { startRetention } from '../../src/call-log/call-log-retention.js';
import { CallLogWriter } from '../../src/call-log/call-log-writer.js';
import { capturedLogger, countRows, sampleRow, tempDatabase } from './call-log-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;

t.test('rows older than the retention period are deleted in small batches', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000 });
  const now = Date.now();
  for (let i = 0; i < 2500; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow({ createdAt: now - 31 * DAY - i }) });
  for (let i = 0; i < 40; i += 1) writer.enqueue({ kind: 'insert', row: sampleRow({ createdAt: now - 29 * DAY }) });
  await writer.close();

  const retention = startRetention({ sqlite: database.sqlite, log: capturedLogger().logger, retentionDays: 30, batchSize: 1000, maxBatchesPerTick: 2 });
  t.teardown(() => retention.stop());
  t.equal(await retention.runOnce(now), 2000, 'one tick deletes at most maxBatchesPerTick × batchSize');
  t.equal(await retention.runOnce(now), 500, 'the next tick works off the rest');
  t.equal(await retention.runOnce(now), 0);
  t.equal(countRows(database), 40, 'rows inside the period stay');
});

t.test('0 days keeps everything', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger });
  writer.enqueue({ kind: 'insert', row: sampleRow({ createdAt: 0 }) });
  await writer.close();
  const retention = startRetention({ sqlite: database.sqlite, log: capturedLogger().logger, retentionDays: 0 });
  t.equal(await retention.runOnce(), 0);
  t.equal(countRows(database), 1);
  retention.stop();
});
