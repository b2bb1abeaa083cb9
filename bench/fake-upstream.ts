import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A deliberately cheap OpenAI upstream for benchmarks: a fixed chat completion, or a stream of
 * `chunks` SSE frames `chunkDelayMs` apart. It must cost far less than what is measured.
 */
const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1700000000,
  model: 'bench-upstream',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the bench upstream.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});

function chunk(delta: object, finish: string | null, usage: object | null = null): string {
  const body = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'bench-upstream', choices: usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage };
  return `data: ${JSON.stringify(body)}\n\n`;
}

export async function startBenchUpstream(options: { chunks: number; chunkDelayMs: number }): Promise<{ url: string; close(): Promise<void> }> {
  const frames = [
    chunk({ role: 'assistant', content: '' }, null),
    ...Array.from({ length: options.chunks }, (_, i) => chunk({ content: `tok${i} ` }, null)),
    chunk({}, 'stop'),
    chunk({}, null, { prompt_tokens: 12, completion_tokens: options.chunks, total_tokens: 12 + options.chunks }),
    'data: [DONE]\n\n',
  ];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      if (req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
        return;
      }
      const stream = Buffer.concat(parts).includes('"stream":true');
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) }).end(completion);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let i = 0;
      const next = () => {
        while (i < frames.length) {
          res.write(frames[i++]);
          if (options.chunkDelayMs > 0 && i < frames.length) {
            setTimeout(next, options.chunkDelayMs);
            return;
          }
        }
        res.end();
      };
      next();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

// Standalone in its own process: `node --import tsx bench/fake-upstream.ts <chunks> <chunkDelayMs>` prints its URL.
if (/fake-upstream\.[jt]s$/.test(process.argv[1] ?? '')) {
  const upstream = await startBenchUpstream({ chunks: Number(process.argv[2] ?? 20), chunkDelayMs: Number(process.argv[3] ?? 0) });
  process.stdout.write(`${upstream.url}\n`);
}
