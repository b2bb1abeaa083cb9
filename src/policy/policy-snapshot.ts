import type { GatewayDb } from '../db/client.js';
import { apiKeys, consumers, serviceModels, services, subscriptions, tenants } from '../db/schema.js';
import type { ConsumerRow, KeyScope, ServiceRow, SubscriptionRow, TenantRow } from '../db/schema.js';
import { compileAllowList, type IpAllowList } from './ip-allow-list.js';

/**
 * Everything the decision chain needs, in memory (DESIGN §1, hot path rule: no database read per
 * call). Built whole from the database in one read transaction and replaced whole after every
 * admin write, so a call always sees one consistent state and the next call sees the change.
 */

export interface SnapshotTenant {
  id: string;
  name: string;
  status: TenantRow['status'];
  /** null = every model. */
  allowedModels: ReadonlySet<string> | null;
  /** null = every address. */
  ipAllowList: IpAllowList | null;
  rpm: number | null;
  tpm: number | null;
  monthlyBudgetUsd: number | null;
}

export interface SnapshotConsumer {
  id: string;
  tenantId: string;
  name: string;
  status: ConsumerRow['status'];
}

/** A key as the chain sees it: never its hash (the map key is the hash, the value does not repeat it). */
export interface SnapshotKey {
  id: string;
  consumerId: string;
  name: string | null;
  prefix: string;
  status: 'active' | 'revoked';
  /** Epoch ms; null = never expires. */
  expiresAt: number | null;
  revokedAt: number | null;
  scopes: readonly KeyScope[];
  allowedModels: ReadonlySet<string> | null;
  ipAllowList: IpAllowList | null;
  rpm: number | null;
  tpm: number | null;
  budgetUsd: number | null;
}

export interface SnapshotService {
  id: string;
  name: string;
  approval: ServiceRow['approval'];
  models: ReadonlySet<string>;
}

export interface SnapshotSubscription {
  id: string;
  consumerId: string;
  serviceId: string;
  status: SubscriptionRow['status'];
  reason: string | null;
  requestedAt: number;
}

export interface PolicySnapshot {
  keysByHash: ReadonlyMap<string, SnapshotKey>;
  keysById: ReadonlyMap<string, SnapshotKey>;
  consumers: ReadonlyMap<string, SnapshotConsumer>;
  tenants: ReadonlyMap<string, SnapshotTenant>;
  services: ReadonlyMap<string, SnapshotService>;
  /** The services that include a model, by model name (sorted by service name). */
  servicesByModel: ReadonlyMap<string, readonly SnapshotService[]>;
  /** A consumer's subscriptions, newest request first. */
  subscriptionsByConsumer: ReadonlyMap<string, readonly SnapshotSubscription[]>;
  builtAt: number;
}

const toSet = (list: readonly string[] | null | undefined): ReadonlySet<string> | null => (list === null || list === undefined ? null : new Set(list));

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function loadPolicySnapshot(db: GatewayDb, now = Date.now()): PolicySnapshot {
  return db.transaction((tx) => {
    const tenantMap = new Map<string, SnapshotTenant>();
    for (const row of tx.select().from(tenants).all()) {
      tenantMap.set(row.id, {
        id: row.id,
        name: row.name,
        status: row.status,
        allowedModels: toSet(row.allowedModels),
        ipAllowList: compileAllowList(row.allowedIps ?? null),
        rpm: row.rpm,
        tpm: row.tpm,
        monthlyBudgetUsd: row.monthlyBudgetUsd,
      });
    }
    const consumerMap = new Map<string, SnapshotConsumer>();
    for (const row of tx.select().from(consumers).all()) {
      consumerMap.set(row.id, { id: row.id, tenantId: row.tenantId, name: row.name, status: row.status });
    }
    const keysByHash = new Map<string, SnapshotKey>();
    const keysById = new Map<string, SnapshotKey>();
    for (const row of tx.select().from(apiKeys).all()) {
      const key: SnapshotKey = {
        id: row.id,
        consumerId: row.consumerId,
        name: row.name,
        prefix: row.prefix,
        status: row.status,
        expiresAt: row.expiresAt?.getTime() ?? null,
        revokedAt: row.revokedAt?.getTime() ?? null,
        scopes: row.scopes,
        allowedModels: toSet(row.allowedModels),
        ipAllowList: compileAllowList(row.allowedIps ?? null),
        rpm: row.rpm,
        tpm: row.tpm,
        budgetUsd: row.budgetUsd,
      };
      keysByHash.set(row.hash, key);
      keysById.set(row.id, key);
    }
    const modelsByService = new Map<string, string[]>();
    for (const row of tx.select().from(serviceModels).all()) pushTo(modelsByService, row.serviceId, row.modelName);
    const serviceMap = new Map<string, SnapshotService>();
    const servicesByModel = new Map<string, SnapshotService[]>();
    const serviceRows = tx.select().from(services).all().sort((a, b) => a.name.localeCompare(b.name));
    for (const row of serviceRows) {
      const service: SnapshotService = { id: row.id, name: row.name, approval: row.approval, models: new Set(modelsByService.get(row.id) ?? []) };
      serviceMap.set(row.id, service);
      for (const model of service.models) pushTo(servicesByModel, model, service);
    }
    const subscriptionsByConsumer = new Map<string, SnapshotSubscription[]>();
    const subscriptionRows = tx.select().from(subscriptions).all().sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime() || b.id.localeCompare(a.id));
    for (const row of subscriptionRows) {
      pushTo(subscriptionsByConsumer, row.consumerId, {
        id: row.id,
        consumerId: row.consumerId,
        serviceId: row.serviceId,
        status: row.status,
        reason: row.reason,
        requestedAt: row.requestedAt.getTime(),
      });
    }
    return {
      keysByHash,
      keysById,
      consumers: consumerMap,
      tenants: tenantMap,
      services: serviceMap,
      servicesByModel,
      subscriptionsByConsumer,
      builtAt: now,
    };
  });
}
