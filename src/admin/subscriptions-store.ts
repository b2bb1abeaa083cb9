import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import type { DbOrTx } from '../db/gateway-tx.js';
import { consumers, services, subscriptions, type SubscriptionRow } from '../db/schema.js';
import { newId } from '../ids.js';
import { conflict, notFound } from './admin-errors.js';
import { AUTO_APPROVAL, nextStatus, possibleDecisions, type SubscriptionDecision, type SubscriptionStatus } from './subscription-transitions.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';

/** A subscription with what a reader needs to make sense of it: the consumer's tenant and the service's name. */
export interface SubscriptionWithContext {
  row: SubscriptionRow;
  tenantId: string;
  serviceName: string;
}

export interface SubscriptionFilter {
  /** A tenant admin's own tenant; `null` for every tenant. */
  tenantId: string | null;
  status?: SubscriptionStatus;
  consumerId?: string;
  serviceId?: string;
}

export function subscriptionView({ row, tenantId, serviceName }: SubscriptionWithContext) {
  return {
    id: row.id,
    consumerId: row.consumerId,
    tenantId,
    serviceId: row.serviceId,
    serviceName,
    status: row.status,
    reason: row.reason,
    requestedAt: row.requestedAt.toISOString(),
    requestedBy: row.requestedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.decidedBy,
  };
}

function selectWithContext(db: DbOrTx, where: SQL | undefined, limit = -1): SubscriptionWithContext[] {
  return db
    .select({ row: subscriptions, tenantId: consumers.tenantId, serviceName: services.name })
    .from(subscriptions)
    .innerJoin(consumers, eq(consumers.id, subscriptions.consumerId))
    .innerJoin(services, eq(services.id, subscriptions.serviceId))
    .where(where)
    .orderBy(asc(subscriptions.requestedAt), asc(subscriptions.id))
    .limit(limit)
    .all();
}

/** Oldest first: the approval queue is worked in the order requests came in. */
export function listSubscriptions(db: GatewayDb, filter: SubscriptionFilter, page?: PageRequest): Page<SubscriptionWithContext> {
  const conditions = [
    filter.tenantId === null ? undefined : eq(consumers.tenantId, filter.tenantId),
    filter.status === undefined ? undefined : eq(subscriptions.status, filter.status),
    filter.consumerId === undefined ? undefined : eq(subscriptions.consumerId, filter.consumerId),
    filter.serviceId === undefined ? undefined : eq(subscriptions.serviceId, filter.serviceId),
    afterCursor(subscriptions.requestedAt, subscriptions.id, page),
  ];
  const rows = selectWithContext(db, and(...conditions), rowsToRead(page));
  return toPage(rows, page, ({ row }) => ({ at: row.requestedAt, id: row.id }));
}

export function findSubscription(db: DbOrTx, id: string): SubscriptionWithContext | undefined {
  return selectWithContext(db, eq(subscriptions.id, id))[0];
}

export interface SubscriptionRequest {
  consumerId: string;
  serviceId: string;
  /** The admin asking. */
  requestedBy: string;
}

/**
 * A new request: approved at once for an `auto` service, pending for a `manual` one. A second
 * request while one is pending or approved is a 409 naming the first. The caller checks that it
 * may see the consumer.
 */
export function requestSubscription(db: GatewayDb, request: SubscriptionRequest, now = new Date()): SubscriptionWithContext {
  return writeTransaction(db, (tx) => {
    const service = tx.select().from(services).where(eq(services.id, request.serviceId)).get();
    if (service === undefined) throw notFound('Service', request.serviceId, 'serviceId');
    const open = tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.consumerId, request.consumerId), eq(subscriptions.serviceId, service.id), inArray(subscriptions.status, ['pending', 'approved'])))
      .get();
    if (open !== undefined) {
      throw conflict(
        `Consumer '${request.consumerId}' already has a subscription to service '${service.name}' that is ${open.status}: ${open.id}.`,
        'serviceId',
        possibleDecisions(open.id, open.status),
      );
    }
    const automatic = service.approval === 'auto';
    const id = newId('sub');
    tx.insert(subscriptions)
      .values({
        id,
        consumerId: request.consumerId,
        serviceId: service.id,
        status: automatic ? 'approved' : 'pending',
        requestedAt: now,
        requestedBy: request.requestedBy,
        decidedAt: automatic ? now : null,
        decidedBy: automatic ? AUTO_APPROVAL : null,
      })
      .run();
    return findSubscription(tx, id) as SubscriptionWithContext;
  });
}

export interface Decision {
  decision: SubscriptionDecision;
  /** The deciding admin's username. */
  decidedBy: string;
  reason?: string | null;
}

/** Moves a subscription along its life cycle, recording who decided, when and why. */
export function decideSubscription(db: GatewayDb, id: string, { decision, decidedBy, reason }: Decision, now = new Date()): SubscriptionWithContext {
  return writeTransaction(db, (tx) => {
    const existing = tx.select().from(subscriptions).where(eq(subscriptions.id, id)).get();
    if (existing === undefined) throw notFound('Subscription', id);
    const status = nextStatus(id, existing.status, decision);
    tx.update(subscriptions)
      .set({ status, decidedAt: now, decidedBy, reason: reason ?? null })
      .where(eq(subscriptions.id, id))
      .run();
    return findSubscription(tx, id) as SubscriptionWithContext;
  });
}
