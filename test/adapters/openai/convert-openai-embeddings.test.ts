import t from 'tap';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { convertOpenAIEmbeddings, decodeBase64Floats } from '../../../src/adapters/openai/convert-openai-embeddings.js';

const usage = { prompt_tokens: 4, total_tokens: 4 };

t.test('vectors come back exactly, ordered by index, with usage', async (t) => {
  const response: CreateEmbeddingResponse = {
    object: 'list',
    model: 'm',
    usage,
    data: [
      { object: 'embedding', index: 1, embedding: [0.5, -0.25] },
      { object: 'embedding', index: 0, embedding: [0.1, 0.123456789012345] },
    ],
  };
  t.same(convertOpenAIEmbeddings(response), { vectors: [[0.1, 0.123456789012345], [0.5, -0.25]], usage });
});

t.test('base64 little-endian float32 is decoded when a server sends it anyway', async (t) => {
  const floats = [1.5, -0.0009765625, 3.25];
  const base64 = Buffer.from(new Float32Array(floats).buffer).toString('base64');
  t.same(decodeBase64Floats(base64), floats);
  const response = { object: 'list', model: 'm', usage, data: [{ object: 'embedding', index: 0, embedding: base64 }] };
  t.same(convertOpenAIEmbeddings(response as unknown as CreateEmbeddingResponse).vectors, [floats]);
});

t.test('missing usage is null; a malformed answer is an upstream_error', async (t) => {
  const noUsage = { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: [1] }] };
  t.equal(convertOpenAIEmbeddings(noUsage as unknown as CreateEmbeddingResponse).usage, null);
  t.throws(() => convertOpenAIEmbeddings({ error: 'x' } as unknown as CreateEmbeddingResponse), { code: 'upstream_error' });
  const badVector = { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: { x: 1 } }] };
  t.throws(() => convertOpenAIEmbeddings(badVector as unknown as CreateEmbeddingResponse), { code: 'upstream_error' });
});
