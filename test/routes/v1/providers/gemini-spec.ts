import {
  geminiApiKeyInvalidBody,
  geminiError,
  geminiErrorBody,
  geminiFixtureStream,
  geminiMidStreamError,
  geminiRateLimitBody,
  geminiSseFrames,
  geminiTextChunks,
  startGeminiFake,
} from '../../../fake-upstreams/gemini.js';
import type { ProviderSpec } from './provider-spec.js';

const statusName: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export const geminiSpec: ProviderSpec = {
  kind: 'gemini',
  upstreamModel: 'gemini-3-pro-preview',
  start: () => startGeminiFake(),
  fixtureStream: () => geminiFixtureStream(),
  fixtureToolCall: { name: 'weather', arguments: { location: 'San Francisco' } },
  // completion = candidates 15 + thoughts 45 (DESIGN: reasoning is part of the completion).
  fixtureUsage: { prompt_tokens: 29, completion_tokens: 60, total_tokens: 89 },
  httpError: (status, message, headers) =>
    status === 429
      ? geminiError(429, geminiRateLimitBody(`${headers?.['retry-after'] ?? '30'}s`))
      : geminiError(status, geminiErrorBody(status, statusName[status] ?? 'UNKNOWN', message)),
  // Gemini answers an invalid key with HTTP 400 INVALID_ARGUMENT + API_KEY_INVALID (DESIGN §7).
  credentialError: () => geminiError(400, geminiApiKeyInvalidBody()),
  truncatedStream: () => ({ kind: 'sse', frames: geminiSseFrames(geminiTextChunks(['Hi']).slice(0, 1)) }),
  midStreamError: (message?: string) => geminiMidStreamError(['Hi'], 500, 'INTERNAL', message),
  slowStream: (delayMs) => ({
    kind: 'sse',
    frames: geminiSseFrames(geminiTextChunks(Array.from({ length: 100 }, (_, i) => `piece${i} `))),
    frameDelayMs: delayMs,
    hold: true,
  }),
  chatPath: /:(generateContent|streamGenerateContent)/,
  toolResultIn: (body) => {
    const contents = (body as { contents?: Array<{ parts: Array<{ functionResponse?: unknown }> }> }).contents ?? [];
    const response = contents.flatMap((content) => content.parts).find((part) => part.functionResponse)?.functionResponse;
    return response === undefined ? undefined : JSON.stringify(response);
  },
  toolNamesIn: (body) =>
    ((body as { tools?: Array<{ functionDeclarations?: Array<{ name: string }> }> }).tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name),
  allowedToolsNative: false,
  embeddings: true,
};
