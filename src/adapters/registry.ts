import type { ProviderKind } from '../db/schema.js';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createGeminiAdapter } from './gemini/gemini-adapter.js';
import { createMockAdapter } from './mock/mock-adapter.js';
import { createOpenAIAdapter } from './openai/openai-adapter.js';
import type { AdapterFactory } from './types.js';

/** Provider kind → adapter. OpenAI-compatible servers reuse the OpenAI adapter with another base URL. */
export const adapterFactories: Readonly<Record<ProviderKind, AdapterFactory>> = {
  mock: createMockAdapter,
  openai: createOpenAIAdapter,
  'openai-compatible': createOpenAIAdapter,
  anthropic: createAnthropicAdapter,
  gemini: createGeminiAdapter,
};
