import net from 'node:net';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { callLogs } from '../../src/db/schema.js';
import { startOpenAIFake } from '../fake-upstreams/openai.js';
import { startGateway } from '../helpers/gateway.js';

/** Polls until `condition` holds, or fails the wait after `timeoutMs`. */
async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

/**
 * HTTP/1.1 pipelining, one keep-alive socket: a slow call, /readyz, then two more calls (JSON
 * and stream), written back to back. Node answers them in order, so every response after the
 * first waits in a queue without a socket. When the client then leaves, Node closes only the
 * response that holds the socket; the queued ones used to stay open for ever: their upstream
 * calls ran on, they got no call-log row, the in-flight gauge kept them, and shutdown waited for
 * them until its grace period ended.
 */
for (const leaving of ['closes the connection', 'half-closes the connection after its last request'] as const) {
  t.test(`a pipelining client that ${leaving}: every queued call ends with it`, async (t) => {
    const upstream = await startOpenAIFake();
    t.teardown(() => upstream.close());
    // Three slow calls: the upstream answers none of them while the client is there.
    upstream.enqueue({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const gw = await startGateway(t, {
      config: `
providers:
  - name: slow-openai
    kind: openai
    baseUrl: ${upstream.baseUrl}
    apiKey: sk-test
models:
  - name: slow-chat
    type: chat
    deployments: [{ provider: slow-openai, model: gpt-4o-mini }]
`,
    });
    const key = gw.apiKey;
    const call = (requestId: string, stream: boolean) => {
      const body = JSON.stringify({ model: 'slow-chat', stream, messages: [{ role: 'user', content: 'Hello' }] });
      return (
        `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${key}\r\nx-request-id: ${requestId}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
      );
    };
    const ids = ['req_pipelined_first', 'req_pipelined_third', 'req_pipelined_fourth'];

    const socket = net.connect(Number(new URL(gw.origin).port), '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(call(ids[0]!, false) + 'GET /readyz HTTP/1.1\r\nHost: gateway\r\n\r\n' + call(ids[1]!, false) + call(ids[2]!, true));
    t.ok(await eventually(() => upstream.requests.length === 3), 'the gateway called the upstream for all three calls');
    t.equal(gw.app.openResponses(), 4, 'four responses open: the first holds the socket, three wait behind it');

    if (leaving === 'closes the connection') socket.destroy();
    else socket.end();

    const cancelled = await Promise.all(upstream.requests.map((request) => Promise.race([request.clientClosed.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5_000))])));
    t.same(cancelled, [true, true, true], 'every upstream call is cancelled, the queued ones too');
    t.ok(await eventually(() => gw.app.openResponses() === 0), `no response stays open (${gw.app.openResponses()} open)`);
    t.ok(await eventually(async () => (await gw.app.metrics.inFlight.get()).values[0]?.value === 0), 'the in-flight gauge is back to 0');
    for (const requestId of ids) {
      const logged = await eventually(async () => {
        await gw.app.callLog.drain();
        return gw.app.db.select().from(callLogs).where(eq(callLogs.requestId, requestId)).all().length > 0;
      });
      t.ok(logged, `${requestId} has its call-log row`);
      const row = gw.app.db.select().from(callLogs).where(eq(callLogs.requestId, requestId)).get();
      t.equal(row?.outcome, 'cancelled', `${requestId} is logged as cancelled by the client`);
    }
    const closing = Date.now();
    await gw.close();
    t.ok(Date.now() - closing < 1_500, 'closing the gateway does not wait for responses that can never be sent');
  });
}
