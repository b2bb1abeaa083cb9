import { randomUUID } from 'node:crypto';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChoiceLogprobs, StreamEvent, Usage } from '../types.js';
import { convertOpenAIUsage, normalizeFinishReason } from './convert-openai-usage.js';
import { mapOpenAIError } from './map-openai-error.js';
import { ToolCallTracker } from './tool-call-tracker.js';
import { upstreamStreamError } from '../shared/upstream-error.js';

export function generateToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

function choiceField(index: number): { choice?: number } {
  return index > 0 ? { choice: index } : {};
}

/**
 * Normalizes the SDK's chat.completion.chunk objects into StreamEvents: text deltas, tool-call
 * starts and argument fragments (with our own tool indexes), one finish per choice, and the
 * usage once at the end (compatible servers may repeat a running usage on every chunk).
 */
export async function* openAIStreamEvents(
  chunks: AsyncIterable<ChatCompletionChunk>,
  signal: AbortSignal,
  newToolCallId: () => string = generateToolCallId,
): AsyncGenerator<StreamEvent> {
  const trackers = new Map<number, ToolCallTracker>();
  const trackerFor = (index: number): ToolCallTracker => {
    let tracker = trackers.get(index);
    if (!tracker) trackers.set(index, (tracker = new ToolCallTracker(index, newToolCallId)));
    return tracker;
  };
  let usage: Usage | null = null;
  let finished = false;

  try {
    for await (const chunk of chunks) {
      usage = convertOpenAIUsage(chunk.usage) ?? usage;
      for (const [position, choice] of (chunk.choices ?? []).entries()) {
        const index = typeof choice.index === 'number' ? choice.index : position;
        const delta = choice.delta ?? {};
        // The log probabilities of this piece, when the client asked for them (passed upstream).
        const logprobs = choice.logprobs !== null && typeof choice.logprobs === 'object' ? { logprobs: choice.logprobs as unknown as ChoiceLogprobs } : {};
        if (typeof delta.content === 'string' && delta.content !== '') {
          yield { type: 'text', text: delta.content, ...choiceField(index), ...logprobs };
        }
        // The event contract has no refusal kind: a streamed refusal reaches the client as text
        // rather than being lost.
        if (typeof delta.refusal === 'string' && delta.refusal !== '') {
          yield { type: 'text', text: delta.refusal, ...choiceField(index), ...logprobs };
        }
        for (const fragment of delta.tool_calls ?? []) yield* trackerFor(index).accept(fragment);
        if (choice.finish_reason) {
          yield* trackerFor(index).flush();
          finished = true;
          yield { type: 'finish', reason: normalizeFinishReason(choice.finish_reason), ...choiceField(index) };
        }
      }
    }
  } catch (error) {
    throw mapOpenAIError(error, signal, 'stream');
  }
  // When our signal fires, the SDK ends the iteration quietly; the gateway must still learn
  // that the stream was cut, so the abort reason is thrown as it is.
  signal.throwIfAborted();
  // Every complete chat stream ends a choice with a finish_reason. Without one the stream was cut
  // (a dropped connection, an empty body, a server that answered JSON to a stream request), and
  // a made-up "stop" would pass a truncated answer, or half a tool call, off as complete.
  if (!finished) throw upstreamStreamError('incomplete_stream', 'the stream ended before any choice finished (no finish_reason)');
  for (const tracker of trackers.values()) yield* tracker.flush();
  if (usage) yield { type: 'usage', usage };
}
