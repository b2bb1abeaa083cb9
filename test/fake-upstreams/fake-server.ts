import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a fake upstream saw: tests assert the translated upstream request with it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. `/v1beta/models/m:streamGenerateContent?alt=sse`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Resolves with Date.now() when the client closed the connection before the answer ended. */
  clientClosed: Promise<number>;
}

export type ScriptedResponse =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Raw SSE frames, written as given (framing included), then the response ends unless `hold`. */
  | { kind: 'sse'; frames: string[]; frameDelayMs?: number; status?: number; hold?: boolean }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Destroys the socket without an answer (a connection failure). */
  | { kind: 'destroy' };

export interface FakeUpstream {
  /** The base URL exactly as the provider's SDK takes it. */
  baseUrl: string;
  origin: string;
  requests: RecordedRequest[];
  /** Queue answers for the next requests, in order; when the queue is empty `fallback` answers. */
  enqueue(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

export async function startFakeServer(
  basePath: string,
  fallback: (request: RecordedRequest) => ScriptedResponse,
): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedResponse[] = [];

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // keep the raw text
    }
    let finished = false;
    const clientClosed = new Promise<number>((resolve) => {
      res.on('close', () => {
        if (!finished) resolve(Date.now());
      });
    });
    const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, clientClosed };
    requests.push(recorded);
    const scripted = queue.shift() ?? fallback(recorded);
    await play(scripted, res);
    finished = res.writableEnded;
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: origin + basePath,
    requests,
    enqueue: (...responses) => queue.push(...responses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function play(scripted: ScriptedResponse, res: http.ServerResponse): Promise<void> {
  switch (scripted.kind) {
    case 'json': {
      if (scripted.delayMs) await sleep(scripted.delayMs);
      const payload = JSON.stringify(scripted.body);
      res.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers });
      res.end(payload);
      return;
    }
    case 'sse': {
      res.writeHead(scripted.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const frame of scripted.frames) {
        if (res.destroyed) return;
        res.write(frame);
        if (scripted.frameDelayMs) await sleep(scripted.frameDelayMs);
      }
      if (!scripted.hold) res.end();
      return;
    }
    case 'hang':
      return;
    case 'destroy':
      res.socket?.destroy();
      return;
  }
}
