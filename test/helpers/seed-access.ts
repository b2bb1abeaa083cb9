import { generateApiKey } from '../../src/access/api-key-secret.js';
import type { GatewayDb } from '../../src/db/client.js';
import { apiKeys, consumers, models, serviceModels, services, subscriptions, tenants } from '../../src/db/schema.js';
import type { ApiKeyRow, ConsumerRow, ServiceRow, SubscriptionRow, TenantRow } from '../../src/db/schema.js';
import { newId } from '../../src/ids.js';

/**
 * Worlds of tenants, apps, keys, services and subscriptions written straight to the database
 * (whichever admin routes exist). A running gateway must then be told: `app.stateChanged()`.
 */

let sequence = 0;
const unique = (base: string) => `${base}-${++sequence}-${newId('x').slice(2, 10)}`;

export function seedTenant(db: GatewayDb, fields: Partial<Omit<TenantRow, 'createdAt' | 'updatedAt'>> = {}): TenantRow {
  const now = new Date();
  return db
    .insert(tenants)
    .values({ id: newId('ten'), name: unique('tenant'), status: 'active', ...fields, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function seedConsumer(db: GatewayDb, tenantId: string, fields: Partial<Omit<ConsumerRow, 'tenantId' | 'createdAt' | 'updatedAt'>> = {}): ConsumerRow {
  const now = new Date();
  return db
    .insert(consumers)
    .values({ id: newId('con'), tenantId, name: unique('app'), status: 'active', ...fields, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export interface SeededKey {
  row: ApiKeyRow;
  /** The secret, for `Authorization: Bearer`. */
  secret: string;
}

export function seedKey(db: GatewayDb, consumerId: string, fields: Partial<Omit<ApiKeyRow, 'consumerId' | 'hash' | 'prefix' | 'createdAt' | 'updatedAt'>> = {}): SeededKey {
  const now = new Date();
  const { secret, prefix, hash } = generateApiKey();
  const row = db
    .insert(apiKeys)
    .values({ id: newId('key'), consumerId, name: unique('key'), prefix, hash, status: 'active', scopes: ['chat', 'embeddings', 'models'], ...fields, createdAt: now, updatedAt: now })
    .returning()
    .get();
  return { row, secret };
}

export function seedService(db: GatewayDb, modelNames: readonly string[], fields: Partial<Omit<ServiceRow, 'createdAt' | 'updatedAt'>> = {}): ServiceRow {
  const now = new Date();
  const row = db
    .insert(services)
    .values({ id: newId('svc'), name: unique('service'), approval: 'manual', ...fields, createdAt: now, updatedAt: now })
    .returning()
    .get();
  for (const modelName of modelNames) db.insert(serviceModels).values({ serviceId: row.id, modelName }).run();
  return row;
}

export function seedSubscription(
  db: GatewayDb,
  consumerId: string,
  serviceId: string,
  status: SubscriptionRow['status'],
  fields: Partial<Pick<SubscriptionRow, 'id' | 'reason' | 'requestedAt'>> = {},
): SubscriptionRow {
  const now = new Date();
  const decided = status === 'pending' ? {} : { decidedAt: now, decidedBy: 'seed' };
  return db
    .insert(subscriptions)
    .values({ id: newId('sub'), consumerId, serviceId, status, requestedAt: now, ...decided, ...fields })
    .returning()
    .get();
}

/** Every model in the database (the configured ones). */
export function allModelNames(db: GatewayDb): string[] {
  return db.select({ name: models.name }).from(models).all().map((row) => row.name);
}

export interface AllowedCaller {
  tenantId: string;
  consumerId: string;
  keyId: string;
  serviceId: string;
  subscriptionId: string;
  /** The key's secret. */
  key: string;
}

/**
 * A caller every step of the decision chain lets through for `modelNames` (default: every model
 * in the database): active tenant, app and key with all scopes, and an approved subscription to
 * an auto-approval service of those models.
 */
export function seedAllowedCaller(db: GatewayDb, modelNames: readonly string[] = allModelNames(db)): AllowedCaller {
  const tenant = seedTenant(db);
  const consumer = seedConsumer(db, tenant.id);
  const key = seedKey(db, consumer.id);
  const service = seedService(db, modelNames, { approval: 'auto' });
  const subscription = seedSubscription(db, consumer.id, service.id, 'approved');
  return { tenantId: tenant.id, consumerId: consumer.id, keyId: key.row.id, serviceId: service.id, subscriptionId: subscription.id, key: key.secret };
}
