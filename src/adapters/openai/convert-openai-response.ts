import type { ChatCompletion, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import { GatewayError } from '../../errors.js';
import type { ChatChoice, ChatResult, ChoiceLogprobs, ToolCall } from '../types.js';
import { convertOpenAIUsage, normalizeFinishReason } from './convert-openai-usage.js';
import { generateToolCallId } from './openai-stream.js';

/**
 * The gateway's contract carries function tool calls only. A custom (free-text) tool call can
 * only answer a custom tool the client itself declared, which the gateway does not support yet.
 */
function toFunctionCalls(toolCalls: ChatCompletionMessageToolCall[] | null | undefined): ToolCall[] | undefined {
  if (!toolCalls || toolCalls.length === 0) return undefined;
  const calls: ToolCall[] = [];
  for (const call of toolCalls) {
    // Keyed on the `function` field, not `type`: some compatible servers omit `type`.
    if (!('function' in call) || !call.function) continue;
    calls.push({
      // Clients need an id to answer the call; some compatible servers send none (as in a stream).
      id: typeof call.id === 'string' && call.id !== '' ? call.id : generateToolCallId(),
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments ?? '' },
    });
  }
  return calls.length > 0 ? calls : undefined;
}

function toChoice(choice: ChatCompletion.Choice, position: number): ChatChoice {
  const message = choice.message ?? { content: null, refusal: null };
  const toolCalls = toFunctionCalls(message.tool_calls);
  return {
    index: typeof choice.index === 'number' ? choice.index : position,
    message: {
      role: 'assistant',
      content: message.content ?? null,
      refusal: message.refusal ?? null,
      ...(toolCalls ? { tool_calls: toolCalls } : {}),
    },
    // Asked for by the client (logprobs is passed upstream): the provider's own, as it sent them.
    logprobs: choice.logprobs !== null && typeof choice.logprobs === 'object' ? (choice.logprobs as unknown as ChoiceLogprobs) : null,
    finish_reason: normalizeFinishReason(choice.finish_reason),
  };
}

/** A non-streamed chat.completion → the gateway's ChatResult. */
export function convertOpenAIResponse(completion: ChatCompletion): ChatResult {
  // A misconfigured base URL often answers 200 with an HTML page or another API's JSON.
  // An empty choices list is no answer either (a stream request answered by a server without choices).
  if (completion === null || typeof completion !== 'object' || !Array.isArray(completion.choices) || completion.choices.length === 0) {
    throw new GatewayError('upstream_error', 'The provider answered with something that is not a chat completion.', {
      hint: "A platform admin should check the provider's base URL (it must end where /chat/completions is appended).",
    });
  }
  return {
    choices: completion.choices.map(toChoice),
    usage: convertOpenAIUsage(completion.usage),
    ...(typeof completion.id === 'string' ? { providerResponseId: completion.id } : {}),
  };
}
