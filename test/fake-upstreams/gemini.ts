/**
 * A fake Google Gemini v1beta upstream on 127.0.0.1, for adapter and end-to-end gateway tests.
 *
 *   const gemini = await startGeminiFake();          // baseUrl = bare origin, as the SDK takes it
 *   gemini.enqueue(geminiFixtureStream());           // script the next answer(s)…
 *   gemini.requests[0].body                          // …and assert what the gateway sent
 *
 * Unscripted requests get a Gemini-shaped answer from the fallback:
 * - `POST /v1beta/models/{m}:generateContent` → {@link geminiTextResponse}({@link GEMINI_FAKE_REPLY})
 * - `POST /v1beta/models/{m}:streamGenerateContent?alt=sse` → the same text in two chunks, then
 *   a final chunk with `finishReason: "STOP"` and usage; frames are exactly
 *   `data: <one-line JSON>\r\n\r\n` (no event or comment lines) and the end of the body ends it
 * - `POST /v1beta/models/{m}:embedContent` and `:batchEmbedContents` → deterministic vectors
 *   ({@link fakeEmbedding}) of `outputDimensionality` (default {@link GEMINI_FAKE_DIMENSIONS}) values
 * The API key is read from `x-goog-api-key` or `?key=`; with `apiKey` set, any other key gets
 * Gemini's real answer to a bad key: 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
 */
import { readFixture, readJsonLines } from '../helpers/fixtures.js';
import { startFakeServer, type FakeUpstream, type RecordedRequest, type ScriptedResponse } from './fake-server.js';

export const GEMINI_FIXTURE = 'gemini-streamGenerateContent-functionCall.chunks.jsonl';
const GEMINI_FIXTURE_SSE = 'derived/gemini-streamGenerateContent-functionCall.alt-sse.txt';

export const GEMINI_FAKE_REPLY = 'Hello from the Gemini fake.';
export const GEMINI_FAKE_DIMENSIONS = 8;
/** Usage the fallback reports for chat answers. */
export const GEMINI_FAKE_USAGE = { promptTokenCount: 7, candidatesTokenCount: 6, totalTokenCount: 13 };

export interface GeminiFakeOptions {
  /** When set, requests carrying another key are refused as Gemini refuses a bad key. */
  apiKey?: string;
}

const PATH = /^\/v1beta\/models\/([^/:?]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)(?:\?|$)/;

export function startGeminiFake(options: GeminiFakeOptions = {}): Promise<FakeUpstream> {
  return startFakeServer('', (request) => answer(request, options));
}

function answer(request: RecordedRequest, options: GeminiFakeOptions): ScriptedResponse {
  const match = PATH.exec(request.url);
  if (request.method !== 'POST' || match === null) {
    return json(404, geminiErrorBody(404, 'NOT_FOUND', `Method or path not found: ${request.method} ${request.url}`));
  }
  const key = geminiApiKeyOf(request);
  if (key === undefined) {
    return json(403, geminiErrorBody(403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers. Please use API Key.'));
  }
  if (options.apiKey !== undefined && key !== options.apiKey) return json(400, geminiApiKeyInvalidBody());
  const [, model = '', task] = match;
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (task) {
    case 'generateContent':
      return json(200, geminiTextResponse(GEMINI_FAKE_REPLY, { modelVersion: model }));
    case 'streamGenerateContent':
      return { kind: 'sse', frames: geminiSseFrames(geminiTextChunks(['Hello from ', 'the Gemini fake.'], { modelVersion: model })) };
    case 'embedContent':
      return json(200, { embedding: embedOne(body) });
    default: {
      const requests = Array.isArray(body.requests) ? (body.requests as Record<string, unknown>[]) : [];
      const wrongModel = requests.find((entry) => entry.model !== `models/${model}`);
      if (wrongModel !== undefined) {
        return json(400, geminiErrorBody(400, 'INVALID_ARGUMENT', `Each request's model must be models/${model}.`));
      }
      return json(200, { embeddings: requests.map(embedOne) });
    }
  }
}

function json(status: number, body: unknown): ScriptedResponse {
  return { kind: 'json', status, body };
}

/** The key a request authenticated with: `x-goog-api-key` (what the SDK sends) or `?key=`. */
export function geminiApiKeyOf(request: RecordedRequest): string | undefined {
  const header = request.headers['x-goog-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const query = new URL(request.url, 'http://fake').searchParams.get('key');
  return query === null || query === '' ? undefined : query;
}

// ------------------------------------------------------------------ answers

/** A complete `generateContent` answer with one text candidate. */
export function geminiTextResponse(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: GEMINI_FAKE_USAGE,
    modelVersion: 'gemini-fake',
    responseId: 'fake-response-id',
    ...extra,
  };
}

/** Stream chunks for a text answer: one chunk per piece, then STOP with an empty text part, as Gemini does. */
export function geminiTextChunks(pieces: string[], extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const chunk = (text: string, finishReason?: string) => ({
    candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(finishReason ? { finishReason } : {}), index: 0 }],
    usageMetadata: GEMINI_FAKE_USAGE,
    modelVersion: 'gemini-fake',
    responseId: 'fake-stream-id',
    ...extra,
  });
  return [...pieces.map((piece) => chunk(piece)), chunk('', 'STOP')];
}

