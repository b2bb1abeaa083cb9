import { databasePath, openDatabase } from '../../db/client.js';
import { latestShippedMigration, migrationsApplied } from '../../db/migration-status.js';
import { CliError } from '../cli-error.js';
import type { OptionValues } from '../command-table.js';
import { dataDirFrom } from './offline-database.js';

/** Opening the database applies pending migrations (the server does the same at start). */
export async function migrate(values: OptionValues): Promise<void> {
  const dataDir = dataDirFrom(values);
  const { sqlite, close } = openDatabase(dataDir);
  try {
    if (!migrationsApplied(sqlite, latestShippedMigration())) {
      throw new CliError(`The migrations did not apply to ${databasePath(dataDir)}.`);
    }
  } finally {
    close();
  }
  process.stdout.write(`The database ${databasePath(dataDir)} is up to date.\n`);
}
