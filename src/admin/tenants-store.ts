import { and, asc, count, eq } from 'drizzle-orm';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import { adminUsers, consumers, tenants, type TenantRow } from '../db/schema.js';
import { newId } from '../ids.js';
import { conflict, inUse, isConstraintViolation, notFound } from './admin-errors.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';

export interface TenantFields {
  name: string;
  status: 'active' | 'suspended';
  allowedModels: string[] | null;
  allowedIps: string[] | null;
  rpm: number | null;
  tpm: number | null;
  monthlyBudgetUsd: number | null;
}

export type TenantInput = Pick<TenantFields, 'name'> & Partial<TenantFields>;
export type TenantPatch = Partial<TenantFields>;

export function tenantView(row: TenantRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    allowedModels: row.allowedModels ?? null,
    allowedIps: row.allowedIps ?? null,
    rpm: row.rpm,
    tpm: row.tpm,
    monthlyBudgetUsd: row.monthlyBudgetUsd,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Every tenant, or only `onlyId` (a tenant admin's own). */
export function listTenants(db: GatewayDb, onlyId: string | null, page?: PageRequest): Page<TenantRow> {
  const rows = db
    .select()
    .from(tenants)
    .where(and(onlyId === null ? undefined : eq(tenants.id, onlyId), afterCursor(tenants.createdAt, tenants.id, page)))
    .orderBy(asc(tenants.createdAt), asc(tenants.id))
    .limit(rowsToRead(page))
    .all();
  return toPage(rows, page, (row) => ({ at: row.createdAt, id: row.id }));
}

export function findTenant(db: GatewayDb, id: string): TenantRow | undefined {
  return db.select().from(tenants).where(eq(tenants.id, id)).get();
}

function duplicateName(name: string) {
  return conflict(`A tenant named '${name}' already exists.`, 'name', 'Choose another name, or change the existing tenant with PATCH.');
}

export function createTenant(db: GatewayDb, input: TenantInput, now = new Date()): TenantRow {
  try {
    return writeTransaction(db, (tx) => {
      if (tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.name, input.name)).get()) throw duplicateName(input.name);
      return tx
        .insert(tenants)
        .values({
          id: newId('ten'),
          name: input.name,
          status: input.status ?? 'active',
          allowedModels: input.allowedModels ?? null,
          allowedIps: input.allowedIps ?? null,
          rpm: input.rpm ?? null,
          tpm: input.tpm ?? null,
          monthlyBudgetUsd: input.monthlyBudgetUsd ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
    });
  } catch (error) {
    // A concurrent writer may win between the check and the insert.
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(input.name);
    throw error;
  }
}

export function updateTenant(db: GatewayDb, id: string, patch: TenantPatch, now = new Date()): TenantRow {
  try {
    return writeTransaction(db, (tx) => {
      const existing = tx.select().from(tenants).where(eq(tenants.id, id)).get();
      if (existing === undefined) throw notFound('Tenant', id);
      if (patch.name !== undefined && patch.name !== existing.name) {
        if (tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.name, patch.name)).get()) throw duplicateName(patch.name);
      }
      return tx
        .update(tenants)
        .set({ ...patch, updatedAt: now })
        .where(eq(tenants.id, id))
        .returning()
        .get();
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(patch.name ?? '');
    throw error;
  }
}

/** Refused while consumers or tenant admins still belong to the tenant: nothing disappears by surprise. */
export function deleteTenant(db: GatewayDb, id: string): void {
  writeTransaction(db, (tx) => {
    if (tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, id)).get() === undefined) throw notFound('Tenant', id);
    const consumerCount = tx.select({ n: count() }).from(consumers).where(eq(consumers.tenantId, id)).get()?.n ?? 0;
    if (consumerCount > 0) {
      throw inUse(`Tenant '${id}' still has ${consumerCount} consumer(s).`, `Delete them first: GET /admin/consumers?tenantId=${id}, then DELETE /admin/consumers/{id}.`);
    }
    const admins = tx.select({ username: adminUsers.username }).from(adminUsers).where(eq(adminUsers.tenantId, id)).all();
    if (admins.length > 0) {
      throw inUse(
        `Tenant '${id}' still has ${admins.length} tenant admin(s): ${admins.map((admin) => admin.username).join(', ')}.`,
        'Delete them first with DELETE /admin/users/{username}.',
      );
    }
    tx.delete(tenants).where(eq(tenants.id, id)).run();
  });
}
