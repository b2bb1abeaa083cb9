import { asc, eq } from 'drizzle-orm';
import { type GatewayDb, writeTransaction } from '../db/client.js';
import { deployments, providers, type ProviderKind, type ProviderRow } from '../db/schema.js';
import { newId } from '../ids.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { conflict, inUse, invalidField, isConstraintViolation, notFound } from './admin-errors.js';
import { afterCursor, rowsToRead, toPage, type Page, type PageRequest } from './list-page.js';
import { baseUrlWarnings } from '../adapters/base-url-rules.js';

export interface ProviderFields {
  name: string;
  kind: ProviderKind;
  /** Exactly as the provider's SDK takes it (DESIGN §7): with `/v1` for openai kinds, the bare origin for anthropic and gemini. */
  baseUrl: string | null;
  /** The plain credential on its way in; sealed before it reaches the database, never read back out. */
  apiKey: string | null;
  options: Record<string, unknown> | null;
}

export type ProviderInput = Pick<ProviderFields, 'name' | 'kind'> & Partial<ProviderFields>;
export type ProviderPatch = Partial<ProviderFields>;

/** The API's view: the credential appears only as `hasCredential`. */
export function providerView(row: ProviderRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    /** What is likely wrong with the base URL for this kind (DESIGN §7), worked out on every read. */
    warnings: baseUrlWarnings(row.kind, row.baseUrl),
    hasCredential: row.credential !== null,
    options: row.options ?? null,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listProviders(db: GatewayDb, page?: PageRequest): Page<ProviderRow> {
  const rows = db
    .select()
    .from(providers)
    .where(afterCursor(providers.createdAt, providers.id, page))
    .orderBy(asc(providers.createdAt), asc(providers.id))
    .limit(rowsToRead(page))
    .all();
  return toPage(rows, page, (row) => ({ at: row.createdAt, id: row.id }));
}

export function findProvider(db: GatewayDb, id: string): ProviderRow | undefined {
  return db.select().from(providers).where(eq(providers.id, id)).get();
}

function duplicateName(name: string) {
  return conflict(`A provider named '${name}' already exists.`, 'name', 'Choose another name, or change the existing provider with PATCH /admin/providers/{id}.');
}

/** An openai-compatible server has no default address: without a base URL nothing could be called. */
function requireBaseUrl(kind: ProviderKind, baseUrl: string | null): void {
  if (kind === 'openai-compatible' && baseUrl === null) {
    throw invalidField('baseUrl', "A provider of kind 'openai-compatible' needs a baseUrl.", 'Give the server address with its version path, e.g. http://127.0.0.1:11434/v1.');
  }
}

export function createProvider(db: GatewayDb, secrets: SecretBox, input: ProviderInput, now = new Date()): ProviderRow {
  const baseUrl = input.baseUrl ?? null;
  requireBaseUrl(input.kind, baseUrl);
  try {
    return writeTransaction(db, (tx) => {
      if (tx.select({ id: providers.id }).from(providers).where(eq(providers.name, input.name)).get()) throw duplicateName(input.name);
      return tx
        .insert(providers)
        .values({
          id: newId('prv'),
          name: input.name,
          kind: input.kind,
          baseUrl,
          credential: input.apiKey == null ? null : secrets.seal(input.apiKey),
          options: input.options ?? null,
          source: 'api',
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(input.name);
    throw error;
  }
}

/** `apiKey: null` removes the stored credential; an omitted `apiKey` keeps it. */
export function updateProvider(db: GatewayDb, secrets: SecretBox, id: string, patch: ProviderPatch, now = new Date()): ProviderRow {
  try {
    return writeTransaction(db, (tx) => {
      const existing = tx.select().from(providers).where(eq(providers.id, id)).get();
      if (existing === undefined) throw notFound('Provider', id);
      if (patch.name !== undefined && patch.name !== existing.name) {
        if (tx.select({ id: providers.id }).from(providers).where(eq(providers.name, patch.name)).get()) throw duplicateName(patch.name);
      }
      const { apiKey, ...rest } = patch;
      requireBaseUrl(patch.kind ?? existing.kind, patch.baseUrl === undefined ? existing.baseUrl : patch.baseUrl);
      const credential = apiKey === undefined ? {} : { credential: apiKey === null ? null : secrets.seal(apiKey) };
      return tx
        .update(providers)
        .set({ ...rest, ...credential, updatedAt: now })
        .where(eq(providers.id, id))
        .returning()
        .get();
    });
  } catch (error) {
    if (isConstraintViolation(error, 'UNIQUE')) throw duplicateName(patch.name ?? '');
    throw error;
  }
}

/** Refused while a model still routes to the provider: its calls would fail with no route. */
export function deleteProvider(db: GatewayDb, id: string): void {
  writeTransaction(db, (tx) => {
    const existing = tx.select().from(providers).where(eq(providers.id, id)).get();
    if (existing === undefined) throw notFound('Provider', id);
    const users = tx.selectDistinct({ model: deployments.modelName }).from(deployments).where(eq(deployments.providerId, id)).orderBy(asc(deployments.modelName)).all();
    if (users.length > 0) {
      throw inUse(
        `Provider '${existing.name}' is still used by the deployments of ${users.length} model(s): ${users.map((user) => user.model).join(', ')}.`,
        'Move those deployments to another provider (PATCH /admin/models/{name}) or delete the models first.',
      );
    }
    tx.delete(providers).where(eq(providers.id, id)).run();
  });
}
