import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { GatewayError } from '../../errors.js';
import type { EmbeddingResult } from '../types.js';

/** Little-endian float32, OpenAI's base64 embedding encoding. */
export function decodeBase64Floats(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) vector.push(view.getFloat32(offset, true));
  return vector;
}

function malformed(): GatewayError {
  return new GatewayError('upstream_error', 'The provider answered with something that is not an embeddings list.', {
    hint: "A platform admin should check the provider's base URL and the model's kind.",
  });
}

/**
 * Vectors in input order (the `index` field decides, not the position in `data`). We ask for
 * floats; a server that answers base64 anyway is decoded rather than failed.
 */
export function convertOpenAIEmbeddings(response: CreateEmbeddingResponse): EmbeddingResult {
  if (response === null || typeof response !== 'object' || !Array.isArray(response.data)) throw malformed();
  const ordered = [...response.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const vectors = ordered.map((item) => {
    const embedding: unknown = item.embedding;
    if (typeof embedding === 'string') return decodeBase64Floats(embedding);
    if (Array.isArray(embedding) && embedding.every((value) => typeof value === 'number')) return embedding as number[];
    throw malformed();
  });
  const usage = response.usage;
  return {
    vectors,
    usage:
      usage && typeof usage.prompt_tokens === 'number'
        ? { prompt_tokens: usage.prompt_tokens, total_tokens: usage.total_tokens ?? usage.prompt_tokens }
        : null,
  };
}
