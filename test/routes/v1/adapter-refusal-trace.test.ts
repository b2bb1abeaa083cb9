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
  decisionTrace: Array<{ layer: string; outcome: string; detail: string }>;
}

t.test("a parameter the provider's adapter refuses, after the chain passed: the trace ends in that refusal, not in every step passed", async (t) => {
  const fake = await startAnthropicFake();
  t.teardown(() => fake.close());
  const gw = await startAdminGateway(t, {
    config: `providers:\n  - name: claude\n    kind: anthropic\n    baseUrl: ${fake.baseUrl}\n    apiKey: provider-key-0123\nmodels:\n  - name: claude-chat\n    type: chat\n    deployments: [{ provider: claude, model: claude-haiku-4-5 }]\n`,
  });
  await expectApiError(
    t,
    gw.client().chat.completions.create({ model: 'claude-chat', messages: [{ role: 'user', content: 'x' }], n: 2 }, { headers: { 'x-request-id': 'req_refused_n' } }),
    OpenAI.BadRequestError,
    { status: 400, code: 'unsupported_parameter' },
  );
  t.equal(fake.requests.length, 0, 'nothing reached the provider');
  const admin = await platformAdmin(gw);
  let row: LogRow | undefined;
  for (let waited = 0; row === undefined && waited < 5_000; waited += 50) {
    const found = await admin.get<LogRow>('/admin/logs/req_refused_n');
    if (found.status === 200) row = found.body;
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.match(row, { statusCode: 400, outcome: 'denied', errorCode: 'unsupported_parameter', layer: 'request' });
  const last = row?.decisionTrace.at(-1);
  t.match(last, { layer: 'request', outcome: 'deny', detail: /'n'/ }, 'the last step is the refusal, naming the parameter');
});
