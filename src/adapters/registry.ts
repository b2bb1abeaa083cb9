import type { ProviderKind } from '../db/schema.js';
import { lazyAdapterFactory, type AdapterModule } from './lazy-adapter-factory.js';
import { createMockAdapter } from './mock/mock-adapter.js';
import type { AdapterFactory } from './types.js';

/** The SDK-backed adapters, each imported when a provider of its kind is first configured. */
export const adapterModules = {
  openai: { load: async () => (await import('./openai/openai-adapter.js')).createOpenAIAdapter, embeddings: true, sdk: 'openai' },
  anthropic: { load: async () => (await import('./anthropic/anthropic-adapter.js')).createAnthropicAdapter, embeddings: false, sdk: '@anthropic-ai/sdk' },
  gemini: { load: async () => (await import('./gemini/gemini-adapter.js')).createGeminiAdapter, embeddings: true, sdk: '@google/generative-ai' },
} satisfies Record<string, AdapterModule>;

const openAI = lazyAdapterFactory(adapterModules.openai);

/**
 * Provider kind → adapter. OpenAI-compatible servers reuse the OpenAI adapter with another base
 * URL. The mock has no SDK and is always in.
 */
export const adapterFactories: Readonly<Record<ProviderKind, AdapterFactory>> = {
  mock: createMockAdapter,
  openai: openAI,
  'openai-compatible': openAI,
  anthropic: lazyAdapterFactory(adapterModules.anthropic),
  gemini: lazyAdapterFactory(adapterModules.gemini),
};
