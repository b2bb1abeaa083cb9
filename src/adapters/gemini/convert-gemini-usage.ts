import type { Usage } from '../types.js';
import type { GeminiUsageMetadata } from './gemini-wire-types.js';

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Gemini `usageMetadata` → OpenAI usage (wire-protocols §3). Gemini counts thinking apart from
 * the candidates while OpenAI's completion tokens include reasoning, so completion =
 * candidates + thoughts and reasoning = thoughts; `totalTokenCount` already holds all three
 * (fixture: 29 + 15 + 45 = 89). Details appear only when Gemini reported them.
 */
export function convertGeminiUsage(metadata: GeminiUsageMetadata | null | undefined): Usage | null {
  if (metadata === null || metadata === undefined) return null;
  const promptTokens = count(metadata.promptTokenCount);
  const completionTokens = count(metadata.candidatesTokenCount) + count(metadata.thoughtsTokenCount);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: typeof metadata.totalTokenCount === 'number' ? metadata.totalTokenCount : promptTokens + completionTokens,
    ...(metadata.cachedContentTokenCount === undefined
      ? {}
      : { prompt_tokens_details: { cached_tokens: count(metadata.cachedContentTokenCount) } }),
    ...(metadata.thoughtsTokenCount === undefined
      ? {}
      : { completion_tokens_details: { reasoning_tokens: count(metadata.thoughtsTokenCount) } }),
  };
}
