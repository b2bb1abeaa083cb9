import path from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import t from 'tap';
import { eq } from 'drizzle-orm';
import { explainCall } from '../src/cli/explain-call.js';
import { openDatabase } from '../src/db/client.js';
import { callLogs } from '../src/db/schema.js';
import { FLUSH_MARGIN_MS } from '../src/graceful-shutdown.js';
import { exited, startChildGateway } from './helpers/child-gateway.js';
import { slowMockConfig } from './helpers/gateway.js';

// Child processes that load the sources through the TypeScript loader: slow on a busy machine.
t.setTimeout(120_000);

// 24 words at 150 ms apart: a stream of about 3.5 s.
const reply = Array.from({ length: 24 }, (_, index) => `word${index}`).join(' ');
const slowStreamConfig = slowMockConfig({ chunkDelayMs: 150, reply });

/** The call's call_logs row, read after the process has exited. */
function loggedCall(dataDir: string, requestId: string | null): { status_code: number; outcome: string } | undefined {
  const sqlite = new Database(path.join(dataDir, 'gateway.sqlite'), { readonly: true });
  try {
    return sqlite.prepare('select status_code, outcome from call_logs where request_id = ?').get(requestId) as
      | { status_code: number; outcome: string }
      | undefined;
  } finally {
    sqlite.close();
  }
}

/** The status a new connection gets from `url` once it differs from 200 (the signal landed), polling up to `ms`. */
async function firstNot200(url: string, init: RequestInit, ms: number): Promise<{ status: number; body: string } | 'refused' | 'timeout'> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { ...init, headers: { ...init.headers, connection: 'close' } });
      const body = await response.text();
      if (response.status !== 200) return { status: response.status, body };
    } catch {
      return 'refused';
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 'timeout';
}

async function startChild(graceMs: number) {
  const { child, origin, dataDir, output, caller } = await startChildGateway(t, { config: slowStreamConfig, models: ['mock-chat'], shutdownGraceMs: graceMs });
  const client = new OpenAI({ apiKey: caller.key, baseURL: `${origin}/v1`, maxRetries: 0, timeout: 30_000 });
  return { child, origin, client, dataDir, output, key: caller.key };
}

t.test('SIGTERM mid-stream: the stream finishes, /readyz and new calls answer 503 meanwhile, the process exits 0', async (t) => {
  const { child, origin, client, dataDir, output, key } = await startChild(15_000);
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
      t.match(await firstNot200(`${origin}/readyz`, {}, 10_000), { status: 503, body: /"draining"/ }, 'a new connection reads /readyz\'s 503 while the stream drains');
      const late = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: 'Too late?' }] }),
      });
      t.equal(late.status, 503, 'a new call is refused with a status it can retry elsewhere');
      t.match(await late.json(), { error: { code: 'service_unavailable' } });
    }
  }
  t.equal(text, reply, 'the whole answer arrived after SIGTERM');

  const exit = await exited(child);
  t.equal(exit.code, 0, 'exit code 0', { output: output.text.slice(-3000) });
  t.ok(Date.now() - signalledAt < 15_000, 'exited within the grace period');
  t.match(output.text, /shutting down: draining in-flight calls/);

  t.same(loggedCall(dataDir, requestId), { status_code: 200, outcome: 'ok' }, 'the streamed call was flushed to the call log before exit');
});

t.test('past the grace period the remaining stream is cut, the call log flushed, and the process exits 0', async (t) => {
  const graceMs = 600;
  const { child, client, output, dataDir } = await startChild(graceMs);
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'mock-chat', stream: true, messages: [{ role: 'user', content: 'Long please.' }] })
    .withResponse();

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
  t.equal(exit.code, 0, 'the drain ran its course: exit 0 (DESIGN §7); the log says calls were cut', { output: output.text.slice(-3000) });
  t.match(output.text, /shutdown complete; calls still running at the deadline were cut/);
  t.ok(took >= graceMs - 50, `the stream ran until the deadline (${took} ms)`);
  // The hard limit ends the process at grace + margin in any case; allow for a busy machine's scheduling.
  t.ok(took < graceMs + FLUSH_MARGIN_MS + 3_000, `and the process was gone by the hard limit (${took} ms)`);
  t.not(text, reply, 'the answer was not complete');
  t.match(output.text, /grace period over: cutting the connections/);
  const requestId = response.headers.get('x-request-id') ?? '';
  t.match(loggedCall(dataDir, requestId), { outcome: 'cancelled' }, 'the cut call is logged as cancelled (it was flushed too)');
  const { db, close } = openDatabase(dataDir);
  const row = db.select().from(callLogs).where(eq(callLogs.requestId, requestId)).get();
  close();
  t.match(row, { errorCode: 'service_unavailable', layer: 'gateway' }, "the row names the gateway's own cut");
  if (row !== undefined) t.match(explainCall(row), /Outcome: cancelled: the gateway cut the call when its shutdown grace period/, '`why` does not blame the client');
});
