/**
 * JSON schemas of the model-catalog admin API (providers, models, services). Bodies refuse
 * unknown fields, so a typo is a 400 naming the field. Response schemas double as an
 * allow-list: a provider's credential has no field here, so it can never leave the gateway.
 */
// Brings @fastify/swagger's typing of `tags`, `summary` and `description` in route schemas.
import type {} from '@fastify/swagger';
import { NON_BLANK } from '../../schema-patterns.js';

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const timestamp = { type: 'string', format: 'date-time' } as const;

/** The same names the configuration file accepts (src/config/gateway-config-schema.ts). */
export const providerName = { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$', description: 'Letters, digits, . _ - (max 64).' } as const;
export const modelName = {
  type: 'string',
  pattern: '^[a-zA-Z0-9][a-zA-Z0-9._:/-]{0,127}$',
  description: "Letters, digits, . _ : / - (max 128). A name with '/' is addressed as /admin/models/meta-llama%2FLlama-3.1-8B or with the slash itself.",
} as const;
export const serviceName = { type: 'string', minLength: 1, maxLength: 128, pattern: NON_BLANK } as const;
const providerKind = { type: 'string', enum: ['openai', 'openai-compatible', 'anthropic', 'gemini', 'mock'] } as const;

// ------------------------------------------------------------------ providers

const providerFields = {
  name: providerName,
  kind: providerKind,
  baseUrl: nullable({
    type: 'string',
    format: 'uri',
    pattern: '^https?://',
    maxLength: 2048,
    description: 'Exactly as the SDK takes it: https://api.openai.com/v1 for openai and openai-compatible (version path included), the bare origin for anthropic and gemini.',
  }),
  apiKey: nullable({ type: 'string', minLength: 1, maxLength: 8192, description: 'Stored sealed (AES-256-GCM) and never returned; null removes it.' }),
  options: nullable({ type: 'object', maxProperties: 50, description: 'Kind-specific settings, e.g. the mock provider\'s {"chunkDelayMs": 20}.' }),
} as const;

export const providerBody = { type: 'object', properties: providerFields, required: ['name', 'kind'], additionalProperties: false } as const;
export const providerPatch = { type: 'object', properties: providerFields, minProperties: 1, additionalProperties: false } as const;

export const providerView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    baseUrl: { type: ['string', 'null'] },
    warnings: {
      type: 'array',
      items: { type: 'string' },
      description: "What is likely wrong with baseUrl for this kind (the SDKs append their own paths): a version path missing or doubled, an endpoint path included. Empty when nothing is.",
    },
    hasCredential: { type: 'boolean', description: 'Whether a credential is stored; the credential itself is never returned.' },
    options: { type: ['object', 'null'], additionalProperties: true },
    source: { type: 'string', enum: ['api', 'config'] },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

// ------------------------------------------------------------------ models

const deployment = {
  type: 'object',
  properties: {
    provider: { ...providerName, description: "The provider's name." },
    model: { type: 'string', minLength: 1, maxLength: 256, description: 'The model name the provider knows.' },
    weight: { type: 'integer', minimum: 1, maximum: 1000, description: 'Share of traffic among deployments of the same priority (default 1).' },
    priority: { type: 'integer', minimum: 0, maximum: 1000, description: 'Lower runs first; higher priorities are fallbacks (default 0).' },
  },
  required: ['provider', 'model'],
  additionalProperties: false,
} as const;

const price = { type: 'number', minimum: 0, maximum: 1_000_000 } as const;

const modelFields = {
  type: { type: 'string', enum: ['chat', 'embedding'] },
  status: { type: 'string', enum: ['enabled', 'disabled'] },
  deployments: { type: 'array', items: deployment, minItems: 1, maxItems: 50 },
  pricing: nullable({
    type: 'object',
    description: 'USD per million tokens.',
    properties: { input: price, output: price, cachedInput: nullable(price) },
    required: ['input', 'output'],
    additionalProperties: false,
  }),
  dropParams: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, uniqueItems: true, maxItems: 100 },
} as const;

export const modelBody = {
  type: 'object',
  properties: { name: modelName, ...modelFields },
  required: ['name', 'type', 'deployments'],
  additionalProperties: false,
} as const;
/** A model is renamed by creating the new name: callers use the name, so it is not patched. */
export const modelPatch = { type: 'object', properties: modelFields, minProperties: 1, additionalProperties: false } as const;

export const modelView = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    status: { type: 'string' },
    deployments: {
      type: 'array',
      description: 'Platform admins only.',
      items: { type: 'object', properties: { provider: { type: 'string' }, model: { type: 'string' }, weight: { type: 'integer' }, priority: { type: 'integer' } } },
    },
    pricing: {
      type: ['object', 'null'],
      properties: { input: { type: 'number' }, output: { type: 'number' }, cachedInput: { type: ['number', 'null'] } },
    },
    dropParams: { type: 'array', items: { type: 'string' } },
    source: { type: 'string', description: 'Platform admins only.' },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

export const modelNameParams = { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 256 } }, required: ['name'] } as const;

// ------------------------------------------------------------------ services

const serviceFields = {
  name: serviceName,
  approval: { type: 'string', enum: ['auto', 'manual'], description: 'auto: a subscription request is approved at once; manual (default): a platform admin decides.' },
  models: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 256 }, uniqueItems: true, maxItems: 1000 },
} as const;

export const serviceBody = { type: 'object', properties: serviceFields, required: ['name'], additionalProperties: false } as const;
export const servicePatch = { type: 'object', properties: serviceFields, minProperties: 1, additionalProperties: false } as const;

export const serviceView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    approval: { type: 'string' },
    models: { type: 'array', items: { type: 'string' } },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;
