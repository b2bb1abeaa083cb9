import { GatewayError } from '../errors.js';
import type { AdapterFactory, ProviderAdapter } from './types.js';

/** An adapter's module, imported on demand, with what the gateway must know before it is in. */
export interface AdapterModule {
  /** Imports the adapter's module, and with it the provider's SDK. */
  load(): Promise<AdapterFactory>;
  /** Whether the adapter has `embed`: the invoker checks for it before it calls. */
  embeddings: boolean;
  /** The SDK package it brings, named in the error when it cannot be loaded. */
  sdk: string;
}

/**
 * A module that cannot be imported (a package missing or broken in this installation) is the
 * gateway's fault, not the caller's: a 503 that says so. The import error itself, with its file
 * paths, goes to the gateway log as the cause, not to the caller.
 */
function adapterUnavailable(sdk: string, cause: unknown): GatewayError {
  return new GatewayError('service_unavailable', `The gateway could not load the ${sdk} SDK that this model's provider needs; this is a fault of the gateway's installation, not of the request.`, {
    hint: `An operator must reinstall the gateway's dependencies (npm ci) and restart it; the gateway log has the import error.`,
    cause,
  });
}

/**
 * A factory for an adapter whose module (and SDK) is imported when the first provider of its kind
 * is configured, not when the gateway starts. An SDK costs memory for as long as the process lives
 * (the Anthropic SDK alone ~18 MB of RSS), and most gateways talk to one or two kinds of provider.
 *
 * The import starts at once, when the catalog is built, so it has finished long before the first
 * call; a call that comes earlier waits for it. A failed import fails the calls, never the catalog.
 */
export function lazyAdapterFactory(module: AdapterModule): AdapterFactory {
  return (settings) => {
    // Once the module is in, calls go straight to the loaded adapter, without a wait per call.
    let loaded: ProviderAdapter | undefined;
    const ready: Promise<ProviderAdapter> = module.load().then(
      (factory) => (loaded = factory(settings)),
      (cause: unknown) => {
        throw adapterUnavailable(module.sdk, cause);
      },
    );
    // Not an unhandled rejection: the error reaches every call that needs the adapter.
    ready.catch(() => undefined);
    const adapter: ProviderAdapter = {
      checkChat: (request, options) => (loaded !== undefined ? loaded.checkChat?.(request, options) : ready.then((real) => real.checkChat?.(request, options))),
      chat: (request, options) => (loaded !== undefined ? loaded.chat(request, options) : ready.then((real) => real.chat(request, options))),
      chatStream: (request, options) => (loaded !== undefined ? loaded.chatStream(request, options) : ready.then((real) => real.chatStream(request, options))),
      close: async () => {
        const real = await ready.catch(() => undefined);
        await real?.close?.();
      },
    };
    if (module.embeddings) {
      adapter.embed = async (request, options) => {
        const real = loaded ?? (await ready);
        if (real.embed === undefined) throw new Error('adapter module declared embeddings but has no embed()');
        return real.embed(request, options);
      };
      adapter.checkEmbed = (request, options) => (loaded !== undefined ? loaded.checkEmbed?.(request, options) : ready.then((real) => real.checkEmbed?.(request, options)));
    }
    return adapter;
  };
}
