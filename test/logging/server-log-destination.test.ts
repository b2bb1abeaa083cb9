import t from 'tap';
import { exited, startChildGateway } from '../helpers/child-gateway.js';
import { slowMockConfig } from '../helpers/gateway.js';

/**
 * The server log gathers lines before it writes them (src/options.ts, LOG_DESTINATION). Gathered
 * lines must still reach stdout soon on a quiet gateway, not only once enough have piled up or
 * the process ends.
 */
t.test("one call's access line reaches stdout within a second, while the gateway keeps running", async (t) => {
  const gateway = await startChildGateway(t, { config: slowMockConfig({ chunkDelayMs: 0, reply: 'hi' }), models: ['mock-chat'], shutdownGraceMs: 1_000 });
  const sent = Date.now();
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.caller.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: 'Hi' }] }),
  });
  t.equal(response.status, 200);
  const requestId = response.headers.get('x-request-id') ?? '';
  const line = new RegExp(`"requestId":"${requestId}".*"msg":"request completed"`);
  while (!line.test(gateway.output.text) && Date.now() - sent < 3_000) await new Promise((resolve) => setTimeout(resolve, 10));
  const waited = Date.now() - sent;
  t.match(gateway.output.text, line, 'the access line was written');
  t.ok(waited < 1_000, `and within a second (${waited} ms), with the process still running`);
  t.equal(gateway.child.exitCode, null);
  gateway.child.kill('SIGTERM');
  t.equal((await exited(gateway.child)).code, 0);
  t.match(gateway.output.text, /shutdown complete/, 'what was gathered at exit is written too');
});
