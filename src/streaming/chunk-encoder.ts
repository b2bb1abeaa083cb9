import type { ChoiceLogprobs, FinishReason, StreamEvent, ToolCall, Usage } from '../adapters/types.js';

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint: null;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string | null; tool_calls?: ToolCallDelta[] };
    logprobs: ChoiceLogprobs | null;
    finish_reason: FinishReason | null;
  }>;
  usage?: Usage | null;
  /** On the usage chunk only, when the provider sent no usage and the gateway counted it. */
  tokens_estimated?: true;
}

interface ChoiceState {
  started: boolean;
  finished: boolean;
  text: string;
  toolCalls: ToolCall[];
}

/**
 * Turns normalized stream events into OpenAI chunks: a role chunk opens each choice, content
 * and tool-call deltas follow, a finish chunk closes it, and a usage chunk (`choices: []`) ends
 * the stream when the client asked for `stream_options.include_usage`. It also accumulates the
 * answer, for the call log.
 */
export class ChunkEncoder {
  private readonly choices = new Map<number, ChoiceState>();
  usage: Usage | null = null;
  /** True when `usage` was counted by the gateway (the provider sent none). */
  usageEstimated = false;

  /**
   * `estimateUsage` counts the tokens of a stream whose provider sent no usage (from the text it
   * streamed), so that the usage chunk a client asked for is still sent (DESIGN §7).
   */
  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly created: number,
    private readonly includeUsage: boolean,
    private readonly estimateUsage?: (producedText: string) => Usage,
  ) {}

  encode(event: StreamEvent): ChatCompletionChunk[] {
    if (event.type === 'usage') {
      this.usage = event.usage;
      return [];
    }
    const index = event.choice ?? 0;
    const state = this.state(index);
    const out: ChatCompletionChunk[] = [];
    if (!state.started) {
      state.started = true;
      out.push(this.chunk(index, { role: 'assistant', content: '' }, null));
    }
    switch (event.type) {
      case 'text':
        if (event.text === '') break;
        state.text += event.text;
        out.push(this.chunk(index, { content: event.text }, null, event.logprobs ?? null));
        break;
      case 'tool_call_start':
        state.toolCalls[event.toolIndex] = { id: event.id, type: 'function', function: { name: event.name, arguments: '' } };
        out.push(
          this.chunk(index, { tool_calls: [{ index: event.toolIndex, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] }, null),
        );
        break;
      case 'tool_call_arguments': {
        const call = state.toolCalls[event.toolIndex];
        if (call) call.function.arguments += event.arguments;
        out.push(this.chunk(index, { tool_calls: [{ index: event.toolIndex, function: { arguments: event.arguments } }] }, null));
        break;
      }
      case 'finish':
        if (state.finished) break;
        state.finished = true;
        out.push(this.chunk(index, {}, event.reason));
        break;
    }
    return out;
  }

  /** Chunks that close the stream: a finish for any choice the provider left open, then usage. */
  end(): ChatCompletionChunk[] {
    const out: ChatCompletionChunk[] = [];
    if (this.choices.size === 0) this.state(0);
    for (const [index, state] of this.choices) {
      if (!state.started) out.push(this.chunk(index, { role: 'assistant', content: '' }, null));
      if (!state.finished) {
        state.finished = true;
        out.push(this.chunk(index, {}, state.toolCalls.length > 0 ? 'tool_calls' : 'stop'));
      }
    }
    if (this.usage === null && this.estimateUsage !== undefined) {
      this.usage = this.estimateUsage(this.producedText());
      this.usageEstimated = true;
    }
    if (this.includeUsage && this.usage !== null) {
      out.push({ ...this.base(), choices: [], usage: this.usage, ...(this.usageEstimated ? { tokens_estimated: true as const } : {}) });
    }
    return out;
  }

  /** The text produced so far (all choices), e.g. to estimate tokens when the provider sent no usage. */
  producedText(): string {
    return [...this.choices.values()]
      .map((state) => state.text + state.toolCalls.map((call) => call.function.name + call.function.arguments).join(''))
      .join('');
  }

  private state(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (state === undefined) {
      state = { started: false, finished: false, text: '', toolCalls: [] };
      this.choices.set(index, state);
    }
    return state;
  }

  private base(): Omit<ChatCompletionChunk, 'choices'> {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: null,
      ...(this.includeUsage ? { usage: null } : {}),
    };
  }

  private chunk(
    index: number,
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: FinishReason | null,
    logprobs: ChoiceLogprobs | null = null,
  ): ChatCompletionChunk {
    return { ...this.base(), choices: [{ index, delta, logprobs, finish_reason: finish }] };
  }
}
