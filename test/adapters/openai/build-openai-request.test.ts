import t from 'tap';
import {
  buildChatParams,
  buildEmbeddingParams,
  buildStreamingChatParams,
} from '../../../src/adapters/openai/build-openai-request.js';
import type { ChatRequest } from '../../../src/adapters/types.js';

const options = { upstreamModel: 'gpt-upstream', dropParams: new Set<string>() };
const request: ChatRequest = {
  model: 'public-alias',
  messages: [{ role: 'user', content: 'hi' }],
  temperature: 0.2,
  reasoning_effort: 'low',
  metadata: { team: 'a' },
  stream: true,
  stream_options: { include_obfuscation: false },
};

t.test('non-stream params: upstream model, unknown parameters kept, stream fields left out', async (t) => {
  const params = buildChatParams(request, options);
  t.same(params, {
    model: 'gpt-upstream',
    messages: [{ role: 'user', content: 'hi' }],
    temperature: 0.2,
    reasoning_effort: 'low',
    metadata: { team: 'a' },
  });
  t.notOk('stream' in params);
  t.notOk('stream_options' in params);
  t.equal(request.model, 'public-alias', 'the request itself is not mutated');
});

t.test('stream params always ask for usage and keep the client’s other stream_options', async (t) => {
  const params = buildStreamingChatParams(request, options);
  t.equal(params.stream, true);
  t.same(params.stream_options, { include_obfuscation: false, include_usage: true });
  const { stream_options } = buildStreamingChatParams({ ...request, stream_options: { include_usage: false } }, options);
  t.same(stream_options, { include_usage: true }, 'a client’s include_usage:false is overridden');
  t.same(buildStreamingChatParams({ ...request, stream_options: null }, options).stream_options, { include_usage: true });
});

t.test('dropParams removes parameters, never the required ones', async (t) => {
  const dropParams = new Set(['temperature', 'metadata', 'model', 'messages', 'stream_options']);
  const params = buildStreamingChatParams(request, { upstreamModel: 'gpt-upstream', dropParams });
  t.notOk('temperature' in params);
  t.notOk('metadata' in params);
  t.equal(params.model, 'gpt-upstream');
  t.same(params.messages, request.messages);
  t.notOk('stream_options' in params, 'dropping stream_options omits it for servers that reject it');
  t.equal(params.reasoning_effort, 'low');
});

t.test('embedding params ask for floats and pass dimensions, user and unknown fields', async (t) => {
  const params = buildEmbeddingParams(
    { model: 'alias', input: ['a', 'b'], dimensions: 4, user: 'u1', encoding_format: 'base64', extra_field: 1 },
    { upstreamModel: 'text-embedding-3-small', dropParams: new Set(['user']) },
  );
  t.same(params, { model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 4, encoding_format: 'float', extra_field: 1 });
});
