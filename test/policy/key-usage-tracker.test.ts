import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { openDatabase } from '../../src/db/client.js';
import { apiKeys } from '../../src/db/schema.js';
import { KeyUsageTracker } from '../../src/policy/key-usage-tracker.js';
import { startGateway } from '../helpers/gateway.js';
import { seedConsumer, seedKey, seedTenant } from '../helpers/seed-access.js';

t.test('last_used_at is written in batches, never backwards', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'key-usage-'));
  const { db, sqlite, close } = openDatabase(dir);
  t.teardown(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });
  const consumer = seedConsumer(db, seedTenant(db).id);
  const a = seedKey(db, consumer.id);
  const b = seedKey(db, consumer.id);
  const lastUsed = (id: string) => db.select().from(apiKeys).where(eq(apiKeys.id, id)).get()?.lastUsedAt?.getTime() ?? null;
  const tracker = new KeyUsageTracker(sqlite);

  tracker.touch(a.row.id, 1_000);
  tracker.touch(a.row.id, 2_000);
  t.equal(lastUsed(a.row.id), null, 'nothing written per call');
  t.equal(tracker.pendingKeys, 1);
  tracker.flush();
  t.equal(lastUsed(a.row.id), 2_000, 'the latest time, once');
  t.equal(lastUsed(b.row.id), null, 'an unused key is untouched');
  t.equal(tracker.pendingKeys, 0);
  tracker.touch(a.row.id, 1_500);
  tracker.flush();
  t.equal(lastUsed(a.row.id), 2_000, 'an older time never overwrites a newer one');
  close();
  t.doesNotThrow(() => {
    tracker.touch(b.row.id, 3_000);
    tracker.flush();
  }, 'a closed database is skipped (shutdown)');
});

t.test('a live call marks its key as used at the next flush, not on the call path', async (t) => {
  const gw = await startGateway(t);
  const before = Date.now();
  await gw.client().models.list();
  const lastUsed = () => gw.app.db.select().from(apiKeys).where(eq(apiKeys.id, gw.caller.keyId)).get()?.lastUsedAt ?? null;
  t.equal(lastUsed(), null, 'not written on the call path');
  gw.app.accessPolicy.flushKeyUsage();
  t.ok((lastUsed()?.getTime() ?? 0) >= before, 'written by the flush');
});
