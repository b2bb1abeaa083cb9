import type { Usage as AnthropicUsage } from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '../types.js';

/** The token counts the translation needs, from either a message's usage or a message_delta's. */
export type AnthropicTokenCounts = Pick<
  AnthropicUsage,
  'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'
>;

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Anthropic's `input_tokens` excludes the cached part of the prompt, while OpenAI's
 * `prompt_tokens` is the whole prompt: the cache writes and reads are added back, and the reads
 * are reported as `cached_tokens` (pricing depends on them). `output_tokens` already includes
 * any thinking tokens.
 */
export function convertAnthropicUsage(usage: AnthropicTokenCounts): Usage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const promptTokens = count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + cacheRead;
  const completionTokens = count(usage.output_tokens);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/**
 * A message_delta's usage is cumulative (it restates the totals so far), so its numbers replace
 * the ones from message_start; the fields it leaves null keep their earlier value.
 */
export function mergeDeltaUsage(
  current: AnthropicTokenCounts,
  delta: { [K in keyof AnthropicTokenCounts]?: number | null },
): AnthropicTokenCounts {
  return {
    input_tokens: delta.input_tokens ?? current.input_tokens,
    output_tokens: delta.output_tokens ?? current.output_tokens,
    cache_creation_input_tokens: delta.cache_creation_input_tokens ?? current.cache_creation_input_tokens,
    cache_read_input_tokens: delta.cache_read_input_tokens ?? current.cache_read_input_tokens,
  };
}
