import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import t, { type Test } from 'tap';
import { databasePath, openDatabase, writeTransaction, type GatewayDb } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';

/**
 * The interleaving behind a 500 once seen in CI: an admin transaction reads, the call-log writer
 * (another connection, on its own thread) commits, then the admin transaction writes. Here the
 * second connection stands in for the writer thread; it refuses to wait (busy_timeout 0), so a
 * lock it cannot take shows at once instead of after the 5 s the gateway's connections wait.
 */
function twoConnections(t: Test): { gateway: GatewayDb; other: GatewayDb } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-write-tx-'));
  const opened = openDatabase(dataDir);
  const otherSqlite = new Database(databasePath(dataDir));
  otherSqlite.pragma('busy_timeout = 0');
  t.teardown(() => {
    otherSqlite.close();
    opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { gateway: opened.db, other: drizzle(otherSqlite, { schema }) };
}

const tenant = (name: string) => ({ id: `ten_${name}`, name, status: 'active' as const, createdAt: new Date(), updatedAt: new Date() });

t.test('a deferred transaction that read before another connection committed cannot write (SQLITE_BUSY), whatever the timeout', async (t) => {
  const { gateway, other } = twoConnections(t);
  let otherCommitted = false;
  t.throws(
    () =>
      gateway.transaction((tx) => {
        tx.select().from(schema.tenants).all();
        other.insert(schema.tenants).values(tenant('from-the-log-writer')).run();
        otherCommitted = true;
        tx.insert(schema.tenants).values(tenant('from-the-admin')).run();
      }),
    { code: /^SQLITE_BUSY/ },
    'the snapshot it read is stale: SQLite refuses rather than waits',
  );
  t.ok(otherCommitted, 'the other connection committed in between; the refused write is the transaction\'s own');
  t.same(
    gateway.select().from(schema.tenants).all().map((row) => row.name),
    ['from-the-log-writer'],
    "the admin's write is lost",
  );
});

t.test('writeTransaction takes the write lock at BEGIN: the other connection waits its turn, and the transaction commits', async (t) => {
  const { gateway, other } = twoConnections(t);
  let otherWasHeldOff = false;
  writeTransaction(gateway, (tx) => {
    tx.select().from(schema.tenants).all();
    try {
      other.insert(schema.tenants).values(tenant('from-the-log-writer')).run();
    } catch (error) {
      otherWasHeldOff = (error as { code?: string }).code === 'SQLITE_BUSY';
    }
    tx.insert(schema.tenants).values(tenant('from-the-admin')).run();
  });
  t.ok(otherWasHeldOff, 'the other writer could not commit in between');
  t.same(
    gateway.select().from(schema.tenants).all().map((row) => row.name),
    ['from-the-admin'],
    "the admin's write landed",
  );
  other.insert(schema.tenants).values(tenant('from-the-log-writer')).run();
  t.equal(gateway.select().from(schema.tenants).all().length, 2, 'and the other writer gets its turn afterwards');
});
