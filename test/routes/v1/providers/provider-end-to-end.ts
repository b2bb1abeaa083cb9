import t from 'tap';
import OpenAI from 'openai';
import { expectApiError } from '../../../helpers/expect-api-error.js';
import { startGateway } from '../../../helpers/gateway.js';
import type { ProviderSpec } from './provider-spec.js';

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'lookup', description: 'Looks a thing up', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } } },
];

/** The same end-to-end contract for every provider: the real gateway, the real openai SDK, a fake upstream. */
export function providerEndToEnd(spec: ProviderSpec): void {
  t.test(`${spec.kind}: through the gateway with the openai SDK`, async (t) => {
    const fake = await spec.start();
    t.teardown(() => fake.close());
    const models = `
  - name: chat-model
    type: chat
    deployments: [{ provider: upstream, model: ${spec.upstreamModel} }]
${spec.embeddings ? `  - name: embed-model\n    type: embedding\n    deployments: [{ provider: upstream, model: embed-upstream }]\n` : ''}`;
    const gw = await startGateway(t, {
      config: `providers:\n  - name: upstream\n    kind: ${spec.kind}\n    baseUrl: ${fake.baseUrl}\n    apiKey: provider-secret-key\nmodels:${models}`,
    });
    const client = gw.client();
    const chatRequests = () => fake.requests.filter((request) => spec.chatPath.test(request.url));

    t.test('chat: the answer comes back in the OpenAI shape', async (t) => {
      const completion = await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] });
      t.equal(completion.model, 'chat-model');
      t.ok((completion.choices[0]?.message.content ?? '').length > 0, 'text content');
      t.equal(completion.choices[0]?.finish_reason, 'stop');
      t.ok((completion.usage?.total_tokens ?? 0) > 0, 'usage');
      const sent = chatRequests().at(-1);
      t.match(sent?.url ?? '', spec.chatPath);
      t.notMatch(JSON.stringify(sent?.headers), /gw-/, 'the gateway key never goes upstream');
      t.match(JSON.stringify(sent?.headers), /provider-secret-key/, "the provider's own credential does");
      t.ok(sent?.headers['x-request-id'], 'the request id goes upstream');
    });

    t.test('the recorded stream, through the strict .stream() helper', async (t) => {
      fake.enqueue(spec.fixtureStream());
      const runner = client.chat.completions.stream({ model: 'chat-model', messages: [{ role: 'user', content: 'go' }], tools, stream_options: { include_usage: true } });
      const final = await runner.finalChatCompletion();
      const call = final.choices[0]?.message.tool_calls?.[0];
      t.equal(final.choices[0]?.finish_reason, 'tool_calls');
      t.equal(call?.type === 'function' ? call.function.name : undefined, spec.fixtureToolCall.name);
      t.same(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined, spec.fixtureToolCall.arguments);
      t.match(final.usage, spec.fixtureUsage, 'usage translated');
    });

    t.test('the recorded stream, raw: indexes are the gateway own and [DONE] ends it', async (t) => {
      fake.enqueue(spec.fixtureStream());
      const stream = await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'go' }], tools, stream: true });
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
      t.ok(toolDeltas.length > 0);
      t.ok(toolDeltas.every((delta) => delta.index === 0), 'the one tool call has index 0');
      t.equal(chunks[0]?.choices[0]?.delta.role, 'assistant', 'role chunk first');
      t.notOk(chunks.some((chunk) => chunk.usage), 'no usage chunk unless asked');
    });

    t.test('tool-call round trip: the tool result reaches the provider', async (t) => {
      await client.chat.completions.create({
        model: 'chat-model',
        tools,
        messages: [
          { role: 'user', content: 'look up x' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'x is 42' },
        ],
      });
      t.match(spec.toolResultIn(chatRequests().at(-1)?.body), /x is 42/);
    });

    t.test("tool_choice allowed_tools: the model is offered only the allowed tools", async (t) => {
      const offered = ['lookup', 'weather', 'time'].map((name) => ({ type: 'function' as const, function: { name, parameters: { type: 'object', properties: {} } } }));
      const allowing = (name: string) => ({ type: 'allowed_tools' as const, allowed_tools: { mode: 'required' as const, tools: [{ type: 'function' as const, function: { name } }] } });
      await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'What time is it?' }], tools: offered, tool_choice: allowing('time') });
      const sent = chatRequests().at(-1)?.body;
      if (spec.allowedToolsNative) {
        t.same(spec.toolNamesIn(sent), ['lookup', 'weather', 'time'], 'every tool is sent');
        t.same((sent as { tool_choice?: unknown }).tool_choice, allowing('time'), 'with the restriction, as the client wrote it');
        return;
      }
      t.same(spec.toolNamesIn(sent), ['time'], 'only the allowed tool is offered');
      const before = chatRequests().length;
      await expectApiError(
        t,
        client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'x' }], tools: offered, tool_choice: allowing('stocks') }),
        OpenAI.BadRequestError,
        { status: 400, code: 'invalid_request', param: 'tool_choice.allowed_tools.tools[0].function.name' },
      );
      t.equal(chatRequests().length, before, 'an allowed tool that is not offered is refused before the provider');
    });

    t.test('upstream failures map onto the catalogue', async (t) => {
      const ask = () => client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'x' }] });
      fake.enqueue(spec.credentialError());
      const auth = await expectApiError(t, ask(), OpenAI.InternalServerError, { status: 502, code: 'upstream_auth_failed', layer: 'upstream' });
      t.equal(auth?.headers?.get('x-gateway-error-source'), 'provider');
      t.notMatch(auth?.message ?? '', /provider-secret-key/);
      fake.enqueue(spec.httpError(429, 'Slow down', { 'retry-after': '7' }));
      const limited = await expectApiError(t, ask(), OpenAI.RateLimitError, { status: 429, code: 'upstream_rate_limited' });
      t.equal(limited?.headers?.get('retry-after'), '7');
      fake.enqueue(spec.httpError(400, 'This request is malformed in a provider way'));
      const bad = await expectApiError(t, ask(), OpenAI.BadRequestError, { status: 400, code: 'upstream_bad_request' });
      t.match(bad?.message ?? '', /malformed in a provider way/, "the provider's message is passed on");
      fake.enqueue(spec.httpError(400, 'Malformed; the key you sent was provider-secret-key'));
      const echoed = await expectApiError(t, ask(), OpenAI.BadRequestError, { status: 400, code: 'upstream_bad_request' });
      t.match(echoed?.message ?? '', /the key you sent was \[redacted\]/, "a provider that echoes the gateway's credential: the caller gets the message without it");
      fake.enqueue(spec.httpError(500, 'Internal error'));
      await expectApiError(t, ask(), OpenAI.InternalServerError, { status: 502, code: 'upstream_error' });
      fake.enqueue({ kind: 'destroy' });
      await expectApiError(t, ask(), OpenAI.InternalServerError, { status: 502, code: 'upstream_unreachable' });
    });

    t.test('a mid-stream upstream error reaches the SDK as an error', async (t) => {
      fake.enqueue(spec.midStreamError());
      const stream = await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'x' }], stream: true });
      const pieces: string[] = [];
      try {
        for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '');
        t.fail('the stream should fail');
      } catch (error) {
        t.ok(error instanceof OpenAI.APIError, 'APIError');
        t.match((error as Error).message, /mid-stream|failed/);
      }
      t.match(pieces.join(''), /Hi/, 'what came before the error was delivered');
    });

    t.test('a stream cut before the provider finished reaches the SDK as an error, never as a complete answer', async (t) => {
      fake.enqueue(spec.truncatedStream());
      const stream = await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'x' }], stream: true });
      const pieces: string[] = [];
      const failure = await (async () => {
        for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '');
      })().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      t.ok(failure instanceof OpenAI.APIError, `the stream fails (${failure?.message})`);
      t.match(failure?.message ?? '', /ended before/);
      t.match(pieces.join(''), /Hi/, 'what came before was delivered');
    });

    t.test('a 200 that is not an answer (JSON null, an HTML page) is a 502 from the provider, never the caller\'s 400 or a 500', async (t) => {
      const ask = () => client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'x' }] });
      fake.enqueue({ kind: 'json', body: null });
      await expectApiError(t, ask(), OpenAI.InternalServerError, { status: 502, code: 'upstream_error', layer: 'upstream' });
      fake.enqueue({ kind: 'sse', frames: ['<html><body>Bad gateway</body></html>'] });
      await expectApiError(t, ask(), OpenAI.InternalServerError, { status: 502, code: 'upstream_error', layer: 'upstream' });
      if (spec.embeddings) {
        for (const body of [null, {}]) {
          fake.enqueue({ kind: 'json', body });
          await expectApiError(t, client.embeddings.create({ model: 'embed-model', input: 'x' }), OpenAI.InternalServerError, { status: 502, code: 'upstream_error', layer: 'upstream' });
        }
      }
    });

    t.test("a mid-stream error that echoes the gateway's credential reaches the SDK without it", async (t) => {
      fake.enqueue(spec.midStreamError('Stream aborted for the key provider-secret-key'));
      const stream = await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'x' }], stream: true });
      const failure = await (async () => {
        for await (const chunk of stream) void chunk;
      })().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      t.ok(failure instanceof OpenAI.APIError, 'the stream fails');
      t.notMatch(JSON.stringify({ message: failure?.message, error: (failure as { error?: unknown } | undefined)?.error }), /provider-secret-key/, 'the key is not in what the client got');
    });

    t.test('cancellation: the upstream request is aborted within a second of the client closing', async (t) => {
      fake.enqueue(spec.slowStream(200));
      const controller = new AbortController();
      const stream = await client.chat.completions.create({ model: 'chat-model', messages: [{ role: 'user', content: 'x' }], stream: true }, { signal: controller.signal });
      const upstream = chatRequests().at(-1);
      let received = 0;
      try {
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta.content) received += 1;
          if (received === 2) {
            controller.abort();
          }
        }
      } catch {
        // the SDK reports the abort
      }
      const abortedAt = Date.now();
      const closedAt = await Promise.race([upstream?.clientClosed, new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 3000))]);
      t.ok((closedAt ?? Infinity) - abortedAt < 1000, `upstream closed ${(closedAt ?? Infinity) - abortedAt} ms after the client`);
    });

    if (spec.embeddings) {
      t.test('embeddings: base64 by default, decoded by the SDK to the float vector', async (t) => {
        const base64 = await client.embeddings.create({ model: 'embed-model', input: ['alpha', 'beta'] });
        const float = await client.embeddings.create({ model: 'embed-model', input: ['alpha', 'beta'], encoding_format: 'float' });
        t.equal(base64.data.length, 2);
        // base64 carries float32 (as OpenAI's does): equal to the float answer rounded to float32.
        t.same(base64.data.map((d) => d.embedding), float.data.map((d) => d.embedding.map(Math.fround)));
        t.ok((base64.usage?.prompt_tokens ?? 0) > 0, 'usage (counted by the gateway when the provider gives none)');
      });
    }

    t.test('models', async (t) => {
      const ids: string[] = [];
      for await (const model of client.models.list()) ids.push(model.id);
      t.ok(ids.includes('chat-model'));
    });
  });
}
