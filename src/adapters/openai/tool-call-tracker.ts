import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { StreamEvent } from '../types.js';

type ToolCallFragment = ChatCompletionChunk.Choice.Delta.ToolCall;

interface TrackedCall {
  /** Our own counter within the choice: 0, 1, … in order of appearance. */
  toolIndex: number;
  providerIndex: number | undefined;
  id: string | undefined;
  name: string | undefined;
  started: boolean;
  /** Argument fragments that arrived before the call's name (we cannot announce it yet). */
  pendingArguments: string;
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Turns one choice's tool-call fragments into start/argument events with the adapter's own
 * tool indexes. OpenAI keys fragments by `index`; OpenAI-compatible servers are less regular
 * (indexes that skip, repeat for every call, or are missing), so a fragment is matched by its
 * provider index, then by id, and a fragment with neither continues the last call.
 */
export class ToolCallTracker {
  private readonly calls: TrackedCall[] = [];

  constructor(
    private readonly choice: number | undefined,
    private readonly newToolCallId: () => string,
  ) {}

  accept(fragment: ToolCallFragment): StreamEvent[] {
    const id = nonEmpty(fragment.id);
    const name = nonEmpty(fragment.function?.name);
    const call = this.find(fragment, id, name) ?? this.open(fragment, id);
    call.id ??= id;
    call.name ??= name;
    const events: StreamEvent[] = [];
    if (!call.started && call.name !== undefined) events.push(...this.start(call));
    const piece = fragment.function?.arguments;
    if (typeof piece === 'string' && piece !== '') {
      if (call.started) events.push(this.argumentsEvent(call, piece));
      else call.pendingArguments += piece;
    }
    return events;
  }

  /** Calls that never got a name are announced at the end so their arguments are not lost. */
  flush(): StreamEvent[] {
    return this.calls.filter((call) => !call.started).flatMap((call) => this.start(call));
  }

  private find(fragment: ToolCallFragment, id: string | undefined, name: string | undefined): TrackedCall | undefined {
    const providerIndex = typeof fragment.index === 'number' ? fragment.index : undefined;
    if (providerIndex !== undefined) {
      const sameIndex = this.calls.findLast((call) => call.providerIndex === providerIndex);
      // Some servers send every call with index 0: a new id under a known index is a new call.
      if (sameIndex && (id === undefined || sameIndex.id === undefined || sameIndex.id === id)) return sameIndex;
      return undefined;
    }
    if (id !== undefined) return this.calls.find((call) => call.id === id);
    const last = this.calls.at(-1);
    // Without index or id, a second name can only mean a second call.
    if (last && name !== undefined && last.name !== undefined) return undefined;
    return last;
  }

  private open(fragment: ToolCallFragment, id: string | undefined): TrackedCall {
    const call: TrackedCall = {
      toolIndex: this.calls.length,
      providerIndex: typeof fragment.index === 'number' ? fragment.index : undefined,
      id,
      name: undefined,
      started: false,
      pendingArguments: '',
    };
    this.calls.push(call);
    return call;
  }

  private start(call: TrackedCall): StreamEvent[] {
    call.started = true;
    // Clients need an id to answer the call; some compatible servers send none.
    call.id ??= this.newToolCallId();
    const events: StreamEvent[] = [
      { type: 'tool_call_start', toolIndex: call.toolIndex, id: call.id, name: call.name ?? '', ...this.choiceField() },
    ];
    if (call.pendingArguments !== '') events.push(this.argumentsEvent(call, call.pendingArguments));
    call.pendingArguments = '';
    return events;
  }

  private argumentsEvent(call: TrackedCall, piece: string): StreamEvent {
    return { type: 'tool_call_arguments', toolIndex: call.toolIndex, arguments: piece, ...this.choiceField() };
  }

  private choiceField(): { choice?: number } {
    return this.choice === undefined || this.choice === 0 ? {} : { choice: this.choice };
  }
}
