import type { GenerativeModel, SingleRequestOptions } from '@google/generative-ai';
import { GatewayError } from '../../errors.js';
import { invalidField, rejectUnhonouredParameters } from '../shared/unsupported-parameters.js';
import type { CallOptions, EmbeddingRequest, EmbeddingResult } from '../types.js';
import { PROVIDER_LABEL, withoutDroppedParameters } from './build-gemini-request.js';
import type { GeminiEmbedRequest } from './gemini-wire-types.js';
import { ANSWER_NOT_READABLE, unreadableAnswer } from '../shared/provider-failure.js';

/** `batchEmbedContents` takes at most this many requests. */
export const EMBEDDING_BATCH_SIZE = 100;

/** `encoding_format` is honoured by the gateway, which encodes the floats Gemini returns. */
const HONOURED_EMBEDDING_PARAMETERS: ReadonlySet<string> = new Set(['model', 'input', 'dimensions', 'encoding_format']);

/** Texts to embed, in order. Gemini embeds text only: token arrays cannot be carried. */
export function embeddingTexts(input: EmbeddingRequest['input']): string[] {
  const inputs: unknown[] = Array.isArray(input) ? input : [input];
  if (inputs.length === 0) throw invalidField('input', "'input' must not be empty.");
  if (!inputs.every((item): item is string => typeof item === 'string')) {
    throw new GatewayError('unsupported_parameter', 'Gemini embeds text only; token-array inputs are not supported.', {
      param: 'input',
      hint: "Send 'input' as a string or an array of strings.",
    });
  }
  return inputs;
}

/** One `embedContent` body per text; `dimensions` → `outputDimensionality`. */
export function buildEmbedRequests(request: EmbeddingRequest, options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>): GeminiEmbedRequest[] {
  const kept = withoutDroppedParameters(request, options.dropParams);
  rejectUnhonouredParameters(kept, HONOURED_EMBEDDING_PARAMETERS, options, PROVIDER_LABEL);
  const dimensions = typeof kept.dimensions === 'number' ? { outputDimensionality: kept.dimensions } : {};
  return embeddingTexts(kept.input).map((text) => ({ content: { role: 'user', parts: [{ text }] }, ...dimensions }));
}

/**
 * `embedContent` for one text, `batchEmbedContents` in batches of 100 for several, one batch
 * after another so a large input does not burst the provider's rate limit. Gemini reports no
 * token usage for embeddings: the gateway counts the tokens itself.
 */
export async function embedWithGemini(
  model: GenerativeModel,
  requests: GeminiEmbedRequest[],
  requestOptions: SingleRequestOptions,
): Promise<EmbeddingResult> {
  const [only] = requests;
  if (requests.length === 1 && only !== undefined) {
    const response = await model.embedContent(only, requestOptions);
    return { vectors: [vectorOf(response?.embedding)], usage: null };
  }
  const vectors: number[][] = [];
  for (let start = 0; start < requests.length; start += EMBEDDING_BATCH_SIZE) {
    // The SDK ignores a signal that fired before the call: stop between batches ourselves.
    requestOptions.signal?.throwIfAborted();
    const batch = requests.slice(start, start + EMBEDDING_BATCH_SIZE);
    const response = await model.batchEmbedContents({ requests: batch }, requestOptions);
    if (!Array.isArray(response?.embeddings)) throw unreadableAnswer(ANSWER_NOT_READABLE, 'it holds no list of embeddings', undefined);
    if (response.embeddings.length !== batch.length) {
      throw new GatewayError('upstream_error', `The provider returned ${response.embeddings.length} embeddings for ${batch.length} inputs.`, {
        hint: 'Retry later; if it persists, a platform admin should check the provider.',
      });
    }
    vectors.push(...response.embeddings.map(vectorOf));
  }
  return { vectors, usage: null };
}

/** An embedding's vector, or the provider's answer was not an embedding. */
function vectorOf(embedding: { values?: unknown } | null | undefined): number[] {
  const values = embedding?.values;
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'number')) throw unreadableAnswer(ANSWER_NOT_READABLE, 'an embedding without a vector of numbers', undefined);
  return values as number[];
}
