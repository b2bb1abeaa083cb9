import t from 'tap';
import OpenAI from 'openai';
import { startAnthropicFake } from '../../fake-upstreams/anthropic.js';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { platformAdmin, startAdminGateway } from '../../helpers/admin.js';

interface LogRow {
  statusCode: number;
  outcome: string;
  errorCode: string | null;
  layer: string | null;
  attempts: number;
  decisionTrace: Array<{ layer: string; outcome: string; detail: string }>;
}

const claudeConfig = (baseUrl: string) =>
  `providers:\n  - name: claude\n    kind: anthropic\n    baseUrl: ${baseUrl}\n    apiKey: provider-key-0123\nmodels:\n  - name: claude-chat\n    type: chat\n    deployments: [{ provider: claude, model: claude-haiku-4-5 }]\n`;

async function logRow(admin: Awaited<ReturnType<typeof platformAdmin>>, requestId: string): Promise<LogRow | undefined> {
  for (let waited = 0; waited < 5_000; waited += 50) {
    const found = await admin.get<LogRow>(`/admin/logs/${requestId}`);
    if (found.status === 200) return found.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

t.test("a parameter the provider's adapter refuses, after the policy steps passed: the trace ends in that refusal, not in every step passed", async (t) => {
  const fake = await startAnthropicFake();
  t.teardown(() => fake.close());
  const gw = await startAdminGateway(t, { config: claudeConfig(fake.baseUrl) });
  await expectApiError(
    t,
    gw.client().chat.completions.create({ model: 'claude-chat', messages: [{ role: 'user', content: 'x' }], n: 2 }, { headers: { 'x-request-id': 'req_refused_n' } }),
    OpenAI.BadRequestError,
    { status: 400, code: 'unsupported_parameter' },
  );
  t.equal(fake.requests.length, 0, 'nothing reached the provider');
  const admin = await platformAdmin(gw);
  const row = await logRow(admin, 'req_refused_n');
  t.match(row, { statusCode: 400, outcome: 'denied', errorCode: 'unsupported_parameter', layer: 'request', attempts: 0 });
  const last = row?.decisionTrace.at(-1);
  t.match(last, { layer: 'request', outcome: 'deny', detail: /'n'/ }, 'the last step is the refusal, naming the parameter');
});

t.test('a request the adapter refuses counts against no limit: it is refused before the limit step', async (t) => {
  const fake = await startAnthropicFake();
  t.teardown(() => fake.close());
  const gw = await startAdminGateway(t, { config: claudeConfig(fake.baseUrl) });
  const admin = await platformAdmin(gw);
  t.equal((await admin.patch(`/admin/keys/${gw.caller.keyId}`, { rpm: 1 })).status, 200);
  const client = gw.client();
  for (const id of ['req_refused_a', 'req_refused_b']) {
    await expectApiError(
      t,
      client.chat.completions.create({ model: 'claude-chat', messages: [{ role: 'user', content: 'x' }], seed: 1 }, { headers: { 'x-request-id': id } }),
      OpenAI.BadRequestError,
      { status: 400, code: 'unsupported_parameter', param: 'seed' },
    );
  }
  const answered = await client.chat.completions.create({ model: 'claude-chat', messages: [{ role: 'user', content: 'x' }] });
  t.equal(answered.object, 'chat.completion', 'the one request the minute allows is still there');
  await expectApiError(t, client.chat.completions.create({ model: 'claude-chat', messages: [{ role: 'user', content: 'x' }] }), OpenAI.RateLimitError, {
    status: 429,
    code: 'rate_limit_exceeded',
  });
  const row = await logRow(admin, 'req_refused_b');
  t.notOk(row?.decisionTrace.some((step) => step.layer === 'limit'), 'the refused call never reached the limit step');
  t.equal(fake.requests.length, 1, 'only the accepted call reached the provider');
});
