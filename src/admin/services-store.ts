import { and, asc, eq, inArray } from 'drizzle-orm';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import type { DbOrTx, GatewayTx } from '../db/gateway-tx.js';
import { models, serviceModels, services, subscriptions, type ServiceRow } from '../db/schema.js';
import { newId } from '../ids.js';
import { conflict, inUse, invalidField, isConstraintViolation, notFound } from './admin-errors.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';

export interface ServiceFields {
  name: string;
  approval: ServiceRow['approval'];
  /** Public model names; a service may start empty (DESIGN §7). */
  models: string[];
}

export type ServiceInput = Pick<ServiceFields, 'name'> & Partial<ServiceFields>;
export type ServicePatch = Partial<ServiceFields>;

export interface ServiceWithModels {
  row: ServiceRow;
  models: string[];
}

export function serviceView({ row, models: names }: ServiceWithModels) {
  return {
    id: row.id,
    name: row.name,
    approval: row.approval,
    models: names,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Each service's model names, sorted (membership has no order). */
export function modelsByService(db: DbOrTx, ids?: string[]): Map<string, string[]> {
  const query = db.select().from(serviceModels);
  const rows = (ids === undefined ? query : query.where(inArray(serviceModels.serviceId, ids))).orderBy(asc(serviceModels.modelName)).all();
  const byService = new Map<string, string[]>();
  for (const row of rows) byService.set(row.serviceId, [...(byService.get(row.serviceId) ?? []), row.modelName]);
  return byService;
}

export function listServices(db: GatewayDb, page?: PageRequest): Page<ServiceWithModels> {
  const rows = db
    .select()
    .from(services)
    .where(afterCursor(services.createdAt, services.id, page))
    .orderBy(asc(services.createdAt), asc(services.id))
    .limit(rowsToRead(page))
    .all();
  const { items, nextCursor } = toPage(rows, page, (row) => ({ at: row.createdAt, id: row.id }));
  const names = modelsByService(db, page === undefined ? undefined : items.map((row) => row.id));
  return { items: items.map((row) => ({ row, models: names.get(row.id) ?? [] })), nextCursor };
}

export function findService(db: DbOrTx, id: string): ServiceWithModels | undefined {
  const row = db.select().from(services).where(eq(services.id, id)).get();
  return row === undefined ? undefined : { row, models: modelsByService(db, [id]).get(id) ?? [] };
}

export function findServiceByName(db: DbOrTx, name: string): ServiceRow | undefined {
  return db.select().from(services).where(eq(services.name, name)).get();
}

/** Replaces a service's models; every name must be a model that exists. */
export function writeServiceModels(tx: GatewayTx, serviceId: string, names: string[], param = 'models'): void {
  const known = new Set(names.length === 0 ? [] : tx.select({ name: models.name }).from(models).where(inArray(models.name, names)).all().map((row) => row.name));
  names.forEach((name, index) => {
    if (!known.has(name)) {
      throw invalidField(`${param}[${index}]`, `There is no model named '${name}' (${param}[${index}]).`, 'Create it with POST /admin/models, or pick one from GET /admin/models.');
    }
  });
  tx.delete(serviceModels).where(eq(serviceModels.serviceId, serviceId)).run();
  for (const modelName of new Set(names)) tx.insert(serviceModels).values({ serviceId, modelName }).run();
}

function duplicateName(name: string) {
  return conflict(`A service named '${name}' already exists.`, 'name', 'Choose another name, or change the existing service with PATCH /admin/services/{id}.');
}

export function createService(db: GatewayDb, input: ServiceInput, now = new Date()): ServiceWithModels {
  try {
    return writeTransaction(db, (tx) => {
      if (findServiceByName(tx, input.name)) throw duplicateName(input.name);
      const id = newId('svc');
      tx.insert(services)
        .values({ id, name: input.name, approval: input.approval ?? 'manual', createdAt: now, updatedAt: now })
        .run();
      writeServiceModels(tx, id, input.models ?? []);
      return findService(tx, id) as ServiceWithModels;
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(input.name);
    throw error;
  }
}

/** `models`, when sent, replaces the whole list. Existing subscriptions keep their status. */
export function updateService(db: GatewayDb, id: string, patch: ServicePatch, now = new Date()): ServiceWithModels {
  try {
    return writeTransaction(db, (tx) => {
      const existing = tx.select().from(services).where(eq(services.id, id)).get();
      if (existing === undefined) throw notFound('Service', id);
      if (patch.name !== undefined && patch.name !== existing.name && findServiceByName(tx, patch.name)) throw duplicateName(patch.name);
      const { models: names, ...rest } = patch;
      tx.update(services)
        .set({ ...rest, updatedAt: now })
        .where(eq(services.id, id))
        .run();
      if (names !== undefined) writeServiceModels(tx, id, names);
      return findService(tx, id) as ServiceWithModels;
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(patch.name ?? '');
    throw error;
  }
}

/**
 * Refused while a subscription to it is pending or approved: those apps would lose access
 * silently. Its rejected and revoked subscriptions go with it (the call log keeps their ids).
 */
export function deleteService(db: GatewayDb, id: string): void {
  writeTransaction(db, (tx) => {
    const existing = tx.select().from(services).where(eq(services.id, id)).get();
    if (existing === undefined) throw notFound('Service', id);
    const open = tx
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.serviceId, id), inArray(subscriptions.status, ['pending', 'approved'])))
      .all();
    if (open.length > 0) {
      throw inUse(
        `Service '${existing.name}' still has ${open.length} pending or approved subscription(s): ${open.map((sub) => sub.id).join(', ')}.`,
        'Reject or revoke them first (POST /admin/subscriptions/{id}/reject or /revoke).',
      );
    }
    tx.delete(subscriptions).where(eq(subscriptions.serviceId, id)).run();
    // Its model memberships go with it (ON DELETE CASCADE).
    tx.delete(services).where(eq(services.id, id)).run();
  });
}
