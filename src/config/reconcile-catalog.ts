import { eq } from 'drizzle-orm';
import { findModel, writeDeployments } from '../admin/models-store.js';
import { findServiceByName, modelsByService, writeServiceModels } from '../admin/services-store.js';
import type { GatewayTx } from '../db/gateway-tx.js';
import { models, providers, services, type ProviderRow } from '../db/schema.js';
import { newId } from '../ids.js';
import { diffFields, planItem, type FieldChange, type PlanItem, type ReconcileContext } from './config-plan.js';
import { ConfigError, type ModelConfig, type ProviderConfig, type ServiceConfig } from './gateway-config.js';
import { baseUrlWarnings } from '../adapters/base-url-rules.js';

/** Writes happen only in a transaction; the passes check `write` before they ask for one. */
const writer = (context: ReconcileContext) => context.db as GatewayTx;

/** Whether the stored credential already is `apiKey` (a credential sealed under another key counts as different). */
function storedCredentialIs(context: ReconcileContext, row: ProviderRow | undefined, apiKey: string): boolean {
  if (row?.credential == null) return false;
  try {
    return context.secrets.open(row.credential) === apiKey;
  } catch {
    return false;
  }
}

/** The credential part of a provider's diff, described and never shown; `undefined` sealed value = keep the stored one. */
function credentialChange(context: ReconcileContext, provider: ProviderConfig, index: number, row: ProviderRow | undefined): { change?: FieldChange; sealed?: string | null } {
  const stored = row?.credential == null ? '(none)' : '(stored)';
  if (provider.keepStoredCredential !== undefined) {
    if (row?.credential == null) {
      throw new ConfigError(
        `providers[${index}].apiKey: environment variable ${provider.keepStoredCredential} is not set, and provider '${provider.name}' has no stored credential to keep`,
        `providers[${index}].apiKey`,
      );
    }
    return {};
  }
  if (provider.apiKey === undefined) return row?.credential == null ? {} : { change: { field: 'apiKey', from: stored, to: '(none)' }, sealed: null };
  if (storedCredentialIs(context, row, provider.apiKey)) return {};
  // A preview seals nothing: its plan is never written.
  return { change: { field: 'apiKey', from: stored, to: '(new)' }, sealed: context.write ? context.secrets.seal(provider.apiKey) : null };
}

export function reconcileProviders(context: ReconcileContext, list: ProviderConfig[]): PlanItem[] {
  return list.map((provider, index) => {
    const row = context.db.select().from(providers).where(eq(providers.name, provider.name)).get();
    const desired = { kind: provider.kind, baseUrl: provider.baseUrl ?? null, options: provider.options ?? null };
    const current = row === undefined ? desired : { kind: row.kind, baseUrl: row.baseUrl, options: row.options ?? null };
    const credential = credentialChange(context, provider, index, row);
    const changes = [...diffFields(current, desired), ...(credential.change ? [credential.change] : [])];
    const warnings = baseUrlWarnings(provider.kind, desired.baseUrl);
    const item = { ...planItem('provider', provider.name, row !== undefined, changes), ...(warnings.length === 0 ? {} : { warnings }) };
    if (!context.write || item.action === 'unchanged') return item;
    const credentialColumn = credential.sealed === undefined ? {} : { credential: credential.sealed };
    if (row === undefined) {
      writer(context)
        .insert(providers)
        .values({ id: newId('prv'), name: provider.name, ...desired, credential: null, ...credentialColumn, source: 'config', createdAt: context.now, updatedAt: context.now })
        .run();
    } else {
      writer(context)
        .update(providers)
        .set({ ...desired, ...credentialColumn, source: 'config', updatedAt: context.now })
        .where(eq(providers.id, row.id))
        .run();
    }
    return item;
  });
}

export function reconcileModels(context: ReconcileContext, list: ModelConfig[]): PlanItem[] {
  return list.map((model, index) => {
    const existing = findModel(context.db, model.name);
    const pricing = model.pricing == null ? null : { input: model.pricing.input, output: model.pricing.output, cachedInput: model.pricing.cachedInput ?? null };
    const desired = {
      type: model.type,
      status: model.status ?? 'enabled',
      pricing,
      dropParams: model.dropParams ?? [],
      deployments: model.deployments.map((d) => ({ provider: d.provider, model: d.model, weight: d.weight ?? 1, priority: d.priority ?? 0 })),
    };
    const row = existing?.row;
    const current =
      row === undefined
        ? desired
        : {
            type: row.type,
            status: row.status,
            pricing: row.inputPrice === null || row.outputPrice === null ? null : { input: row.inputPrice, output: row.outputPrice, cachedInput: row.cachedInputPrice },
            dropParams: row.dropParams,
            deployments: existing?.deployments ?? [],
          };
    const changes = diffFields(current, desired);
    const item = planItem('model', model.name, row !== undefined, changes);
    if (!context.write || item.action === 'unchanged') return item;
    const columns = {
      type: desired.type,
      status: desired.status,
      inputPrice: pricing?.input ?? null,
      outputPrice: pricing?.output ?? null,
      cachedInputPrice: pricing?.cachedInput ?? null,
      dropParams: desired.dropParams,
      source: 'config' as const,
      updatedAt: context.now,
    };
    const tx = writer(context);
    if (row === undefined) tx.insert(models).values({ name: model.name, ...columns, createdAt: context.now }).run();
    else tx.update(models).set(columns).where(eq(models.name, model.name)).run();
    if (row === undefined || changes.some((change) => change.field === 'deployments')) writeDeployments(tx, model.name, model.deployments, `models[${index}].deployments`);
    return item;
  });
}

export function reconcileServices(context: ReconcileContext, list: ServiceConfig[]): PlanItem[] {
  return list.map((service, index) => {
    const row = findServiceByName(context.db, service.name);
    const desired = { approval: service.approval ?? 'manual', models: [...new Set(service.models)].sort() };
    const current = row === undefined ? desired : { approval: row.approval, models: modelsByService(context.db, [row.id]).get(row.id) ?? [] };
    const changes = diffFields(current, desired);
    const item = planItem('service', service.name, row !== undefined, changes);
    if (!context.write || item.action === 'unchanged') return item;
    const tx = writer(context);
    const id = row?.id ?? newId('svc');
    if (row === undefined) tx.insert(services).values({ id, name: service.name, approval: desired.approval, createdAt: context.now, updatedAt: context.now }).run();
    else tx.update(services).set({ approval: desired.approval, updatedAt: context.now }).where(eq(services.id, id)).run();
    writeServiceModels(tx, id, desired.models, `services[${index}].models`);
    return item;
  });
}
