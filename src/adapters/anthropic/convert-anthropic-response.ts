import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../../errors.js';
import type { ChatResult, ToolCall } from '../types.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { finishReasonFor } from './map-anthropic-stop-reason.js';

/**
 * A non-streamed Anthropic message → one OpenAI choice (wire-protocols §2 "Anthropic → OpenAI").
 * - Text blocks are joined into `content`; it is null when there is no text but tool calls.
 * - `tool_use` blocks become tool calls, their input serialized as the JSON arguments string.
 * - With a `json_schema` response format the forced answer tool's input *is* the content (see
 *   convert-response-format.ts); when it was called, text blocks are dropped, since any prose
 *   around the JSON would break the client's JSON parsing.
 * - Thinking and redacted_thinking blocks are dropped: the OpenAI shape has no field for them,
 *   and their tokens are still counted in `completion_tokens`. Server-tool blocks are dropped
 *   too: the gateway never asks for server tools.
 */
export function convertAnthropicResponse(message: Message, answerToolName: string | undefined): ChatResult {
  // A misconfigured base URL can answer 200 with another API's JSON (even `{}`): that is a failed
  // call, never an empty answer that looks like success and costs nothing.
  if (message === null || typeof message !== 'object' || !Array.isArray(message.content)) {
    throw new GatewayError('upstream_error', 'The provider answered with something that is not an Anthropic message.', {
      hint: "A platform admin should check the provider's base URL (Anthropic's is the bare origin, https://api.anthropic.com).",
    });
  }
  const texts: string[] = [];
  const answers: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') {
      texts.push(block.text);
    } else if (block.type === 'tool_use') {
      const argumentsText = JSON.stringify(block.input ?? {});
      if (answerToolName !== undefined && block.name === answerToolName) answers.push(argumentsText);
      else toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: argumentsText } });
    }
  }

  const text = answers.length > 0 ? answers.join('') : texts.join('');
  return {
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonFor(message.stop_reason, toolCalls.length),
      },
    ],
    usage: message.usage ? convertAnthropicUsage(message.usage) : null,
    providerResponseId: message.id,
  };
}
