import t from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGeminiAdapter } from '../../../src/adapters/gemini/gemini-adapter.js';
import { isAbortError } from '../../../src/adapters/shared/upstream-error.js';
import type { CallOptions, ChatRequest, StreamEvent } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';
import type { FakeUpstream, RecordedRequest } from '../../fake-upstreams/fake-server.js';
import {
  geminiApiKeyInvalidBody,
  geminiError,
  geminiErrorBody,
  geminiMidStreamError,
  geminiRateLimitBody,
  geminiSseFrames,
  geminiTextChunks,
  startGeminiFake,
} from '../../fake-upstreams/gemini.js';

const API_KEY = 'gemini-test-key';
const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

function callOptions(signal = new AbortController().signal): CallOptions {
  return { signal, requestId: 'req_err', upstreamModel: 'gemini-2.5-flash', dropParams: new Set() };
}

async function nextRequest(gemini: FakeUpstream, count: number): Promise<RecordedRequest> {
  while (gemini.requests.length <= count) await sleep(5);
  return gemini.requests[count]!;
}

t.test('provider errors map onto the catalogue, for chat and before any stream event', async (t) => {
  const gemini = await startGeminiFake({ apiKey: API_KEY });
  t.teardown(() => gemini.close());
  const adapter = createGeminiAdapter({ baseUrl: gemini.baseUrl, apiKey: API_KEY });

  const cases = [
    { name: '400 API_KEY_INVALID', status: 400, body: geminiApiKeyInvalidBody(), expected: { code: 'upstream_auth_failed', status: 502 } },
    { name: '403 PERMISSION_DENIED', status: 403, body: geminiErrorBody(403, 'PERMISSION_DENIED', 'denied'), expected: { code: 'upstream_auth_failed' } },
    {
      name: '429 with RetryInfo',
      status: 429,
      body: geminiRateLimitBody('7s'),
      expected: { code: 'upstream_rate_limited', status: 429, headers: { 'retry-after': '7' } },
    },
    {
      name: '400 INVALID_ARGUMENT',
      status: 400,
      body: geminiErrorBody(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified'),
      expected: { code: 'upstream_bad_request', status: 400, message: 'The provider rejected the request (HTTP 400): * GenerateContentRequest.contents: contents is not specified' },
    },
    { name: '500 INTERNAL', status: 500, body: geminiErrorBody(500, 'INTERNAL', 'boom'), expected: { code: 'upstream_error', status: 502 } },
    { name: '503 UNAVAILABLE', status: 503, body: geminiErrorBody(503, 'UNAVAILABLE', 'The model is overloaded.'), expected: { code: 'upstream_error', message: /overloaded/ } },
  ];
  for (const { name, status, body, expected } of cases) {
    gemini.enqueue(geminiError(status, body), geminiError(status, body));
    await t.rejects(adapter.chat(request, callOptions()), { name: 'GatewayError', ...expected }, `chat: ${name}`);
    await t.rejects(adapter.chatStream(request, callOptions()), { name: 'GatewayError', ...expected }, `chatStream: ${name}`);
  }

  const wrongKey = createGeminiAdapter({ baseUrl: gemini.baseUrl, apiKey: 'not-the-key' });
  await t.rejects(wrongKey.chat(request, callOptions()), { code: 'upstream_auth_failed' }, 'a real bad key, answered by the fake');
  await t.rejects(wrongKey.embed!({ model: 'e', input: 'x' }, callOptions()), { code: 'upstream_auth_failed' }, 'embeddings map errors too');
});

t.test('connection failures are upstream_unreachable', async (t) => {
  const gemini = await startGeminiFake();
  t.teardown(() => gemini.close());
  const adapter = createGeminiAdapter({ baseUrl: gemini.baseUrl, apiKey: API_KEY });
  gemini.enqueue({ kind: 'destroy' }, { kind: 'destroy' });
  await t.rejects(adapter.chat(request, callOptions()), { code: 'upstream_unreachable' }, 'connection destroyed');
  await t.rejects(adapter.chatStream(request, callOptions()), { code: 'upstream_unreachable' }, 'connection destroyed (stream)');

  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const nowhere = createGeminiAdapter({ baseUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY });
  await t.rejects(nowhere.chat(request, callOptions()), { code: 'upstream_unreachable' }, 'connection refused');
});

t.test('an error chunk mid-stream is thrown as a GatewayError after the events before it', async (t) => {
  const gemini = await startGeminiFake();
  t.teardown(() => gemini.close());
  const adapter = createGeminiAdapter({ baseUrl: gemini.baseUrl, apiKey: API_KEY });
  gemini.enqueue(geminiMidStreamError(['Once upon'], 503, 'UNAVAILABLE', 'The model is overloaded.'));
  const events = await adapter.chatStream(request, callOptions());
  const seen: StreamEvent[] = [];
  const failure = await (async () => {
    for await (const event of events) seen.push(event);
  })().catch((error: unknown) => error);
  t.same(seen, [{ type: 'text', text: 'Once upon' }]);
  t.type(failure, GatewayError);
  t.match(failure, { code: 'upstream_error', message: /UNAVAILABLE.*overloaded/ });
});

t.test('aborting rejects with the abort error itself and closes the upstream connection', async (t) => {
  const gemini = await startGeminiFake();
  t.teardown(() => gemini.close());
  const adapter = createGeminiAdapter({ baseUrl: gemini.baseUrl, apiKey: API_KEY });

  t.test('while waiting for the answer', async (t) => {
    gemini.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = adapter.chat(request, callOptions(controller.signal));
    const recorded = await nextRequest(gemini, 0);
    const abortedAt = Date.now();
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    t.ok(isAbortError(error), 'an abort error');
    t.notOk(error instanceof GatewayError, 'not turned into a provider error');
    const closedAt = await Promise.race([recorded.clientClosed, sleep(1000).then(() => Infinity)]);
    t.ok(closedAt - abortedAt < 1000, 'the fake saw the client close within 1 s');
  });

  t.test('while a stream runs', async (t) => {
    const [first] = geminiSseFrames(geminiTextChunks(['partial']));
    gemini.enqueue({ kind: 'sse', frames: [first!], hold: true });
    const controller = new AbortController();
    const events = (await adapter.chatStream(request, callOptions(controller.signal)))[Symbol.asyncIterator]();
    t.same((await events.next()).value, { type: 'text', text: 'partial' });
    const recorded = gemini.requests.at(-1)!;
    const abortedAt = Date.now();
    controller.abort();
    const error = await events.next().catch((caught: unknown) => caught);
    t.ok(isAbortError(error), 'an abort error');
    t.notOk(error instanceof GatewayError);
    const closedAt = await Promise.race([recorded.clientClosed, sleep(1000).then(() => Infinity)]);
    t.ok(closedAt - abortedAt < 1000, 'the fake saw the client close within 1 s');
  });

  t.test('an already-aborted signal never reaches the provider as a provider error', async (t) => {
    const controller = new AbortController();
    controller.abort();
    const before = gemini.requests.length;
    const error = await adapter.chat(request, callOptions(controller.signal)).catch((caught: unknown) => caught);
    t.ok(isAbortError(error));
    await t.rejects(adapter.embed!({ model: 'e', input: ['a', 'b'] }, callOptions(controller.signal)), { name: 'AbortError' });
    await sleep(50);
    t.equal(gemini.requests.length, before, 'nothing was sent');
  });
});
