import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CallOptions, ChatRequest, EmbeddingRequest } from '../types.js';

/** Fields the provider cannot do without: a model's dropParams never removes them. */
const REQUIRED_FIELDS: ReadonlySet<string> = new Set(['model', 'messages', 'input']);

/**
 * Copies every parameter the client sent, known to the gateway or not (OpenAI adds parameters
 * faster than any gateway can list them), minus those the model is configured to drop.
 */
function passThrough(
  request: Record<string, unknown>,
  options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>,
  setByAdapter: ReadonlySet<string>,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) {
    if (value === undefined || setByAdapter.has(name)) continue;
    if (options.dropParams.has(name) && !REQUIRED_FIELDS.has(name)) continue;
    params[name] = value;
  }
  params.model = options.upstreamModel;
  return params;
}

const STREAM_FIELDS: ReadonlySet<string> = new Set(['stream', 'stream_options']);

// The request was validated by the gateway and is already OpenAI-shaped; the casts below only
// tell the SDK so, since our ChatRequest keeps unknown parameters the SDK's types do not list.

export function buildChatParams(
  request: ChatRequest,
  options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>,
): ChatCompletionCreateParamsNonStreaming {
  return passThrough(request, options, STREAM_FIELDS) as unknown as ChatCompletionCreateParamsNonStreaming;
}

/**
 * Streams always ask for usage: the gateway meters every call. Other stream_options the client
 * sent (include_obfuscation…) are kept. Listing `stream_options` in dropParams omits the field
 * entirely, for OpenAI-compatible servers that reject it (usage may then be missing).
 */
export function buildStreamingChatParams(
  request: ChatRequest,
  options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>,
): ChatCompletionCreateParamsStreaming {
  const params = passThrough(request, options, STREAM_FIELDS);
  params.stream = true;
  if (!options.dropParams.has('stream_options')) {
    params.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  }
  return params as unknown as ChatCompletionCreateParamsStreaming;
}

const ENCODING_FIELDS: ReadonlySet<string> = new Set(['encoding_format']);

/**
 * Asks for plain floats: every OpenAI-compatible server supports them, and the numbers reach the
 * gateway exactly as the provider wrote them. The gateway encodes base64 for clients that want it.
 */
export function buildEmbeddingParams(
  request: EmbeddingRequest,
  options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>,
): EmbeddingCreateParams {
  const params = passThrough(request, options, ENCODING_FIELDS);
  params.encoding_format = 'float';
  return params as unknown as EmbeddingCreateParams;
}
