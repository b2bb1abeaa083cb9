import type { AdapterFactory, ProviderAdapter, ProviderSettings } from '../adapters/types.js';
import { scrubbingCredential } from '../adapters/credential-scrubbing.js';
import type { GatewayDb } from '../db/client.js';
import { deployments, models, providers, type ModelRow, type ProviderKind } from '../db/schema.js';
import { GatewayError } from '../errors.js';
import type { SecretBox } from '../secrets/secret-box.js';

export interface DeploymentRoute {
  providerId: string;
  providerName: string;
  providerKind: ProviderKind;
  upstreamModel: string;
  weight: number;
  priority: number;
  adapter: ProviderAdapter;
}

export interface ModelPricing {
  /** USD per million tokens. */
  input: number;
  output: number;
  cachedInput: number | null;
}

export interface CatalogModel {
  name: string;
  type: ModelRow['type'];
  createdAt: Date;
  pricing: ModelPricing | null;
  dropParams: ReadonlySet<string>;
  deployments: readonly DeploymentRoute[];
}

export type Endpoint = 'chat' | 'embeddings';

const typeForEndpoint: Record<Endpoint, ModelRow['type']> = { chat: 'chat', embeddings: 'embedding' };

/** 'a chat', 'an embedding' */
const withArticle = (type: ModelRow['type']): string => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;

/**
 * The in-memory view of enabled models and their routes: the hot path never reads the
 * database. Rebuilt whole on every admin write (it is small), so a change applies to the next call.
 */
export class ModelCatalog {
  constructor(private readonly byName: ReadonlyMap<string, CatalogModel>) {}

  list(): CatalogModel[] {
    return [...this.byName.values()];
  }

  find(name: string): CatalogModel | undefined {
    return this.byName.get(name);
  }

  /** The model for an endpoint, or 404 `model_not_found` (also for the wrong type). */
  resolve(name: string, endpoint: Endpoint): CatalogModel {
    const model = this.byName.get(name);
    if (model === undefined) {
      throw new GatewayError('model_not_found', `The model '${name}' does not exist or is not enabled.`, {
        param: 'model',
        hint: 'GET /v1/models lists the models you can call.',
      });
    }
    if (model.type !== typeForEndpoint[endpoint]) {
      throw new GatewayError(
        'model_not_found',
        `The model '${name}' is ${withArticle(model.type)} model and cannot serve /v1/${endpoint === 'chat' ? 'chat/completions' : 'embeddings'}.`,
        { param: 'model', hint: `Use ${withArticle(typeForEndpoint[endpoint])} model; GET /v1/models lists them.` },
      );
    }
    return model;
  }
}

export interface CatalogDependencies {
  db: GatewayDb;
  secrets: SecretBox;
  factories: Readonly<Record<ProviderKind, AdapterFactory>>;
  fetchImage: NonNullable<ProviderSettings['fetchImage']>;
  /**
   * Adapters of the previous load, by provider id. A provider whose settings did not change keeps
   * its adapter: its SDK client's keep-alive pool and adapter state (Gemini thought signatures)
   * survive admin writes that have nothing to do with it, such as creating a key.
   */
  adapterCache?: Map<string, CachedAdapter>;
}

export interface CachedAdapter {
  fingerprint: string;
  adapter: ProviderAdapter;
}

function providerFingerprint(row: typeof providers.$inferSelect): string {
  // The sealed credential changes whenever the key is set again, so comparing it is enough.
  return JSON.stringify([row.kind, row.baseUrl, row.credential, row.options]);
}

export function loadModelCatalog({ db, secrets, factories, fetchImage, adapterCache = new Map() }: CatalogDependencies): ModelCatalog {
  const adapters = new Map<string, { row: typeof providers.$inferSelect; adapter: ProviderAdapter }>();
  const seen = new Set<string>();
  for (const row of db.select().from(providers).all()) {
    seen.add(row.id);
    const fingerprint = providerFingerprint(row);
    const cached = adapterCache.get(row.id);
    if (cached?.fingerprint === fingerprint) {
      adapters.set(row.id, { row, adapter: cached.adapter });
      continue;
    }
    const settings: ProviderSettings = {
      ...(row.baseUrl === null ? {} : { baseUrl: row.baseUrl }),
      ...(row.credential === null ? {} : { apiKey: secrets.open(row.credential) }),
      ...(row.options === null ? {} : { options: row.options }),
      fetchImage,
    };
    const adapter = scrubbingCredential(factories[row.kind](settings), settings.apiKey);
    adapterCache.set(row.id, { fingerprint, adapter });
    adapters.set(row.id, { row, adapter });
  }
  for (const id of adapterCache.keys()) if (!seen.has(id)) adapterCache.delete(id);
  const routes = new Map<string, DeploymentRoute[]>();
  for (const deployment of db.select().from(deployments).all()) {
    const provider = adapters.get(deployment.providerId);
    if (provider === undefined) continue;
    const list = routes.get(deployment.modelName) ?? [];
    list.push({
      providerId: provider.row.id,
      providerName: provider.row.name,
      providerKind: provider.row.kind,
      upstreamModel: deployment.upstreamModel,
      weight: deployment.weight,
      priority: deployment.priority,
      adapter: provider.adapter,
    });
    routes.set(deployment.modelName, list);
  }
  const byName = new Map<string, CatalogModel>();
  for (const row of db.select().from(models).all()) {
    const modelRoutes = routes.get(row.name) ?? [];
    if (row.status !== 'enabled' || modelRoutes.length === 0) continue;
    byName.set(row.name, {
      name: row.name,
      type: row.type,
      createdAt: row.createdAt,
      pricing:
        row.inputPrice === null || row.outputPrice === null
          ? null
          : { input: row.inputPrice, output: row.outputPrice, cachedInput: row.cachedInputPrice },
      dropParams: new Set(row.dropParams),
      deployments: modelRoutes,
    });
  }
  return new ModelCatalog(byName);
}
