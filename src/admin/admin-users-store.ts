import { and, asc, count, eq, ne } from 'drizzle-orm';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import { adminUsers, tenants, type AdminUserRow } from '../db/schema.js';
import type { AdminRole } from '../plugins/admin-auth.js';
import { conflict, isConstraintViolation, notFound } from './admin-errors.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';

export interface AdminUserInput {
  username: string;
  passwordHash: string;
  role: AdminRole;
  tenantId: string | null;
}

/** Never includes the password hash. */
export function adminUserView(row: AdminUserRow) {
  return { username: row.username, role: row.role, tenantId: row.tenantId, createdAt: row.createdAt.toISOString() };
}

export function listAdminUsers(db: GatewayDb, page?: PageRequest): Page<AdminUserRow> {
  const rows = db
    .select()
    .from(adminUsers)
    .where(afterCursor(adminUsers.createdAt, adminUsers.username, page))
    .orderBy(asc(adminUsers.createdAt), asc(adminUsers.username))
    .limit(rowsToRead(page))
    .all();
  return toPage(rows, page, (row) => ({ at: row.createdAt, id: row.username }));
}

export function findAdminUser(db: GatewayDb, username: string): AdminUserRow | undefined {
  return db.select().from(adminUsers).where(eq(adminUsers.username, username)).get();
}

function duplicateUsername(username: string) {
  return conflict(`An admin user named '${username}' already exists.`, 'username', 'Choose another username.');
}

export function createAdminUser(db: GatewayDb, input: AdminUserInput, now = new Date()): AdminUserRow {
  try {
    return writeTransaction(db, (tx) => {
      if (input.tenantId !== null && tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, input.tenantId)).get() === undefined) {
        throw notFound('Tenant', input.tenantId, 'tenantId');
      }
      if (tx.select({ username: adminUsers.username }).from(adminUsers).where(eq(adminUsers.username, input.username)).get()) {
        throw duplicateUsername(input.username);
      }
      return tx.insert(adminUsers).values({ ...input, createdAt: now }).returning().get();
    });
  } catch (error) {
    if (isConstraintViolation(error, 'PRIMARYKEY') || isConstraintViolation(error, 'UNIQUE')) throw duplicateUsername(input.username);
    throw error;
  }
}

/** The last platform admin stays: without one, nobody could ever administer the gateway again. */
export function deleteAdminUser(db: GatewayDb, username: string): void {
  writeTransaction(db, (tx) => {
    const user = tx.select().from(adminUsers).where(eq(adminUsers.username, username)).get();
    if (user === undefined) throw notFound('Admin user', username);
    if (user.role === 'platform_admin') {
      const others = tx
        .select({ n: count() })
        .from(adminUsers)
        .where(and(eq(adminUsers.role, 'platform_admin'), ne(adminUsers.username, username)))
        .get()?.n ?? 0;
      if (others === 0) throw conflict(`'${username}' is the last platform admin and cannot be deleted.`, null, 'Create another platform admin first.');
    }
    tx.delete(adminUsers).where(eq(adminUsers.username, username)).run();
  });
}
