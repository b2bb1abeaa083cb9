import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { verifyPassword } from '../../src/admin/passwords.js';
import { buildApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { openDatabase } from '../../src/db/client.js';
import { adminUsers, callLogs, tenants } from '../../src/db/schema.js';
import { runCli } from '../helpers/child-gateway.js';

function tempDataDir(t: Test): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('help, unknown commands and wrong arguments', async (t) => {
  const help = await runCli(['help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /admin create-user --username <name> --password <password> --role/);
  t.match(help.stdout, /why <request-id>/);

  const bare = await runCli([]);
  t.equal(bare.code, 2, 'no command is a usage error');

  const unknown = await runCli(['frobnicate']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /Unknown command 'frobnicate'/);
  t.match(unknown.stderr, /gateway help/);

  const badOption = await runCli(['migrate', '--pending']);
  t.equal(badOption.code, 2, 'an option of another command is refused');
  t.match(badOption.stderr, /gateway migrate: .*--pending/);

  const missing = await runCli(['why']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /gateway why needs <request-id>/);
});

t.test('migrate creates and migrates the database, and is idempotent', async (t) => {
  const dataDir = tempDataDir(t);
  const first = await runCli(['migrate', '--data-dir', dataDir]);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /is up to date/);
  t.ok(existsSync(path.join(dataDir, 'gateway.sqlite')));
  const { db, close } = openDatabase(dataDir);
  t.same(db.select().from(tenants).all(), [], 'the tables exist');
  close();

  const again = await runCli(['migrate'], { GATEWAY_DATA_DIR: dataDir });
  t.equal(again.code, 0, 'again, with the data dir from GATEWAY_DATA_DIR');
});

t.test('admin create-user writes an argon2-hashed admin the gateway accepts', async (t) => {
  const dataDir = tempDataDir(t);
  const password = 'cli-created-password-42';
  const created = await runCli(['admin', 'create-user', '--username', 'ops', '--password', password, '--role', 'platform_admin', '--data-dir', dataDir]);
  t.equal(created.code, 0, created.stderr);
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
  t.equal(fromStdin.code, 0, fromStdin.stderr);

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
  t.equal(ok.code, 0, ok.stderr);

  const duplicate = await runCli([...base, '--username', 'ops', '--password', 'long-enough-password', '--role', 'platform_admin']);
  t.equal(duplicate.code, 1);
  t.match(duplicate.stderr, /'ops' already exists/);

  const shortPassword = await runCli([...base, '--username', 'x', '--password', 'short', '--role', 'platform_admin']);
  t.equal(shortPassword.code, 2);
  t.match(shortPassword.stderr, /12 to 1024 characters/);

  const badRole = await runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'root']);
  t.equal(badRole.code, 2);
  t.match(badRole.stderr, /--role must be platform_admin or tenant_admin, not 'root'/);

  const noTenant = await runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'tenant_admin']);
  t.equal(noTenant.code, 2);
  t.match(noTenant.stderr, /needs --tenant/);

  const platformWithTenant = await runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'platform_admin', '--tenant', 'ten_x']);
  t.equal(platformWithTenant.code, 2);

  const unknownTenant = await runCli([...base, '--username', 'x', '--password', 'long-enough-password', '--role', 'tenant_admin', '--tenant', 'ten_nope']);
  t.equal(unknownTenant.code, 1);
  t.match(unknownTenant.stderr, /ten_nope/);

  const badName = await runCli([...base, '--username', 'bad name', '--password', 'long-enough-password', '--role', 'platform_admin']);
  t.equal(badName.code, 2);
});

t.test('why explains a logged call in words, read-only', async (t) => {
  const dataDir = tempDataDir(t);
  const { db, close } = openDatabase(dataDir);
  db.insert(callLogs)
    .values({
      requestId: 'req_why_denied',
      createdAt: new Date('2025-01-02T03:04:05Z'),
      tenantId: 'ten_a',
      consumerId: 'con_a',
      keyId: 'key_a',
      endpoint: 'chat',
      requestedModel: 'frontier',
      stream: false,
      statusCode: 403,
      outcome: 'denied',
      errorCode: 'subscription_pending',
      layer: 'subscription',
      decisionTrace: [
        { layer: 'auth', outcome: 'pass', detail: 'key key_a (gw-abc123)' },
        { layer: 'model', outcome: 'pass', detail: "'frontier' is enabled" },
        { layer: 'subscription', outcome: 'deny', detail: "subscription sub_1 to service 'frontier-models' is pending approval" },
        { layer: 'limit', outcome: 'skip', detail: 'not reached' },
      ],
      clientIp: '10.0.0.7',
      latencyMs: 3.2,
      attempts: 0,
    })
    .run();
  close();
  const before = statSync(path.join(dataDir, 'gateway.sqlite')).mtimeMs;

  const why = await runCli(['why', 'req_why_denied', '--data-dir', dataDir]);
  t.equal(why.code, 0, why.stderr);
  t.match(why.stdout, /Outcome: denied by the gateway, HTTP 403, subscription_pending at the subscription layer/);
  t.match(why.stdout, /Caller: key key_a, app con_a, tenant ten_a from 10\.0\.0\.7/);
  const steps = why.stdout.split('\n').filter((line) => /^\s+\d+\./.test(line));
  t.same(
    steps.map((line) => line.trim()),
    [
      '1. ✓ auth passed: key key_a (gw-abc123)',
      "2. ✓ model passed: 'frontier' is enabled",
      "3. ✗ subscription DENIED: subscription sub_1 to service 'frontier-models' is pending approval",
      '4. - limit skipped: not reached',
    ],
    'every step, in order, in words',
  );

  const asJson = await runCli(['why', 'req_why_denied', '--json', '--data-dir', dataDir]);
  t.equal(asJson.code, 0);
  t.match(JSON.parse(asJson.stdout), { requestId: 'req_why_denied', errorCode: 'subscription_pending' });

  const unknown = await runCli(['why', 'req_nope', '--data-dir', dataDir]);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /No call with request id 'req_nope' is logged/);

  const noDatabase = await runCli(['why', 'req_x', '--data-dir', path.join(dataDir, 'missing')]);
  t.equal(noDatabase.code, 1);
  t.match(noDatabase.stderr, /There is no gateway database at/);
  t.notOk(existsSync(path.join(dataDir, 'missing')), 'inspection creates nothing');
  t.equal(statSync(path.join(dataDir, 'gateway.sqlite')).mtimeMs, before, 'and changes nothing');
});
