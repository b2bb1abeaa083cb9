import type { StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { FinishReason } from '../types.js';

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason`. `pause_turn` (a server tool paused a long
 * turn) is a normal stop for an OpenAI client; a null or unknown reason (newer API versions add
 * some) is too, since clients reject a finish_reason they do not know.
 */
export function mapAnthropicStopReason(reason: StopReason | string | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * When the model answered a `json_schema` request through the forced answer tool (see
 * convert-response-format.ts), Anthropic says `tool_use` although the client asked for no tool:
 * the answer is the message content, so the call simply stopped.
 */
export function finishReasonFor(
  reason: StopReason | string | null | undefined,
  emittedToolCalls: number,
): FinishReason {
  const mapped = mapAnthropicStopReason(reason);
  return mapped === 'tool_calls' && emittedToolCalls === 0 ? 'stop' : mapped;
}
