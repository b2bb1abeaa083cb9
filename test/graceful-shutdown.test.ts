import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import t from 'tap';
import { FLUSH_MARGIN_MS } from '../src/graceful-shutdown.js';
import { exited, listeningOrigin, prepareDataDir, repoRoot, spawnSource, TEST_SECRET_KEY } from './helpers/child-gateway.js';
import { seedCaller, type SeededCaller } from './helpers/seed-caller.js';

// 24 words at 150 ms apart: a stream of about 3.5 s.
const reply = Array.from({ length: 24 }, (_, index) => `word${index}`).join(' ');
const slowStreamConfig = `
providers:
  - name: slow-mock
    kind: mock
    options: { chunkDelayMs: 150, reply: "${reply}" }
models:
  - name: mock-chat
    type: chat
    deployments: [{ provider: slow-mock, model: mock-1 }]
`;

async function startChild(graceMs: number) {
  let caller: SeededCaller | undefined;
  const { dataDir, configFile } = prepareDataDir(t, slowStreamConfig, (db) => {
    caller = seedCaller(db, ['mock-chat']);
  });
  const child = spawnSource('server.ts', [], {
    PORT: '0',
    HOST: '127.0.0.1',
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_CONFIG: configFile,
    GATEWAY_SECRET_KEY: TEST_SECRET_KEY,
    GATEWAY_SHUTDOWN_GRACE_MS: String(graceMs),
    LOG_LEVEL: 'info',
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const output = { text: '' };
  const origin = await listeningOrigin(child, output);
  const client = new OpenAI({ apiKey: caller?.key ?? 'unused', baseURL: `${origin}/v1`, maxRetries: 0, timeout: 30_000 });
  return { child, origin, client, dataDir, output };
}

t.test('SIGTERM mid-stream: the stream finishes, new connections are refused, the process exits 0', async (t) => {
  const { child, origin, client, dataDir, output } = await startChild(15_000);
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'mock-chat', stream: true, messages: [{ role: 'user', content: 'Tell me something long.' }] })
    .withResponse();
  const requestId = response.headers.get('x-request-id');

  let text = '';
  let signalledAt = 0;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (signalledAt === 0 && text !== '') {
      signalledAt = Date.now();
      child.kill('SIGTERM');
      // Give the signal a moment to land, then try a new connection: the listener is closed.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await t.rejects(fetch(`${origin}/readyz`, { headers: { connection: 'close' } }), 'no new connection is accepted while draining');
    }
  }
  t.equal(text, reply, 'the whole answer arrived after SIGTERM');

  const exit = await exited(child);
  t.equal(exit.code, 0, 'exit code 0', { output: output.text.slice(-3000) });
  t.ok(Date.now() - signalledAt < 15_000, 'exited within the grace period');
  t.match(output.text, /shutting down: draining in-flight calls/);

  // The call log row (once the call-log writer exists: issue 5).
  if (existsSync(path.join(repoRoot, 'src', 'plugins', 'call-log.ts'))) {
    const sqlite = new Database(path.join(dataDir, 'gateway.sqlite'), { readonly: true });
    const row = sqlite.prepare('select status_code, outcome from call_logs where request_id = ?').get(requestId) as
      | { status_code: number; outcome: string }
      | undefined;
    sqlite.close();
    t.same(row, { status_code: 200, outcome: 'ok' }, 'the streamed call was flushed to the call log before exit');
  } else {
    t.comment('src/plugins/call-log.ts does not exist yet: the call-log row is not checked');
  }
});

t.test('past the grace period the remaining stream is cut and the process still exits (code 1)', async (t) => {
  const graceMs = 600;
  const { child, client, output } = await startChild(graceMs);
  const stream = await client.chat.completions.create({ model: 'mock-chat', stream: true, messages: [{ role: 'user', content: 'Long please.' }] });

  let text = '';
  let signalledAt = 0;
  const read = (async () => {
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (signalledAt === 0 && text !== '') {
        signalledAt = Date.now();
        child.kill('SIGTERM');
      }
    }
  })();
  await t.rejects(read, 'the client sees its stream cut');
  const exit = await exited(child);
  const took = Date.now() - signalledAt;
  t.equal(exit.code, 1, 'exit code 1 marks a drain that had to cut calls', { output: output.text.slice(-3000) });
  t.ok(took >= graceMs - 50, `the stream ran until the deadline (${took} ms)`);
  t.ok(took < graceMs + FLUSH_MARGIN_MS, `and the process was gone before the hard limit (${took} ms)`);
  t.not(text, reply, 'the answer was not complete');
  t.match(output.text, /grace period over: cutting the connections/);
});
