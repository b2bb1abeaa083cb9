/**
 * JSON schemas of the access-management admin API (users, tenants, consumers, keys). Bodies
 * refuse unknown fields (`additionalProperties: false`), so a typo is a 400 naming the field
 * instead of a silently ignored setting. Response schemas double as an allow-list: a field not
 * declared here (a key hash, a password hash) can never leave the gateway.
 */
// Brings @fastify/swagger's typing of `tags`, `summary` and `description` in route schemas.
import type {} from '@fastify/swagger';
import { NON_BLANK } from '../../schema-patterns.js';

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

export const resourceName = { type: 'string', minLength: 1, maxLength: 128, pattern: NON_BLANK } as const;
export const modelList = nullable({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 256 }, minItems: 1, uniqueItems: true, maxItems: 1000 });
export const ipList = nullable({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, minItems: 1, uniqueItems: true, maxItems: 1000 });
// Far above any real limit, and below 2^53: larger numbers would not survive JSON exactly.
const perMinute = nullable({ type: 'integer', minimum: 1, maximum: 1_000_000_000 });
const usd = nullable({ type: 'number', minimum: 0, maximum: 1_000_000_000 });
const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const nullableStrings = { type: ['array', 'null'], items: { type: 'string' } } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

export const idParams = (name: string) =>
  ({ type: 'object', properties: { [name]: { type: 'string', minLength: 1, maxLength: 128 } }, required: [name], additionalProperties: false }) as const;

/** `limit` and `cursor`, as every admin list takes them: the call log's contract (DESIGN §7). */
export const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'items per page' },
  cursor: { type: 'string', minLength: 1, maxLength: 512, description: "the previous page's nextCursor; leave it out for the first page" },
} as const;

export const pageQuery = { type: 'object', properties: pageQueryProperties, additionalProperties: false } as const;

/** A page of an admin list, in creation order. */
export const listOf = (item: Record<string, unknown>) => ({
  type: 'object',
  properties: { data: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'], description: 'pass it as cursor for the next page; null on the last page' } },
  required: ['data', 'nextCursor'],
});

// ------------------------------------------------------------------ admin users and tokens

export const tokenBody = {
  type: 'object',
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
  required: ['username', 'password'],
  additionalProperties: false,
} as const;

export const tokenResponse = {
  type: 'object',
  properties: { access_token: { type: 'string' }, token_type: { type: 'string', enum: ['Bearer'] }, expires_in: { type: 'integer' } },
  required: ['access_token', 'token_type', 'expires_in'],
} as const;

export const adminUserBody = {
  type: 'object',
  properties: {
    username: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' },
    // Long enough to resist guessing; capped so a huge body cannot make argon2 the bottleneck.
    password: { type: 'string', minLength: 12, maxLength: 1024 },
    role: { type: 'string', enum: ['platform_admin', 'tenant_admin'] },
    tenantId: { type: 'string', minLength: 1, maxLength: 128 },
  },
  required: ['username', 'password', 'role'],
  additionalProperties: false,
} as const;

export const adminUserView = {
  type: 'object',
  properties: { username: { type: 'string' }, role: { type: 'string' }, tenantId: nullableString, createdAt: timestamp },
} as const;

// ------------------------------------------------------------------ tenants

const tenantFields = {
  name: resourceName,
  status: { type: 'string', enum: ['active', 'suspended'] },
  allowedModels: modelList,
  allowedIps: ipList,
  rpm: perMinute,
  tpm: perMinute,
  monthlyBudgetUsd: usd,
} as const;

export const tenantBody = { type: 'object', properties: tenantFields, required: ['name'], additionalProperties: false } as const;
export const tenantPatch = { type: 'object', properties: tenantFields, minProperties: 1, additionalProperties: false } as const;

export const tenantView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string' },
    allowedModels: nullableStrings,
    allowedIps: nullableStrings,
    rpm: nullableInteger,
    tpm: nullableInteger,
    monthlyBudgetUsd: nullableNumber,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

// ------------------------------------------------------------------ consumers

const consumerStatus = { type: 'string', enum: ['active', 'disabled'] } as const;

export const consumerBody = {
  type: 'object',
  properties: { tenantId: { type: 'string', minLength: 1, maxLength: 128 }, name: resourceName, status: consumerStatus },
  required: ['name'],
  additionalProperties: false,
} as const;

export const consumerPatch = {
  type: 'object',
  properties: { name: resourceName, status: consumerStatus },
  minProperties: 1,
  additionalProperties: false,
} as const;

export const consumerQuery = {
  type: 'object',
  properties: { tenantId: { type: 'string', minLength: 1, maxLength: 128 }, ...pageQueryProperties },
  additionalProperties: false,
} as const;

export const consumerView = {
  type: 'object',
  properties: { id: { type: 'string' }, tenantId: { type: 'string' }, name: { type: 'string' }, status: { type: 'string' }, createdAt: timestamp, updatedAt: timestamp },
} as const;

// ------------------------------------------------------------------ API keys

const keyFields = {
  name: nullable(resourceName),
  expiresAt: nullable({ type: 'string', format: 'date-time' }),
  scopes: { type: 'array', items: { type: 'string', enum: ['chat', 'embeddings', 'models'] }, minItems: 1, uniqueItems: true },
  allowedModels: modelList,
  allowedIps: ipList,
  rpm: perMinute,
  tpm: perMinute,
  budgetUsd: usd,
} as const;

export const keyBody = { type: 'object', properties: keyFields, additionalProperties: false } as const;
export const keyPatch = { type: 'object', properties: keyFields, minProperties: 1, additionalProperties: false } as const;

export const keyView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    consumerId: { type: 'string' },
    tenantId: { type: 'string' },
    name: nullableString,
    prefix: { type: 'string' },
    status: { type: 'string', enum: ['active', 'revoked', 'expired'] },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    scopes: { type: 'array', items: { type: 'string' } },
    allowedModels: nullableStrings,
    allowedIps: nullableStrings,
    rpm: nullableInteger,
    tpm: nullableInteger,
    budgetUsd: nullableNumber,
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

/** The creation response: the view plus the secret, shown this once. */
export const createdKeyView = {
  type: 'object',
  properties: { ...keyView.properties, key: { type: 'string', description: 'The secret API key. Shown only in this response; store it now.' } },
} as const;
