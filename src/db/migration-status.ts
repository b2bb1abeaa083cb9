import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrationsFolder } from './client.js';

/** The timestamp of the newest migration shipped with this build (drizzle's journal `when`). */
export function latestShippedMigration(folder: string = migrationsFolder): number {
  return readMigrationFiles({ migrationsFolder: folder }).reduce((latest, migration) => Math.max(latest, migration.folderMillis), 0);
}

/**
 * True when the database holds every shipped migration. drizzle records each applied migration
 * in `__drizzle_migrations` with the migration's timestamp, and applies in timestamp order.
 */
export function migrationsApplied(sqlite: Database.Database, latestShipped: number): boolean {
  try {
    const row = sqlite.prepare('select max(created_at) as latest from __drizzle_migrations').get() as { latest: number | null } | undefined;
    return row?.latest !== null && row?.latest !== undefined && Number(row.latest) >= latestShipped;
  } catch {
    // No table at all: nothing was ever applied.
    return false;
  }
}
