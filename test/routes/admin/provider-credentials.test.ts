import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { buildApp } from '../../../src/app.js';
import { parseEnv } from '../../../src/config/env.js';
import { databasePath } from '../../../src/db/client.js';
import { providers } from '../../../src/db/schema.js';
import { redactedPaths } from '../../../src/options.js';
import { adminApi, TEST_ADMIN_PASSWORD } from '../../helpers/admin.js';
import { steadyEnv } from '../../helpers/catalog-gateway.js';

t.test('a provider credential is never in a response, the log or the database file in plain text', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-credentials-'));
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  // The production logger configuration (redaction included), at its most verbose level.
  const app = await buildApp({
    env: parseEnv({ GATEWAY_DATA_DIR: dataDir, GATEWAY_SECRET_KEY: 'd'.repeat(64), GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: 'trace', ...steadyEnv }),
    logger: { level: 'trace', stream, redact: { paths: redactedPaths, censor: '[redacted]' } },
  });
  const variable = 'CREDENTIAL_TEST_VAULT_API_KEY';
  t.teardown(async () => {
    delete process.env[variable];
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const secret = () => `sk-test-${randomBytes(18).toString('hex')}`;
  const [created, patched, fromConfig] = [secret(), secret(), secret()];
  process.env[variable] = fromConfig;

  const login = await adminApi(app).post<{ access_token: string }>('/admin/auth/token', { username: 'admin', password: TEST_ADMIN_PASSWORD });
  const token = login.body.access_token;
  const api = adminApi(app, token);
  const responses: string[] = [];
  const record = <T extends { text: string }>(response: T): T => {
    responses.push(response.text);
    return response;
  };

  const provider = record(await api.post<{ id: string; hasCredential: boolean }>('/admin/providers', { name: 'vault', kind: 'mock', apiKey: created }));
  t.equal(provider.status, 201);
  t.equal(provider.body.hasCredential, true);
  const id = provider.body.id;
  record(await api.get('/admin/providers'));
  record(await api.get(`/admin/providers/${id}`));
  record(await api.post('/admin/models', { name: 'vault-chat', type: 'chat', deployments: [{ provider: 'vault', model: 'm' }] }));
  record(await api.patch(`/admin/providers/${id}`, { apiKey: patched }));
  t.equal(app.secrets.open(app.db.select().from(providers).all().find((row) => row.id === id)?.credential ?? ''), patched, 'stored sealed: it opens to the new credential');

  const exported = await app.inject({ method: 'GET', url: '/admin/config', headers: { authorization: `Bearer ${token}` } });
  responses.push(exported.body);
  t.match(exported.body, /apiKey: \$\{VAULT_API_KEY\}/, 'the export carries a placeholder');

  const file = `providers:\n  - name: vault\n    kind: mock\n    apiKey: \${${variable}}\nmodels:\n  - name: vault-chat\n    type: chat\n    deployments: [{ provider: vault, model: m }]\n`;
  const preview = record(await api.post<{ items: Array<{ name: string; changes?: Array<{ field: string; from: unknown; to: unknown }> }> }>('/admin/config/preview', { yaml: file }));
  t.match(preview.body.items[0], { name: 'vault', changes: [{ field: 'apiKey', from: '(stored)', to: '(new)' }] }, 'the diff says the credential changes, not what to');
  record(await api.post('/admin/config/apply', { yaml: file }));
  t.equal(app.secrets.open(app.db.select().from(providers).all().find((row) => row.id === id)?.credential ?? ''), fromConfig, 'the file credential is stored');
  record(await api.get(`/admin/providers/${id}`));
  responses.push((await app.inject({ method: 'GET', url: '/openapi.json' })).body);

  const everything = responses.join('\n');
  const log = logLines.join('');
  t.ok(log.length > 1000, 'the log was captured');
  // Flush the WAL into the main file, then read every byte the database keeps.
  app.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const dbFile = databasePath(dataDir);
  const bytes = Buffer.concat([readFileSync(dbFile), ...['-wal', '-shm'].filter((suffix) => existsSync(dbFile + suffix)).map((suffix) => readFileSync(dbFile + suffix))]);
  for (const [label, value] of [['created', created], ['patched', patched], ['from the config', fromConfig]] as const) {
    t.notOk(everything.includes(value), `the ${label} credential is in no response`);
    t.notOk(log.includes(value), `the ${label} credential is not in the log`);
    t.equal(bytes.indexOf(Buffer.from(value)), -1, `the ${label} credential is not in the database file`);
  }
});
