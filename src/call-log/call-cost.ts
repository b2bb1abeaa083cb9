import type { Usage } from '../adapters/types.js';
import type { ModelPricing } from '../catalog/model-catalog.js';

const TOKENS_PER_PRICE_UNIT = 1_000_000;

/**
 * A call's cost in USD from the model's prices per million tokens. Cached prompt tokens are a
 * part of `prompt_tokens` (OpenAI's accounting) and are priced at `cachedInput` when the model
 * has one, else at the input price. Reasoning tokens are a part of `completion_tokens` and are
 * priced as output. `null` when the model has no price or the call reported no usage: an
 * unknown cost is not a zero cost.
 */
export function callCostUsd(usage: Usage | null, pricing: ModelPricing | null): number | null {
  if (usage === null || pricing === null) return null;
  const prompt = Math.max(0, usage.prompt_tokens);
  const cached = Math.min(prompt, Math.max(0, usage.prompt_tokens_details?.cached_tokens ?? 0));
  const completion = Math.max(0, usage.completion_tokens);
  const cachedPrice = pricing.cachedInput ?? pricing.input;
  const usd = ((prompt - cached) * pricing.input + cached * cachedPrice + completion * pricing.output) / TOKENS_PER_PRICE_UNIT;
  return roundUsd(usd);
}

/** Twelve decimals: far below a cent, and free of binary noise such as 0.30000000000000004. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}
