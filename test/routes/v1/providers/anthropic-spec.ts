import {
  ANTHROPIC_FIXTURES,
  anthropicError,
  anthropicFixtureStream,
  anthropicMessage,
  anthropicMessageEvents,
  anthropicMidStreamErrorFrame,
  anthropicStream,
  startAnthropicFake,
} from '../../../fake-upstreams/anthropic.js';
import type { ProviderSpec } from './provider-spec.js';

const errorType: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 429: 'rate_limit_error', 500: 'api_error' };

/** message_start, the text block's start and its first word pieces: a stream that has begun. */
function openingEvents(text: string) {
  return anthropicMessageEvents(anthropicMessage({ text })).filter((event) => event.type !== 'ping' && event.type !== 'content_block_stop' && event.type !== 'message_delta' && event.type !== 'message_stop');
}

export const anthropicSpec: ProviderSpec = {
  kind: 'anthropic',
  upstreamModel: 'claude-haiku-4-5',
  start: () => startAnthropicFake(),
  fixtureStream: () => anthropicFixtureStream(ANTHROPIC_FIXTURES.textThenToolUse),
  fixtureToolCall: {
    name: 'json',
    arguments: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] },
  },
  fixtureUsage: { prompt_tokens: 849, completion_tokens: 47, total_tokens: 896 },
  httpError: (status, message, headers) => anthropicError(status, errorType[status] ?? 'api_error', message, headers),
  credentialError: () => anthropicError(401, 'authentication_error', 'invalid x-api-key'),
  midStreamError: (message = 'Overloaded') => anthropicStream([...openingEvents('Hi'), anthropicMidStreamErrorFrame('overloaded_error', message)]),
  truncatedStream: () => anthropicStream(openingEvents('Hi')),
  slowStream: (delayMs) =>
    anthropicStream(openingEvents(Array.from({ length: 100 }, (_, i) => `piece${i}`).join(' ')), { frameDelayMs: delayMs, hold: true }),
  chatPath: /^\/v1\/messages/,
  toolResultIn: (body) => {
    const messages = (body as { messages?: Array<{ content: unknown }> }).messages ?? [];
    const blocks = messages.flatMap((message) => (Array.isArray(message.content) ? (message.content as Array<{ type: string; content?: unknown }>) : []));
    const result = blocks.find((block) => block.type === 'tool_result');
    return result === undefined ? undefined : JSON.stringify(result.content);
  },
  toolNamesIn: (body) => ((body as { tools?: Array<{ name: string }> }).tools ?? []).map((tool) => tool.name),
  allowedToolsNative: false,
  embeddings: false,
};
