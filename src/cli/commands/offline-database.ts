import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { databasePath } from '../../db/client.js';
import * as schema from '../../db/schema.js';
import { CliError } from '../cli-error.js';
import { stringOption, type OptionValues } from '../command-table.js';

/** --data-dir, else GATEWAY_DATA_DIR, else ./data: the same default as the server. */
export function dataDirFrom(values: OptionValues, env: NodeJS.ProcessEnv = process.env): string {
  return stringOption(values, 'data-dir') ?? (env.GATEWAY_DATA_DIR || './data');
}

/** Opens an existing database read-only: inspection must never change (or create) it. */
export function openReadOnly(dataDir: string): { db: BetterSQLite3Database<typeof schema>; close(): void } {
  const file = databasePath(dataDir);
  if (!existsSync(file)) {
    throw new CliError(`There is no gateway database at ${file}. Pass --data-dir (or set GATEWAY_DATA_DIR) to the gateway's data directory.`);
  }
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return { db: drizzle(sqlite, { schema }), close: () => sqlite.close() };
}
