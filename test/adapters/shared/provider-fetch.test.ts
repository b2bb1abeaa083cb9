import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import OpenAI from 'openai';
import { createProviderFetch } from '../../../src/adapters/shared/provider-fetch.js';

/** A tiny server whose handler each test chooses; it records what it received. */
async function server(t: Test, handler: http.RequestListener): Promise<string> {
  const srv = http.createServer(handler);
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  t.teardown(() => new Promise<void>((resolve) => { srv.closeAllConnections(); srv.close(() => resolve()); }));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

/** A server that sends two SSE frames, 20 ms apart. */
function twoFrames(t: Test): Promise<string> {
  return server(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: 1\n\n');
    setTimeout(() => res.end('data: 2\n\n'), 20);
  });
}

/** A server that sends one SSE frame and never ends; `closed` resolves when the client hangs up. */
async function endlessStream(t: Test): Promise<{ url: string; closed: Promise<void> }> {
  let sawClose: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (sawClose = resolve));
  const url = await server(t, (req, res) => {
    req.socket.once('close', () => sawClose());
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: 1\n\n');
  });
  return { url, closed };
}

function transportFor(t: Test): ReturnType<typeof createProviderFetch> {
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  return transport;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString();
}

t.test('sends method, headers and body; answers with a Response carrying status, headers and the body', async (t) => {
  let seen: { method?: string; headers?: http.IncomingHttpHeaders; body?: string } = {};
  const url = await server(t, async (req, res) => {
    seen = { method: req.method, headers: req.headers, body: await readBody(req) };
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' }).end('{"ok":true}');
  });
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  const headers = new Headers({ 'content-type': 'application/json', authorization: 'Bearer k' });
  const response = await transport.fetch(`${url}/v1/thing?x=1`, { method: 'POST', headers, body: '{"q":1}' });
  t.ok(response instanceof Response, 'a real Response');
  t.equal(response.status, 201);
  t.equal(response.ok, true);
  t.equal(response.url, `${url}/v1/thing?x=1`);
  t.equal(response.headers.get('x-upstream'), 'yes');
  t.equal(response.headers.get('set-cookie'), 'a=1, b=2', 'repeated headers are all kept');
  t.same(await response.json(), { ok: true });
  t.equal(response.bodyUsed, true);
  t.equal(seen.method, 'POST');
  t.equal(seen.headers?.authorization, 'Bearer k');
  t.equal(seen.body, '{"q":1}');
});

t.test('a body touched, then read whole (the Anthropic SDK\'s way), for an answer far past the stream buffers', async (t) => {
  const text = 'a'.repeat(1_000_000);
  const url = await server(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text }));
  });
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  const response = await transport.fetch(url);
  t.ok(response.body, 'the SDK registers the body for cleanup before it reads the answer');
  t.equal(response.bodyUsed, false, 'touching the body reads nothing');
  const answer = await Promise.race([response.json(), new Promise((resolve) => setTimeout(resolve, 5_000, 'hung'))]);
  t.same(answer, { text }, 'json() gets every byte; a stream that pulled at once raced it and hung past ~64 KiB');
  t.equal(response.bodyUsed, true);
});

t.test('the body as a web stream, for SSE, arrives chunk by chunk', async (t) => {
  const response = await transportFor(t).fetch(await twoFrames(t));
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('no body');
  const decoder = new TextDecoder();
  const first = await reader.read();
  t.equal(decoder.decode(first.value), 'data: 1\n\n', 'the first frame arrives before the second is sent');
  let rest = '';
  for (let part = await reader.read(); !part.done; part = await reader.read()) rest += decoder.decode(part.value);
  t.equal(rest, 'data: 2\n\n');
});

t.test('the body iterated with for await (the SDKs\' way for SSE) yields the chunks as they come', async (t) => {
  const response = await transportFor(t).fetch(await twoFrames(t));
  if (response.body === null) throw new Error('no body');
  const decoder = new TextDecoder();
  const seen: string[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) seen.push(decoder.decode(chunk));
  t.same(seen, ['data: 1\n\n', 'data: 2\n\n'], 'two chunks, the first before the second was sent');
  t.equal(response.bodyUsed, true);
});

