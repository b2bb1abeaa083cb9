import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../src/access/api-key-secret.js';
import { applyGatewayConfig } from '../src/config/apply-gateway-config.js';
import { loadGatewayConfig } from '../src/config/gateway-config.js';
import { openDatabase } from '../src/db/client.js';
import { apiKeys, consumers, serviceModels, services, subscriptions, tenants } from '../src/db/schema.js';
import { createSecretBox } from '../src/secrets/secret-box.js';

export const BENCH_SECRET_KEY = 'b'.repeat(64);

/**
 * A data dir for the gateway under test: one openai-compatible provider pointing at the bench
 * upstream, one model, a service with an approved subscription, and `keyCount` keys in the
 * policy snapshot (the first one is used for the calls).
 */
export interface BenchLimits {
  /** Give the used key and its tenant rpm, tpm and budgets far above what the run can reach, so every limit is checked and counted. */
  limited: boolean;
}

export function prepareGateway(upstreamUrl: string, keyCount: number, options: BenchLimits = { limited: false }): { dataDir: string; configFile: string; apiKey: string } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-bench-'));
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(
    configFile,
    `providers:
  - name: bench-upstream
    kind: openai-compatible
    baseUrl: ${upstreamUrl}/v1
    apiKey: bench-upstream-key
models:
  - name: bench-model
    type: chat
    deployments: [{ provider: bench-upstream, model: bench-upstream }]
    pricing: { input: 0.15, output: 0.6 }
`,
  );
  const { db, close } = openDatabase(dataDir);
  applyGatewayConfig(db, loadGatewayConfig(configFile), createSecretBox(Buffer.from(BENCH_SECRET_KEY, 'hex')));
  const now = new Date();
  let apiKey = '';
  db.transaction((tx) => {
    const tenantLimits = options.limited ? { rpm: 100_000_000, tpm: 1_000_000_000_000, monthlyBudgetUsd: 1_000_000_000 } : {};
    const keyLimits = options.limited ? { rpm: 100_000_000, tpm: 1_000_000_000_000, budgetUsd: 1_000_000_000 } : {};
    tx.insert(tenants).values({ id: 'ten_bench', name: 'bench', status: 'active', ...tenantLimits, createdAt: now, updatedAt: now }).run();
    tx.insert(consumers).values({ id: 'con_bench', tenantId: 'ten_bench', name: 'bench-app', status: 'active', createdAt: now, updatedAt: now }).run();
    tx.insert(services).values({ id: 'svc_bench', name: 'bench', approval: 'auto', createdAt: now, updatedAt: now }).run();
    tx.insert(serviceModels).values({ serviceId: 'svc_bench', modelName: 'bench-model' }).run();
    tx.insert(subscriptions).values({ id: 'sub_bench', consumerId: 'con_bench', serviceId: 'svc_bench', status: 'approved', requestedAt: now, decidedAt: now, decidedBy: 'bench' }).run();
    for (let i = 0; i < keyCount; i += 1) {
      const key = generateApiKey();
      if (i === 0) apiKey = key.secret;
      tx.insert(apiKeys)
        .values({ id: `key_bench${i}`, consumerId: 'con_bench', name: `bench-${i}`, prefix: key.prefix, hash: key.hash, status: 'active', scopes: ['chat', 'embeddings', 'models'], ...(i === 0 ? keyLimits : {}), createdAt: now, updatedAt: now })
        .run();
    }
  });
  close();
  return { dataDir, configFile, apiKey };
}
