import { randomUUID } from 'node:crypto';
import { generateApiKey } from '../../src/access/api-key-secret.js';
import type { GatewayDb } from '../../src/db/client.js';
import { apiKeys, consumers, serviceModels, services, subscriptions, tenants } from '../../src/db/schema.js';

export interface SeededCaller {
  tenantId: string;
  consumerId: string;
  keyId: string;
  /** The key's secret, for `Authorization: Bearer`. */
  key: string;
}

const id = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 24)}`;

/**
 * A caller allowed every step of the decision chain for `models` (which must already be in the
 * database): an active tenant, app and key, and an approved subscription to a service of those
 * models. Written straight to the database, so it works whichever admin routes exist; a running
 * gateway must be told with `stateChanged()`.
 */
export function seedCaller(db: GatewayDb, models: string[] = ['mock-chat', 'mock-embed']): SeededCaller {
  const now = new Date();
  const tenantId = id('ten');
  const consumerId = id('con');
  const keyId = id('key');
  const serviceId = id('svc');
  const secret = generateApiKey();
  db.transaction((tx) => {
    tx.insert(tenants).values({ id: tenantId, name: `tenant-${tenantId}`, createdAt: now, updatedAt: now }).run();
    tx.insert(consumers).values({ id: consumerId, tenantId, name: 'app', createdAt: now, updatedAt: now }).run();
    tx.insert(apiKeys)
      .values({ id: keyId, consumerId, name: 'seeded', prefix: secret.prefix, hash: secret.hash, scopes: ['chat', 'embeddings', 'models'], createdAt: now, updatedAt: now })
      .run();
    tx.insert(services).values({ id: serviceId, name: `service-${serviceId}`, approval: 'auto', createdAt: now, updatedAt: now }).run();
    for (const modelName of models) tx.insert(serviceModels).values({ serviceId, modelName }).run();
    tx.insert(subscriptions).values({ id: id('sub'), consumerId, serviceId, status: 'approved', requestedAt: now, decidedAt: now, decidedBy: 'test' }).run();
  });
  return { tenantId, consumerId, keyId, key: secret.secret };
}
