import t, { type Test } from 'tap';
import OpenAI from 'openai';
import { expectApiError } from '../helpers/expect-api-error.js';
import { startGateway } from '../helpers/gateway.js';
import { seedCaller } from '../helpers/seed-caller.js';
import type { CallLogRow } from '../../src/db/schema.js';
import { startLoggedGateway, withRequestId, type LoggedGateway } from './logged-gateway.js';

const question = [{ role: 'user' as const, content: 'Tell me something about the call log, please.' }];

/** Exactly one row for the request id, and it. */
async function onlyRow(t: Test, gw: LoggedGateway, requestId: string): Promise<CallLogRow> {
  const rows = await gw.rowsOf(requestId);
  t.equal(rows.length, 1, `exactly one row for ${requestId}`);
  return rows[0] as CallLogRow;
}

/** The identity of the seeded caller once the decision chain runs; none before. */
function checkIdentity(t: Test, gw: LoggedGateway, row: CallLogRow): void {
  if (gw.chainActive) {
    t.same([row.tenantId, row.consumerId, row.keyId], [gw.caller.tenantId, gw.caller.consumerId, gw.caller.keyId], 'the caller identity');
    t.ok(Array.isArray(row.decisionTrace) && (row.decisionTrace as unknown[]).length > 0, 'the decision trace');
  } else {
    t.same([row.tenantId, row.consumerId, row.keyId], [null, null, null], 'no identity without the decision chain');
  }
}

