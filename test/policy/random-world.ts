import type { GatewayDb } from '../../src/db/client.js';
import type { KeyScope, SubscriptionRow } from '../../src/db/schema.js';
import { seedConsumer, seedKey, seedService, seedSubscription, seedTenant } from '../helpers/seed-access.js';

/** mulberry32: a small seeded generator, so a failing world can be rebuilt from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export const randomWorldConfig = `
providers:
  - name: local-mock
    kind: mock
models:
  - { name: chat-a, type: chat, deployments: [{ provider: local-mock, model: a }] }
  - { name: chat-b, type: chat, deployments: [{ provider: local-mock, model: b }] }
  - { name: embed-a, type: embedding, deployments: [{ provider: local-mock, model: e }] }
  - { name: embed-b, type: embedding, deployments: [{ provider: local-mock, model: f }] }
`;

export const WORLD_MODELS = ['chat-a', 'chat-b', 'embed-a', 'embed-b'] as const;
export const NETWORKS = ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32'] as const;
export const CLIENT_IPS = ['10.1.2.3', '192.0.2.10', '2001:db8::5', '198.51.100.1'] as const;
const ALL_SCOPES: KeyScope[] = ['chat', 'embeddings', 'models'];
const SUBSCRIPTION_CHOICES: Array<SubscriptionRow['status'] | null> = [null, null, 'pending', 'approved', 'approved', 'rejected', 'revoked'];

export interface WorldKey {
  id: string;
  secret: string;
  tenantId: string;
  scopes: KeyScope[];
}

/** A random world of tenants, apps, keys, services and subscriptions in every state. */
export function seedRandomWorld(db: GatewayDb, random: () => number) {
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const subset = <T>(items: readonly T[]): T[] => {
    const chosen = items.filter(() => chance(0.5));
    return chosen.length > 0 ? chosen : [pick(items)];
  };

  const services = [0, 1, 2].map((index) => seedService(db, WORLD_MODELS.filter(() => chance(0.5)), { approval: chance(0.5) ? 'auto' : 'manual' }));
  const keys: WorldKey[] = [];
  const tenantIds: string[] = [];
  for (let t = 0; t < 4; t++) {
    // Every world has a suspended tenant (the last), a disabled app and a revoked and an expired
    // key; the rest is left to chance.
    const tenant = seedTenant(db, {
      status: t === 3 || chance(0.15) ? 'suspended' : 'active',
      allowedModels: chance(0.6) ? null : subset(WORLD_MODELS),
      allowedIps: chance(0.75) ? null : subset(NETWORKS),
    });
    tenantIds.push(tenant.id);
    for (let c = 0; c < 2; c++) {
      const consumer = seedConsumer(db, tenant.id, { status: (t === 2 && c === 1) || chance(0.15) ? 'disabled' : 'active' });
      for (const service of services) {
        const status = pick(SUBSCRIPTION_CHOICES);
        if (status !== null) seedSubscription(db, consumer.id, service.id, status);
      }
      for (let k = 0; k < 2; k++) {
        const forced = t === 0 && c === 0 ? [0.05, 0.15][k] : undefined;
        const lifecycle = forced ?? random();
        const scopes = chance(0.6) ? ALL_SCOPES : subset(ALL_SCOPES);
        const key = seedKey(db, consumer.id, {
          status: lifecycle < 0.1 ? 'revoked' : 'active',
          revokedAt: lifecycle < 0.1 ? new Date() : null,
          expiresAt: lifecycle >= 0.1 && lifecycle < 0.2 ? new Date(Date.now() - 3_600_000) : lifecycle >= 0.2 && lifecycle < 0.3 ? new Date(Date.now() + 3_600_000) : null,
          scopes,
          allowedModels: chance(0.7) ? null : subset(WORLD_MODELS),
          allowedIps: chance(0.7) ? null : subset(NETWORKS),
        });
        keys.push({ id: key.row.id, secret: key.secret, tenantId: tenant.id, scopes });
      }
    }
  }
  return { keys, tenantIds };
}
