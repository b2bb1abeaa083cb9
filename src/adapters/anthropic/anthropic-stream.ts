import type { RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { upstreamStreamError } from '../shared/upstream-error.js';
import type { StreamEvent } from '../types.js';
import { convertAnthropicUsage, mergeDeltaUsage, type AnthropicTokenCounts } from './convert-anthropic-usage.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { finishReasonFor } from './map-anthropic-stop-reason.js';

/**
 * What a Messages stream can carry. The SDK consumes `ping` and turns `error` into a thrown
 * APIError itself; both are listed so the translation also stands on raw wire events.
 */
export type AnthropicWireEvent =
  | RawMessageStreamEvent
  | { type: 'ping' }
  | { type: 'error'; error: { type: string; message: string } };

/** What each open content block (by Anthropic's block index) turns into. */
type BlockState =
  | { kind: 'text' }
  | { kind: 'tool'; toolIndex: number; sawArguments: boolean }
  /** The json_schema answer tool: its input JSON is the message content. */
  | { kind: 'answer'; sawArguments: boolean }
  /** Thinking, redacted thinking and server-tool blocks: dropped (no OpenAI field for them). */
  | { kind: 'ignored' };

const EMPTY_USAGE: AnthropicTokenCounts = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

/**
 * Translates Anthropic stream events into StreamEvents, one event at a time (wire-protocols §2
 * "Streaming translation"). Tool calls are numbered by our own counter: Anthropic's block index
 * also counts text blocks, so the first tool after a text block would otherwise be index 1.
 */
export class AnthropicStreamTranslator {
  private readonly blocks = new Map<number, BlockState>();
  private nextToolIndex = 0;
  private usage: AnthropicTokenCounts = EMPTY_USAGE;
  private stopReason: StopReason | null = null;
  private answered = false;
  /** Text held back in json_schema mode until we know whether the answer tool is called. */
  private heldText: string[] = [];
  private stopped = false;

  /** `answerToolName`: the forced tool of a json_schema response format (convert-response-format.ts). */
  constructor(private readonly answerToolName?: string) {}

  /** True once message_stop arrived: the answer is complete. */
  get finished(): boolean {
    return this.stopped;
  }

  accept(event: AnthropicWireEvent): StreamEvent[] {
    switch (event.type) {
      case 'message_start':
        this.usage = mergeDeltaUsage(EMPTY_USAGE, event.message.usage ?? {});
        return [];
      case 'content_block_start':
        return this.startBlock(event.index, event.content_block);
      case 'content_block_delta':
        return this.blockDelta(event.index, event.delta);
      case 'content_block_stop':
        return this.stopBlock(event.index);
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.usage = mergeDeltaUsage(this.usage, event.usage ?? {});
        return [];
      case 'message_stop':
        return this.finish();
      case 'error':
        throw upstreamStreamError(event.error?.type ?? 'error', event.error?.message ?? 'unknown error');
      default:
        return []; // ping, and event types newer than this adapter
    }
  }

  private startBlock(index: number, block: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>['content_block']): StreamEvent[] {
    if (block.type === 'text') {
      this.blocks.set(index, { kind: 'text' });
      return this.text(block.text);
    }
    if (block.type !== 'tool_use') {
      this.blocks.set(index, { kind: 'ignored' });
      return [];
    }
    // Tools start with `input: {}` and stream their input; a server that sends it whole at the
    // start instead (some compatible endpoints do) still has it passed on.
    const initial = block.input !== null && typeof block.input === 'object' && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
    if (this.answerToolName !== undefined && block.name === this.answerToolName) {
      this.answered = true;
      this.heldText = []; // prose around the JSON answer would break the client's parsing
      this.blocks.set(index, { kind: 'answer', sawArguments: initial !== '' });
      return initial === '' ? [] : [{ type: 'text', text: initial }];
    }
    const toolIndex = this.nextToolIndex++;
    this.blocks.set(index, { kind: 'tool', toolIndex, sawArguments: initial !== '' });
    const start: StreamEvent = { type: 'tool_call_start', toolIndex, id: block.id, name: block.name };
    return initial === '' ? [start] : [start, { type: 'tool_call_arguments', toolIndex, arguments: initial }];
  }

  private blockDelta(index: number, delta: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta']): StreamEvent[] {
    const state = this.blocks.get(index);
    if (state === undefined) return [];
    if (delta.type === 'text_delta') return state.kind === 'text' ? this.text(delta.text) : [];
    // Thinking, signature and citation deltas carry nothing the OpenAI shape can hold.
    if (delta.type !== 'input_json_delta' || delta.partial_json === '') return [];
    if (state.kind === 'tool') {
      state.sawArguments = true;
      return [{ type: 'tool_call_arguments', toolIndex: state.toolIndex, arguments: delta.partial_json }];
    }
    if (state.kind === 'answer') {
      state.sawArguments = true;
      return [{ type: 'text', text: delta.partial_json }];
    }
    return [];
  }

  /** A tool that streamed no argument fragment (a no-argument call) still needs valid JSON. */
  private stopBlock(index: number): StreamEvent[] {
    const state = this.blocks.get(index);
    this.blocks.delete(index);
    if (state?.kind === 'tool' && !state.sawArguments) return [{ type: 'tool_call_arguments', toolIndex: state.toolIndex, arguments: '{}' }];
    if (state?.kind === 'answer' && !state.sawArguments) return [{ type: 'text', text: '{}' }];
    return [];
  }

  private text(text: string): StreamEvent[] {
    if (text === '') return [];
    if (this.answerToolName === undefined) return [{ type: 'text', text }];
    if (!this.answered) this.heldText.push(text);
    return [];
  }

  /** message_stop: the finish, then the final usage (message_delta's numbers are cumulative). */
  private finish(): StreamEvent[] {
    this.stopped = true;
    const held = this.heldText.length > 0 ? [{ type: 'text' as const, text: this.heldText.join('') }] : [];
    this.heldText = [];
    return [
      ...held,
      { type: 'finish', reason: finishReasonFor(this.stopReason, this.nextToolIndex) },
      { type: 'usage', usage: convertAnthropicUsage(this.usage) },
    ];
  }
}

/**
 * The adapter's stream: SDK events → StreamEvents, errors mapped onto the catalogue. An abort
 * (our signal fired) is re-thrown as the signal's reason: the SDK ends its iteration quietly
 * then, and the gateway must still learn that the stream was cut.
 */
export async function* anthropicStreamEvents(
  events: AsyncIterable<AnthropicWireEvent>,
  signal: AbortSignal,
  answerToolName?: string,
): AsyncGenerator<StreamEvent> {
  const translator = new AnthropicStreamTranslator(answerToolName);
  try {
    for await (const event of events) {
      yield* translator.accept(event);
    }
  } catch (error) {
    throw mapAnthropicError(error, signal, 'stream');
  }
  signal.throwIfAborted();
  if (!translator.finished) throw upstreamStreamError('incomplete_stream', 'the stream ended before message_stop');
}
