import type { FinishReason } from '../types.js';

/** Every reason Gemini gives for withholding or cutting an answer on policy grounds. */
const FILTERED: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * Gemini `finishReason` → OpenAI `finish_reason`. Gemini ends a tool-calling turn with plain
 * STOP, so `hasToolCalls` decides between `stop` and `tool_calls`. Values newer than the SDK
 * (the API keeps adding them) and MALFORMED_FUNCTION_CALL, OTHER… end as a plain `stop`,
 * because OpenAI clients reject unknown finish reasons.
 */
export function mapGeminiFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== null && reason !== undefined && FILTERED.has(reason)) return 'content_filter';
  if ((reason === 'STOP' || reason === null || reason === undefined) && hasToolCalls) return 'tool_calls';
  return 'stop';
}
