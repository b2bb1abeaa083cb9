/**
 * A fake Anthropic Messages upstream on 127.0.0.1, for adapter tests and end-to-end gateway
 * tests. Point a provider's base URL at `fake.baseUrl` (the bare origin, no `/v1`, as
 * `@anthropic-ai/sdk` takes it). With nothing queued it answers like Anthropic, deterministically:
 * - `POST /v1/messages` needs an `anthropic-version` header and a body with model, max_tokens and
 *   messages (else 400 invalid_request_error). The reply is the text `fakeReplyText(body)`
 *   ("Echo: <last user text>"), or a `tool_use` with input `{}` when `tool_choice` is
 *   `{type:"tool",name}` or `{type:"any"}` (the first tool). `stream: true` answers in SSE with
 *   `event: <type>\ndata: <json>\n\n` frames (message_start, content_block_start/delta/stop,
 *   a ping, message_delta, message_stop), as `anthropicMessageEvents` builds them.
 * - With `apiKey` set, the key must come as `x-api-key` or `Authorization: Bearer` (else 401).
 * - Anything else: 404 not_found_error.
 * Queue scripted answers with `fake.enqueue(...)` and the builders below (they bypass all
 * checks); `fake.requests` records what arrived (`.body` is the parsed JSON, `.headers` the
 * headers, `.clientClosed` resolves when the client hung up early).
 */
import type { Message, RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { readFixture, readJsonLines } from '../helpers/fixtures.js';
import { startFakeServer, type FakeUpstream, type RecordedRequest, type ScriptedResponse } from './fake-server.js';

// ---------------------------------------------------------------- recorded fixtures

/** The two recorded Anthropic streams (see test/fixtures/recorded/SOURCES.md). */
export const ANTHROPIC_FIXTURES = {
  /** Text "I'll invoke the JSON response tool.", then tool_use `json` (block index 1), usage 849/47. */
  textThenToolUse: 'anthropic-messages-stream-text-then-tool_use',
  /** Text, then tool_use `updateIssueList` whose only input fragment is "", usage 565/48. */
  textThenToolUseNoArgs: 'anthropic-messages-stream-text-then-tool_use-no-args',
} as const;
export type AnthropicFixtureName = (typeof ANTHROPIC_FIXTURES)[keyof typeof ANTHROPIC_FIXTURES];

/** An event as it travels in a stream: the SDK's event types, plus `ping`. */
export type AnthropicStreamItem = RawMessageStreamEvent | { type: 'ping' };

/** The recorded events, parsed (pings included), for feeding a translator directly. */
export function anthropicFixtureEvents(name: AnthropicFixtureName): AnthropicStreamItem[] {
  return readJsonLines<AnthropicStreamItem>(`${name}.events.jsonl`);
}

/** The recorded stream's SSE frames, byte for byte as in `derived/<name>.sse`. */
export function anthropicFixtureFrames(name: AnthropicFixtureName): string[] {
  return readFixture(`derived/${name}.sse`).split(/(?<=\n\n)/);
}

/** Replays a recorded stream verbatim (200, text/event-stream). */
export function anthropicFixtureStream(name: AnthropicFixtureName, options: { frameDelayMs?: number } = {}): ScriptedResponse {
  return { kind: 'sse', frames: anthropicFixtureFrames(name), ...(options.frameDelayMs ? { frameDelayMs: options.frameDelayMs } : {}) };
}

// ---------------------------------------------------------------- errors

/** Anthropic's error body, e.g. `anthropicErrorBody('rate_limit_error', 'Slow down')`. */
export function anthropicErrorBody(type: string, message: string, requestId = 'req_fake_error') {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** An HTTP error answer, e.g. `anthropicError(429, 'rate_limit_error', 'Slow down', { 'retry-after': '7' })`. */
export function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): ScriptedResponse {
  return { kind: 'json', status, body: anthropicErrorBody(type, message), headers: { 'request-id': 'req_fake_error', ...headers } };
}

/** One SSE frame as Anthropic writes it; the SDK drops frames without the `event:` line. */
export function anthropicSseFrame(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A mid-stream `event: error` frame (after a 200); the SDK throws an APIError without status. */
export function anthropicMidStreamErrorFrame(type = 'overloaded_error', message = 'Overloaded'): string {
  return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;
}

// ---------------------------------------------------------------- answers

export interface FakeToolUse {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface FakeMessage {
  text?: string;
  toolUses?: FakeToolUse[];
  stopReason?: StopReason;
  usage?: { input_tokens: number; output_tokens: number; cache_creation_input_tokens?: number; cache_read_input_tokens?: number };
  model?: string;
  id?: string;
}

/** A complete Messages API answer, with every field the SDK's `Message` type lists. */
export function anthropicMessage(options: FakeMessage = {}): Message {
  const toolUses = options.toolUses ?? [];
  const text = options.text ?? (toolUses.length > 0 ? '' : 'Hello.');
  const usage = options.usage ?? { input_tokens: 5, output_tokens: 2 };
  return {
    id: options.id ?? 'msg_fake_1',
    type: 'message',
    role: 'assistant',
    model: options.model ?? 'claude-fake',
    container: null,
    diagnostics: null,
    stop_details: null,
    content: [
      ...(text === '' ? [] : [{ type: 'text' as const, text, citations: null }]),
      ...toolUses.map((tool) => ({ type: 'tool_use' as const, id: tool.id, name: tool.name, input: tool.input, caller: { type: 'direct' as const } })),
    ],
    stop_reason: options.stopReason ?? (toolUses.length > 0 ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    },
  };
}

export function anthropicMessageResponse(options: FakeMessage = {}): ScriptedResponse {
  return { kind: 'json', body: anthropicMessage(options), headers: { 'request-id': 'req_fake_1' } };
}

/**
 * The event sequence Anthropic streams for `message`: text in word pieces, each tool's input as
 * an empty fragment then two halves (a lone "" for an empty input, as the real API does), a
 * ping, and the usage
 * (message_start carries output_tokens 1; message_delta the cumulative total).
 */
export function anthropicMessageEvents(message: Message): AnthropicStreamItem[] {
  const events: AnthropicStreamItem[] = [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } },
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ type: 'content_block_start', index, content_block: { ...block, text: '' } });
      for (const piece of block.text.match(/\S+\s*|\s+/g) ?? []) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
      }
    } else if (block.type === 'tool_use') {
      events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      const json = JSON.stringify(block.input);
      const half = Math.ceil(json.length / 2);
      // A tool without arguments streams a lone "" fragment, as the recorded no-args stream shows.
      const fragments = json === '{}' ? [''] : ['', json.slice(0, half), json.slice(half)];
      for (const partial_json of fragments) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
      }
    }
    if (index === 0) events.push({ type: 'ping' });
    events.push({ type: 'content_block_stop', index });
  });
  const { usage } = message;
  events.push(
    {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, container: null, stop_details: null },
      usage: {
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    },
    { type: 'message_stop' },
  );
  return events;
}

