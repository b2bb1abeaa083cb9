import OpenAI from 'openai';
import { eq } from 'drizzle-orm';
import type { GatewayDb } from '../../src/db/client.js';
import { serviceModels } from '../../src/db/schema.js';
import { seedConsumer, seedKey, seedService, seedSubscription, seedTenant, type SeededKey } from '../helpers/seed-access.js';

/** Four mock models; `mock-orphan` is in no service. */
export const matrixConfig = `
providers:
  - name: local-mock
    kind: mock
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: local-mock, model: mock-1 }]
  - name: mock-chat-2
    type: chat
    deployments: [{ provider: local-mock, model: mock-2 }]
  - name: mock-embed
    type: embedding
    deployments: [{ provider: local-mock, model: mock-embed-1 }]
  - name: mock-orphan
    type: chat
    deployments: [{ provider: local-mock, model: mock-3 }]
`;

/**
 * The gateway trusts the loopback proxy, so a test chooses its client IP with X-Forwarded-For.
 * Load shedding is off: on a busy machine a 503 would stand in for the denial under test.
 */
export const trustLoopback = { GATEWAY_TRUSTED_PROXIES: '127.0.0.1/32', GATEWAY_MAX_EVENT_LOOP_DELAY_MS: '0' };

export const OUTSIDE_IP = '198.51.100.7';
export const KEY_NETWORK = '203.0.113.0/24';
export const TENANT_NETWORK = '2001:db8::/32';

/** One world with a caller for every row of the catalogue's access layers. */
export function seedMatrixWorld(db: GatewayDb) {
  // startGateway's caller (when a test seeded it) has a service of every model: take the orphan out.
  db.delete(serviceModels).where(eq(serviceModels.modelName, 'mock-orphan')).run();
  const everything = seedService(db, ['mock-chat', 'mock-chat-2', 'mock-embed'], { name: 'everything' });
  const chatOnly = seedService(db, ['mock-chat'], { name: 'frontier-models' });

  const acme = seedTenant(db, { name: 'acme' });
  const app = seedConsumer(db, acme.id, { name: 'acme-app' });
  seedSubscription(db, app.id, everything.id, 'approved');
  const key = (fields: Parameters<typeof seedKey>[2] = {}): SeededKey => seedKey(db, app.id, fields);

  const restricted = seedTenant(db, { name: 'restricted', allowedModels: ['mock-embed'], allowedIps: [TENANT_NETWORK] });
  const restrictedApp = seedConsumer(db, restricted.id, { name: 'restricted-app' });
  seedSubscription(db, restrictedApp.id, everything.id, 'approved');

  const suspended = seedTenant(db, { name: 'suspended-co', status: 'suspended' });
  const suspendedApp = seedConsumer(db, suspended.id, { name: 'suspended-app' });
  const pendingAtSuspended = seedSubscription(db, suspendedApp.id, chatOnly.id, 'pending');

  const disabledApp = seedConsumer(db, acme.id, { name: 'disabled-app', status: 'disabled' });

  const subscriber = (name: string, status: 'pending' | 'rejected' | 'revoked' | null, reason: string | null = null) => {
    const consumer = seedConsumer(db, acme.id, { name });
    const subscription = status === null ? null : seedSubscription(db, consumer.id, chatOnly.id, status, { reason });
    return { consumer, subscription, key: seedKey(db, consumer.id) };
  };

  const past = new Date(Date.now() - 60_000);
  return {
    services: { everything, chatOnly },
    tenants: { acme, restricted, suspended },
    consumers: { app, restrictedApp, suspendedApp, disabledApp },
    keys: {
      ok: key(),
      revoked: key({ status: 'revoked', revokedAt: past }),
      expired: key({ expiresAt: past }),
      embedOnly: key({ scopes: ['embeddings'] }),
      keyModels: key({ allowedModels: ['mock-embed'] }),
      keyIps: key({ allowedIps: [KEY_NETWORK] }),
      restricted: seedKey(db, restrictedApp.id),
      suspended: seedKey(db, suspendedApp.id),
      disabled: seedKey(db, disabledApp.id),
    },
    pendingAtSuspended,
    noSubscription: subscriber('no-subscription-app', null),
    pending: subscriber('pending-app', 'pending'),
    rejected: subscriber('rejected-app', 'rejected', 'budget review'),
    revokedSubscription: subscriber('revoked-sub-app', 'revoked'),
  };
}

export type MatrixWorld = ReturnType<typeof seedMatrixWorld>;

/** An openai SDK client with a chosen key (null: no key at all) and client IP. */
export function sdkClient(baseURL: string, apiKey: string | null, ip?: string): OpenAI {
  const headers: Record<string, string | null> = {};
  if (apiKey === null) headers.Authorization = null;
  if (ip !== undefined) headers['x-forwarded-for'] = ip;
  return new OpenAI({ apiKey: apiKey ?? 'unused', baseURL, maxRetries: 0, timeout: 20_000, defaultHeaders: headers });
}
