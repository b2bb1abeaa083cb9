import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseCidr } from '../access/cidr-notation.js';
import { paramPath } from '../param-path.js';
import { envSchema } from './env.js';
import { gatewayConfigSchema, type GatewayConfig } from './gateway-config-schema.js';

export { gatewayConfigSchema };
export type { ConsumerConfig, GatewayConfig, ModelConfig, ProviderConfig, ServiceConfig, SubscriptionConfig, TenantConfig } from './gateway-config-schema.js';

/**
 * `gateway.config.yaml`: the gateway's objects as code. Credentials come from the environment
 * as `${ENV_VAR}`, never from the file itself. The file is self-contained: every name it
 * refers to (a deployment's provider, a service's models, a consumer's tenant…) is declared in it.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';

  /** Where in the file the (first) problem is, as `services[0].models[1]`, when known. */
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  /**
   * What an `apiKey: ${VAR}` with VAR unset means: a configuration error (at boot), or "keep
   * the credential the gateway already stores" (admin API preview and apply, where an exported
   * file carries placeholders for credentials the gateway never shows).
   */
  unsetCredential?: 'error' | 'keep';
}

/** The gateway's own settings (its encryption key, JWT secret…) never flow into a provider. */
const gatewaySettings = new Set(Object.keys(envSchema.shape));
const placeholder = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${NAME}` with the environment's value; a missing variable is a config error. */
function interpolate(value: string, where: string, file: string, env: Record<string, string | undefined>): string {
  return value.replace(placeholder, (_match, name: string) => {
    if (gatewaySettings.has(name)) throw new ConfigError(`${file}: ${where}: \${${name}} is one of the gateway's own settings and cannot be used here`, where);
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      throw new ConfigError(`${file}: ${where}: environment variable ${name} is not set`, where);
    }
    return resolved;
  });
}

/** The variable an `apiKey` consists of, when it is exactly one `${NAME}` placeholder. */
function soleVariable(value: string): string | undefined {
  return /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1];
}

function checkReferences(config: GatewayConfig, file: string, env: Record<string, string | undefined>, options: ParseOptions): void {
  const fail = (where: string, message: string): never => {
    throw new ConfigError(`${file}: ${where}: ${message}`, where);
  };
  const unique = (seen: Set<string>, key: string, where: string, what: string) => {
    if (seen.has(key)) fail(where, `duplicate ${what}`);
    seen.add(key);
  };

  const providerNames = new Set<string>();
  config.providers.forEach((provider, i) => {
    unique(providerNames, provider.name, `providers[${i}].name`, `provider '${provider.name}'`);
    if (provider.apiKey !== undefined) {
      const variable = soleVariable(provider.apiKey);
      if (options.unsetCredential === 'keep' && variable !== undefined && !gatewaySettings.has(variable) && (env[variable] ?? '') === '') {
        provider.keepStoredCredential = variable;
        delete provider.apiKey;
      } else {
        provider.apiKey = interpolate(provider.apiKey, `providers[${i}].apiKey`, file, env);
      }
    }
    if (provider.baseUrl !== undefined) provider.baseUrl = interpolate(provider.baseUrl, `providers[${i}].baseUrl`, file, env);
    if (provider.kind === 'openai-compatible' && provider.baseUrl === undefined) fail(`providers[${i}].baseUrl`, 'required for kind openai-compatible');
  });

  const modelNames = new Set<string>();
  config.models.forEach((model, i) => {
    unique(modelNames, model.name, `models[${i}].name`, `model '${model.name}'`);
    model.deployments.forEach((deployment, j) => {
      if (!providerNames.has(deployment.provider)) fail(`models[${i}].deployments[${j}].provider`, `no provider named '${deployment.provider}' in this file`);
    });
  });

  const tenantNames = new Set<string>();
  config.tenants.forEach((tenant, i) => {
    unique(tenantNames, tenant.name, `tenants[${i}].name`, `tenant '${tenant.name}'`);
    if (tenant.allowedIps) {
      tenant.allowedIps = tenant.allowedIps.map((entry, j) => {
        const parsed = parseCidr(entry);
        return parsed.ok ? parsed.canonical : fail(`tenants[${i}].allowedIps[${j}]`, `'${entry}' is not a valid CIDR block: ${parsed.reason}`);
      });
      const canonical = new Set<string>();
      tenant.allowedIps.forEach((entry, j) => unique(canonical, entry, `tenants[${i}].allowedIps[${j}]`, `block ${entry}`));
    }
  });

  const consumerNames = new Set<string>();
  config.consumers.forEach((consumer, i) => {
    if (!tenantNames.has(consumer.tenant)) fail(`consumers[${i}].tenant`, `no tenant named '${consumer.tenant}' in this file`);
    unique(consumerNames, `${consumer.tenant}/${consumer.name}`, `consumers[${i}].name`, `consumer '${consumer.name}' in tenant '${consumer.tenant}'`);
  });

  const serviceNames = new Set<string>();
  config.services.forEach((service, i) => {
    unique(serviceNames, service.name, `services[${i}].name`, `service '${service.name}'`);
    const listed = new Set<string>();
    service.models.forEach((model, j) => {
      if (!modelNames.has(model)) fail(`services[${i}].models[${j}]`, `no model named '${model}' in this file`);
      unique(listed, model, `services[${i}].models[${j}]`, `model '${model}'`);
    });
  });

  const subscriptionKeys = new Set<string>();
  config.subscriptions.forEach((subscription, i) => {
    const consumer = `${subscription.tenant}/${subscription.consumer}`;
    if (!consumerNames.has(consumer)) fail(`subscriptions[${i}].consumer`, `no consumer '${subscription.consumer}' of tenant '${subscription.tenant}' in this file`);
    if (!serviceNames.has(subscription.service)) fail(`subscriptions[${i}].service`, `no service named '${subscription.service}' in this file`);
    unique(subscriptionKeys, `${consumer}\u0000${subscription.service}`, `subscriptions[${i}]`, `subscription of '${consumer}' to '${subscription.service}'`);
  });
}

export function parseGatewayConfig(text: string, file: string, env: Record<string, string | undefined> = process.env, options: ParseOptions = {}): GatewayConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const result = gatewayConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${paramPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new ConfigError(`${file}: invalid configuration:\n${lines.join('\n')}`, paramPath(result.error.issues[0]?.path ?? []) || undefined);
  }
  const config: GatewayConfig = result.data;
  checkReferences(config, file, env, options);
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
