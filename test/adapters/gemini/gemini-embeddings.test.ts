import t from 'tap';
import { buildEmbedRequests, embeddingTexts } from '../../../src/adapters/gemini/gemini-embeddings.js';

const options = (...dropped: string[]) => ({ dropParams: new Set(dropped), upstreamModel: 'text-embedding-004' });

t.test('inputs: text only, never empty', async (t) => {
  t.same(embeddingTexts('a'), ['a']);
  t.same(embeddingTexts(['a', 'b']), ['a', 'b']);
  t.throws(() => embeddingTexts([1, 2, 3]), { code: 'unsupported_parameter', status: 400, param: 'input' });
  t.throws(() => embeddingTexts([[1, 2]]), { code: 'unsupported_parameter', param: 'input' });
  t.throws(() => embeddingTexts([]), { code: 'invalid_request', param: 'input' });
});

t.test('requests: dimensions → outputDimensionality; unknown parameters refused unless dropped', async (t) => {
  t.same(buildEmbedRequests({ model: 'e', input: ['x', 'y'], dimensions: 64, encoding_format: 'base64' }, options()), [
    { content: { role: 'user', parts: [{ text: 'x' }] }, outputDimensionality: 64 },
    { content: { role: 'user', parts: [{ text: 'y' }] }, outputDimensionality: 64 },
  ]);
  t.throws(() => buildEmbedRequests({ model: 'e', input: 'x', user: 'u' }, options()), { code: 'unsupported_parameter', param: 'user' });
  t.same(buildEmbedRequests({ model: 'e', input: 'x', user: 'u', dimensions: 3 }, options('user', 'dimensions')), [
    { content: { role: 'user', parts: [{ text: 'x' }] } },
  ]);
});
