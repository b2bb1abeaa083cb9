import type { FastifyInstance } from 'fastify';
import type { EmbeddingRequest } from '../../adapters/types.js';
import { clientGoneSignal } from './client-signal.js';

const embeddingsBodySchema = {
  type: 'object',
  required: ['model', 'input'],
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 256 },
    input: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1, maxItems: 2048, items: { type: 'string', minLength: 1 } },
        { type: 'array', minItems: 1, items: { type: 'integer' } },
        { type: 'array', minItems: 1, maxItems: 2048, items: { type: 'array', minItems: 1, items: { type: 'integer' } } },
      ],
    },
    // The largest embedding models have 3,072 dimensions; the cap keeps one call from building a
    // vector that takes the process minutes and gigabytes (the mock model builds what it is asked).
    dimensions: { type: 'integer', minimum: 1, maximum: 8192 },
    encoding_format: { type: 'string', enum: ['float', 'base64'] },
    user: { type: 'string' },
  },
} as const;

/** The openai SDK asks for base64 by default and decodes little-endian float32. */
function encodeVector(vector: number[], format: 'float' | 'base64'): number[] | string {
  return format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
}

function inputTexts(input: EmbeddingRequest['input']): string[] {
  if (typeof input === 'string') return [input];
  return (input as unknown[]).filter((item): item is string => typeof item === 'string');
}

export default async function embeddingsRoutes(fastify: FastifyInstance) {
  fastify.post<{ Body: EmbeddingRequest }>('/v1/embeddings', { schema: { body: embeddingsBodySchema } }, async (request, reply) => {
    const body = request.body;
    const call = request.call;
    call.endpoint = 'embeddings';
    call.requestedModel = body.model;
    const model = fastify.catalog.resolve(body.model, 'embeddings');
    const result = await fastify.invoker.embed(model, body, {
      requestId: request.id,
      clientSignal: clientGoneSignal(reply),
      record: call,
      deployments: request.deployments ?? model.deployments,
    });
    let usage = result.usage;
    if (usage === null) {
      // The provider reports none (Gemini): count ourselves and say so (DESIGN §7).
      const counted = fastify.tokenCounter.countAll(inputTexts(body.input));
      usage = { prompt_tokens: counted, total_tokens: counted };
      call.tokensEstimated = true;
    }
    call.usage = { prompt_tokens: usage.prompt_tokens, completion_tokens: 0, total_tokens: usage.total_tokens };
    const format = body.encoding_format ?? 'float';
    return {
      object: 'list',
      data: result.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encodeVector(vector, format) })),
      model: model.name,
      usage,
      ...(call.tokensEstimated ? { tokens_estimated: true } : {}),
    };
  });
}
