import { connect } from 'node:net';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { explainCall } from '../src/cli/explain-call.js';
import { callLogs } from '../src/db/schema.js';
import { slowMockConfig, startGateway } from './helpers/gateway.js';

const slowStreamConfig = slowMockConfig({ chunkDelayMs: 150, reply: Array.from({ length: 16 }, (_, index) => `word${index}`).join(' ') });

/** Writes `head`, then one body byte every `everyMs`; resolves with all the server sent before it closed. */
function trickle(port: number, head: string, everyMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let received = '';
    const drip = setInterval(() => socket.writable && socket.write('x'), everyMs);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => {
      clearInterval(drip);
      resolve(received);
    });
    socket.on('error', (error) => (received === '' ? reject(error) : undefined));
  });
}

t.test('a client that trickles its request is answered 408 with the envelope once GATEWAY_REQUEST_TIMEOUT_MS passes', async (t) => {
  const gw = await startGateway(t, { config: slowStreamConfig, env: { GATEWAY_REQUEST_TIMEOUT_MS: '1000' } });
  const port = Number(new URL(gw.origin).port);
  const startedAt = Date.now();
  const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Request-Id: req_trickled_body\r\nAuthorization: Bearer ${gw.apiKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
  const answer = await trickle(port, head, 200);
  const took = Date.now() - startedAt;
  t.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/, 'a 408');
  t.match(answer, /"code":"request_timeout"/, "the catalogue's code in the gateway's envelope");
  t.match(answer, /GATEWAY_REQUEST_TIMEOUT_MS/, 'the hint names the setting');
  t.ok(took >= 1000 && took < 5_000, `cut after the limit, not held open (${took} ms)`);
  await gw.app.callLog.drain();
  const row = gw.app.sqlite.prepare('select outcome, error_code, layer from call_logs where request_id = ?').get('req_trickled_body');
  t.same(row, { outcome: 'cancelled', error_code: 'request_timeout', layer: 'request' }, "the routed call's row names the gateway's timeout, not a client that left");
  const logged = gw.app.db.select().from(callLogs).where(eq(callLogs.requestId, 'req_trickled_body')).get();
  if (logged !== undefined) t.match(explainCall(logged), /Outcome: cancelled: the gateway answered 408, as the request did not arrive in full within GATEWAY_REQUEST_TIMEOUT_MS/, '`why` says so too');

  // The limit is on receiving the request: an answer streaming longer than it is not cut.
  const stream = await gw.client().chat.completions.create({ model: 'mock-chat', stream: true, messages: [{ role: 'user', content: 'Long, please.' }] });
  const streamStarted = Date.now();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  t.ok(Date.now() - streamStarted > 1_500, 'the stream ran past the request timeout');
  t.match(text, /word0 .* word15/, 'and arrived whole');
});

t.test('bytes that are not HTTP get the envelope, not a framework body', async (t) => {
  const gw = await startGateway(t);
  const answer = await new Promise<string>((resolve) => {
    const socket = connect(Number(new URL(gw.origin).port), '127.0.0.1', () => socket.write('HELLO THERE\r\n\r\n'));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
  });
  t.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.match(answer, /"code":"malformed_http"/);
  t.notMatch(answer, /"statusCode"/, "not Fastify's own error body");
});

t.test('a pipelined request that breaks while a stream is being sent closes the connection without writing into the stream', async (t) => {
  const gw = await startGateway(t, { config: slowStreamConfig });
  const port = Number(new URL(gw.origin).port);
  const body = JSON.stringify({ model: 'mock-chat', stream: true, messages: [{ role: 'user', content: 'Long, please.' }] });
  const streamed = `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${gw.apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const received = await new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(streamed));
    let text = '';
    let broken = false;
    socket.on('data', (chunk) => {
      text += chunk.toString();
      // The stream has begun: now bytes that are no HTTP request follow on the same connection.
      if (text.includes('word0') && !broken) {
        broken = true;
        socket.write('NOT HTTP AT ALL\r\n\r\n');
      }
    });
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
  t.match(received, /^HTTP\/1\.1 200 OK\r\n/, 'the stream had started');
  t.notMatch(received, /HTTP\/1\.1 400/, 'no error answer was written into it');
  t.notMatch(received, /malformed_http/);
});
