import { and, eq, inArray } from 'drizzle-orm';
import { findServiceByName } from '../admin/services-store.js';
import type { DbOrTx, GatewayTx } from '../db/gateway-tx.js';
import { consumers, subscriptions, tenants, type ConsumerRow } from '../db/schema.js';
import { newId } from '../ids.js';
import { diffFields, planItem, type PlanItem, type ReconcileContext } from './config-plan.js';
import type { ConsumerConfig, SubscriptionConfig, TenantConfig } from './gateway-config.js';

const writer = (context: ReconcileContext) => context.db as GatewayTx;

function findTenantByName(db: DbOrTx, name: string) {
  return db.select().from(tenants).where(eq(tenants.name, name)).get();
}

function findConsumerByNames(db: DbOrTx, tenantName: string, consumerName: string): ConsumerRow | undefined {
  const tenant = findTenantByName(db, tenantName);
  if (tenant === undefined) return undefined;
  return db.select().from(consumers).where(and(eq(consumers.tenantId, tenant.id), eq(consumers.name, consumerName))).get();
}

export function reconcileTenants(context: ReconcileContext, list: TenantConfig[]): PlanItem[] {
  return list.map((tenant) => {
    const row = findTenantByName(context.db, tenant.name);
    const desired = {
      status: tenant.status ?? 'active',
      allowedModels: tenant.allowedModels ?? null,
      allowedIps: tenant.allowedIps ?? null,
      rpm: tenant.rpm ?? null,
      tpm: tenant.tpm ?? null,
      monthlyBudgetUsd: tenant.monthlyBudgetUsd ?? null,
    };
    const current =
      row === undefined
        ? desired
        : { status: row.status, allowedModels: row.allowedModels, allowedIps: row.allowedIps, rpm: row.rpm, tpm: row.tpm, monthlyBudgetUsd: row.monthlyBudgetUsd };
    const item = planItem('tenant', tenant.name, row !== undefined, diffFields(current, desired));
    if (!context.write || item.action === 'unchanged') return item;
    if (row === undefined) {
      writer(context)
        .insert(tenants)
        .values({ id: newId('ten'), name: tenant.name, ...desired, createdAt: context.now, updatedAt: context.now })
        .run();
    } else {
      writer(context).update(tenants).set({ ...desired, updatedAt: context.now }).where(eq(tenants.id, row.id)).run();
    }
    return item;
  });
}

export function reconcileConsumers(context: ReconcileContext, list: ConsumerConfig[]): PlanItem[] {
  return list.map((consumer) => {
    const row = findConsumerByNames(context.db, consumer.tenant, consumer.name);
    const desired = { status: consumer.status ?? 'active' };
    const current = row === undefined ? desired : { status: row.status };
    const item = planItem('consumer', `${consumer.tenant}/${consumer.name}`, row !== undefined, diffFields(current, desired));
    if (!context.write || item.action === 'unchanged') return item;
    if (row === undefined) {
      // The tenants pass ran first in this transaction: the tenant exists now.
      const tenant = findTenantByName(context.db, consumer.tenant);
      if (tenant === undefined) throw new Error(`tenant '${consumer.tenant}' missing after its reconcile pass`);
      writer(context)
        .insert(consumers)
        .values({ id: newId('con'), tenantId: tenant.id, name: consumer.name, ...desired, createdAt: context.now, updatedAt: context.now })
        .run();
    } else {
      writer(context).update(consumers).set({ ...desired, updatedAt: context.now }).where(eq(consumers.id, row.id)).run();
    }
    return item;
  });
}

/**
 * A declared subscription is approved: an existing approved one is unchanged, a pending one is
 * approved, and without either (none yet, or only rejected or revoked ones) a new approved one
 * is created. The file never revokes: a subscription left out of it is left alone.
 */
export function reconcileSubscriptions(context: ReconcileContext, list: SubscriptionConfig[]): PlanItem[] {
  return list.map((subscription) => {
    const name = `${subscription.tenant}/${subscription.consumer} -> ${subscription.service}`;
    const consumer = findConsumerByNames(context.db, subscription.tenant, subscription.consumer);
    const service = findServiceByName(context.db, subscription.service);
    const open =
      consumer === undefined || service === undefined
        ? undefined
        : context.db
            .select()
            .from(subscriptions)
            .where(and(eq(subscriptions.consumerId, consumer.id), eq(subscriptions.serviceId, service.id), inArray(subscriptions.status, ['pending', 'approved'])))
            .get();
    const item = planItem('subscription', name, open !== undefined, diffFields({ status: open?.status ?? 'approved' }, { status: 'approved' }));
    if (!context.write || item.action === 'unchanged') return item;
    const decision = { status: 'approved' as const, decidedAt: context.now, decidedBy: context.actor, reason: 'Declared in the configuration file.' };
    if (open !== undefined) {
      writer(context).update(subscriptions).set(decision).where(eq(subscriptions.id, open.id)).run();
      return item;
    }
    // Earlier passes of this transaction created whatever was missing.
    const consumerId = (consumer ?? findConsumerByNames(context.db, subscription.tenant, subscription.consumer))?.id;
    const serviceId = (service ?? findServiceByName(context.db, subscription.service))?.id;
    if (consumerId === undefined || serviceId === undefined) throw new Error(`subscription ${name}: consumer or service missing after their reconcile passes`);
    writer(context)
      .insert(subscriptions)
      .values({ id: newId('sub'), consumerId, serviceId, requestedAt: context.now, requestedBy: context.actor, ...decision })
      .run();
    return item;
  });
}
