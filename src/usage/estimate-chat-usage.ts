import type { ChatMessage, ChatRequest, ChatResult, Usage } from '../adapters/types.js';
import type { TokenCounter } from './token-counter.js';

/**
 * Per message, OpenAI's chat format adds a few tokens around the content (role and
 * separators); its own cookbook counts 3, plus 3 to prime the reply.
 */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

function messageParts(message: ChatMessage): string[] {
  const parts: string[] = [message.role];
  if (typeof message.name === 'string') parts.push(message.name);
  if (typeof message.content === 'string') parts.push(message.content);
  else if (Array.isArray(message.content)) {
    for (const part of message.content) {
      // Images and audio are priced by the provider in ways text counting cannot know: left out.
      if (part.type === 'text' && typeof part.text === 'string') parts.push(part.text);
    }
  }
  for (const call of message.tool_calls ?? []) parts.push(call.function.name, call.function.arguments);
  return parts;
}

/** The prompt as text the tokenizer can count: every message's text, and the tool definitions. */
export function chatPromptText(request: ChatRequest): string {
  const parts = request.messages.flatMap(messageParts);
  if (request.tools !== undefined && request.tools.length > 0) parts.push(JSON.stringify(request.tools));
  return parts.join('\n');
}

/** What a non-streamed answer said, as a stream's produced text counts it: every choice's text and tool calls. */
export function chatResultText(result: ChatResult): string {
  return result.choices
    .map((choice) => {
      const content = typeof choice.message.content === 'string' ? choice.message.content : '';
      return content + (choice.message.tool_calls ?? []).map((call) => call.function.name + call.function.arguments).join('');
    })
    .join('');
}

/**
 * Usage counted by the gateway for an answer whose provider sent none (or a stream cut short):
 * the prompt from the request, the completion from what was actually answered. An estimate:
 * the caller marks the record `tokensEstimated`.
 */
export function estimateChatUsage(counter: TokenCounter, request: ChatRequest, completionText: string): Usage {
  const prompt = counter.count(chatPromptText(request)) + request.messages.length * TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS;
  const completion = counter.count(completionText);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
