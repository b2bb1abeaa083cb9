import type { ChatRequest, EmbeddingRequest } from '../adapters/types.js';
import { callCostUsd } from '../call-log/call-cost.js';
import type { ModelPricing } from '../catalog/model-catalog.js';
import { estimateChatUsage } from '../usage/estimate-chat-usage.js';
import type { TokenCounter } from '../usage/token-counter.js';
import type { TokenDemand } from './limit-errors.js';

/**
 * What a chat call reserves against a tokens-per-minute limit before it runs: its prompt as
 * the tokenizer counts it, plus the longest answer it allows (max_completion_tokens or
 * max_tokens, times n). Without a maximum the answer cannot be foreseen: only the prompt is
 * reserved, and the answer's real tokens count when it ends.
 */
export function chatTokenDemand(counter: TokenCounter, request: ChatRequest): TokenDemand {
  const promptTokens = estimateChatUsage(counter, request, '').prompt_tokens;
  const maxOutput = request.max_completion_tokens ?? request.max_tokens ?? 0;
  const maxOutputTokens = Math.max(0, maxOutput) * Math.max(1, request.n ?? 1);
  return { tokens: promptTokens + maxOutputTokens, promptTokens, maxOutputTokens };
}

/** Embeddings have no output: the input's tokens (token-id arrays count one per id). */
export function embeddingTokenDemand(counter: TokenCounter, request: EmbeddingRequest): TokenDemand {
  const inputs: unknown[] = Array.isArray(request.input) ? request.input : [request.input];
  let promptTokens = counter.countAll(inputs.filter((input): input is string => typeof input === 'string'));
  for (const input of inputs) {
    if (typeof input === 'number') promptTokens += 1;
    else if (Array.isArray(input)) promptTokens += input.length;
  }
  return { tokens: promptTokens, promptTokens, maxOutputTokens: 0 };
}

/** Calls that use no tokens (GET /v1/models). */
export const noTokenDemand: TokenDemand = { tokens: 0, promptTokens: 0, maxOutputTokens: 0 };

/**
 * What a live call may use, each part worked out only when a limit needs it: counting a prompt
 * costs CPU, and most calls carry no token limit and no budget.
 */
export interface CallDemand {
  tokens(): TokenDemand;
  /**
   * The most the call can cost at its model's prices: the prompt plus the longest answer it
   * allows. 0 when the model has no prices; only the prompt when the request sets no maximum.
   */
  maxCostUsd(): number;
}

/** A demand of these tokens, priced (or not) at the model's prices; the tokens are counted once. */
export function pricedDemand(tokensOf: () => TokenDemand, pricing: ModelPricing | null): CallDemand {
  let tokens: TokenDemand | undefined;
  const counted = () => (tokens ??= tokensOf());
  return {
    tokens: counted,
    maxCostUsd: () => {
      if (pricing === null) return 0;
      const demand = counted();
      const usage = { prompt_tokens: demand.promptTokens, completion_tokens: demand.maxOutputTokens, total_tokens: demand.tokens };
      return callCostUsd(usage, pricing) ?? 0;
    },
  };
}
