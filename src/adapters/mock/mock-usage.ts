import type { ChatRequest, Usage } from '../types.js';
import { messageText } from './generate-mock-reply.js';

/** The mock counts ~4 characters per token: deterministic and cheap, good enough for demos and load tests. */
export function countMockTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function mockUsage(request: ChatRequest, completionText: string): Usage {
  const prompt = request.messages.reduce((sum, message) => sum + countMockTokens(messageText(message)) + 3, 0);
  const completion = countMockTokens(completionText);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}
