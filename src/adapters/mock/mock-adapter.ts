import { setTimeout as sleep } from 'node:timers/promises';
import { unsupportedParameter } from '../shared/unsupported-parameters.js';
import type { AdapterFactory, ChatRequest, ChatResult, EmbeddingRequest, StreamEvent } from '../types.js';
import { generateMockReply, type MockReply } from './generate-mock-reply.js';
import { mockEmbedding } from './mock-embedding.js';
import { countMockTokens, mockUsage } from './mock-usage.js';

/**
 * The offline, deterministic `mock` provider: serves any upstream model name, needs no base URL
 * or key. Options: `latencyMs` (before the answer), `chunkDelayMs` (between streamed chunks),
 * `reply` (a fixed text), `dimensions` (embedding size, default 16). Sampling parameters, and
 * parameters it does not know, are accepted and have no effect: the mock stands in for any model.
 * What would change the answer's shape, several choices or log probabilities, it cannot give:
 * those are refused, as a real provider's adapter refuses what it cannot honour.
 */
interface MockOptions {
  latencyMs: number;
  chunkDelayMs: number;
  reply: string | undefined;
  dimensions: number;
}

function readOptions(options: Record<string, unknown> | undefined): MockOptions {
  const number = (value: unknown, fallback: number) => (typeof value === 'number' && value >= 0 ? value : fallback);
  return {
    latencyMs: number(options?.latencyMs, 0),
    chunkDelayMs: number(options?.chunkDelayMs, 0),
    reply: typeof options?.reply === 'string' ? options.reply : undefined,
    dimensions: Math.max(1, Math.floor(number(options?.dimensions, 16))),
  };
}

const MOCK_LABEL = 'the mock provider';

function refuseShapeChanges(request: ChatRequest, dropParams: ReadonlySet<string>): void {
  const { n, logprobs, top_logprobs: topLogprobs } = request as ChatRequest & { n?: unknown; logprobs?: unknown; top_logprobs?: unknown };
  if (typeof n === 'number' && n > 1 && !dropParams.has('n')) throw unsupportedParameter('n', MOCK_LABEL, 'it returns one choice');
  if (logprobs === true && !dropParams.has('logprobs')) throw unsupportedParameter('logprobs', MOCK_LABEL, 'it has no log probabilities');
  if (typeof topLogprobs === 'number' && topLogprobs > 0 && !dropParams.has('top_logprobs')) throw unsupportedParameter('top_logprobs', MOCK_LABEL, 'it has no log probabilities');
}

function replyText(reply: MockReply): string {
  return reply.kind === 'text' ? reply.text : reply.arguments;
}

/** Splits text into word-sized pieces that concatenate back to exactly the text. */
function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await sleep(ms, undefined, { signal });
  else signal.throwIfAborted();
}

export const createMockAdapter: AdapterFactory = (settings) => {
  const options = readOptions(settings.options);

  return {
    checkChat: (request, check) => refuseShapeChanges(request, check.dropParams),

    async chat(request, call): Promise<ChatResult> {
      refuseShapeChanges(request, call.dropParams);
      await pause(options.latencyMs, call.signal);
      const reply = generateMockReply(request, options.reply);
      return {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply.kind === 'text' ? reply.text : null,
              refusal: null,
              ...(reply.kind === 'tool_call'
                ? { tool_calls: [{ id: reply.id, type: 'function' as const, function: { name: reply.name, arguments: reply.arguments } }] }
                : {}),
            },
            logprobs: null,
            finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls',
          },
        ],
        usage: mockUsage(request, replyText(reply)),
      };
    },

    async chatStream(request: ChatRequest, call) {
      refuseShapeChanges(request, call.dropParams);
      await pause(options.latencyMs, call.signal);
      const reply = generateMockReply(request, options.reply);
      async function* events(): AsyncGenerator<StreamEvent> {
        if (reply.kind === 'tool_call') {
          yield { type: 'tool_call_start', toolIndex: 0, id: reply.id, name: reply.name };
          for (const piece of pieces(reply.arguments)) {
            await pause(options.chunkDelayMs, call.signal);
            yield { type: 'tool_call_arguments', toolIndex: 0, arguments: piece };
          }
          yield { type: 'finish', reason: 'tool_calls' };
        } else {
          for (const piece of pieces(reply.text)) {
            await pause(options.chunkDelayMs, call.signal);
            yield { type: 'text', text: piece };
          }
          yield { type: 'finish', reason: 'stop' };
        }
        yield { type: 'usage', usage: mockUsage(request, replyText(reply)) };
      }
      return events();
    },

    async embed(request: EmbeddingRequest, call) {
      await pause(options.latencyMs, call.signal);
      // One text, or one token array ([1, 2, 3], as OpenAI reads it), is one input.
      const input: unknown = request.input;
      const inputs: unknown[] = Array.isArray(input) && !input.every((item) => typeof item === 'number') ? input : [input];
      const texts = inputs.map((input) => (typeof input === 'string' ? input : JSON.stringify(input)));
      const dimensions = request.dimensions ?? options.dimensions;
      const promptTokens = texts.reduce((sum, text) => sum + countMockTokens(text), 0);
      return {
        vectors: texts.map((text) => mockEmbedding(text, dimensions)),
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      };
    },
  };
};
