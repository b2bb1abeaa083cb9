import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { ensureFirstAdmin, PASSWORD_FILE_NAME } from '../../src/admin/first-admin.js';
import { buildApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { openDatabase } from '../../src/db/client.js';
import { adminApi, type AdminUserJson, type ListJson } from '../helpers/admin.js';

function tempDir(t: Test): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-bootstrap-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Boots the real app on `dataDir`, capturing its log lines. */
async function boot(dataDir: string, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = await buildApp({
    env: parseEnv({ GATEWAY_DATA_DIR: dataDir, GATEWAY_SECRET_KEY: 'b'.repeat(64), LOG_LEVEL: 'info', ...env }),
    logger: { level: 'info', stream },
  });
  return { app, log: () => lines.join('') };
}

async function login(app: Awaited<ReturnType<typeof boot>>['app'], password: string) {
  return adminApi(app).post<{ access_token: string }>('/admin/auth/token', { username: 'admin', password });
}

t.test('first start without GATEWAY_ADMIN_PASSWORD: a generated password in a 0600 file, kept on later starts', async (t) => {
  const dataDir = tempDir(t);
  const file = path.join(dataDir, PASSWORD_FILE_NAME);

  const first = await boot(dataDir);
  const password = readFileSync(file, 'utf8').trim();
  t.equal(statSync(file).mode & 0o777, 0o600, 'the file is readable by its owner only');
  t.ok(password.length >= 24, 'a strong password');
  t.equal((await login(first.app, password)).status, 200, 'the password in the file works');
  const users = await adminApi(first.app, (await login(first.app, password)).body.access_token).get<ListJson<AdminUserJson>>('/admin/users');
  t.match(users.body.data, [{ username: 'admin', role: 'platform_admin', tenantId: null }]);
  t.match(first.log(), file, 'the log says where the password is');
  t.notMatch(first.log(), password, 'the log never shows the password');
  await first.app.close();

  const before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs };
  const second = await boot(dataDir);
  t.equal(readFileSync(file, 'utf8'), before.text, 'a second start does not overwrite the file');
  t.equal(statSync(file).mtimeMs, before.mtime, 'nor touch it');
  t.notMatch(second.log(), /first platform admin/, 'and creates no admin');
  t.equal((await login(second.app, password)).status, 200, 'the same password still works');
  await second.app.close();
});

t.test('first start with GATEWAY_ADMIN_PASSWORD: that password, no file', async (t) => {
  const dataDir = tempDir(t);
  const password = 'from-the-environment-1';
  const { app, log } = await boot(dataDir, { GATEWAY_ADMIN_PASSWORD: password });
  t.teardown(() => app.close());
  t.equal((await login(app, password)).status, 200);
  t.throws(() => statSync(path.join(dataDir, PASSWORD_FILE_NAME)), { code: 'ENOENT' }, 'no password file');
  t.notMatch(log(), password, 'the log never shows the password');
  t.equal((await login(app, 'wrong-password-here')).status, 401);
});

t.test('ensureFirstAdmin: a no-op once any admin exists; reuses a file left by an earlier start', async (t) => {
  const dataDir = tempDir(t);
  const { db, close } = openDatabase(dataDir);
  t.teardown(close);
  const file = path.join(dataDir, PASSWORD_FILE_NAME);
  writeFileSync(file, 'left-over-password-from-before\n', { mode: 0o644 });

  const created = await ensureFirstAdmin(db, { dataDir, password: undefined });
  t.match(created, { created: true, source: 'file', passwordFile: file });
  t.equal(readFileSync(file, 'utf8'), 'left-over-password-from-before\n', 'the password the operator already has is kept');
  t.equal(statSync(file).mode & 0o777, 0o600, 'and its file tightened to 0600');

  t.same(await ensureFirstAdmin(db, { dataDir, password: 'another-password-1' }), { created: false }, 'a second call changes nothing');
});