t.test('every outcome yields exactly one row with the right fields', async (t) => {
  const gw = await startLoggedGateway(t);

  t.test('ok, JSON', async (t) => {
    const { data, response } = await gw.sdk.chat.completions.create({ model: 'mock-chat', messages: question }, withRequestId('req_ok_json')).withResponse();
    t.equal(response.headers.get('x-request-id'), 'req_ok_json', 'the caller’s request id is echoed');
    const row = await onlyRow(t, gw, 'req_ok_json');
    t.match(row, {
      endpoint: 'chat',
      requestedModel: 'mock-chat',
      provider: 'local-mock',
      upstreamModel: 'mock-1',
      stream: false,
      statusCode: 200,
      outcome: 'ok',
      errorCode: null,
      layer: null,
      clientIp: '127.0.0.1',
      ttftMs: null,
      promptTokens: data.usage?.prompt_tokens,
      completionTokens: data.usage?.completion_tokens,
      cachedTokens: 0,
      reasoningTokens: 0,
      tokensEstimated: false,
      attempts: 1,
      sampledCount: 1,
    });
    t.match(row.userAgent, /OpenAI\/JS/);
    t.ok(row.latencyMs > 0 && row.upstreamLatencyMs !== null && row.upstreamLatencyMs <= row.latencyMs, 'latencies');
    const prompt = data.usage?.prompt_tokens ?? 0;
    const completion = data.usage?.completion_tokens ?? 0;
    t.equal(row.costUsd, Math.round((prompt * 1 + completion * 2) * 1e6) / 1e12, 'cost from the model prices ($1 / $2 per million)');
    t.ok(Math.abs(row.createdAt.getTime() - Date.now()) < 10_000, 'createdAt is the call’s time');
    checkIdentity(t, gw, row);
  });

  t.test('ok, embeddings', async (t) => {
    await gw.sdk.embeddings.create({ model: 'mock-embed', input: ['one', 'two'] }, withRequestId('req_ok_embed'));
    const row = await onlyRow(t, gw, 'req_ok_embed');
    t.match(row, { endpoint: 'embeddings', requestedModel: 'mock-embed', outcome: 'ok', completionTokens: 0, costUsd: null });
    t.ok((row.promptTokens ?? 0) > 0);
  });

  t.test('ok, stream: tokens and time to first token are filled once the stream has ended', async (t) => {
    const stream = await gw.sdk.chat.completions.create({ model: 'slow-chat', messages: question, stream: true }, withRequestId('req_ok_stream'));
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    t.ok(text.length > 0);
    const row = await onlyRow(t, gw, 'req_ok_stream');
    t.match(row, { endpoint: 'chat', stream: true, statusCode: 200, outcome: 'ok', provider: 'slow-mock', tokensEstimated: false, errorCode: null });
    t.ok((row.promptTokens ?? 0) > 0 && (row.completionTokens ?? 0) > 0, 'the provider’s usage');
    t.ok(row.ttftMs !== null && row.ttftMs >= 30, `ttft covers the first chunk delay (${row.ttftMs} ms)`);
    t.ok(row.ttftMs !== null && row.latencyMs > row.ttftMs + 100, 'the latency runs to the last chunk');
    t.ok((row.costUsd ?? 0) > 0);
    checkIdentity(t, gw, row);
  });

  t.test('denied: the model does not exist', async (t) => {
    const error = await expectApiError(t, gw.sdk.chat.completions.create({ model: 'no-such-model', messages: question }, withRequestId('req_denied_model')), OpenAI.NotFoundError, {
      status: 404,
      code: 'model_not_found',
    });
    t.equal((error?.error as { request_id?: string } | undefined)?.request_id, 'req_denied_model', 'the request id is in the error body');
    const row = await onlyRow(t, gw, 'req_denied_model');
    t.match(row, { statusCode: 404, outcome: 'denied', errorCode: 'model_not_found', layer: 'model', requestedModel: 'no-such-model', provider: null, attempts: 0, promptTokens: null, costUsd: null });
  });

  t.test('refused before the route ran, a streamed request still logs its model and stream', async (t) => {
    await expectApiError(t, gw.sdk.chat.completions.create({ model: 'mock-chat', messages: question, stream: true, temperature: 5 }, withRequestId('req_schema_stream')), OpenAI.BadRequestError, {
      status: 400,
      code: 'invalid_request',
    });
    t.match(await onlyRow(t, gw, 'req_schema_stream'), { statusCode: 400, outcome: 'denied', layer: 'request', requestedModel: 'mock-chat', stream: true }, 'refused by the schema');
    await expectApiError(t, gw.sdk.chat.completions.create({ model: 'mock-chat', messages: question, stream: true, n: 2 }, withRequestId('req_check_stream')), OpenAI.BadRequestError, {
      status: 400,
      code: 'unsupported_parameter',
    });
    t.match(await onlyRow(t, gw, 'req_check_stream'), { statusCode: 400, outcome: 'denied', requestedModel: 'mock-chat', stream: true }, "refused by the adapter's check");
  });

  t.test('denied by the decision chain: an unknown key', { skip: gw.chainActive ? false : 'the decision chain is not registered in this build' }, async (t) => {
    await expectApiError(t, gw.client('gw-not-a-real-key-000000000000').chat.completions.create({ model: 'mock-chat', messages: question }, withRequestId('req_denied_key')), OpenAI.AuthenticationError, {
      status: 401,
      code: 'invalid_api_key',
    });
    const row = await onlyRow(t, gw, 'req_denied_key');
    t.match(row, { statusCode: 401, outcome: 'denied', errorCode: 'invalid_api_key', layer: 'auth', tenantId: null, keyId: null });
  });

  t.test('error: the provider cannot be reached', async (t) => {
    await expectApiError(t, gw.sdk.chat.completions.create({ model: 'unreachable-chat', messages: question }, withRequestId('req_unreachable')), OpenAI.InternalServerError, {
      status: 502,
      code: 'upstream_unreachable',
      layer: 'upstream',
    });
    const row = await onlyRow(t, gw, 'req_unreachable');
    t.match(row, { statusCode: 502, outcome: 'error', errorCode: 'upstream_unreachable', layer: 'upstream', provider: 'nowhere', upstreamModel: 'gpt-4o-mini', attempts: 1, promptTokens: null });
    t.ok(row.upstreamLatencyMs !== null, 'the failed attempt is timed');
  });

  t.test('a malformed x-request-id is replaced, and the row carries the id the caller was given', async (t) => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.caller.key}`, 'x-request-id': 'not valid!' },
      body: JSON.stringify({ model: 'mock-chat', messages: question }),
    });
    t.equal(response.status, 200);
    const given = response.headers.get('x-request-id') ?? '';
    t.match(given, /^req_[0-9a-f]{32}$/);
    await onlyRow(t, gw, given);
  });

  t.test('cancelled: the client goes away mid-stream', async (t) => {
    const controller = new AbortController();
    const stream = await gw.sdk.chat.completions.create({ model: 'slow-chat', messages: question, stream: true }, withRequestId('req_cancelled', controller.signal));
    let chunks = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) chunks += 1;
      if (chunks === 3) controller.abort();
    }
    const row = await onlyRow(t, gw, 'req_cancelled');
    t.match(row, { statusCode: 499, outcome: 'cancelled', stream: true, tokensEstimated: true, errorCode: null });
    t.ok((row.promptTokens ?? 0) > 0, 'prompt tokens counted from the messages');
    const full = (await gw.rowsOf('req_ok_stream'))[0];
    t.ok((row.completionTokens ?? 0) > 0 && (row.completionTokens ?? 0) < (full?.completionTokens ?? 0), `the tokens streamed so far (${row.completionTokens})`);
    t.ok(row.ttftMs !== null, 'the first token had arrived');
    // After an abort the SDK's connection pool opens a fresh socket that never sends a request;
    // the server would wait for it at close, so cut it (every call here has ended).
    gw.app.server.closeAllConnections();
  });
});

t.test('error: a stream that ends with an in-band error event', async (t) => {
  const gw = await startGateway(t, {
    config: `
providers:
  - name: stalling
    kind: mock
    options: { chunkDelayMs: 2000 }
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: stalling, model: m }]
`,
    env: { GATEWAY_UPSTREAM_TIMEOUT_MS: '200' },
  });
  const { key } = seedCaller(gw.app.db, ['mock-chat']);
  gw.app.stateChanged();
  const stream = await gw.client(key).chat.completions.create({ model: 'mock-chat', messages: question, stream: true }, withRequestId('req_stream_error'));
  await t.rejects(async () => {
    for await (const chunk of stream) void chunk;
  });
  await gw.app.callLog.drain();
  const rows = gw.app.sqlite.prepare('select status_code, outcome, error_code, layer, stream from call_logs where request_id = ?').all('req_stream_error');
  t.same(rows, [{ status_code: 200, outcome: 'error', error_code: 'upstream_timeout', layer: 'upstream', stream: 1 }], 'the 200 was sent; the row says how it ended');
});

t.test('probes, metrics and the admin API are not call-logged', async (t) => {
  const gw = await startGateway(t);
  for (const url of ['/healthz', '/readyz', '/metrics', '/admin/tenants']) await fetch(`${gw.origin}${url}`);
  await gw.app.callLog.drain();
  const { n } = gw.app.sqlite.prepare('select count(*) as n from call_logs').get() as { n: number };
  t.equal(n, 0);
});

t.test('GATEWAY_CALL_LOG=false writes no rows', async (t) => {
  const gw = await startGateway(t, { env: { GATEWAY_CALL_LOG: 'false' } });
  const { key } = seedCaller(gw.app.db, ['mock-chat']);
  gw.app.stateChanged();
  await gw.client(key).chat.completions.create({ model: 'mock-chat', messages: question });
  await gw.app.callLog.drain();
  const { n } = gw.app.sqlite.prepare('select count(*) as n from call_logs').get() as { n: number };
  t.equal(n, 0);
  t.equal(gw.app.callLog.enabled, false);
});

t.test('a call that arrives while the gateway drains is refused with the envelope, and logged', async (t) => {
  const gw = await startLoggedGateway(t);
  // As after SIGTERM, for a call on a keep-alive connection opened before it.
  gw.app.draining = true;
  const response = await fetch(`${gw.baseURL}/models`, { headers: { authorization: `Bearer ${gw.caller.key}` } });
  t.equal(response.status, 503, 'any /v1 route is refused');
  t.equal(response.headers.get('retry-after'), '1', 'with Retry-After, so a client retries on a new connection');
  await expectApiError(t, gw.sdk.chat.completions.create({ model: 'mock-chat', messages: question }, withRequestId('req_draining')), OpenAI.InternalServerError, {
    status: 503,
    code: 'service_unavailable',
    layer: 'gateway',
  });
  t.match(await onlyRow(t, gw, 'req_draining'), { statusCode: 503, errorCode: 'service_unavailable' }, 'its row');
  const ready = await gw.app.inject({ method: 'GET', url: '/readyz' });
  t.match({ status: ready.statusCode, body: ready.json() }, { status: 503, body: { status: 'not_ready', checks: { draining: true } } }, '/readyz still answers with its checks');
});

t.test('a wrong method or an unknown path under /v1 is a call too: refused, and logged', async (t) => {
  const gw = await startLoggedGateway(t);
  for (const [method, path, status, code] of [
    ['PUT', '/chat/completions', 405, 'method_not_allowed'],
    ['GET', '/completions', 404, 'route_not_found'],
  ] as const) {
    const requestId = `req_${method.toLowerCase()}_${status}`;
    const response = await fetch(gw.baseURL + path, { method, headers: { authorization: `Bearer ${gw.caller.key}`, 'x-request-id': requestId } });
    t.equal(response.status, status, `${method} ${path}: ${status}`);
    t.match(await onlyRow(t, gw, requestId), { statusCode: status, errorCode: code, layer: 'request', outcome: 'denied' }, `${method} ${path}: its row`);
  }
});

t.test('a path Fastify cannot route gets the envelope too', async (t) => {
  const gw = await startGateway(t);
  for (const [path, problem] of [
    ['/v1/models/%E0%A4%A', /malformed %-escape/],
    [`/admin/tenants/${'x'.repeat(200)}`, /longer than 100 characters/],
  ] as const) {
    const response = await fetch(gw.origin + path, { headers: { authorization: `Bearer ${gw.apiKey}` } });
    const body = (await response.json()) as { error: { code: string; message: string; request_id: string } };
    t.equal(response.status, 400, `${path}: 400`);
    t.match(body.error, { code: 'invalid_request', message: /^The request path / }, `${path}: the catalogue's envelope`);
    t.match(body.error.message, problem, `${path}: the message says what is wrong with it`);
    t.equal(body.error.request_id, response.headers.get('x-request-id'), `${path}: with its request id`);
  }
});
