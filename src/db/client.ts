import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectRoot } from '../project-root.js';
import * as schema from './schema.js';

export type GatewayDb = BetterSQLite3Database<typeof schema>;

export interface OpenDatabase {
  db: GatewayDb;
  sqlite: Database.Database;
  close(): void;
}

export const migrationsFolder = path.join(projectRoot, 'migrations');

export function databasePath(dataDir: string): string {
  return path.join(dataDir, 'gateway.sqlite');
}

/** Opens the embedded SQLite database in WAL mode and applies pending migrations. */
export function openDatabase(dataDir: string): OpenDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const sqlite = new Database(databasePath(dataDir));
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * A write transaction that takes SQLite's write lock at BEGIN (IMMEDIATE). A deferred one that
 * reads first and writes later fails with SQLITE_BUSY when the call-log writer thread committed in
 * between, and busy_timeout cannot help it; an immediate one waits for the lock instead.
 */
export function writeTransaction<T>(db: GatewayDb, work: (tx: Parameters<Parameters<GatewayDb['transaction']>[0]>[0]) => T): T {
  return db.transaction(work, { behavior: 'immediate' });
}