t.test('leaving a for-await over the body early hangs up on the server', async (t) => {
  const { url, closed } = await endlessStream(t);
  const response = await transportFor(t).fetch(url);
  if (response.body === null) throw new Error('no body');
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    t.equal(new TextDecoder().decode(chunk), 'data: 1\n\n');
    break;
  }
  await closed;
  t.pass('the server saw the connection close');
});

t.test('an abort during a for-await over the body fails the loop with an AbortError', async (t) => {
  const { url } = await endlessStream(t);
  const controller = new AbortController();
  const response = await transportFor(t).fetch(url, { signal: controller.signal });
  if (response.body === null) throw new Error('no body');
  const error = await (async () => {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) if (chunk.length > 0) controller.abort();
  })().then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof Error && error.name === 'AbortError', `an AbortError (got ${String(error)})`);
});

t.test('an abort before the answer rejects with an AbortError and hangs up on the server', async (t) => {
  let closed: () => void = () => undefined;
  const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
  const url = await server(t, (req) => req.socket.once('close', () => closed()));
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  const controller = new AbortController();
  const pending = transport.fetch(url, { method: 'POST', body: '{}', signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  const error = await pending.then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof Error && error.name === 'AbortError', `an AbortError (got ${String(error)})`);
  await serverSawClose;
  t.pass('the server saw the connection close');
});

t.test('an abort while the body streams errors the stream', async (t) => {
  const { url } = await endlessStream(t);
  const controller = new AbortController();
  const response = await transportFor(t).fetch(url, { signal: controller.signal });
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('no body');
  await reader.read();
  controller.abort();
  const error = await reader.read().then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof Error && error.name === 'AbortError', `the read fails with an AbortError (got ${String(error)})`);
});

t.test('connection refused rejects with the socket error, which the SDK reports as a connection error', async (t) => {
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  await t.rejects(transport.fetch('http://127.0.0.1:1/'), { code: 'ECONNREFUSED' });
  const client = new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:1/v1', maxRetries: 0, fetch: transport.fetch });
  const error = await client.models.list().then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof OpenAI.APIConnectionError, 'an APIConnectionError');
  t.match((error as Error).cause, { code: 'ECONNREFUSED' }, 'caused by the socket error');
});

t.test('an HTTP error reaches the SDK as its status error, with the provider message', async (t) => {
  const url = await server(t, (_req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' }).end('{"error":{"message":"slow down","type":"rate_limit"}}');
  });
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  const client = new OpenAI({ apiKey: 'k', baseURL: `${url}/v1`, maxRetries: 0, fetch: transport.fetch });
  const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof OpenAI.RateLimitError, 'a RateLimitError');
  t.match((error as Error).message, /slow down/);
  t.equal((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after'), '3');
});

t.test('keeps the connection alive between calls', async (t) => {
  const sockets = new Set<unknown>();
  const url = await server(t, (req, res) => {
    sockets.add(req.socket);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  for (let i = 0; i < 20; i++) await (await transport.fetch(url)).text();
  // The body is read before undici hands the socket back, so the next call may open a second one.
  t.ok(sockets.size <= 2, `twenty sequential calls reuse their sockets (${sockets.size} used)`);
});

t.test('a body it does not stream itself (FormData) goes through the global fetch', async (t) => {
  let contentType: string | undefined;
  const url = await server(t, async (req, res) => {
    contentType = req.headers['content-type'];
    await readBody(req);
    res.writeHead(200).end('done');
  });
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  const form = new FormData();
  form.set('file', new Blob(['x']), 'x.txt');
  const response = await transport.fetch(url, { method: 'POST', body: form });
  t.equal(await response.text(), 'done');
  t.match(contentType, /^multipart\/form-data; boundary=/);
});

t.test('clone() and formData() are refused rather than answering wrongly', async (t) => {
  const url = await server(t, (_req, res) => res.writeHead(200).end('x'));
  const transport = createProviderFetch();
  t.teardown(() => transport.close());
  const response = await transport.fetch(url);
  t.throws(() => response.clone(), TypeError);
  await t.rejects(response.formData(), TypeError);
  t.equal(await response.text(), 'x');
});
