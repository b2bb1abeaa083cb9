import t from 'tap';
import { verifyPassword } from '../../../src/admin/passwords.js';
import { buildApp } from '../../../src/app.js';
import { parseEnv } from '../../../src/config/env.js';
import { openDatabase } from '../../../src/db/client.js';
import { adminUsers, tenants } from '../../../src/db/schema.js';
import { runCli, tempDataDir } from '../../helpers/child-gateway.js';

// Each CLI run is a child process that loads the sources through the TypeScript loader.
t.setTimeout(120_000);

t.test('admin create-user writes an argon2-hashed admin the gateway accepts', async (t) => {
  const dataDir = tempDataDir(t);
  const password = 'cli-created-password-42';
  const created = await runCli(['admin', 'create-user', '--username', 'ops', '--password', password, '--role', 'platform_admin', '--data-dir', dataDir]);
  t.equal(created.code, 0, 'exits 0', { stderr: created.stderr });
  t.match(created.stdout, /Created the platform_admin 'ops'/);
  t.notMatch(created.stdout + created.stderr, password, 'the password is not echoed');

  const { db, close } = openDatabase(dataDir);
  const row = db.select().from(adminUsers).all().find((user) => user.username === 'ops');
  t.ok(row, 'the row is there');
  t.not(row?.passwordHash, password, 'not in plain text');
  t.match(row?.passwordHash, /^\$argon2id\$/);
  t.ok(await verifyPassword(row?.passwordHash ?? '', password));
  const tenantId = 'ten_cli0000000000000000000001';
  const now = new Date();
  db.insert(tenants).values({ id: tenantId, name: 'cli-tenant', createdAt: now, updatedAt: now }).run();
  close();

  // From standard input, as a tenant admin of an existing tenant.
  const fromStdin = await runCli(
    ['admin', 'create-user', '--username', 'tenant-ops', '--password-stdin', '--role', 'tenant_admin', '--tenant', tenantId, '--data-dir', dataDir],
    {},
    'stdin-password-0123456\n',
  );
  t.equal(fromStdin.code, 0, 'exits 0', { stderr: fromStdin.stderr });

  // The running gateway accepts both.
  const app = await buildApp({ env: parseEnv({ GATEWAY_DATA_DIR: dataDir, LOG_LEVEL: 'silent', GATEWAY_ADMIN_PASSWORD: 'unused-bootstrap-0123' }), logger: false });
  t.teardown(() => app.close());
  for (const [username, pass] of [
    ['ops', password],
    ['tenant-ops', 'stdin-password-0123456'],
  ] as const) {
    const login = await app.inject({ method: 'POST', url: '/admin/auth/token', payload: { username, password: pass } });
    t.equal(login.statusCode, 200, `${username} can log in`);
  }
});

t.test('admin create-user refuses what the admin API refuses, with exit codes', async (t) => {
  const dataDir = tempDataDir(t);
  const base = ['admin', 'create-user', '--data-dir', dataDir];
  const ok = await runCli([...base, '--username', 'ops', '--password', 'long-enough-password', '--role', 'platform_admin']);
  t.equal(ok.code, 0, 'exits 0', { stderr: ok.stderr });

  // Independent of one another: run side by side.
  const [duplicate, shortPassword, badRole, noTenant, platformWithTenant, unknownTenant, badName] = await Promise.all([
    runCli([...base, '--username', 'ops', '--password', 'long-enough-password', '--role', 'platform_admin']),
    runCli([...base, '--username', 'x', '--password', 'short', '--role', 'platform_admin']),
    runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'root']),
    runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'tenant_admin']),
    runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'platform_admin', '--tenant', 'ten_x']),
    runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'tenant_admin', '--tenant', 'ten_nope']),
    runCli([...base, '--username', 'bad name', '--password', 'long-enough-password', '--role', 'platform_admin']),
  ]);
  t.equal(duplicate.code, 1);
  t.match(duplicate.stderr, /'ops' already exists/);
  t.equal(shortPassword.code, 2);
  t.match(shortPassword.stderr, /12 to 1024 characters/);
  t.equal(badRole.code, 2);
  t.match(badRole.stderr, /--role must be platform_admin or tenant_admin, not 'root'/);
  t.equal(noTenant.code, 2);
  t.match(noTenant.stderr, /needs --tenant/);
  t.equal(platformWithTenant.code, 2);
  t.match(platformWithTenant.stderr, /leave --tenant out/);
  t.equal(unknownTenant.code, 1);
  t.match(unknownTenant.stderr, /ten_nope/);
  t.equal(badName.code, 2);
  t.match(badName.stderr, /--username 'bad name' is not valid/);
});
