import { existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { openDatabase } from '../../../src/db/client.js';
import { tenants } from '../../../src/db/schema.js';
import { runCli, tempDataDir } from '../../helpers/child-gateway.js';

// Each CLI run is a child process that loads the sources through the TypeScript loader.
t.setTimeout(120_000);

t.test('migrate creates and migrates the database, and is idempotent', async (t) => {
  const dataDir = tempDataDir(t);
  const first = await runCli(['migrate', '--data-dir', dataDir]);
  t.equal(first.code, 0, 'exits 0', { stderr: first.stderr });
  t.match(first.stdout, /is up to date/);
  t.ok(existsSync(path.join(dataDir, 'gateway.sqlite')));
  const { db, close } = openDatabase(dataDir);
  t.same(db.select().from(tenants).all(), [], 'the tables exist');
  close();

  const again = await runCli(['migrate'], { GATEWAY_DATA_DIR: dataDir });
  t.equal(again.code, 0, 'again, with the data dir from GATEWAY_DATA_DIR');
});
