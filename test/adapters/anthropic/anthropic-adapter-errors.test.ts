import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAnthropicAdapter } from '../../../src/adapters/anthropic/anthropic-adapter.js';
import { isAbortError } from '../../../src/adapters/shared/upstream-error.js';
import type { ChatRequest, ProviderAdapter, StreamEvent } from '../../../src/adapters/types.js';
import {
  ANTHROPIC_FIXTURES,
  anthropicError,
  anthropicFixtureFrames,
  anthropicMidStreamErrorFrame,
  anthropicStream,
} from '../../fake-upstreams/anthropic.js';
import { startFakeServer, type ScriptedResponse } from '../../fake-upstreams/fake-server.js';
import { adapterWithFake, callOptions, closedWithinOneSecond, gatewayRejection, rejection } from './adapter-harness.js';

const hello: ChatRequest = { model: 'claude-alias', messages: [{ role: 'user', content: 'Hi' }] };

/** Both entry points must fail the same way, and a stream must fail before yielding anything. */
const calls = {
  chat: (adapter: ProviderAdapter) => adapter.chat(hello, callOptions()),
  chatStream: (adapter: ProviderAdapter) => adapter.chatStream(hello, callOptions()),
};

t.test('HTTP errors map onto the catalogue, for chat and for chatStream', async (t) => {
  const cases: Array<{ answer: ScriptedResponse; code: string; status: number; header?: [string, string]; message?: RegExp }> = [
    { answer: anthropicError(401, 'authentication_error', 'invalid x-api-key'), code: 'upstream_auth_failed', status: 502 },
    { answer: anthropicError(403, 'permission_error', 'Your API key does not have permission'), code: 'upstream_auth_failed', status: 502 },
    { answer: anthropicError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', { 'retry-after': '7' }), code: 'upstream_rate_limited', status: 429, header: ['retry-after', '7'] },
    { answer: anthropicError(400, 'invalid_request_error', 'max_tokens: 999999 > 64000, which is the maximum'), code: 'upstream_bad_request', status: 400, message: /max_tokens: 999999 > 64000/ },
    { answer: anthropicError(500, 'api_error', 'Internal server error'), code: 'upstream_error', status: 502 },
    { answer: anthropicError(529, 'overloaded_error', 'Overloaded'), code: 'upstream_error', status: 502 },
    { answer: { kind: 'destroy' }, code: 'upstream_unreachable', status: 502 },
  ];
  const { fake, adapter } = await adapterWithFake(t);
  for (const { answer, code, status, header, message } of cases) {
    for (const [name, call] of Object.entries(calls)) {
      fake.enqueue(answer);
      const error = await gatewayRejection(t, call(adapter));
      const label = `${answer.kind === 'json' ? answer.status : answer.kind} via ${name}`;
      t.match(error, { code, status }, `${label} → ${code}`);
      if (header) t.equal(error.headers[header[0]], header[1], `${label}: ${header[0]} passed on`);
      if (message) t.match(error.message, message, `${label}: the provider's message`);
    }
  }
  t.equal(fake.requests.length, cases.length * 2, 'one attempt each: the SDK does not retry');
});

t.test('a wrong key at the fake is upstream_auth_failed', async (t) => {
  const { fake } = await adapterWithFake(t);
  const adapter = createAnthropicAdapter({ baseUrl: fake.baseUrl, apiKey: 'sk-wrong' });
  t.match(await gatewayRejection(t, adapter.chat(hello, callOptions())), { code: 'upstream_auth_failed' });
});

t.test('a refused connection is upstream_unreachable', async (t) => {
  const closed = await startFakeServer('', () => ({ kind: 'hang' }));
  await closed.close();
  const adapter = createAnthropicAdapter({ baseUrl: closed.baseUrl, apiKey: 'k' });
  t.match(await gatewayRejection(t, adapter.chatStream(hello, callOptions())), { code: 'upstream_unreachable' });
});

t.test('a mid-stream `event: error` is a thrown GatewayError after the events before it', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  const frames = anthropicFixtureFrames(ANTHROPIC_FIXTURES.textThenToolUse);
  fake.enqueue(anthropicStream([...frames.slice(0, 3), anthropicMidStreamErrorFrame('overloaded_error', 'Overloaded')]));
  const seen: StreamEvent[] = [];
  const error = await gatewayRejection(
    t,
    (async () => {
      for await (const event of await adapter.chatStream(hello, callOptions())) seen.push(event);
    })(),
  );
  t.same(seen, [{ type: 'text', text: "I'll invoke" }]);
  t.match(error, { code: 'upstream_error', status: 502, message: /overloaded_error.*Overloaded/ });
});

t.test('a stream cut before message_stop is an error', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(anthropicStream(anthropicFixtureFrames(ANTHROPIC_FIXTURES.textThenToolUse).slice(0, 6)));
  const error = await gatewayRejection(
    t,
    (async () => {
      for await (const event of await adapter.chatStream(hello, callOptions())) void event;
    })(),
  );
  t.match(error, { code: 'upstream_error', message: /message_stop/ });
});

t.test('abort before the answer: an abort error, and the upstream sees the connection close', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  for (const [name, call] of Object.entries({
    chat: (signal: AbortSignal) => adapter.chat(hello, callOptions({ signal })),
    chatStream: (signal: AbortSignal) => adapter.chatStream(hello, callOptions({ signal })),
  })) {
    fake.enqueue({ kind: 'hang' });
    const before = fake.requests.length;
    const controller = new AbortController();
    const pending = call(controller.signal);
    while (fake.requests.length === before) await sleep(10); // the request reached the upstream
    const abortedAt = Date.now();
    controller.abort();
    const error = await rejection(t, pending);
    t.ok(isAbortError(error), `${name}: rejects with an abort error (${String(error)})`);
    t.ok(await closedWithinOneSecond(fake.requests.at(-1)!.clientClosed, abortedAt), `${name}: upstream saw the close within 1 s`);
  }
});

t.test('abort mid-stream: the iteration rejects with the abort and the connection closes', async (t) => {
  const { fake, adapter } = await adapterWithFake(t);
  fake.enqueue(anthropicStream(anthropicFixtureFrames(ANTHROPIC_FIXTURES.textThenToolUse).slice(0, 4), { hold: true }));
  const controller = new AbortController();
  const iterator = (await adapter.chatStream(hello, callOptions({ signal: controller.signal })))[Symbol.asyncIterator]();
  t.same((await iterator.next()).value, { type: 'text', text: "I'll invoke" });
  const abortedAt = Date.now();
  controller.abort();
  const error = await rejection(t, iterator.next());
  t.equal(error, controller.signal.reason, 'the abort reason itself');
  t.ok(isAbortError(error));
  t.ok(await closedWithinOneSecond(fake.requests[0]!.clientClosed, abortedAt), 'upstream saw the close within 1 s');
});
