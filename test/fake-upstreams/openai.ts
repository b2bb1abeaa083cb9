/**
 * A fake OpenAI (and OpenAI-compatible) upstream on 127.0.0.1, for adapter tests and end-to-end
 * gateway tests. Point a provider's base URL at `fake.baseUrl` (it ends in `/v1`, as the openai
 * SDK takes it). With nothing queued it answers like OpenAI, deterministically:
 * - `POST /v1/chat/completions`: the reply text is `fakeReplyText(body)` ("Echo: <last user
 *   text>"), or a tool call `{}` when `tool_choice` is "required" or names a function. Streams
 *   send a role chunk, word pieces, a finish chunk, a usage chunk when
 *   `stream_options.include_usage`, then `[DONE]`. Usage counts words (`countFakeTokens`).
 * - `POST /v1/embeddings`: `fakeEmbedding(text, dimensions ?? 8)` per input, as floats or as
 *   base64 little-endian float32 per `encoding_format` (values are float32-exact either way).
 * - `GET /v1/models`: the model list.
 * Queue scripted answers with `fake.enqueue(...)` and the builders below; `fake.requests`
 * records what arrived (`.body` is the parsed JSON the upstream really received).
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { readFixture } from '../helpers/fixtures.js';
import { startFakeServer, type FakeUpstream, type RecordedRequest, type ScriptedResponse } from './fake-server.js';

/** The real recorded stream: one tool call GetPersonAge {"personName":"Alice"}, usage 61/16/77. */
export const OPENAI_FIXTURE_NAME = 'openai-chat-stream-tool_call-with-usage.sse';
const CREATED = 1_700_000_000;

// ---------------------------------------------------------------- errors

/** OpenAI's error envelope. */
export function openaiErrorBody(
  message: string,
  type = 'invalid_request_error',
  code: string | null = null,
  param: string | null = null,
) {
  return { error: { message, type, param, code } };
}

/** An HTTP error answer, e.g. `openaiError(429, 'Slow down', { type: 'requests', headers: { 'retry-after': '7' } })`. */
export function openaiError(
  status: number,
  message: string,
  options: { type?: string; code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
): ScriptedResponse {
  const body = openaiErrorBody(message, options.type ?? 'invalid_request_error', options.code ?? null, options.param ?? null);
  return { kind: 'json', status, body, ...(options.headers ? { headers: options.headers } : {}) };
}

// ---------------------------------------------------------------- streams

/** One SSE frame as OpenAI writes it. */
export function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/** A mid-stream error frame (after a 200): the openai SDK throws an APIError without status. */
export function openaiMidStreamErrorFrame(message: string, type = 'server_error', code: string | null = null): string {
  return sseFrame(openaiErrorBody(message, type, code));
}

/** Streams the given chunks (objects or ready frames), then `[DONE]` unless `done: false`. */
export function openaiStream(
  items: Array<ChatCompletionChunk | string>,
  options: { done?: boolean; frameDelayMs?: number; hold?: boolean } = {},
): ScriptedResponse {
  const frames = items.map((item) => (typeof item === 'string' ? item : sseFrame(item)));
  if (options.done !== false) frames.push(SSE_DONE);
  return {
    kind: 'sse',
    frames,
    ...(options.frameDelayMs ? { frameDelayMs: options.frameDelayMs } : {}),
    ...(options.hold ? { hold: true } : {}),
  };
}

/** The recorded fixture's frames, byte for byte (they concatenate back to the file). */
export function openaiFixtureFrames(): string[] {
  return readFixture(OPENAI_FIXTURE_NAME).split(/(?<=\n\n)/);
}

/** Replays the recorded fixture verbatim. */
export function openaiFixtureStream(options: { frameDelayMs?: number } = {}): ScriptedResponse {
  return { kind: 'sse', frames: openaiFixtureFrames(), ...(options.frameDelayMs ? { frameDelayMs: options.frameDelayMs } : {}) };
}

type ChunkDelta = ChatCompletionChunk.Choice.Delta;
type FinishReason = ChatCompletionChunk.Choice['finish_reason'];

/** One chat.completion.chunk with a single choice (index 0 unless given). */
export function openaiChunk(
  delta: ChunkDelta,
  options: { finishReason?: FinishReason; index?: number; model?: string } = {},
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: options.model ?? 'fake-model',
    choices: [{ index: options.index ?? 0, delta, logprobs: null, finish_reason: options.finishReason ?? null }],
  };
}

/** The final `choices: []` chunk that carries usage when `include_usage` was asked for. */
export function openaiUsageChunk(usage: CompletionUsage, model = 'fake-model'): ChatCompletionChunk {
  return { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: CREATED, model, choices: [], usage };
}

// ---------------------------------------------------------------- non-streamed answers

export interface FakeToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface FakeCompletion {
  content?: string | null;
  refusal?: string | null;
  toolCalls?: FakeToolCall[];
  finishReason?: ChatCompletion.Choice['finish_reason'];
  usage?: CompletionUsage;
  model?: string;
  id?: string;
}

