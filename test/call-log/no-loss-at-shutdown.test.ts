import path from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { exited, startChildGateway } from '../helpers/child-gateway.js';

const config = `
providers:
  - name: paced
    kind: mock
    options: { chunkDelayMs: 30, latencyMs: 150 }
models:
  - name: paced-chat
    type: chat
    deployments: [{ provider: paced, model: m }]
    pricing: { input: 1, output: 1 }
`;

interface Answered {
  requestId: string | null;
  status: number;
}

const body = (stream: boolean) => JSON.stringify({ model: 'paced-chat', stream, messages: [{ role: 'user', content: 'count the rows' }] });

t.test('SIGTERM under load loses no row: every answered call is in the database', async (t) => {
  const { child, origin, dataDir, output, caller } = await startChildGateway(t, { config, models: ['paced-chat'], shutdownGraceMs: 15_000 });
  const send = (stream: boolean) =>
    fetch(`${origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.key}` },
      body: body(stream),
    });

  // 100 JSON calls waiting on the provider and 100 streams: 200 calls in flight at once.
  const jsonCalls = Array.from({ length: 100 }, () => send(false));
  const streams = await Promise.all(Array.from({ length: 100 }, () => send(true)));
  t.ok(
    streams.every((response) => response.status === 200),
    'every stream has started (its headers are here), so they are in flight',
  );
  child.kill('SIGTERM');

  const answered: Answered[] = await Promise.all(
    [...jsonCalls, ...streams.map((response) => Promise.resolve(response))].map(async (pending) => {
      const response = await pending;
      await response.text();
      return { requestId: response.headers.get('x-request-id'), status: response.status };
    }),
  );
  const exit = await exited(child);
  t.equal(exit.code, 0, 'the gateway drained and exited 0');

  const sqlite = new Database(path.join(dataDir, 'gateway.sqlite'), { readonly: true });
  t.teardown(() => sqlite.close());
  const rows = sqlite.prepare('select request_id as requestId, status_code as status, stream, outcome, completion_tokens as tokens from call_logs').all() as {
    requestId: string;
    status: number;
    stream: number;
    outcome: string;
    tokens: number | null;
  }[];
  const byId = new Map(rows.map((row) => [row.requestId, row]));

  t.equal(answered.filter((call) => call.status === 200).length, 200, 'all 200 calls were answered in full');
  t.equal(rows.length, answered.length, 'one row per answered call');
  const missing = answered.filter((call) => call.requestId === null || byId.get(call.requestId)?.status !== call.status);
  t.same(missing, [], 'every answered call has its row, with its status');
  t.ok(
    rows.every((row) => row.outcome === 'ok' && (row.tokens ?? 0) > 0),
    'the rows carry their final usage, the streams’ too',
  );
  t.match(output.text, /"writtenRows":200/, 'the shutdown log reports the flush');
});
