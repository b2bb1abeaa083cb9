import t from 'tap';
import OpenAI from 'openai';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { startGateway } from '../../helpers/gateway.js';

const slowMock = (options: string) => `
providers:
  - name: slow
    kind: mock
    options: ${options}
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: slow, model: m }]
`;

t.test('a provider silent before its headers → 504 upstream_timeout from the provider layer', async (t) => {
  const gw = await startGateway(t, { config: slowMock('{ latencyMs: 5000 }'), env: { GATEWAY_UPSTREAM_TIMEOUT_MS: '300' } });
  const started = Date.now();
  const error = await expectApiError(t, gw.client().chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'x' }] }), OpenAI.InternalServerError, {
    status: 504,
    code: 'upstream_timeout',
    layer: 'upstream',
  });
  t.ok(Date.now() - started < 3000, 'answered at the deadline, not when the provider finished');
  t.equal(error?.headers?.get('x-gateway-error-source'), 'provider');
});

t.test('a stream that goes silent between chunks ends with an in-band error event', async (t) => {
  const gw = await startGateway(t, { config: slowMock('{ chunkDelayMs: 2000 }'), env: { GATEWAY_UPSTREAM_TIMEOUT_MS: '300' } });
  // The 200 and the stream were accepted before the provider went silent: the error can only travel in-band.
  const stream = await gw.client().chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'x' }], stream: true });
  const seen: string[] = [];
  try {
    for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    t.fail('the stream should have failed');
  } catch (error) {
    t.ok(error instanceof OpenAI.APIError, 'the SDK raises an APIError');
    t.match((error as InstanceType<typeof OpenAI.APIError>).message, /did not answer within 300 ms/);
  }
  t.same(seen, [], 'no content arrived before the error');
});
