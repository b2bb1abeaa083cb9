import { upstreamStreamError } from '../shared/upstream-error.js';
import type { FinishReason, StreamEvent } from '../types.js';
import type { ToolCallIssuer } from './convert-gemini-response.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import type { GeminiResponse, GeminiUsageMetadata } from './gemini-wire-types.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

interface ChoiceProgress {
  /** The adapter's own count of tool calls in this choice: the next toolIndex. */
  toolCalls: number;
  finishReason: string | undefined;
}

/**
 * `alt=sse` chunks → normalized stream events. Each chunk is a complete response object: text
 * arrives in pieces, each functionCall arrives whole (so it becomes a start and one arguments
 * event), `finishReason` comes on a candidate's last chunk and `usageMetadata` is cumulative.
 * Finish events and usage are therefore emitted once the stream has ended. A `data:
 * {"error":…}` frame is yielded by the SDK as an ordinary chunk: it is thrown here.
 */
export async function* geminiStreamEvents(chunks: AsyncIterable<GeminiResponse>, issuer: ToolCallIssuer): AsyncGenerator<StreamEvent> {
  const choices = new Map<number, ChoiceProgress>();
  let usage: GeminiUsageMetadata | undefined;
  let blocked = false;

  for await (const chunk of chunks) {
    if (chunk === null || typeof chunk !== 'object') throw upstreamStreamError('malformed', 'a stream chunk that is not a response object');
    if (chunk.error !== undefined) {
      throw upstreamStreamError(chunk.error.status ?? `HTTP ${chunk.error.code ?? 'error'}`, chunk.error.message ?? 'no message');
    }
    if (chunk.usageMetadata !== undefined) usage = chunk.usageMetadata;
    if (chunk.promptFeedback?.blockReason !== undefined && (chunk.candidates ?? []).length === 0) blocked = true;
    for (const candidate of chunk.candidates ?? []) {
      const choice = candidate.index ?? 0;
      const progress = choices.get(choice) ?? { toolCalls: 0, finishReason: undefined };
      choices.set(choice, progress);
      // Choice 0 is the default in StreamEvent; only other candidates name theirs.
      const tag = choice === 0 ? {} : { choice };
      for (const part of candidate.content?.parts ?? []) {
        if (part.thought === true) continue;
        if (typeof part.text === 'string' && part.text !== '') {
          yield { type: 'text', text: part.text, ...tag };
        } else if (part.functionCall !== undefined) {
          const toolIndex = progress.toolCalls++;
          const id = issuer.issueToolCall(part.thoughtSignature);
          yield { type: 'tool_call_start', toolIndex, id, name: part.functionCall.name, ...tag };
          yield { type: 'tool_call_arguments', toolIndex, arguments: JSON.stringify(part.functionCall.args ?? {}), ...tag };
        }
      }
      if (candidate.finishReason !== undefined) progress.finishReason = candidate.finishReason;
    }
  }

  // Gemini puts a finishReason on each candidate's last chunk: a stream that ended without one
  // (a dropped connection, an empty body) is cut short, and must not reach the client as a
  // complete answer.
  if (!blocked && (choices.size === 0 || [...choices.values()].every((progress) => progress.finishReason === undefined))) {
    throw upstreamStreamError('incomplete_stream', 'the stream ended before Gemini finished its answer');
  }
  if (choices.size === 0) {
    yield { type: 'finish', reason: 'content_filter' };
  }
  for (const [choice, progress] of [...choices].sort(([a], [b]) => a - b)) {
    const reason: FinishReason = mapGeminiFinishReason(progress.finishReason, progress.toolCalls > 0);
    yield { type: 'finish', reason, ...(choice === 0 ? {} : { choice }) };
  }
  const converted = convertGeminiUsage(usage);
  if (converted !== null) yield { type: 'usage', usage: converted };
}
