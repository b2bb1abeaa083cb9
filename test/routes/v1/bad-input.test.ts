import { gzipSync } from 'node:zlib';
import t from 'tap';
import OpenAI from 'openai';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { startGateway } from '../../helpers/gateway.js';

interface Envelope {
  error: { code: string; type: string; param: string | null; layer: string; message: string; request_id: string };
}

t.test('bad input gets a clear 4xx envelope, never a 500, and the server keeps serving', async (t) => {
  const gw = await startGateway(t, { env: { GATEWAY_MAX_BODY_BYTES: '4096' } });
  const apiKey = gw.client().apiKey;
  const post = async (path: string, body: string, contentType = 'application/json') => {
    const response = await fetch(gw.origin + path, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${apiKey}` },
      body,
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Envelope };
  };
  const message = [{ role: 'user', content: 'hi' }];

  const cases: Array<{ name: string; path?: string; body: string; contentType?: string; status: number; code: string; param?: string; message?: RegExp }> = [
    { name: 'malformed JSON', body: '{"model": "mock-chat", "messages": [', status: 400, code: 'invalid_request' },
    { name: 'empty body', body: '', status: 400, code: 'invalid_request' },
    { name: 'a JSON array instead of an object', body: '[]', status: 400, code: 'invalid_request' },
    { name: 'missing model', body: JSON.stringify({ messages: message }), status: 400, code: 'invalid_request', param: 'model' },
    { name: 'model of the wrong type', body: JSON.stringify({ model: 7, messages: message }), status: 400, code: 'invalid_request', param: 'model' },
    { name: 'messages as a string', body: JSON.stringify({ model: 'mock-chat', messages: 'hi' }), status: 400, code: 'invalid_request', param: 'messages' },
    { name: 'empty messages', body: JSON.stringify({ model: 'mock-chat', messages: [] }), status: 400, code: 'invalid_request', param: 'messages' },
    { name: 'unknown role', body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'wizard', content: 'x' }] }), status: 400, code: 'invalid_request', param: 'messages[0].role' },
    { name: 'tool message without tool_call_id', body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'tool', content: 'x' }] }), status: 400, code: 'invalid_request' },
    { name: 'temperature as a string', body: JSON.stringify({ model: 'mock-chat', messages: message, temperature: 'hot' }), status: 400, code: 'invalid_request', param: 'temperature' },
    { name: 'temperature out of range', body: JSON.stringify({ model: 'mock-chat', messages: message, temperature: 3 }), status: 400, code: 'invalid_request', param: 'temperature' },
    { name: 'stream as a string', body: JSON.stringify({ model: 'mock-chat', messages: message, stream: 'yes' }), status: 400, code: 'invalid_request', param: 'stream' },
    { name: 'unknown model', body: JSON.stringify({ model: 'no-such-model', messages: message }), status: 404, code: 'model_not_found', param: 'model' },
    { name: 'an embedding model on chat', body: JSON.stringify({ model: 'mock-embed', messages: message }), status: 404, code: 'model_not_found', param: 'model' },
    { name: 'a chat model on embeddings', path: '/v1/embeddings', body: JSON.stringify({ model: 'mock-chat', input: 'x' }), status: 404, code: 'model_not_found', param: 'model' },
    { name: 'embeddings with an empty input', path: '/v1/embeddings', body: JSON.stringify({ model: 'mock-embed', input: '' }), status: 400, code: 'invalid_request', param: 'input' },
    { name: 'embeddings in an unknown encoding', path: '/v1/embeddings', body: JSON.stringify({ model: 'mock-embed', input: 'x', encoding_format: 'hex' }), status: 400, code: 'invalid_request', param: 'encoding_format', message: /'encoding_format' must be one of "float", "base64"/ },
    { name: 'embeddings with an empty input list', path: '/v1/embeddings', body: JSON.stringify({ model: 'mock-embed', input: [] }), status: 400, code: 'invalid_request', param: 'input', message: /'input' must NOT have fewer than 1 items/ },
    { name: 'embeddings with an empty text in the list', path: '/v1/embeddings', body: JSON.stringify({ model: 'mock-embed', input: ['a', ''] }), status: 400, code: 'invalid_request', param: 'input[1]', message: /'input\[1\]' must NOT have fewer than 1 characters/ },
    { name: 'a model name over 256 characters', body: JSON.stringify({ model: 'm'.repeat(300), messages: message }), status: 400, code: 'invalid_request', param: 'model', message: /'model' must NOT have more than 256 characters/ },
    { name: 'embeddings with more dimensions than any model has', path: '/v1/embeddings', body: JSON.stringify({ model: 'mock-embed', input: 'x', dimensions: 100_000_000 }), status: 400, code: 'invalid_request', param: 'dimensions', message: /'dimensions' must be <= 8192/ },
    { name: 'oversized body', body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }), status: 413, code: 'body_too_large' },
    { name: 'not JSON at all', body: 'model=mock-chat', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
    { name: 'JSON sent as plain text', body: JSON.stringify({ model: 'mock-chat', messages: message }), contentType: 'text/plain', status: 415, code: 'unsupported_media_type' },
    { name: 'a trailing comma', body: '{"model": "mock-chat",}', status: 400, code: 'invalid_request', message: /^The request body is not valid JSON: .*position 22/ },
    { name: 'an empty body', body: '', status: 400, code: 'invalid_request', message: /empty/ },
    {
      name: 'a body nested deeper than 128 levels',
      body: `{"model": "mock-chat", "messages": [{"role": "user", "content": "x"}], "extra": ${'['.repeat(200)}${']'.repeat(200)}}`,
      status: 400,
      code: 'invalid_request',
      message: /nests objects and arrays more than 128 levels deep/,
    },
    {
      name: 'tool parameters whose root is no object schema',
      body: JSON.stringify({ model: 'mock-chat', messages: message, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }] }),
      status: 400,
      code: 'invalid_request',
      param: 'tools[0].function.parameters.type',
      message: /'tools\[0\]\.function\.parameters\.type' must be "object"/,
    },
    {
      name: "a custom (free-text) tool: tools must be functions",
      body: JSON.stringify({ model: 'mock-chat', messages: message, tools: [{ type: 'custom', custom: { name: 'grammar' } }] }),
      status: 400,
      code: 'invalid_request',
      param: 'tools[0].type',
      message: /'tools\[0\]\.type' must be "function"/,
    },
    {
      name: 'a function tool without its function',
      body: JSON.stringify({ model: 'mock-chat', messages: message, tools: [{ type: 'function' }] }),
      status: 400,
      code: 'invalid_request',
      param: 'tools[0].function',
    },
    { name: 'a text part without text', body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: [{ type: 'text' }] }] }), status: 400, code: 'invalid_request', param: 'messages[0].content[0].text' },
    {
      name: 'a json_schema response format whose schema is no object',
      body: JSON.stringify({ model: 'mock-chat', messages: message, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: 'abc' } } }),
      status: 400,
      code: 'invalid_request',
      param: 'response_format.json_schema.schema',
    },
    { name: 'a json_schema response format without json_schema', body: JSON.stringify({ model: 'mock-chat', messages: message, response_format: { type: 'json_schema' } }), status: 400, code: 'invalid_request', param: 'response_format.json_schema' },
    { name: 'a __proto__ key', body: '{"model": "mock-chat", "messages": [], "__proto__": {"admin": true}}', status: 400, code: 'invalid_request', message: /'__proto__'/ },
  ];

  for (const c of cases) {
    const response = await post(c.path ?? '/v1/chat/completions', c.body, c.contentType);
    t.equal(response.status, c.status, `${c.name}: status`);
    t.equal(response.body.error?.code, c.code, `${c.name}: code`);
    if (c.param !== undefined) t.equal(response.body.error.param, c.param, `${c.name}: param names the field`);
    t.ok(response.body.error.message.length > 10, `${c.name}: a message that says what is wrong`);
    if (c.message !== undefined) t.match(response.body.error.message, c.message, `${c.name}: the message names the problem`);
    t.equal(response.body.error.request_id, response.headers.get('x-request-id'), `${c.name}: request id in body and header`);
    t.equal(response.headers.get('x-gateway-error-source'), 'gateway', `${c.name}: error source`);
    t.notMatch(JSON.stringify(response.body), /at .*\.(ts|js):\d+/, `${c.name}: no stack trace`);
  }

  const gzipped = await fetch(`${gw.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${apiKey}` },
    body: gzipSync(JSON.stringify({ model: 'mock-chat', messages: message })),
  });
  t.equal(gzipped.status, 415, 'a gzip body');
  t.match(((await gzipped.json()) as Envelope).error, { code: 'unsupported_media_type', message: /Content-Encoding: gzip/ });

  const unknownRoute = await fetch(`${gw.origin}/v1/nothing-here`);
  t.equal(unknownRoute.status, 404);
  t.equal(((await unknownRoute.json()) as Envelope).error.code, 'route_not_found');
  for (const [method, path, allow] of [['GET', '/v1/chat/completions', 'POST'], ['DELETE', '/v1/embeddings', 'POST'], ['POST', '/v1/models', 'GET, HEAD'], ['HEAD', '/v1/chat/completions', 'POST']] as const) {
    const wrongMethod = await fetch(`${gw.origin}${path}`, { method, headers: { authorization: `Bearer ${apiKey}` } });
    t.equal(wrongMethod.status, 405, `${method} ${path}`);
    t.equal(wrongMethod.headers.get('allow'), allow, `${method} ${path}: Allow lists what the path takes`);
    if (method !== 'HEAD') t.match(((await wrongMethod.json()) as Envelope).error, { code: 'method_not_allowed', message: `${path} takes ${allow.replace(', ', ' or ')}, not ${method}.` });
  }

  const still = await gw.client().chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'still there?' }] });
  t.match(still.choices[0]?.message.content, /still there/, 'the server keeps serving');
});

t.test('unknown OpenAI parameters are accepted, not stripped', async (t) => {
  const gw = await startGateway(t);
  const completion = await gw.client().chat.completions.create({
    model: 'mock-chat',
    messages: [{ role: 'user', content: 'hi' }],
    // @ts-expect-error a parameter the SDK types do not know yet
    some_future_parameter: { enabled: true },
  });
  t.equal(completion.choices[0]?.finish_reason, 'stop');
});

t.test('the SDK maps a 404 to NotFoundError with the catalogue code', async (t) => {
  const gw = await startGateway(t);
  await expectApiError(t, gw.client().chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), OpenAI.NotFoundError, {
    status: 404,
    code: 'model_not_found',
    layer: 'model',
  });
});

t.test('a caller request id is kept; a malformed one is replaced', async (t) => {
  const gw = await startGateway(t);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${gw.client().apiKey}` };
  const body = JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: 'x' }] });
  const kept = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { ...headers, 'x-request-id': 'trace-123.abc' }, body });
  t.equal(kept.headers.get('x-request-id'), 'trace-123.abc');
  const replaced = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { ...headers, 'x-request-id': 'bad id with spaces' }, body });
  t.match(replaced.headers.get('x-request-id'), /^req_[0-9a-f]{32}$/);
});

t.test('a key sent the wrong way: 401 missing_api_key that names where it went, and how to send it', async (t) => {
  const gw = await startGateway(t);
  const apiKey = gw.client().apiKey;
  if (apiKey === null) throw new Error('the test gateway gave no key');
  const body = JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }] });
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['Basic', { authorization: `Basic ${Buffer.from(`user:${apiKey}`).toString('base64')}` }, '', /uses the 'Basic' scheme/],
    ['without Bearer', { authorization: apiKey }, '', /without the 'Bearer ' scheme/],
    ['api-key header', { 'api-key': apiKey }, '', /'api-key' header/],
    ['query string', {}, `?api_key=${apiKey}`, /query string/],
  ];
  for (const [name, headers, query, expected] of cases) {
    const response = await fetch(`${gw.origin}/v1/chat/completions${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const envelope = (await response.json()) as Envelope;
    t.equal(response.status, 401, name);
    t.equal(envelope.error.code, 'missing_api_key', name);
    t.match(envelope.error.message, expected, `${name}: names where the key went`);
    t.match(envelope.error.message, /Authorization: Bearer <key>/, `${name}: says how to send it`);
    t.notOk(envelope.error.message.includes(apiKey), `${name}: does not repeat the key`);
  }
});
