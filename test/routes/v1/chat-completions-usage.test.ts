import { eq } from 'drizzle-orm';
import t from 'tap';
import { callLogs } from '../../../src/db/schema.js';
import { startGeminiFake, geminiSseFrames } from '../../fake-upstreams/gemini.js';
import { startOpenAIFake } from '../../fake-upstreams/openai.js';
import { startGateway } from '../../helpers/gateway.js';

// DESIGN §7: where a provider reports no usage, the gateway counts the tokens itself, returns
// them in `usage` and sets tokensEstimated. A JSON answer without usage used to reach the client
// with `usage: null` and be logged (and settled against token limits and budgets) as 0 tokens at
// no cost; a stream without usage sent no usage chunk although the client asked for it.

t.test('chat answers whose provider reports no usage: the gateway counts them and says so', async (t) => {
  const gemini = await startGeminiFake();
  const openai = await startOpenAIFake();
  t.teardown(() => gemini.close());
  t.teardown(() => openai.close());
  const gw = await startGateway(t, {
    config: `providers:
  - name: gem
    kind: gemini
    baseUrl: ${gemini.baseUrl}
    apiKey: gem-key
  - name: compat
    kind: openai-compatible
    baseUrl: ${openai.baseUrl}
    apiKey: compat-key
models:
  - name: gem-chat
    type: chat
    deployments: [{ provider: gem, model: gemini-2.5-flash }]
    pricing: { input: 1, output: 2 }
  - name: compat-chat
    type: chat
    deployments: [{ provider: compat, model: some-model }]
    pricing: { input: 1, output: 2 }
`,
  });
  const client = gw.client();
  const rowOf = async (requestId: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await gw.app.callLog.drain();
      const row = gw.app.db.select().from(callLogs).where(eq(callLogs.requestId, requestId)).get();
      if (row !== undefined || Date.now() > deadline) return row;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const messages = [{ role: 'user' as const, content: 'Hello there, how are you today?' }];

  t.test('JSON answers: usage counted, returned and logged with its cost', async (t) => {
    const answers = [
      { model: 'gem-chat', fake: gemini, body: { candidates: [{ content: { role: 'model', parts: [{ text: 'Fine, thank you very much.' }] }, finishReason: 'STOP', index: 0 }] } },
      {
        model: 'compat-chat',
        fake: openai,
        body: { id: 'x', object: 'chat.completion', created: 1, model: 'some-model', choices: [{ index: 0, message: { role: 'assistant', content: 'Fine, thank you very much.' }, finish_reason: 'stop' }] },
      },
    ];
    for (const { model, fake, body } of answers) {
      fake.enqueue({ kind: 'json', body });
      const { data, response } = await client.chat.completions.create({ model, messages }).withResponse();
      t.equal(data.choices[0]?.message.content, 'Fine, thank you very much.', `${model}: the answer`);
      t.ok((data.usage?.prompt_tokens ?? 0) > 0 && (data.usage?.completion_tokens ?? 0) > 0, `${model}: usage counted by the gateway (${JSON.stringify(data.usage)})`);
      t.equal(data.usage?.total_tokens, (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));
      t.equal((data as unknown as { tokens_estimated?: boolean }).tokens_estimated, true, `${model}: marked as counted`);
      const row = await rowOf(response.headers.get('x-request-id') ?? '');
      t.match(row, { promptTokens: data.usage?.prompt_tokens, completionTokens: data.usage?.completion_tokens, tokensEstimated: 1 }, `${model}: logged`);
      t.ok((row?.costUsd ?? 0) > 0, `${model}: priced`);
    }
  });

  t.test('a stream with include_usage ends with the usage chunk', async (t) => {
    gemini.enqueue({
      kind: 'sse',
      frames: geminiSseFrames([
        { candidates: [{ content: { role: 'model', parts: [{ text: 'Fine, ' }] }, index: 0 }] },
        { candidates: [{ content: { role: 'model', parts: [{ text: 'thanks.' }] }, finishReason: 'STOP', index: 0 }] },
      ]),
    });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'gem-chat', messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    t.same(last?.choices, [], 'the last chunk is the usage chunk');
    t.ok((last?.usage?.prompt_tokens ?? 0) > 0 && (last?.usage?.completion_tokens ?? 0) > 0, `usage counted (${JSON.stringify(last?.usage)})`);
    t.equal((last as unknown as { tokens_estimated?: boolean }).tokens_estimated, true);
    const row = await rowOf(response.headers.get('x-request-id') ?? '');
    t.match(row, { promptTokens: last?.usage?.prompt_tokens, completionTokens: last?.usage?.completion_tokens, tokensEstimated: 1 }, 'the log holds the same numbers');
  });

  t.test('a provider that reports usage is passed through unmarked', async (t) => {
    const { data, response } = await client.chat.completions.create({ model: 'gem-chat', messages }).withResponse();
    t.same(data.usage, { prompt_tokens: 7, completion_tokens: 6, total_tokens: 13 });
    t.notOk('tokens_estimated' in data);
    t.match(await rowOf(response.headers.get('x-request-id') ?? ''), { promptTokens: 7, tokensEstimated: 0 });
  });
});