/** Streams the given events (objects or ready frames) with Anthropic's framing. */
export function anthropicStream(
  items: Array<AnthropicStreamItem | string>,
  options: { frameDelayMs?: number; hold?: boolean } = {},
): ScriptedResponse {
  const frames = items.map((item) => (typeof item === 'string' ? item : anthropicSseFrame(item)));
  return { kind: 'sse', frames, ...(options.frameDelayMs ? { frameDelayMs: options.frameDelayMs } : {}), ...(options.hold ? { hold: true } : {}) };
}

// ---------------------------------------------------------------- default behaviour

export function countFakeTokens(text: string): number {
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}

interface RequestBody {
  model?: unknown;
  max_tokens?: unknown;
  messages?: Array<{ role?: string; content?: unknown }>;
  system?: unknown;
  stream?: unknown;
  tools?: Array<{ name?: string }>;
  tool_choice?: { type?: string; name?: string };
}

function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block: { type?: string; text?: string }) => (block.type === 'text' ? (block.text ?? '') : '')).join(' ');
}

/** "Echo: <the last user message's text>". */
export function fakeReplyText(body: Pick<RequestBody, 'messages'>): string {
  const lastUser = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
  return `Echo: ${lastUser ? blockText(lastUser.content) : ''}`.trimEnd();
}

function forcedToolName(body: RequestBody): string | undefined {
  const choice = body.tool_choice;
  if (choice?.type === 'tool') return choice.name;
  return choice?.type === 'any' ? body.tools?.[0]?.name : undefined;
}

function answerMessages(body: RequestBody): ScriptedResponse {
  if (typeof body.model !== 'string' || typeof body.max_tokens !== 'number' || !Array.isArray(body.messages) || body.messages.length === 0) {
    return anthropicError(400, 'invalid_request_error', 'model, max_tokens and messages are required');
  }
  const toolName = forcedToolName(body);
  const text = toolName ? '' : fakeReplyText(body);
  const prompt = [blockText(body.system), ...body.messages.map((message) => blockText(message.content))].join(' ');
  const message = anthropicMessage({
    model: body.model,
    text,
    ...(toolName ? { toolUses: [{ id: 'toolu_fake_0', name: toolName, input: {} }] } : {}),
    usage: { input_tokens: countFakeTokens(prompt), output_tokens: toolName ? 1 : countFakeTokens(text) },
  });
  return body.stream === true ? anthropicStream(anthropicMessageEvents(message)) : { kind: 'json', body: message };
}

export interface AnthropicFakeOptions {
  /** When set, default answers require this key as `x-api-key` or `Authorization: Bearer`. */
  apiKey?: string;
}

/** Starts the fake; call `close()` in teardown. Queued answers bypass every check. */
export async function startAnthropicFake(options: AnthropicFakeOptions = {}): Promise<FakeUpstream> {
  return startFakeServer('', (request: RecordedRequest): ScriptedResponse => {
    const { headers } = request;
    if (options.apiKey !== undefined && headers['x-api-key'] !== options.apiKey && headers.authorization !== `Bearer ${options.apiKey}`) {
      return anthropicError(401, 'authentication_error', 'invalid x-api-key');
    }
    const path = new URL(request.url, 'http://fake').pathname;
    if (request.method !== 'POST' || path !== '/v1/messages') {
      return anthropicError(404, 'not_found_error', `Not found: ${request.method} ${path}`);
    }
    if (headers['anthropic-version'] === undefined) {
      return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    const body = request.body;
    return answerMessages(body !== null && typeof body === 'object' ? (body as RequestBody) : {});
  });
}
