import t, { type Test } from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { APIUserAbortError } from 'openai';
import { createOpenAIAdapter } from '../../../src/adapters/openai/openai-adapter.js';
import { isAbortError } from '../../../src/adapters/shared/upstream-error.js';
import type { ChatRequest } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';
import { openaiChunk, openaiError, openaiMidStreamErrorFrame, openaiStream } from '../../fake-upstreams/openai.js';
import { adapterWithFake, callOptions, rejection, waitForRequests } from './fixtures/adapter-harness.js';

const hello: ChatRequest = { model: 'alias', messages: [{ role: 'user', content: 'hi' }] };

async function gatewayError(t: Test, promise: Promise<unknown>): Promise<GatewayError> {
  const error = await rejection(t, promise);
  t.ok(error instanceof GatewayError, `a GatewayError (got ${String(error)})`);
  return error as GatewayError;
}

t.test('401 and 403 are upstream_auth_failed', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const wrongKey = createOpenAIAdapter({ baseUrl: fake.baseUrl, apiKey: 'sk-wrong' });
  const unauthorized = await gatewayError(t, wrongKey.chat(hello, callOptions()));
  t.equal(unauthorized.code, 'upstream_auth_failed');
  t.equal(unauthorized.status, 502, "the client's own key is fine: not a 401");
  fake.enqueue(openaiError(403, 'Project does not have access to model', { type: 'permission_error' }));
  t.equal((await gatewayError(t, adapter.chat(hello, callOptions()))).code, 'upstream_auth_failed');
});

t.test('429 is upstream_rate_limited with retry-after, and the SDK does not retry', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const headers = { 'retry-after': '7' };
  fake.enqueue(openaiError(429, 'Rate limit reached for requests', { type: 'requests', code: 'rate_limit_exceeded', headers }));
  const error = await gatewayError(t, adapter.chat(hello, callOptions()));
  t.equal(error.code, 'upstream_rate_limited');
  t.equal(error.headers['retry-after'], '7');
  t.match(error.message, /Rate limit reached for requests/);
  t.equal(fake.requests.length, 1, 'one attempt only');
});

t.test('400 is upstream_bad_request carrying the provider’s message', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(openaiError(400, "Invalid value for 'temperature': expected at most 2.", { param: 'temperature' }));
  const error = await gatewayError(t, adapter.chat(hello, callOptions()));
  t.equal(error.code, 'upstream_bad_request');
  t.equal(error.status, 400);
  t.match(error.message, /Invalid value for 'temperature': expected at most 2\./);
});

t.test('500 is upstream_error, also for a stream, before any event', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(openaiError(500, 'The server had an error', { type: 'server_error' }));
  t.equal((await gatewayError(t, adapter.chat(hello, callOptions()))).code, 'upstream_error');
  fake.enqueue(openaiError(500, 'The server had an error', { type: 'server_error' }));
  t.equal((await gatewayError(t, adapter.chatStream({ ...hello, stream: true }, callOptions()))).code, 'upstream_error');
  t.equal(fake.requests.length, 2, 'no retries');
});

t.test('connection refused and destroyed are upstream_unreachable', async (t) => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = createOpenAIAdapter({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test' });
  const error = await gatewayError(t, refused.chat(hello, callOptions()));
  t.equal(error.code, 'upstream_unreachable');
  t.match(error.message, /ECONNREFUSED/);

  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue({ kind: 'destroy' });
  t.equal((await gatewayError(t, adapter.chat(hello, callOptions()))).code, 'upstream_unreachable');
});

t.test('an error frame mid-stream is upstream_error after the events before it', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const frames = [openaiChunk({ role: 'assistant', content: 'Hel' }), openaiMidStreamErrorFrame('The model is overloaded', 'server_error')];
  fake.enqueue(openaiStream(frames, { done: false }));
  const events = await adapter.chatStream({ ...hello, stream: true }, callOptions());
  const seen: string[] = [];
  const error = await gatewayError(t, (async () => {
    for await (const event of events) if (event.type === 'text') seen.push(event.text);
  })());
  t.same(seen, ['Hel']);
  t.equal(error.code, 'upstream_error');
  t.match(error.message, /mid-stream \(server_error\): The model is overloaded/);
});

async function closedWithinOneSecond(t: Test, clientClosed: Promise<number>, abortedAt: number): Promise<void> {
  const closedAt = await Promise.race([clientClosed, sleep(1000).then(() => undefined)]);
  t.ok(closedAt !== undefined && closedAt - abortedAt < 1000, 'the upstream saw the connection close within 1 s');
}

t.test('abort before the answer: the SDK’s abort error, unchanged, and the upstream connection closes', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue({ kind: 'hang' });
  const controller = new AbortController();
  const pending = adapter.chat(hello, callOptions({ signal: controller.signal }));
  await waitForRequests(fake, 1);
  const abortedAt = Date.now();
  controller.abort();
  const error = await rejection(t, pending);
  t.ok(error instanceof APIUserAbortError, 'APIUserAbortError');
  t.notOk(error instanceof GatewayError, 'not converted');
  await closedWithinOneSecond(t, fake.requests[0]!.clientClosed, abortedAt);

  fake.enqueue({ kind: 'hang' });
  const streamController = new AbortController();
  const pendingStream = adapter.chatStream({ ...hello, stream: true }, callOptions({ signal: streamController.signal }));
  await waitForRequests(fake, 2);
  streamController.abort();
  t.ok(isAbortError(await rejection(t, pendingStream)), 'a stream waiting for headers rejects with an abort error');
});

t.test('abort mid-stream: the iteration rejects with the abort and the upstream connection closes', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(openaiStream([openaiChunk({ role: 'assistant', content: 'partial' })], { done: false, hold: true }));
  const controller = new AbortController();
  const events = await adapter.chatStream({ ...hello, stream: true }, callOptions({ signal: controller.signal }));
  const iterator = events[Symbol.asyncIterator]();
  t.same((await iterator.next()).value, { type: 'text', text: 'partial' });
  const abortedAt = Date.now();
  controller.abort();
  const error = await rejection(t, iterator.next());
  t.equal(error, controller.signal.reason, 'the abort reason itself');
  t.ok(isAbortError(error));
  await closedWithinOneSecond(t, fake.requests[0]!.clientClosed, abortedAt);
});
