/**
 * Normalized types shared by every adapter. The OpenAI Chat Completions shape is canonical:
 * requests arrive in it, answers leave in it. Adapters translate to and from their provider
 * and never import Fastify, the database, or each other.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------------------------------------------------------------- request

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** Any other part type (input_audio, file…): adapters that cannot carry it must reject it. */
export interface OtherPart {
  type: string;
  [key: string]: unknown;
}

export type ContentPart = TextPart | ImagePart | OtherPart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  content?: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  [key: string]: unknown;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonObject; strict?: boolean };
}

/** OpenAI's restriction of the model to some of the listed tools (`mode`: may, or must, call one of them). */
export interface AllowedToolsChoice {
  type: 'allowed_tools';
  allowed_tools: { mode: 'auto' | 'required'; tools: Array<{ type: string; function?: { name: string } }> };
}

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } } | AllowedToolsChoice;

export interface ResponseFormat {
  type: 'text' | 'json_object' | 'json_schema';
  json_schema?: { name: string; description?: string; schema?: JsonObject; strict?: boolean };
}

/** An OpenAI chat request. Unknown parameters are kept (index signature), never stripped silently. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  stop?: string | string[] | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  seed?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  user?: string;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean; [key: string]: unknown } | null;
  [key: string]: unknown;
}

export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
  user?: string;
  [key: string]: unknown;
}

// ---------------------------------------------------------------- response

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; [key: string]: unknown };
  completion_tokens_details?: { reasoning_tokens?: number; [key: string]: unknown };
}

/**
 * A choice's log probabilities exactly as an OpenAI(-compatible) provider sent them (`content`,
 * `refusal` token lists); only that adapter returns them, when the client asked for `logprobs`.
 */
export type ChoiceLogprobs = { content?: unknown[] | null; refusal?: unknown[] | null; [key: string]: unknown };

export interface ChatChoice {
  index: number;
  message: {
    role: 'assistant';
    content: string | null;
    refusal: string | null;
    tool_calls?: ToolCall[];
  };
  logprobs: ChoiceLogprobs | null;
  finish_reason: FinishReason;
}

/** What an adapter returns for a non-streamed call; the gateway fills id, created and model. */
export interface ChatResult {
  choices: ChatChoice[];
  usage: Usage | null;
  /** The provider's own response id, for tracing. */
  providerResponseId?: string;
}

export interface EmbeddingResult {
  vectors: number[][];
  /** null when the provider reports none; the gateway then counts the tokens itself. */
  usage: { prompt_tokens: number; total_tokens: number } | null;
}

// ---------------------------------------------------------------- stream

/**
 * A provider stream normalized into events. The gateway turns them into OpenAI chunks
 * (role chunk first, `[DONE]` last). `toolIndex` is the adapter's own counter of tool calls
 * within the choice (0, 1, …), never a provider block index.
 */
export type StreamEvent =
  /** `logprobs`: the provider's log probabilities of this piece, passed on in its chunk. */
  | { type: 'text'; text: string; choice?: number; logprobs?: ChoiceLogprobs }
  | { type: 'tool_call_start'; toolIndex: number; id: string; name: string; choice?: number }
  | { type: 'tool_call_arguments'; toolIndex: number; arguments: string; choice?: number }
  | { type: 'finish'; reason: FinishReason; choice?: number }
  | { type: 'usage'; usage: Usage };

// ---------------------------------------------------------------- adapter

export interface ProviderSettings {
  /** The base URL exactly as the official SDK takes it (DESIGN §7). */
  baseUrl?: string;
  apiKey?: string;
  /** Provider-kind-specific options from the configuration (e.g. the mock's pacing). */
  options?: Record<string, unknown>;
  /**
   * Downloads an http(s) image for providers that take only inline data. Supplied by the
   * gateway, which enforces the private-address policy and the size and time caps
   * (GATEWAY_ALLOW_PRIVATE_FETCH). Throws a GatewayError (400) when the URL is refused.
   */
  fetchImage?: (url: string, signal: AbortSignal) => Promise<{ mimeType: string; base64: string }>;
}

export interface CallOptions {
  /** Aborted when the client goes away or the gateway's upstream timeout fires. */
  signal: AbortSignal;
  requestId: string;
  /** The model name the provider knows. */
  upstreamModel: string;
  /** Parameters the model is configured to drop when the provider cannot honour them. */
  dropParams: ReadonlySet<string>;
}

/** What a request check needs of a call: the request's own content is judged, nothing is sent. */
export type CheckOptions = Pick<CallOptions, 'upstreamModel' | 'dropParams'>;

export interface ProviderAdapter {
  /**
   * Throws the 400 (`invalid_request`, `unsupported_parameter`) that `chat()` and `chatStream()`
   * would throw for this request's own content, without calling the provider or downloading
   * anything. The gateway runs it before the call counts against any limit, and sends the call
   * only to deployments whose adapter accepts it. Absent: every schema-valid request is accepted.
   */
  checkChat?(request: ChatRequest, options: CheckOptions): void | Promise<void>;
  /** As `checkChat`, for `embed()`. */
  checkEmbed?(request: EmbeddingRequest, options: CheckOptions): void | Promise<void>;
  chat(request: ChatRequest, options: CallOptions): Promise<ChatResult>;
  /**
   * Resolves once the provider accepted the request (so an HTTP error surfaces before the
   * gateway commits to a 200), then yields events. Always asks the provider for usage.
   */
  chatStream(request: ChatRequest, options: CallOptions): Promise<AsyncIterable<StreamEvent>>;
  /** Absent when the provider has no embeddings. */
  embed?(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResult>;
  /** Releases the adapter's connections (at shutdown, once calls have drained). */
  close?(): Promise<void>;
}

export type AdapterFactory = (settings: ProviderSettings) => ProviderAdapter;
