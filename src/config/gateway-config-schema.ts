import { z } from 'zod';

/**
 * The shape of `gateway.config.yaml` (issue 3): providers, models, tenants, consumers, services
 * and subscriptions, each matched by name when applied. API keys are never declared here (a
 * secret in a file is a leaked secret); provider credentials come from `${ENV_VAR}`s.
 * The names accepted here are those the admin API accepts, so an export always reads back.
 */

const providerKinds = ['openai', 'openai-compatible', 'anthropic', 'gemini', 'mock'] as const;
const name = z.string().min(1, 'expected a name').max(128, 'expected at most 128 characters');

const providerSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, 'expected letters, digits, . _ - (max 64)'),
    kind: z.enum(providerKinds),
    baseUrl: z.string().url('expected an absolute URL').optional(),
    apiKey: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const deploymentSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1).max(256),
    weight: z.number().int().positive().max(1000).optional(),
    priority: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

const modelSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._:/-]{0,127}$/, 'expected letters, digits, . _ : / - (max 128)'),
    type: z.enum(['chat', 'embedding']),
    status: z.enum(['enabled', 'disabled']).optional(),
    deployments: z.array(deploymentSchema).min(1, 'expected at least one deployment'),
    pricing: z
      .object({ input: z.number().min(0), output: z.number().min(0), cachedInput: z.number().min(0).nullable().optional() })
      .strict()
      .nullable()
      .optional(),
    dropParams: z.array(z.string().min(1)).optional(),
  })
  .strict();

const perMinute = z.number().int('expected a whole number').positive('expected a positive number').nullable().optional();

const tenantSchema = z
  .object({
    name,
    status: z.enum(['active', 'suspended']).optional(),
    /** Absent or null: every model. */
    allowedModels: z.array(z.string().min(1)).min(1, 'expected at least one model, or leave it out for all').nullable().optional(),
    /** CIDR blocks; absent or null: every address is allowed. */
    allowedIps: z.array(z.string().min(1)).min(1, 'expected at least one CIDR block, or leave it out for any').nullable().optional(),
    rpm: perMinute,
    tpm: perMinute,
    monthlyBudgetUsd: z.number().min(0).nullable().optional(),
  })
  .strict();

const consumerSchema = z
  .object({
    /** The tenant's name. */
    tenant: name,
    name,
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict();

const serviceSchema = z
  .object({
    name,
    approval: z.enum(['auto', 'manual']).optional(),
    models: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** A declared subscription is approved: the platform wrote it down. */
const subscriptionSchema = z.object({ tenant: name, consumer: name, service: name }).strict();

export const gatewayConfigSchema = z
  .object({
    providers: z.array(providerSchema).default([]),
    models: z.array(modelSchema).default([]),
    tenants: z.array(tenantSchema).default([]),
    consumers: z.array(consumerSchema).default([]),
    services: z.array(serviceSchema).default([]),
    subscriptions: z.array(subscriptionSchema).default([]),
  })
  .strict();

type ParsedProvider = z.infer<typeof providerSchema>;

export type ProviderConfig = ParsedProvider & {
  /**
   * Set when `apiKey` named an environment variable that is unset and the caller asked to keep
   * the stored credential instead (admin API preview and apply of an exported file): the variable's name.
   */
  keepStoredCredential?: string;
};
export type ModelConfig = z.infer<typeof modelSchema>;
export type TenantConfig = z.infer<typeof tenantSchema>;
export type ConsumerConfig = z.infer<typeof consumerSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type SubscriptionConfig = z.infer<typeof subscriptionSchema>;
export type GatewayConfig = Omit<z.infer<typeof gatewayConfigSchema>, 'providers'> & { providers: ProviderConfig[] };
