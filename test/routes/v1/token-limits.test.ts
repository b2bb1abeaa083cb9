import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import t from 'tap';
import { expectApiError } from '../../helpers/expect-api-error.js';
import { startLimitsGateway } from '../../limits/limits-gateway.js';

const config = `
providers:
  - name: local-mock
    kind: mock
  - name: slow-mock
    kind: mock
    options: { chunkDelayMs: 25, reply: "${'lorem ipsum dolor sit amet '.repeat(12).trim()}" }
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: local-mock, model: mock-1 }]
  - name: slow-chat
    type: chat
    deployments: [{ provider: slow-mock, model: mock-slow }]
`;

const messages = [{ role: 'user' as const, content: 'Tell me something about limits, please.' }];

// One gateway for the file (each test has its own tenant, app and key); one with a short window.
const gw = await startLimitsGateway(t, { config });

function remainingTokens(headers: Headers): number {
  const value = headers.get('x-ratelimit-remaining-tokens');
  if (value === null) throw new Error('no x-ratelimit-remaining-tokens header');
  return Number(value);
}

interface LoggedTokens {
  promptTokens: number;
  completionTokens: number;
  statusCode: number;
  outcome: string;
}

/** The call's row, once the gateway has noticed its end (a cancelled call: when the socket closes). */
async function loggedTokens(requestId: string): Promise<LoggedTokens> {
  for (let poll = 0; poll < 100; poll += 1) {
    await gw.app.callLog.drain();
    const row = await gw.admin.get<LoggedTokens>(`/admin/logs/${requestId}`);
    if (row.status === 200) return row.body;
    await sleep(20);
  }
  throw new Error(`no call-log row for ${requestId}`);
}

/** What the dry run says is left of the key's token window. */
async function tokensLeft(key: string): Promise<number> {
  const response = await gw.app.inject({ method: 'GET', url: '/gateway/can-i?model=mock-chat', headers: { authorization: `Bearer ${key}` } });
  if (response.statusCode !== 200) throw new Error(`can-i answered ${response.statusCode}: ${response.body}`);
  const steps = (response.json() as { steps: Array<{ layer: string; detail: string }> }).steps;
  const match = /tokens key: (\d+) of \d+ left/.exec(steps.find((step) => step.layer === 'limit')?.detail ?? '');
  if (match?.[1] === undefined) throw new Error(`no token detail in ${JSON.stringify(steps)}`);
  return Number(match[1]);
}

t.test('JSON answers: the estimate is reserved, then replaced by the real usage', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { tpm: 1_000 });
  const client = gw.client(caller.key);
  const first = await client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 50 }).withResponse();
  const afterReservation = remainingTokens(first.response.headers);
  const reserved = 1_000 - afterReservation;
  t.ok(reserved > 50 && reserved < 80, `prompt estimate + max_tokens 50 reserved (${reserved})`);
  const used = first.data.usage?.total_tokens ?? 0;
  t.ok(used > 0);
  t.equal(await tokensLeft(caller.key), 1_000 - used, 'settled to the real usage before the answer was sent');
  const second = await client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 50 }).withResponse();
  t.equal(remainingTokens(second.response.headers), 1_000 - used - reserved);
});

t.test('a prompt that quotes a special token (<|endoftext|>) is counted as text and answered', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { tpm: 1_000 });
  const answer = await gw.client(caller.key).chat.completions.create({ model: 'mock-chat', messages: [{ role: 'user', content: 'What does <|endoftext|> mean?' }] });
  t.ok(answer.choices[0]?.message.content, 'answered, not a 500 from the tokenizer');
});

t.test('streams settle with their real usage when they end', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { tpm: 5_000 });
  const client = gw.client(caller.key);

  const { data: stream, response } = await client.chat.completions
    .create({ model: 'mock-chat', messages, max_tokens: 400, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  t.ok(5_000 - remainingTokens(response.headers) > 400, 'the stream reserved its prompt and max_tokens');
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) usage ??= chunk.usage ?? undefined;
  t.ok(usage !== undefined && usage.total_tokens > 0, 'usage came in the last chunk');
  await gw.app.callLog.drain();
  await sleep(20);
  t.equal(await tokensLeft(caller.key), 5_000 - (usage?.total_tokens ?? 0), 'settled to the usage the client saw');

  // Without include_usage the gateway still knows the usage (the provider's, or its own count).
  const before = await tokensLeft(caller.key);
  const quiet = await client.chat.completions.create({ model: 'mock-chat', messages, stream: true }, { headers: { 'x-request-id': 'req_quiet_stream' } });
  for await (const chunk of quiet) t.equal(chunk.usage ?? undefined, undefined);
  const row = await loggedTokens('req_quiet_stream');
  await sleep(20);
  t.equal(await tokensLeft(caller.key), before - row.promptTokens - row.completionTokens);
});