/** A chat.completion body with one choice. */
export function openaiCompletion(options: FakeCompletion = {}): ChatCompletion {
  const toolCalls = options.toolCalls ?? [];
  const wireToolCalls = toolCalls.map((call) => ({
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: options.id ?? 'chatcmpl-fake',
    object: 'chat.completion',
    created: CREATED,
    model: options.model ?? 'fake-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: options.content === undefined ? (toolCalls.length > 0 ? null : 'Hello.') : options.content,
          refusal: options.refusal ?? null,
          ...(toolCalls.length > 0 ? { tool_calls: wireToolCalls } : {}),
        },
        logprobs: null,
        finish_reason: options.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    usage: options.usage ?? { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  };
}

export function openaiCompletionResponse(options: FakeCompletion = {}): ScriptedResponse {
  return { kind: 'json', body: openaiCompletion(options) };
}

// ---------------------------------------------------------------- default behaviour

export function countFakeTokens(text: string): number {
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { type?: string; text?: string }) => (part.type === 'text' ? part.text ?? '' : '')).join(' ');
}

/** "Echo: <the last user message's text>". */
export function fakeReplyText(body: Pick<ChatCompletionCreateParams, 'messages'>): string {
  const lastUser = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
  return `Echo: ${lastUser ? messageText(lastUser.content) : ''}`;
}

/** Deterministic vector; every value is k/1024, exactly representable as float32. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return Array.from({ length: dimensions }, (_, i) => (((hash ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0) % 2001 - 1000) / 1024);
}

function forcedToolName(body: ChatCompletionCreateParams): string | undefined {
  const choice = body.tool_choice;
  if (choice && typeof choice === 'object' && choice.type === 'function') return choice.function.name;
  const first = body.tools?.[0];
  return choice === 'required' && first && first.type === 'function' ? first.function.name : undefined;
}

function answerChat(body: ChatCompletionCreateParams): ScriptedResponse {
  const model = body.model;
  const toolName = forcedToolName(body);
  const text = fakeReplyText(body);
  const promptTokens = countFakeTokens(body.messages.map((message) => messageText(message.content)).join(' '));
  const completionTokens = toolName ? 1 : countFakeTokens(text);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const toolCall = toolName ? { id: 'call_fake_0', name: toolName, arguments: '{}' } : undefined;
  if (!body.stream) return openaiCompletionResponse({ model, usage, ...(toolCall ? { toolCalls: [toolCall] } : { content: text }) });

  const chunks: ChatCompletionChunk[] = [];
  if (toolCall) {
    const first = { index: 0, id: toolCall.id, type: 'function' as const, function: { name: toolCall.name, arguments: '' } };
    chunks.push(openaiChunk({ role: 'assistant', content: null, tool_calls: [first] }, { model }));
    chunks.push(openaiChunk({ tool_calls: [{ index: 0, function: { arguments: toolCall.arguments } }] }, { model }));
  } else {
    chunks.push(openaiChunk({ role: 'assistant', content: '' }, { model }));
    for (const piece of text.match(/\S+\s*|\s+/g) ?? []) chunks.push(openaiChunk({ content: piece }, { model }));
  }
  chunks.push(openaiChunk({}, { model, finishReason: toolCall ? 'tool_calls' : 'stop' }));
  if (body.stream_options?.include_usage) chunks.push(openaiUsageChunk(usage, model));
  return openaiStream(chunks);
}

function answerEmbeddings(body: EmbeddingCreateParams): ScriptedResponse {
  const input: unknown = body.input;
  const inputs: unknown[] = Array.isArray(input) && !input.every((item) => typeof item === 'number') ? input : [input];
  const texts = inputs.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  const base64 = body.encoding_format === 'base64';
  const data = texts.map((text, index) => {
    const vector = fakeEmbedding(text, body.dimensions ?? 8);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = texts.reduce((sum, text) => sum + countFakeTokens(text), 0);
  return { kind: 'json', body: { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
}

export interface OpenAIFakeOptions {
  /** When set, default answers require `Authorization: Bearer <apiKey>` (else 401 invalid_api_key). */
  apiKey?: string;
  /** Ids listed by `GET /v1/models`. */
  models?: string[];
}

/** Starts the fake; call `close()` in teardown. Queued answers bypass the key check. */
export async function startOpenAIFake(options: OpenAIFakeOptions = {}): Promise<FakeUpstream> {
  return startFakeServer('/v1', (request: RecordedRequest): ScriptedResponse => {
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return openaiError(401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
    }
    const path = new URL(request.url, 'http://fake').pathname;
    const body = request.body;
    const isObject = body !== null && typeof body === 'object';
    const route = `${request.method} ${path}`;
    if (route === 'POST /v1/chat/completions' && isObject) return answerChat(body as ChatCompletionCreateParams);
    if (route === 'POST /v1/embeddings' && isObject) return answerEmbeddings(body as EmbeddingCreateParams);
    if (route === 'GET /v1/models') {
      const ids = options.models ?? ['gpt-4o-mini', 'text-embedding-3-small'];
      const data = ids.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'openai-fake' }));
      return { kind: 'json', body: { object: 'list', data } };
    }
    return openaiError(404, `Unknown request: ${request.method} ${path}`, { code: 'unknown_url' });
  });
}
