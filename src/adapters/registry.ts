import type { ProviderKind } from '../db/schema.js';
import { createMockAdapter } from './mock/mock-adapter.js';
import type { AdapterFactory } from './types.js';

/** Provider kind → adapter. OpenAI-compatible servers reuse the OpenAI adapter with another base URL. */
export const adapterFactories: Readonly<Record<ProviderKind, AdapterFactory>> = {
  mock: createMockAdapter,
  openai: createMockAdapter,
  'openai-compatible': createMockAdapter,
  anthropic: createMockAdapter,
  gemini: createMockAdapter,
};