t.test('a cancelled stream counts what it used and gives the rest of its reservation back', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { tpm: 5_000 });
  const controller = new AbortController();
  const { data: stream, response } = await gw
    .client(caller.key)
    .chat.completions.create({ model: 'slow-chat', messages, max_tokens: 2_000, stream: true }, { signal: controller.signal, headers: { 'x-request-id': 'req_cut_stream' } })
    .withResponse();
  const afterReservation = remainingTokens(response.headers);
  t.ok(afterReservation < 3_000, 'max_tokens 2000 reserved');
  let chunks = 0;
  try {
    for await (const _chunk of stream) {
      chunks += 1;
      if (chunks === 4) controller.abort();
    }
  } catch {
    // The abort ends the loop.
  }
  const row = await loggedTokens('req_cut_stream');
  t.match(row, { statusCode: 499, outcome: 'cancelled' });
  t.ok(row.completionTokens > 0 && row.completionTokens < 100, `a few streamed tokens (${row.completionTokens})`);
  let left = 0;
  for (let poll = 0; poll < 50; poll += 1) {
    left = await tokensLeft(caller.key);
    if (left !== afterReservation) break;
    await sleep(20);
  }
  t.equal(left, 5_000 - row.promptTokens - row.completionTokens, 'only what was used stays counted');
  // After an abort the SDK's connection pool opens a socket that never sends a request; the
  // server would wait for it at close, so cut it (every call here has ended).
  gw.app.server.closeAllConnections();
});

t.test('a full token window: 429 token_rate_limit_exceeded with the tokens header family', async (t) => {
  const short = await startLimitsGateway(t, { config, env: { GATEWAY_LIMIT_WINDOW_MS: '2000' } });
  await short.setKeyLimits(short.caller.keyId, { tpm: 300 });
  const client = short.client();
  const first = await client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 280 });
  const used = first.usage?.total_tokens ?? 0;
  const refused = await expectApiError(t, client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 280 }), OpenAI.RateLimitError, {
    status: 429,
    code: 'token_rate_limit_exceeded',
    type: 'tokens',
    layer: 'limit',
  });
  t.equal(refused?.headers?.get('x-ratelimit-limit-tokens'), '300');
  t.equal(refused?.headers?.get('x-ratelimit-remaining-tokens'), String(300 - used));
  t.match(refused?.headers?.get('x-ratelimit-reset-tokens'), /^\d+(\.\d+)?(ms|s)$/);
  t.match(refused?.headers?.get('retry-after'), /^[12]$/);
  t.equal(refused?.headers?.get('x-should-retry'), null, 'retrying after the window helps: the SDK may retry');
  t.match(refused?.message, new RegExp(`limit of 300 tokens per 2s window cannot take this request: ${300 - used} tokens are left and it needs about \\d+`));
  await sleep(Number(refused?.headers?.get('retry-after-ms')) + 50);
  t.ok((await client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 280 })).choices.length > 0, 'the next window takes it');
});

t.test('a request larger than the whole token limit: refused once, the SDK does not retry', async (t) => {
  const caller = gw.seedCaller();
  await gw.setTenantLimits(caller.tenantId, { tpm: 300 });
  const { client, sent } = gw.countingClient(caller.key);
  const refused = await expectApiError(t, client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 1_000 }), OpenAI.RateLimitError, {
    code: 'token_rate_limit_exceeded',
  });
  t.equal(sent(), 1, 'x-should-retry: false stops the SDK retries');
  t.equal(refused?.headers?.get('x-should-retry'), 'false');
  t.match(refused?.message, /more than your tenant's \(ten_\w+\) whole limit of 300 tokens per minute; retrying cannot help/);
  t.equal(refused?.param, 'max_tokens');
});

t.test('a stream in flight holds its reservation until it ends', async (t) => {
  const caller = gw.seedCaller();
  await gw.setKeyLimits(caller.keyId, { tpm: 1_000 });
  const client = gw.client(caller.key);
  const running = await client.chat.completions.create({ model: 'slow-chat', messages, max_tokens: 700, stream: true });
  const iterator = running[Symbol.asyncIterator]();
  await iterator.next();
  await expectApiError(t, client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 700 }), OpenAI.RateLimitError, { code: 'token_rate_limit_exceeded' });
  while (!(await iterator.next()).done) {
    // drain
  }
  await gw.app.callLog.drain();
  await sleep(20);
  t.ok((await client.chat.completions.create({ model: 'mock-chat', messages, max_tokens: 700 })).choices.length > 0, 'room again once it ended');
});
