import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { adapterFactories } from '../adapters/registry.js';
import { loadModelCatalog, type CachedAdapter, type ModelCatalog } from '../catalog/model-catalog.js';
import { applyGatewayConfig } from '../config/apply-gateway-config.js';
import { loadGatewayConfig } from '../config/gateway-config.js';
import { createImageFetcher } from '../routing/image-fetcher.js';
import { Invoker } from '../routing/invoker.js';
import { baseUrlWarnings } from '../adapters/base-url-rules.js';
import { listProviders } from '../admin/providers-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current model catalog; replaced whole by `reloadCatalog()` after every admin write. */
    catalog: ModelCatalog;
    reloadCatalog(): void;
    invoker: Invoker;
  }
}

export interface ModelRouterOptions {
  configFile: string | undefined;
  upstreamTimeoutMs: number;
  allowPrivateFetch: boolean;
}

/** Applies the configuration file, loads the model catalog and builds the invoker. */
export default fp(
  async function modelRouter(fastify: FastifyInstance, options: ModelRouterOptions) {
    if (options.configFile !== undefined) {
      applyGatewayConfig(fastify.db, loadGatewayConfig(options.configFile), fastify.secrets);
      fastify.log.info({ file: options.configFile }, 'configuration applied');
    }
    // Every provider, from the file or the admin API: a wrong base URL fails only at the first call.
    for (const provider of listProviders(fastify.db).items) {
      for (const warning of baseUrlWarnings(provider.kind, provider.baseUrl)) fastify.log.warn({ provider: provider.name }, warning);
    }
    const fetchImage = createImageFetcher(options.allowPrivateFetch);
    const adapterCache = new Map<string, CachedAdapter>();
    const load = () => loadModelCatalog({ db: fastify.db, secrets: fastify.secrets, factories: adapterFactories, fetchImage, adapterCache });
    fastify.decorate('catalog', load());
    fastify.decorate('reloadCatalog', function reloadCatalog(this: FastifyInstance) {
      fastify.catalog = load();
    });
    fastify.onStateChange(() => fastify.reloadCatalog());
    // A provider's adapter replaced by a reload is not closed: a call (or its fallback) that took
    // the previous catalog may still be using it, and its idle sockets expire on their own.
    fastify.addHook('onClose', async () => {
      await Promise.all([...adapterCache.values()].map(({ adapter }) => adapter.close?.()));
    });
    fastify.decorate('invoker', new Invoker(options.upstreamTimeoutMs));
  },
  { name: 'model-router', dependencies: ['storage', 'state-events'] },
);
