import { and, asc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import { apiKeys, consumers, subscriptions, tenants, type ConsumerRow } from '../db/schema.js';
import { newId } from '../ids.js';
import { conflict, inUse, isConstraintViolation, notFound } from './admin-errors.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';

export interface ConsumerInput {
  tenantId: string;
  name: string;
  status?: 'active' | 'disabled';
}

export interface ConsumerPatch {
  name?: string;
  status?: 'active' | 'disabled';
}

export function consumerView(row: ConsumerRow) {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Every consumer, or one tenant's. */
export function listConsumers(db: GatewayDb, tenantId: string | null, page?: PageRequest): Page<ConsumerRow> {
  const rows = db
    .select()
    .from(consumers)
    .where(and(tenantId === null ? undefined : eq(consumers.tenantId, tenantId), afterCursor(consumers.createdAt, consumers.id, page)))
    .orderBy(asc(consumers.createdAt), asc(consumers.id))
    .limit(rowsToRead(page))
    .all();
  return toPage(rows, page, (row) => ({ at: row.createdAt, id: row.id }));
}

export function findConsumer(db: GatewayDb, id: string): ConsumerRow | undefined {
  return db.select().from(consumers).where(eq(consumers.id, id)).get();
}

function duplicateName(name: string, tenantId: string) {
  return conflict(`Tenant '${tenantId}' already has a consumer named '${name}'.`, 'name', 'Choose another name, or change the existing consumer with PATCH.');
}

export function createConsumer(db: GatewayDb, input: ConsumerInput, now = new Date()): ConsumerRow {
  try {
    return writeTransaction(db, (tx) => {
      if (tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, input.tenantId)).get() === undefined) {
        throw notFound('Tenant', input.tenantId, 'tenantId');
      }
      const clash = tx.select({ id: consumers.id }).from(consumers).where(and(eq(consumers.tenantId, input.tenantId), eq(consumers.name, input.name))).get();
      if (clash) throw duplicateName(input.name, input.tenantId);
      return tx
        .insert(consumers)
        .values({ id: newId('con'), tenantId: input.tenantId, name: input.name, status: input.status ?? 'active', createdAt: now, updatedAt: now })
        .returning()
        .get();
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(input.name, input.tenantId);
    throw error;
  }
}

export function updateConsumer(db: GatewayDb, id: string, patch: ConsumerPatch, now = new Date()): ConsumerRow {
  let tenantId = '';
  try {
    return writeTransaction(db, (tx) => {
      const existing = tx.select().from(consumers).where(eq(consumers.id, id)).get();
      if (existing === undefined) throw notFound('Consumer', id);
      tenantId = existing.tenantId;
      if (patch.name !== undefined && patch.name !== existing.name) {
        const clash = tx.select({ id: consumers.id }).from(consumers).where(and(eq(consumers.tenantId, existing.tenantId), eq(consumers.name, patch.name))).get();
        if (clash) throw duplicateName(patch.name, existing.tenantId);
      }
      return tx.update(consumers).set({ ...patch, updatedAt: now }).where(eq(consumers.id, id)).returning().get();
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(patch.name ?? '', tenantId);
    throw error;
  }
}

/**
 * Refused while the consumer holds a live key (active and not expired) or a pending or approved
 * subscription. Its revoked or expired keys and closed subscriptions go with it: they can no
 * longer authorise anything, and the call log keeps their ids.
 */
export function deleteConsumer(db: GatewayDb, id: string, now = new Date()): void {
  writeTransaction(db, (tx) => {
    if (tx.select({ id: consumers.id }).from(consumers).where(eq(consumers.id, id)).get() === undefined) throw notFound('Consumer', id);
    const liveKeys = tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.consumerId, id), eq(apiKeys.status, 'active'), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))))
      .all();
    if (liveKeys.length > 0) {
      throw inUse(
        `Consumer '${id}' still has ${liveKeys.length} live API key(s): ${liveKeys.map((key) => key.id).join(', ')}.`,
        'Revoke them first with POST /admin/keys/{id}/revoke.',
      );
    }
    const openSubscriptions = tx
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.consumerId, id), inArray(subscriptions.status, ['pending', 'approved'])))
      .all();
    if (openSubscriptions.length > 0) {
      throw inUse(
        `Consumer '${id}' still has ${openSubscriptions.length} pending or approved subscription(s): ${openSubscriptions.map((sub) => sub.id).join(', ')}.`,
        'Revoke or reject them first under /admin/subscriptions.',
      );
    }
    tx.delete(subscriptions).where(eq(subscriptions.consumerId, id)).run();
    tx.delete(apiKeys).where(eq(apiKeys.consumerId, id)).run();
    tx.delete(consumers).where(eq(consumers.id, id)).run();
  });
}
