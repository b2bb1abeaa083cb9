import { sqliteTable, text, integer, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The one source of truth for the data model (DESIGN §3). drizzle-kit generates `migrations/`
 * from this file: `npm run db:generate`.
 */

export const providers = sqliteTable('providers', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  kind: text('kind', { enum: ['openai', 'openai-compatible', 'anthropic', 'gemini', 'mock'] }).notNull(),
  baseUrl: text('base_url'),
  /** AES-256-GCM sealed credential (`v1:<iv>:<tag>:<ciphertext>`); never returned by the API. */
  credential: text('credential'),
  /** Kind-specific options as JSON (e.g. the mock's pacing). */
  options: text('options', { mode: 'json' }).$type<Record<string, unknown>>(),
  source: text('source', { enum: ['config', 'api'] }).notNull().default('api'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const models = sqliteTable('models', {
  name: text('name').primaryKey(),
  type: text('type', { enum: ['chat', 'embedding'] }).notNull(),
  status: text('status', { enum: ['enabled', 'disabled'] }).notNull().default('enabled'),
  /** USD per million tokens. */
  inputPrice: real('input_price'),
  outputPrice: real('output_price'),
  cachedInputPrice: real('cached_input_price'),
  /** Parameters dropped instead of refused when the provider cannot honour them. */
  dropParams: text('drop_params', { mode: 'json' }).$type<string[]>().notNull().default([]),
  source: text('source', { enum: ['config', 'api'] }).notNull().default('api'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const deployments = sqliteTable(
  'deployments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelName: text('model_name')
      .notNull()
      .references(() => models.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
    providerId: text('provider_id')
      .notNull()
      .references(() => providers.id, { onDelete: 'restrict' }),
    upstreamModel: text('upstream_model').notNull(),
    weight: integer('weight').notNull().default(1),
    /** Lower runs first; higher priorities are fallbacks. */
    priority: integer('priority').notNull().default(0),
  },
  (table) => [
    index('deployments_model_idx').on(table.modelName),
    uniqueIndex('deployments_unique_idx').on(table.modelName, table.providerId, table.upstreamModel),
  ],
);

export type ProviderRow = typeof providers.$inferSelect;
export type ModelRow = typeof models.$inferSelect;
export type DeploymentRow = typeof deployments.$inferSelect;
export type ProviderKind = ProviderRow['kind'];
