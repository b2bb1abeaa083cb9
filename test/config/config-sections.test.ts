import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { planGatewayConfig } from '../../src/config/apply-gateway-config.js';
import { parseEnv } from '../../src/config/env.js';
import { ConfigError, parseGatewayConfig } from '../../src/config/gateway-config.js';
import { adminApi, TEST_ADMIN_PASSWORD } from '../helpers/admin.js';
import { steadyEnv } from '../helpers/catalog-gateway.js';

const fullConfig = `
providers:
  - name: local-mock
    kind: mock
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: local-mock, model: mock-1 }]
tenants:
  - name: acme
    rpm: 100
    allowedIps: [10.1.2.0/24, "2001:DB8::/32"]
consumers:
  - { tenant: acme, name: web }
  - { tenant: acme, name: batch, status: disabled }
services:
  - { name: basic, approval: auto, models: [mock-chat] }
  - { name: later }
subscriptions:
  - { tenant: acme, consumer: web, service: basic }
`;

t.test('the new sections are checked: every name they refer to is declared in the file', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['consumers: [{ tenant: ghost, name: c }]', /consumers\[0\]\.tenant: no tenant named 'ghost' in this file/],
    ['tenants: [{ name: a }, { name: a }]', /tenants\[1\]\.name: duplicate tenant 'a'/],
    ['tenants: [{ name: a, allowedIps: [10.0.0.1/8] }]', /tenants\[0\]\.allowedIps\[0\]: '10\.0\.0\.1\/8' is not a valid CIDR block/],
    ['tenants: [{ name: a, rpm: 0 }]', /tenants\[0\]\.rpm: expected a positive number/],
    ['tenants: [{ name: a }]\nconsumers: [{ tenant: a, name: c }, { tenant: a, name: c }]', /consumers\[1\]\.name: duplicate consumer 'c' in tenant 'a'/],
    ['services: [{ name: s, models: [ghost] }]', /services\[0\]\.models\[0\]: no model named 'ghost' in this file/],
    ['services: [{ name: s, approval: maybe }]', /services\[0\]\.approval/],
    ['services: [{ name: s }]\nsubscriptions: [{ tenant: a, consumer: c, service: s }]', /subscriptions\[0\]\.consumer: no consumer 'c' of tenant 'a' in this file/],
    ['tenants: [{ name: a }]\nconsumers: [{ tenant: a, name: c }]\nsubscriptions: [{ tenant: a, consumer: c, service: s }]', /subscriptions\[0\]\.service: no service named 's' in this file/],
    ['subscriptions: [{ tenant: a, consumer: c, service: s, status: revoked }]', /subscriptions\[0\]/],
    ['keys: []', /\(root\): Unrecognized key/],
  ];
  for (const [text, message] of cases) {
    t.throws(() => parseGatewayConfig(text, 'gw.yaml', {}), ConfigError, text);
    t.throws(() => parseGatewayConfig(text, 'gw.yaml', {}), { message }, text);
  }
  const parsed = parseGatewayConfig(fullConfig, 'gw.yaml', {});
  t.same(parsed.tenants[0]?.allowedIps, ['10.1.2.0/24', '2001:db8::/32'], 'CIDR blocks in canonical form');
  t.same(parsed.services[1], { name: 'later', models: [] });
});

t.test('applied at boot, matched by name, idempotent across restarts; API objects left alone', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-config-boot-'));
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(configFile, fullConfig);
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = parseEnv({ GATEWAY_DATA_DIR: dataDir, GATEWAY_CONFIG: configFile, GATEWAY_SECRET_KEY: 'e'.repeat(64), GATEWAY_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: 'silent', ...steadyEnv });
  const boot = async () => {
    const app = await buildApp({ env, logger: false });
    const login = await adminApi(app).post<{ access_token: string }>('/admin/auth/token', { username: 'admin', password: TEST_ADMIN_PASSWORD });
    return { app, api: adminApi(app, login.body.access_token) };
  };

  const first = await boot();
  const tenants = (await first.api.get<{ data: Array<{ id: string; name: string; rpm: number; allowedIps: string[]; updatedAt: string }> }>('/admin/tenants')).body.data;
  t.match(tenants, [{ name: 'acme', rpm: 100, allowedIps: ['10.1.2.0/24', '2001:db8::/32'] }]);
  const consumers = (await first.api.get<{ data: Array<{ id: string; name: string; status: string }> }>('/admin/consumers')).body.data;
  // Created in one transaction, so in no particular order: compare by name.
  const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
  t.match(byName(consumers), [{ name: 'batch', status: 'disabled' }, { name: 'web', status: 'active' }]);
  const services = (await first.api.get<{ data: Array<{ id: string; name: string; approval: string; models: string[] }> }>('/admin/services')).body.data;
  t.match(byName(services), [{ name: 'basic', approval: 'auto', models: ['mock-chat'] }, { name: 'later', approval: 'manual', models: [] }]);
  const subscriptions = (await first.api.get<{ data: Array<{ id: string; status: string; requestedBy: string; decidedBy: string }> }>('/admin/subscriptions')).body.data;
  t.match(subscriptions, [{ status: 'approved', requestedBy: 'system:config-file', decidedBy: 'system:config-file' }]);
  const apiService = (await first.api.post<{ id: string }>('/admin/services', { name: 'made-through-the-api' })).body;
  await first.app.close();

  const second = await boot();
  t.teardown(() => second.app.close());
  t.same((await second.api.get<{ data: unknown[] }>('/admin/tenants')).body.data, tenants, 'same ids, untouched (updatedAt unchanged)');
  t.same((await second.api.get<{ data: unknown[] }>('/admin/consumers')).body.data, consumers);
  t.same((await second.api.get<{ data: Array<{ id: string }> }>('/admin/subscriptions')).body.data, subscriptions, 'no second subscription');
  t.ok((await second.api.get<{ data: Array<{ id: string }> }>('/admin/services')).body.data.some((service) => service.id === apiService.id), 'an object the file does not mention is left alone');
  const plan = planGatewayConfig(second.app.db, parseGatewayConfig(fullConfig, configFile, {}), second.app.secrets);
  t.match(plan, { changed: false, summary: { create: 0, update: 0, unchanged: 8 } });
});