/** One `alt=sse` frame: exactly `data: <one-line JSON>\r\n\r\n`. */
export function geminiSseFrame(chunk: unknown): string {
  return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
}

export function geminiSseFrames(chunks: unknown[]): string[] {
  return chunks.map(geminiSseFrame);
}

/** The recorded gemini-3-pro-preview chunks (one `functionCall` with a `thoughtSignature`, then STOP). */
export function geminiFixtureChunks(): Array<Record<string, unknown>> {
  return readJsonLines<Record<string, unknown>>(GEMINI_FIXTURE);
}

/** The thoughtSignature the recorded stream carries beside its `weather` function call. */
export function geminiFixtureThoughtSignature(): string {
  const [first] = geminiFixtureChunks() as Array<{ candidates: Array<{ content: { parts: Array<{ thoughtSignature?: string }> } }> }>;
  const signature = first?.candidates[0]?.content.parts[0]?.thoughtSignature;
  if (signature === undefined) throw new Error('the Gemini fixture has no thoughtSignature');
  return signature;
}

/** Replays the recorded stream byte for byte, from the framed (`derived/`) fixture. */
export function geminiFixtureStream(frameDelayMs = 0): ScriptedResponse {
  const frames = readFixture(GEMINI_FIXTURE_SSE)
    .split('\r\n\r\n')
    .filter((frame) => frame !== '')
    .map((frame) => `${frame}\r\n\r\n`);
  return { kind: 'sse', frames, frameDelayMs };
}

/** A stream that says `pieces` and then fails with an `error` frame, as Gemini does after a 200. */
export function geminiMidStreamError(pieces: string[], code = 500, status = 'INTERNAL', message = 'An internal error has occurred.'): ScriptedResponse {
  const chunks = geminiTextChunks(pieces).slice(0, pieces.length);
  return { kind: 'sse', frames: [...geminiSseFrames(chunks), geminiSseFrame(geminiErrorBody(code, status, message))] };
}

// ------------------------------------------------------------------ errors

/** Gemini's error body: `{error: {code, message, status, details?}}`. */
export function geminiErrorBody(code: number, status: string, message: string, details?: unknown[]): Record<string, unknown> {
  return { error: { code, message, status, ...(details === undefined ? {} : { details }) } };
}

/** What Gemini answers (with HTTP 400, not 401) to an invalid API key. */
export function geminiApiKeyInvalidBody(): Record<string, unknown> {
  return geminiErrorBody(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
  ]);
}

/** A 429 body with a `google.rpc.RetryInfo` detail, e.g. `retryDelay: "34.4s"`. */
export function geminiRateLimitBody(retryDelay = '34.4s'): Record<string, unknown> {
  return geminiErrorBody(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
    { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests' }] },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
  ]);
}

/** A scripted HTTP error answer with a Gemini body. */
export function geminiError(code: number, body: Record<string, unknown>): ScriptedResponse {
  return json(code, body);
}

// ------------------------------------------------------------------ embeddings

/** A deterministic, text-dependent vector: equal texts embed equally, different texts differ. */
export function fakeEmbedding(text: string, dimensions = GEMINI_FAKE_DIMENSIONS): number[] {
  let seed = 0;
  for (const char of text) seed = (seed * 31 + (char.codePointAt(0) ?? 0)) % 1_000_003;
  return Array.from({ length: dimensions }, (_, index) => Number((((seed + index * 7919) % 1000) / 1000).toFixed(3)));
}

function embedOne(request: Record<string, unknown>): { values: number[] } {
  const content = request.content as { parts?: Array<{ text?: string }> } | undefined;
  const text = (content?.parts ?? []).map((part) => part.text ?? '').join('');
  const dimensions = typeof request.outputDimensionality === 'number' ? request.outputDimensionality : GEMINI_FAKE_DIMENSIONS;
  return { values: fakeEmbedding(text, dimensions) };
}
