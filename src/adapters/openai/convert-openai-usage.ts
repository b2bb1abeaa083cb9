import type { CompletionUsage } from 'openai/resources/completions';
import type { FinishReason, Usage } from '../types.js';

const FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/**
 * OpenAI's own finish reasons pass unchanged. OpenAI-compatible servers sometimes send none or
 * their own words ("eos", "end_turn"…), which clients would reject: those mean a normal stop.
 */
export function normalizeFinishReason(reason: string | null | undefined): FinishReason {
  return reason !== null && reason !== undefined && FINISH_REASONS.has(reason) ? (reason as FinishReason) : 'stop';
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Keeps the token details (cached prompt tokens, reasoning tokens…) because pricing depends on
 * them. Compatible servers may omit total_tokens: it is then the sum.
 */
export function convertOpenAIUsage(usage: CompletionUsage | null | undefined): Usage | null {
  if (usage === null || usage === undefined) return null;
  const promptTokens = count(usage.prompt_tokens);
  const completionTokens = count(usage.completion_tokens);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : promptTokens + completionTokens,
    ...(usage.prompt_tokens_details ? { prompt_tokens_details: { ...usage.prompt_tokens_details } } : {}),
    ...(usage.completion_tokens_details ? { completion_tokens_details: { ...usage.completion_tokens_details } } : {}),
  };
}
