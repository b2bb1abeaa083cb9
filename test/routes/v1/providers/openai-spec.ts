import {
  openaiChunk,
  openaiError,
  openaiFixtureStream,
  openaiMidStreamErrorFrame,
  openaiStream,
  startOpenAIFake,
} from '../../../fake-upstreams/openai.js';
import type { ProviderSpec } from './provider-spec.js';

export const openaiSpec: ProviderSpec = {
  kind: 'openai',
  upstreamModel: 'gpt-4o-mini',
  start: () => startOpenAIFake(),
  fixtureStream: () => openaiFixtureStream(),
  fixtureToolCall: { name: 'GetPersonAge', arguments: { personName: 'Alice' } },
  fixtureUsage: { prompt_tokens: 61, completion_tokens: 16, total_tokens: 77 },
  httpError: (status, message, headers) => openaiError(status, message, headers ? { headers } : {}),
  credentialError: () => openaiError(401, 'Incorrect API key provided.', { code: 'invalid_api_key' }),
  truncatedStream: () => openaiStream([openaiChunk({ role: 'assistant', content: 'Hi' })], { done: false }),
  midStreamError: (message = 'The server had an error') => openaiStream([openaiChunk({ role: 'assistant', content: 'Hi' }), openaiMidStreamErrorFrame(message)], { done: false }),
  slowStream: (delayMs) =>
    openaiStream(Array.from({ length: 100 }, (_, i) => openaiChunk({ content: `piece${i} ` })), { frameDelayMs: delayMs, hold: true }),
  chatPath: /^\/v1\/chat\/completions/,
  toolResultIn: (body) => {
    const messages = (body as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
    return messages.find((message) => message.role === 'tool')?.content;
  },
  toolNamesIn: (body) => ((body as { tools?: Array<{ function: { name: string } }> }).tools ?? []).map((tool) => tool.function.name),
  allowedToolsNative: true,
  embeddings: true,
};
