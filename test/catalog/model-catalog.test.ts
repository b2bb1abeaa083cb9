import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createMockAdapter } from '../../src/adapters/mock/mock-adapter.js';
import type { AdapterFactory } from '../../src/adapters/types.js';
import { applyGatewayConfig } from '../../src/config/apply-gateway-config.js';
import { parseGatewayConfig } from '../../src/config/gateway-config.js';
import { loadModelCatalog, type CachedAdapter } from '../../src/catalog/model-catalog.js';
import { openDatabase } from '../../src/db/client.js';
import { providers, tenants } from '../../src/db/schema.js';
import { createSecretBox } from '../../src/secrets/secret-box.js';

t.test('a reload keeps the adapter of an unchanged provider and rebuilds a changed one', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'catalog-test-'));
  const { db, close } = openDatabase(dir);
  t.teardown(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });
  const secrets = createSecretBox(Buffer.alloc(32, 1));
  const config = `
providers:
  - { name: a, kind: mock }
  - { name: b, kind: mock }
models:
  - { name: ma, type: chat, deployments: [{ provider: a, model: x }] }
  - { name: mb, type: chat, deployments: [{ provider: b, model: y }] }
`;
  applyGatewayConfig(db, parseGatewayConfig(config, 'test.yaml', {}), secrets);
  let built = 0;
  const counting: AdapterFactory = (settings) => {
    built += 1;
    return createMockAdapter(settings);
  };
  const factories = { mock: counting, openai: counting, 'openai-compatible': counting, anthropic: counting, gemini: counting };
  const adapterCache = new Map<string, CachedAdapter>();
  const load = () => loadModelCatalog({ db, secrets, factories, fetchImage: async () => ({ mimeType: 'image/png', base64: '' }), adapterCache });

  const first = load();
  t.equal(built, 2);
  const now = new Date();
  db.insert(tenants).values({ id: 'ten_x', name: 'x', createdAt: now, updatedAt: now }).run();
  const second = load();
  t.equal(built, 2, 'an unrelated write builds no adapter');
  t.equal(second.find('ma')?.deployments[0]?.adapter, first.find('ma')?.deployments[0]?.adapter, 'the same adapter instance');

  db.update(providers).set({ options: { reply: 'changed' } }).where(eq(providers.name, 'b')).run();
  const third = load();
  t.equal(built, 3, 'only the changed provider is rebuilt');
  t.equal(third.find('ma')?.deployments[0]?.adapter, first.find('ma')?.deployments[0]?.adapter);
  t.not(third.find('mb')?.deployments[0]?.adapter, first.find('mb')?.deployments[0]?.adapter);
});
