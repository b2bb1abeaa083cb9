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

// ------------------------------------------------------------------ tenants and access

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  /** null = every model. */
  allowedModels: text('allowed_models', { mode: 'json' }).$type<string[] | null>(),
  /** CIDR allow-list; null = any address. */
  allowedIps: text('allowed_ips', { mode: 'json' }).$type<string[] | null>(),
  rpm: integer('rpm'),
  tpm: integer('tpm'),
  monthlyBudgetUsd: real('monthly_budget_usd'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const consumers = sqliteTable(
  'consumers',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [uniqueIndex('consumers_tenant_name_idx').on(table.tenantId, table.name)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    consumerId: text('consumer_id')
      .notNull()
      .references(() => consumers.id, { onDelete: 'restrict' }),
    name: text('name'),
    /** The first characters of the secret, shown to tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 (hex) of the secret; the secret itself is shown once and never stored. */
    hash: text('hash').notNull().unique(),
    status: text('status', { enum: ['active', 'revoked'] }).notNull().default('active'),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    scopes: text('scopes', { mode: 'json' }).$type<Array<'chat' | 'embeddings' | 'models'>>().notNull(),
    allowedModels: text('allowed_models', { mode: 'json' }).$type<string[] | null>(),
    allowedIps: text('allowed_ips', { mode: 'json' }).$type<string[] | null>(),
    rpm: integer('rpm'),
    tpm: integer('tpm'),
    budgetUsd: real('budget_usd'),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('api_keys_consumer_idx').on(table.consumerId)],
);

export const services = sqliteTable('services', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  approval: text('approval', { enum: ['auto', 'manual'] }).notNull().default('manual'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const serviceModels = sqliteTable(
  'service_models',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    modelName: text('model_name')
      .notNull()
      .references(() => models.name, { onDelete: 'restrict', onUpdate: 'cascade' }),
  },
  (table) => [uniqueIndex('service_models_pk').on(table.serviceId, table.modelName)],
);

export const subscriptions = sqliteTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    consumerId: text('consumer_id')
      .notNull()
      .references(() => consumers.id, { onDelete: 'cascade' }),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'restrict' }),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'revoked'] }).notNull(),
    reason: text('reason'),
    requestedAt: integer('requested_at', { mode: 'timestamp_ms' }).notNull(),
    requestedBy: text('requested_by'),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decidedBy: text('decided_by'),
  },
  (table) => [
    index('subscriptions_consumer_idx').on(table.consumerId),
    index('subscriptions_status_idx').on(table.status),
  ],
);

export const adminUsers = sqliteTable('admin_users', {
  username: text('username').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['platform_admin', 'tenant_admin'] }).notNull(),
  tenantId: text('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

export type TenantRow = typeof tenants.$inferSelect;
export type ConsumerRow = typeof consumers.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type AdminUserRow = typeof adminUsers.$inferSelect;
export type KeyScope = ApiKeyRow['scopes'][number];

// ------------------------------------------------------------------ call log

export const callLogs = sqliteTable(
  'call_logs',
  {
    /** Monotonic insertion order: the stable cursor for pagination while rows are being written. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    requestId: text('request_id').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    tenantId: text('tenant_id'),
    consumerId: text('consumer_id'),
    keyId: text('key_id'),
    endpoint: text('endpoint').notNull(),
    requestedModel: text('requested_model'),
    provider: text('provider'),
    upstreamModel: text('upstream_model'),
    stream: integer('stream', { mode: 'boolean' }).notNull().default(false),
    statusCode: integer('status_code').notNull(),
    outcome: text('outcome', { enum: ['ok', 'denied', 'error', 'cancelled'] }).notNull(),
    errorCode: text('error_code'),
    layer: text('layer'),
    decisionTrace: text('decision_trace', { mode: 'json' }).$type<unknown>(),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
    latencyMs: real('latency_ms').notNull(),
    upstreamLatencyMs: real('upstream_latency_ms'),
    ttftMs: real('ttft_ms'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    cachedTokens: integer('cached_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    tokensEstimated: integer('tokens_estimated', { mode: 'boolean' }).notNull().default(false),
    costUsd: real('cost_usd'),
    attempts: integer('attempts').notNull().default(0),
    /** Sampled unauthenticated failures stand for this many calls (a scanner must not fill the table). */
    sampledCount: integer('sampled_count').notNull().default(1),
    requestBody: text('request_body'),
    responseBody: text('response_body'),
  },
  (table) => [
    // Not unique: a caller's own x-request-id is kept and may repeat (a client retrying with the
    // same id); each call still gets its row, and GET /admin/logs/{requestId} shows the newest.
    index('call_logs_request_id_idx').on(table.requestId),
    index('call_logs_created_idx').on(table.createdAt),
    index('call_logs_tenant_seq_idx').on(table.tenantId, table.seq),
    index('call_logs_consumer_seq_idx').on(table.consumerId, table.seq),
    index('call_logs_key_seq_idx').on(table.keyId, table.seq),
    index('call_logs_model_seq_idx').on(table.requestedModel, table.seq),
    index('call_logs_outcome_seq_idx').on(table.outcome, table.seq),
  ],
);

export type CallLogRow = typeof callLogs.$inferSelect;
export type NewCallLogRow = typeof callLogs.$inferInsert;
