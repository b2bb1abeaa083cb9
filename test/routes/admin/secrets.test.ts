import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { buildApp } from '../../../src/app.js';
import { parseEnv } from '../../../src/config/env.js';
import { redactedPaths } from '../../../src/options.js';
import { adminApi, TEST_ADMIN_PASSWORD, type AdminApi, type ConsumerJson, type KeyJson, type TenantJson } from '../../helpers/admin.js';

t.test('key secrets and passwords never reappear: not in responses, logs or the database file', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-secrets-'));
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  // The production logger configuration (redaction included), at its most verbose level.
  const app = await buildApp({
    env: parseEnv({ GATEWAY_DATA_DIR: dataDir, GATEWAY_SECRET_KEY: 'c'.repeat(64), GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: 'trace' }),
    logger: { level: 'trace', stream, redact: { paths: redactedPaths, censor: '[redacted]' } },
  });
  let closed = false;
  t.teardown(async () => {
    if (!closed) await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const login = await adminApi(app).post<{ access_token: string }>('/admin/auth/token', { username: 'admin', password: TEST_ADMIN_PASSWORD });
  const api = adminApi(app, login.body.access_token);
  const tenant = (await api.post<TenantJson>('/admin/tenants', { name: 'acme' })).body;
  const consumer = (await api.post<ConsumerJson>('/admin/consumers', { tenantId: tenant.id, name: 'app' })).body;
  const userPassword = 'tenant-admin-password-xyz';
  await api.post('/admin/users', { username: 'acme-admin', password: userPassword, role: 'tenant_admin', tenantId: tenant.id });

  const keys: KeyJson[] = [];
  for (const name of ['one', 'two', 'three']) keys.push((await api.post<KeyJson>(`/admin/consumers/${consumer.id}/keys`, { name, allowedIps: ['10.0.0.0/8'] })).body);
  const secrets = keys.map((key) => key.key as string);
  t.equal(new Set(secrets).size, 3, 'three distinct secrets');
  // The part after the display prefix is what must never resurface.
  const hiddenParts = keys.map((key) => (key.key as string).slice(key.prefix.length));
  const hashes = keys.map((key) => (app.sqlite.prepare('select hash from api_keys where id = ?').get(key.id) as { hash: string }).hash);

  // Every later read or write of the admin API.
  const tenantApi: AdminApi = adminApi(app, (await adminApi(app).post<{ access_token: string }>('/admin/auth/token', { username: 'acme-admin', password: userPassword })).body.access_token);
  const later: string[] = [];
  for (const caller of [api, tenantApi]) {
    later.push((await caller.get(`/admin/consumers/${consumer.id}/keys`)).text);
    for (const key of keys) later.push((await caller.get(`/admin/keys/${key.id}`)).text);
    later.push((await caller.get('/admin/consumers')).text, (await caller.get('/admin/tenants')).text);
  }
  later.push((await api.patch(`/admin/keys/${keys[0]?.id}`, { rpm: 10 })).text);
  later.push((await api.post(`/admin/keys/${keys[1]?.id}/revoke`)).text);
  later.push((await api.get('/admin/users')).text);
  // The keys in use on the invocation API, whatever it answers today: their headers must not be logged.
  for (const secret of secrets) {
    later.push((await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${secret}` } })).body);
  }
  const laterText = later.join('\n');
  t.ok(laterText.includes(keys[0]?.prefix ?? '?'), 'later responses do show the display prefix');
  for (const [index, hidden] of hiddenParts.entries()) {
    t.notOk(laterText.includes(hidden), `key ${index + 1}: its secret is in no later response`);
    t.notOk(laterText.includes(hashes[index] ?? '?'), `key ${index + 1}: its hash is in no response`);
  }

  const log = logLines.join('');
  t.ok(log.length > 1000, 'the log was captured');
  for (const [index, hidden] of hiddenParts.entries()) {
    t.notOk(log.includes(hidden), `key ${index + 1}: its secret is not in the log`);
    t.notOk(log.includes(hashes[index] ?? '?'), `key ${index + 1}: its hash is not in the log`);
  }
  for (const password of [TEST_ADMIN_PASSWORD, userPassword]) t.notOk(log.includes(password), 'no admin password in the log');
  t.notOk(log.includes(login.body.access_token.split('.')[2] ?? '?'), 'no admin token in the log');

  const scanDataDir = (when: string) => {
    const files = readdirSync(dataDir).filter((name) => name.startsWith('gateway.sqlite'));
    const bytes = Buffer.concat(files.map((name) => readFileSync(path.join(dataDir, name))));
    t.ok(bytes.includes(Buffer.from(hashes[0] ?? '?')), `${when}: the scan reads the right bytes (the hash is there)`);
    for (const [index, hidden] of hiddenParts.entries()) t.notOk(bytes.includes(Buffer.from(hidden)), `${when}: key ${index + 1} secret is not in ${files.join(', ')}`);
    for (const password of [TEST_ADMIN_PASSWORD, userPassword]) t.notOk(bytes.includes(Buffer.from(password)), `${when}: no admin password in plain text`);
    return files;
  };
  app.sqlite.pragma('wal_checkpoint(PASSIVE)');
  t.ok(scanDataDir('after a checkpoint, WAL included').some((name) => name.endsWith('-wal')), 'the WAL file was part of the scan');
  await app.close();
  closed = true;
  scanDataDir('after shutdown');
});
