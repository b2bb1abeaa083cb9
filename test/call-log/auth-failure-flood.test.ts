import { randomBytes } from 'node:crypto';
import t from 'tap';
import { AuthFailureSampler, clientNetwork, isUnauthenticatedFailure } from '../../src/call-log/auth-failure-sampler.js';
import { CallLogWriter } from '../../src/call-log/call-log-writer.js';
import { openDatabase } from '../../src/db/client.js';
import { startGateway } from '../helpers/gateway.js';
import { capturedLogger, countRows, sampleRow, tempDatabase } from './call-log-fixtures.js';

const MINUTE = 60_000;
const minuteStart = Math.floor(Date.now() / MINUTE) * MINUTE;

/** A 401 of the auth layer, as the recorder builds it for a random key. */
const unauthenticated = (clientIp: string, createdAt: number) =>
  sampleRow({ clientIp, createdAt, statusCode: 401, outcome: 'denied', errorCode: 'invalid_api_key', layer: 'auth', requestedModel: null, provider: null, upstreamModel: null, promptTokens: null, completionTokens: null, costUsd: null, attempts: 0 });

/** What the recorder does with each row. */
function record(sampler: AuthFailureSampler, writer: CallLogWriter, row: ReturnType<typeof sampleRow>): void {
  if (isUnauthenticatedFailure(row) && !sampler.admit(row)) return;
  writer.enqueue({ kind: 'insert', row });
}

t.test('a scanner with random keys gets one row per client and minute, carrying the count', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000 });
  const sampler = new AuthFailureSampler((write) => writer.enqueue(write));

  // 5000 failures from one scanner over two minutes, 300 from a second client in the first minute.
  for (let i = 0; i < 3000; i += 1) record(sampler, writer, unauthenticated('203.0.113.7', minuteStart + (i % 59_000)));
  for (let i = 0; i < 300; i += 1) record(sampler, writer, unauthenticated('198.51.100.2', minuteStart + i));
  for (let i = 0; i < 2000; i += 1) record(sampler, writer, unauthenticated('203.0.113.7', minuteStart + MINUTE + (i % 59_000)));
  t.equal(writer.stats.queueDepth, 3, 'three rows queued for 5300 failures');
  t.equal(sampler.suppressed, 5297);

  sampler.closeMinutes(minuteStart + MINUTE + 1);
  t.equal(sampler.openBuckets, 1, 'the first minute closed; the second is still counting');
  sampler.closeMinutes(Number.POSITIVE_INFINITY);
  await writer.close();

  const rows = database.sqlite.prepare('select client_ip, created_at, sampled_count from call_logs order by seq').all() as { client_ip: string; created_at: number; sampled_count: number }[];
  t.same(
    rows.map((row) => [row.client_ip, Math.floor((row.created_at - minuteStart) / MINUTE), row.sampled_count]),
    [
      ['203.0.113.7', 0, 3000],
      ['198.51.100.2', 0, 300],
      ['203.0.113.7', 1, 2000],
    ],
  );
  const total = database.sqlite.prepare('select sum(sampled_count) as n from call_logs').get() as { n: number };
  t.equal(total.n, 5300, 'the counts still add up to every call');
});

t.test('rotating IPv6 addresses inside one /64 count as one client', async (t) => {
  t.equal(clientNetwork('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  t.equal(clientNetwork('2001:0db8:0001:0002:ffff:0:0:9'), '2001:db8:1:2::/64');
  t.equal(clientNetwork('::ffff:192.0.2.1'), '::ffff:192.0.2.1', 'IPv4-mapped addresses stay per address');
  t.equal(clientNetwork('192.0.2.1'), '192.0.2.1');
  t.equal(clientNetwork(null), 'unknown');

  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000 });
  const sampler = new AuthFailureSampler((write) => writer.enqueue(write));
  for (let i = 0; i < 1000; i += 1) record(sampler, writer, unauthenticated(`2001:db8:1:2:${randomBytes(2).toString('hex')}::${i.toString(16)}`, minuteStart));
  sampler.closeMinutes(Number.POSITIVE_INFINITY);
  await writer.close();
  t.equal(countRows(database), 1);
});

t.test('memory stays bounded when every failure comes from a new address', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000 });
  const sampler = new AuthFailureSampler((write) => writer.enqueue(write), 100);
  for (let i = 0; i < 5000; i += 1) record(sampler, writer, unauthenticated(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, minuteStart));
  t.equal(sampler.openBuckets, 101, 'maxBuckets clients plus one shared overflow bucket');
  sampler.closeMinutes(Number.POSITIVE_INFINITY);
  await writer.close();
  t.equal(countRows(database), 101, 'rows bounded by the bucket cap, not by the scanner');
  const total = database.sqlite.prepare('select sum(sampled_count) as n from call_logs').get() as { n: number };
  t.equal(total.n, 5000);
});

t.test('other failures are never sampled: every one keeps its row', async (t) => {
  const database = tempDatabase(t);
  const writer = new CallLogWriter({ sqlite: database.sqlite, log: capturedLogger().logger, flushIntervalMs: 60_000 });
  const sampler = new AuthFailureSampler((write) => writer.enqueue(write));
  for (let i = 0; i < 50; i += 1) {
    record(sampler, writer, sampleRow({ clientIp: '203.0.113.7', statusCode: 403, outcome: 'denied', errorCode: 'ip_not_allowed', layer: 'ip' }));
    record(sampler, writer, sampleRow({ clientIp: '203.0.113.7', statusCode: 401, outcome: 'error', errorCode: 'admin_token_missing', layer: 'admin' }));
  }
  await writer.close();
  t.equal(countRows(database), 100);
});

t.test('through the gateway: a flood of random keys leaves one row per minute with the count', async (t) => {
  const gw = await startGateway(t);
  const flood = 300;
  for (let i = 0; i < flood; i += 1) {
    const response = await gw.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer gw-${randomBytes(24).toString('base64url')}` },
      payload: { model: 'mock-chat', messages: [{ role: 'user', content: 'let me in' }] },
    });
    if (response.statusCode !== 401) t.fail(`expected 401, got ${response.statusCode}: ${response.body}`);
  }
  t.ok(gw.app.callLog.stats.suppressedAuthFailures >= flood - 2, 'the later failures were only counted');
  // Closing ends the open minutes (their counts are written) and flushes.
  const dataDir = gw.dataDir;
  await gw.app.close();
  const database = openDatabase(dataDir);
  t.teardown(() => database.close());
  const rows = database.sqlite.prepare('select error_code, layer, outcome, sampled_count from call_logs').all() as { sampled_count: number }[];
  t.ok(rows.length >= 1 && rows.length <= 2, `one row per minute the flood spanned (${rows.length})`);
  t.equal(rows.reduce((sum, row) => sum + row.sampled_count, 0), flood, 'the counts add up to every refused call');
  t.match(rows[0], { error_code: 'invalid_api_key', layer: 'auth', outcome: 'denied' });
});
