import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * `gateway.config.yaml`: providers and models as code (issue 2 §3). Credentials come from the
 * environment as `${ENV_VAR}`, never from the file itself.
 */

const providerKinds = ['openai', 'openai-compatible', 'anthropic', 'gemini', 'mock'] as const;

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
    model: z.string().min(1),
    weight: z.number().int().positive().optional(),
    priority: z.number().int().min(0).optional(),
  })
  .strict();

const modelSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._:/-]{0,127}$/, 'expected letters, digits, . _ : / - (max 128)'),
    type: z.enum(['chat', 'embedding']),
    status: z.enum(['enabled', 'disabled']).optional(),
    deployments: z.array(deploymentSchema).min(1, 'expected at least one deployment'),
    pricing: z
      .object({ input: z.number().min(0), output: z.number().min(0), cachedInput: z.number().min(0).optional() })
      .strict()
      .optional(),
    dropParams: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const gatewayConfigSchema = z
  .object({
    providers: z.array(providerSchema).default([]),
    models: z.array(modelSchema).default([]),
  })
  .passthrough();

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.reduce<string>(
    (out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out === '' ? String(segment) : `${out}.${String(segment)}`),
    '',
  );
}

/** Replaces `${NAME}` with the environment's value; a missing variable is a config error. */
function interpolate(value: string, where: string, file: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      throw new ConfigError(`${file}: ${where}: environment variable ${name} is not set`);
    }
    return resolved;
  });
}

export function parseGatewayConfig(text: string, file: string, env: Record<string, string | undefined> = process.env): GatewayConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const result = gatewayConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${formatPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new ConfigError(`${file}: invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  const providerNames = new Set<string>();
  config.providers.forEach((provider, i) => {
    if (providerNames.has(provider.name)) throw new ConfigError(`${file}: providers[${i}].name: duplicate provider '${provider.name}'`);
    providerNames.add(provider.name);
    if (provider.apiKey !== undefined) provider.apiKey = interpolate(provider.apiKey, `providers[${i}].apiKey`, file, env);
    if (provider.baseUrl !== undefined) provider.baseUrl = interpolate(provider.baseUrl, `providers[${i}].baseUrl`, file, env);
    if (provider.kind !== 'mock' && provider.baseUrl === undefined && provider.kind === 'openai-compatible') {
      throw new ConfigError(`${file}: providers[${i}].baseUrl: required for kind openai-compatible`);
    }
  });
  const modelNames = new Set<string>();
  config.models.forEach((model, i) => {
    if (modelNames.has(model.name)) throw new ConfigError(`${file}: models[${i}].name: duplicate model '${model.name}'`);
    modelNames.add(model.name);
    model.deployments.forEach((deployment, j) => {
      if (!providerNames.has(deployment.provider)) {
        throw new ConfigError(`${file}: models[${i}].deployments[${j}].provider: no provider named '${deployment.provider}' in this file`);
      }
    });
  });
  return config;
}

export function loadGatewayConfig(file: string, env: Record<string, string | undefined> = process.env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the configuration file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseGatewayConfig(text, file, env);
}
