import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { buildApp } from '../../../src/app.js';
import { parseEnv } from '../../../src/config/env.js';
import { platformAdmin, startAdminGateway } from '../../helpers/admin.js';

interface ProviderJson {
  id: string;
  warnings: string[];
}

t.test('the admin API accepts a base URL one segment off, and says what is likely wrong with it until it is fixed', async (t) => {
  const gw = await startAdminGateway(t);
  const api = await platformAdmin(gw);
  const created = await api.post<ProviderJson>('/admin/providers', { name: 'claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com/v1', apiKey: 'sk-ant-test' });
  t.equal(created.status, 201, 'accepted: a proxy may live under a path of its own');
  t.equal(created.body.warnings.length, 1);
  t.match(created.body.warnings[0], /https:\/\/api\.anthropic\.com\/v1\/v1\/messages/);
  const listed = await api.get<{ data: ProviderJson[] }>('/admin/providers');
  t.same(listed.body.data.find((p) => p.id === created.body.id)?.warnings, created.body.warnings, 'every read says it again');
  const fixed = await api.patch<ProviderJson>(`/admin/providers/${created.body.id}`, { baseUrl: 'https://api.anthropic.com' });
  t.same(fixed.body.warnings, [], 'a right base URL: no warning');

  const preview = await api.post<{ items: Array<{ kind: string; name: string; warnings?: string[] }> }>('/admin/config/preview', {
    yaml: 'providers:\n  - name: local\n    kind: openai-compatible\n    baseUrl: http://127.0.0.1:11434\n',
  });
  t.equal(preview.status, 200);
  const item = preview.body.items.find((i) => i.kind === 'provider' && i.name === 'local');
  t.match(item?.warnings?.[0], /no version path.*http:\/\/127\.0\.0\.1:11434\/chat\/completions/, 'the config preview says it before anything is applied');
});

t.test('at boot, the log warns of every provider whose base URL looks wrong for its kind', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-base-url-'));
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(configFile, 'providers:\n  - name: gem\n    kind: gemini\n    baseUrl: https://generativelanguage.googleapis.com/v1beta\n  - name: fine\n    kind: openai\n    baseUrl: https://api.openai.com/v1\n');
  const lines: Array<{ level: number; msg: string; provider?: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string; provider?: string });
      done();
    },
  });
  const app = await buildApp({
    env: parseEnv({ GATEWAY_DATA_DIR: dataDir, GATEWAY_CONFIG: configFile, GATEWAY_SECRET_KEY: 'e'.repeat(64), GATEWAY_ADMIN_PASSWORD: 'base-url-password-1', LOG_LEVEL: 'info' }),
    logStream: stream,
  });
  t.teardown(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  await app.ready();
  const warnings = lines.filter((line) => line.level === 40 && line.provider !== undefined);
  t.same(warnings.map((line) => line.provider), ['gem'], 'one warning, for the provider that needs it');
  t.match(warnings[0]?.msg, /googleapis\.com\/v1beta\/v1beta\/models/);
});
