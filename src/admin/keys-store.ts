import { and, asc, eq } from 'drizzle-orm';
import { generateApiKey } from '../access/api-key-secret.js';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import { apiKeys, consumers, type ApiKeyRow, type KeyScope } from '../db/schema.js';
import { newId } from '../ids.js';
import { conflict, notFound } from './admin-errors.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';

export const ALL_SCOPES: KeyScope[] = ['chat', 'embeddings', 'models'];

export interface KeyFields {
  name: string | null;
  expiresAt: Date | null;
  scopes: KeyScope[];
  allowedModels: string[] | null;
  allowedIps: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budgetUsd: number | null;
}

export type KeyInput = Partial<KeyFields>;
export type KeyPatch = Partial<KeyFields>;

/** A key row and the tenant that owns it (through its consumer). */
export interface OwnedKey {
  key: ApiKeyRow;
  tenantId: string;
}

/** Never includes the hash; the secret appears only in the creation response. */
export function keyView({ key, tenantId }: OwnedKey, now = new Date()) {
  const expired = key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime();
  return {
    id: key.id,
    consumerId: key.consumerId,
    tenantId,
    name: key.name,
    prefix: key.prefix,
    status: key.status === 'revoked' ? ('revoked' as const) : expired ? ('expired' as const) : ('active' as const),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    scopes: key.scopes,
    allowedModels: key.allowedModels ?? null,
    allowedIps: key.allowedIps ?? null,
    rpm: key.rpm,
    tpm: key.tpm,
    budgetUsd: key.budgetUsd,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
  };
}

export function listKeys(db: GatewayDb, consumerId: string, page?: PageRequest): Page<ApiKeyRow> {
  const rows = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.consumerId, consumerId), afterCursor(apiKeys.createdAt, apiKeys.id, page)))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    .limit(rowsToRead(page))
    .all();
  return toPage(rows, page, (row) => ({ at: row.createdAt, id: row.id }));
}

export function findKey(db: GatewayDb, id: string): OwnedKey | undefined {
  const row = db
    .select({ key: apiKeys, tenantId: consumers.tenantId })
    .from(apiKeys)
    .innerJoin(consumers, eq(apiKeys.consumerId, consumers.id))
    .where(eq(apiKeys.id, id))
    .get();
  return row;
}

/** Creates a key; the returned secret must be shown once and then forgotten. */
export function createKey(db: GatewayDb, consumerId: string, input: KeyInput, now = new Date()): { row: ApiKeyRow; secret: string } {
  const { secret, prefix, hash } = generateApiKey();
  const row = writeTransaction(db, (tx) => {
    if (tx.select({ id: consumers.id }).from(consumers).where(eq(consumers.id, consumerId)).get() === undefined) {
      throw notFound('Consumer', consumerId);
    }
    return tx
      .insert(apiKeys)
      .values({
        id: newId('key'),
        consumerId,
        name: input.name ?? null,
        prefix,
        hash,
        status: 'active',
        expiresAt: input.expiresAt ?? null,
        scopes: input.scopes ?? ALL_SCOPES,
        allowedModels: input.allowedModels ?? null,
        allowedIps: input.allowedIps ?? null,
        rpm: input.rpm ?? null,
        tpm: input.tpm ?? null,
        budgetUsd: input.budgetUsd ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
  });
  return { row, secret };
}

export function updateKey(db: GatewayDb, id: string, patch: KeyPatch, now = new Date()): ApiKeyRow {
  return writeTransaction(db, (tx) => {
    const existing = tx.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
    if (existing === undefined) throw notFound('API key', id);
    if (existing.status === 'revoked') {
      throw conflict(`API key '${id}' is revoked and can no longer be changed.`, null, 'Create a new key with POST /admin/consumers/{id}/keys.');
    }
    return tx.update(apiKeys).set({ ...patch, updatedAt: now }).where(eq(apiKeys.id, id)).returning().get();
  });
}

/** Idempotent: revoking a revoked key keeps its first `revokedAt`. */
export function revokeKey(db: GatewayDb, id: string, now = new Date()): ApiKeyRow {
  return writeTransaction(db, (tx) => {
    const existing = tx.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
    if (existing === undefined) throw notFound('API key', id);
    if (existing.status === 'revoked') return existing;
    return tx.update(apiKeys).set({ status: 'revoked', revokedAt: now, updatedAt: now }).where(eq(apiKeys.id, id)).returning().get();
  });
}
