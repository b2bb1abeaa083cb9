import type { GatewayDb } from '../db/client.js';
import type { ConsumerRow, TenantRow } from '../db/schema.js';
import type { AdminPrincipal } from '../plugins/admin-auth.js';
import { notFound } from './admin-errors.js';
import { findConsumer } from './consumers-store.js';
import { findKey, type OwnedKey } from './keys-store.js';
import { findTenant } from './tenants-store.js';

/**
 * What a tenant admin may see: only its own tenant. Callers answer "not found" for anything
 * else, the same answer as for an id that does not exist, so nothing leaks across tenants.
 */
export function canSeeTenant(admin: AdminPrincipal, tenantId: string): boolean {
  return admin.role === 'platform_admin' || admin.tenantId === tenantId;
}

/** The tenant a listing is limited to: a tenant admin's own, or `null` (all) for a platform admin. */
export function ownTenantOnly(admin: AdminPrincipal): string | null {
  if (admin.role === 'platform_admin') return null;
  // A tenant admin without a tenant (never created so, but be safe) sees nothing rather than everything.
  return admin.tenantId ?? '';
}

/** The consumer, if the caller may see it; another tenant's is "not found", like a missing one. */
export function visibleConsumer(db: GatewayDb, admin: AdminPrincipal, id: string): ConsumerRow {
  const consumer = findConsumer(db, id);
  if (consumer === undefined || !canSeeTenant(admin, consumer.tenantId)) throw notFound('Consumer', id);
  return consumer;
}

/** A tenant the caller names (in a path, query or body) must exist and be visible to it. */
export function visibleTenant(db: GatewayDb, admin: AdminPrincipal, id: string, param: string | null = null): TenantRow {
  const tenant = findTenant(db, id);
  if (tenant === undefined || !canSeeTenant(admin, tenant.id)) throw notFound('Tenant', id, param);
  return tenant;
}

export function visibleKey(db: GatewayDb, admin: AdminPrincipal, id: string): OwnedKey {
  const owned = findKey(db, id);
  if (owned === undefined || !canSeeTenant(admin, owned.tenantId)) throw notFound('API key', id);
  return owned;
}
